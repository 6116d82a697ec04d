import datetime
from decimal import Decimal

import pytest

from stims.councils import services
from stims.councils.models import Council, CouncilDossier, CouncilMember, CriteriaSet
from stims.orgs.models import Person
from stims.sttasks.models import Task, TaskType
from stims.testing import make_user, province

SELECTION_SET_NAME = "Tiêu chí đánh giá hồ sơ tuyển chọn, giao trực tiếp nhiệm vụ KH&CN"


@pytest.fixture
def quang_ninh(db):
    return province("Quảng Ninh")


@pytest.fixture
def selection_set(db):
    return CriteriaSet.objects.get(council_kind="selection", name=SELECTION_SET_NAME)


@pytest.fixture
def acceptance_set(db):
    return CriteriaSet.objects.get(council_kind="acceptance")


@pytest.fixture
def make_task(quang_ninh):
    counter = iter(range(1, 1000))

    def make(title=None, **extra):
        number = next(counter)
        return Task.objects.create(
            code=f"ĐT-2025-{number:02d}",
            title=title or f"Nghiên cứu số {number}",
            task_type=TaskType.objects.get(code="de-tai"),
            proposal_year=2025,
            ordering_unit=quang_ninh,
            **extra,
        )

    return make


@pytest.fixture
def make_council(quang_ninh, selection_set):
    """A council with `members` members (the first is the chair) and a dossier for each task given."""

    def make(
        kind="selection",
        *,
        criteria_set=None,
        members=5,
        tasks=(),
        name=None,
        meeting_date=datetime.date(2025, 3, 10),
    ):
        council = Council.objects.create(
            kind=kind,
            name=name or f"Hội đồng {kind} {Council.objects.count() + 1}",
            criteria_set=criteria_set
            if criteria_set is not None
            else (selection_set if kind == "selection" else None),
            decision_number="125/QĐ-SKHCN",
            decision_date=datetime.date(2025, 3, 1),
            meeting_date=meeting_date,
        )
        for number in range(members):
            person = Person.objects.create(
                full_name=f"Thành viên {council.pk}-{number + 1}", admin_unit=quang_ninh
            )
            CouncilMember.objects.create(
                council=council, person=person, role="chair" if number == 0 else "member"
            )
        for task in tasks:
            CouncilDossier.objects.create(council=council, task=task)
        return council

    return make


def sheet_scores(total: int) -> dict:
    """Scores of the selection criteria (15/30/25/15/15) adding up to `total`, by criterion code."""
    maxima = [("1", 15), ("2", 30), ("3", 25), ("4", 15), ("5", 15)]
    remaining, scores = total, {}
    for code, maximum in reversed(maxima):
        share = min(maximum, remaining)
        scores[code] = Decimal(share)
        remaining -= share
    assert remaining == 0
    return scores


def score_all(council, totals_by_dossier: dict) -> None:
    """Each member (in pk order) scores each dossier with the totals given, e.g. {dossier: [70, 72, 68]}."""
    members = list(council.members.order_by("pk"))
    for dossier, totals in totals_by_dossier.items():
        for member, total in zip(members, totals, strict=False):
            services.record_score_sheet(dossier, member, sheet_scores(total))


@pytest.fixture
def specialist(db):
    return make_user("specialist", username="chuyenvien")


@pytest.fixture(autouse=True)
def english_messages():
    """Service-level messages are asserted in English, the source language; pages pick theirs per request."""
    from django.utils import translation

    with translation.override("en"):
        yield
