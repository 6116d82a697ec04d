"""Demo working sessions for `stims demo`: the five seed articles, entered through the drafting path.

Each article is read by the drafting rules, the proposal is confirmed the way a department specialist
would confirm it on the review page (the corrections are below, each with its reason), and saved by
the same commit service the page uses. A session whose date and title (or pasted text) are already
recorded is skipped, so a second run creates nothing.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TextIO

from stims.accounts.models import User
from stims.demo.orgs import load_directory
from stims.drafting.commit import commit_draft
from stims.drafting.draft import SessionDraft, draft_from_text
from stims.meetings.models import Recurrence, WorkingSession

# The five seed articles (public news reports), the demo's source and the drafting tests' input.
SEEDS = Path(__file__).parent / "demo_seeds"
# The articles give no date for one-off work ("khẩn trương tham mưu …"); the demo reviewer sets one
# month after the session, as a department would when it issues the conclusion notice.
ONE_OFF_DAYS = 30


def seed_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]


def confirm_as_reviewer(draft: SessionDraft, directory) -> SessionDraft:
    """The corrections a reviewer makes to the proposal before saving it."""
    for directive in draft.directives:
        if directive.lead is None:
            name = directive.lead_name.lower()
            if name.startswith("ubnd các huyện"):
                # Addressed to every district of Nam Định: recorded for the one district the demo
                # directory holds, as a reviewer splitting it per district would.
                directive.lead = directory.orgs["ubnd_h_haihau"]
            else:
                # "các ngành liên quan" is no unit that could report on it: left out.
                directive.include = False
        if directive.recurrence != Recurrence.REGULARLY and directive.deadline is None:
            directive.deadline = draft.held_on + datetime.timedelta(days=ONE_OFF_DAYS)
    draft.directives = [d for d in draft.directives if d.include]
    return draft


def already_recorded(draft: SessionDraft) -> bool:
    same_day = WorkingSession.objects.filter(held_on=draft.held_on)
    return (
        same_day.filter(title=draft.title).exists() or same_day.filter(source_text=draft.source_text).exists()
    )


def load(stdout: TextIO) -> None:
    directory = load_directory()
    reviewer = (
        User.objects.filter(username="chuyenvien").first() or User.objects.filter(is_superuser=True).first()
    )
    created = []
    for text in seed_texts():
        draft = draft_from_text(text)
        if draft.held_on is None or already_recorded(draft):
            continue
        session = commit_draft(confirm_as_reviewer(draft, directory), reviewer)
        created.append(session)
    if created:
        stdout.write("Demo working sessions (drafted from the seed articles):\n")
        for session in created:
            stdout.write(
                f"  {session}: {session.directives.count()} directives, {session.participants.count()} participants\n"
            )
