"""Drafting a working session from the text of its minutes or a news report (issue 5, item 5).

An app of its own on top of `stims.meetings` (it drafts working sessions, their participants, figures,
requests and directives; meetings knows nothing of it). Its pages keep the meetings URL names
(`meetings:draft`, `meetings:draft_confirm`): `stims/urls.py` mounts them under /meetings/.

The Vietnamese text analysis (`nlp`) needs the optional `nlp` extra (`pip install stims[nlp]`,
underthesea); without it every module here still imports, and the drafting page says the extra is
missing instead of proposing anything.
"""
