"""Drafting a working session from the text of its minutes or a news report (issue 5, item 5)."""
