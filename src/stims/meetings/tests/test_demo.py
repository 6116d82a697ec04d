"""The demo sessions: the five seed articles as six sessions (seed 001 reports two), idempotent."""

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


def test_the_six_seed_sessions_load_once_with_their_directives():
    out = io.StringIO()
    demo.load(out)
    assert "Demo working sessions" in out.getvalue()
    sessions = {(s.held_on.isoformat(), s.admin_unit.name): s for s in WorkingSession.objects.all()}
    assert sorted(sessions) == [
        ("2023-03-13", "Huyện Ba Chẽ"),
        ("2023-03-13", "Huyện Bình Liêu"),
        ("2023-04-27", "Huyện Định Hóa"),
        ("2023-06-05", "Tỉnh Sơn La"),
        ("2023-07-24", "Tỉnh Nam Định"),
        ("2023-11-29", "Tỉnh Quảng Trị"),
    ]
    directives = {key[1]: s.directives.count() for key, s in sessions.items()}
    # Nam Định: 4 to the department, 3 to each of the 9 people's committees of the city and districts.
    assert directives == {
        "Huyện Ba Chẽ": 5,
        "Huyện Bình Liêu": 4,
        "Huyện Định Hóa": 9,
        "Tỉnh Sơn La": 9,
        "Tỉnh Nam Định": 4 + 3 * 9,
        "Tỉnh Quảng Trị": 11,
    }
    assert all(s.source_text and s.chair_id for s in sessions.values())
    # A one-off directive whose article gives no date carries an illustrative deadline, flagged.
    assert not Directive.objects.filter(recurrence__in=["once", "annually"], deadline__isnull=True).exists()
    assert Directive.objects.filter(deadline_is_illustrative=True).count() == 5
    assert Person.objects.filter(full_name="Phạm Quốc Chính").count() == 1

    before = counts()
    again = io.StringIO()
    demo.load(again)
    assert counts() == before
    assert "Demo working sessions" not in again.getvalue()
