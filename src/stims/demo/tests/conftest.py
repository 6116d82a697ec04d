"""The demo sessions compared with the seed articles: each `test_seed_*.py` lists, written out by hand
from its article (not from `demo/meetings.py`), every figure, request and directive the article holds,
and these helpers compare the lists with what `stims demo` recorded."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from stims.demo import meetings as demo_meetings
from stims.meetings.models import WorkingSession


@pytest.fixture
def seed_sessions(db):
    demo_meetings.load(io.StringIO())
    return WorkingSession.objects.all()


def session(held_on: str, unit_name: str) -> WorkingSession:
    return WorkingSession.objects.get(held_on=held_on, admin_unit__name=unit_name)


def figures_of(s: WorkingSession) -> set[tuple[str, Decimal, str, int | None]]:
    return {(f.label, f.value.normalize(), f.unit, f.year) for f in s.figures.all()}


def expected_figures(rows) -> set[tuple[str, Decimal, str, int | None]]:
    return {(label, Decimal(value).normalize(), unit, year) for label, value, unit, year in rows}


def participants_of(s: WorkingSession) -> set[tuple[str, str, str]]:
    return {
        (
            p.person.full_name if p.person else p.organization.name if p.organization else p.name,
            p.role,
            p.position,
        )
        for p in s.participants.select_related("person", "organization")
    }


def requests_of(s: WorkingSession) -> list[tuple[str, str, str]]:
    return [(r.text, r.status, r.response) for r in s.requests.order_by("pk")]


def assert_directives(s: WorkingSession, expected) -> None:
    """`expected`: (lead unit's name, words of the article's item, deadline kind, deadline or None,
    illustrative?). Every directive matches exactly one row and every row one directive."""
    directives = list(s.directives.select_related("lead_organization").order_by("pk"))
    found = []
    for lead, words, recurrence, deadline, illustrative in expected:
        matches = [
            d
            for d in directives
            if d.lead_organization.name == lead and words.lower() in d.text.lower() and d not in found
        ]
        assert matches, f"No directive to {lead} about “{words}”"
        d = matches[0]
        assert (d.recurrence, d.deadline and d.deadline.isoformat(), d.deadline_is_illustrative) == (
            recurrence,
            deadline,
            illustrative,
        ), (lead, words)
        found.append(d)
    assert len(directives) == len(expected), [d.text[:60] for d in directives if d not in found]
