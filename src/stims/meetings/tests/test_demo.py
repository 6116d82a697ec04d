"""The demo sessions: the five seed articles through the drafting path, idempotent."""

import io

import pytest

from stims.demo import meetings as demo
from stims.meetings.models import Directive, LocalityRequest, Participant, SessionFigure, WorkingSession
from stims.orgs.models import Organization, Person

pytestmark = pytest.mark.django_db


def counts():
    return tuple(
        model.objects.count()
        for model in (
            WorkingSession,
            Participant,
            Directive,
            LocalityRequest,
            SessionFigure,
            Person,
            Organization,
        )
    )


def test_the_five_seed_sessions_load_once_with_their_directives():
    out = io.StringIO()
    demo.load(out)
    assert "Demo working sessions" in out.getvalue()
    sessions = {s.held_on.isoformat(): s for s in WorkingSession.objects.all()}
    assert sorted(sessions) == ["2023-03-13", "2023-04-27", "2023-06-05", "2023-07-24", "2023-11-29"]
    directives = {day: s.directives.count() for day, s in sessions.items()}
    # 8 + 9 + 12 (one, to "các ngành liên quan", left out by the reviewer) + 7 + 9.
    assert directives == {
        "2023-04-27": 8,
        "2023-03-13": 9,
        "2023-11-29": 11,
        "2023-07-24": 7,
        "2023-06-05": 9,
    }
    assert all(s.source_text and s.chair_id for s in sessions.values())
    assert sessions["2023-04-27"].chair.full_name == "Phạm Quốc Chính"
    assert sessions["2023-04-27"].admin_unit.name == "Huyện Định Hóa"
    assert not Directive.objects.filter(recurrence__in=["once", "annually"], deadline__isnull=True).exists()
    # The people and units of the articles were found in the directory, not created again.
    assert Person.objects.filter(full_name="Phạm Quốc Chính").count() == 1

    before = counts()
    again = io.StringIO()
    demo.load(again)
    assert counts() == before
    assert "Demo working sessions" not in again.getvalue()
