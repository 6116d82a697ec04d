import datetime

import pytest

from stims.funding.models import Allocation, BudgetLine, Disbursement, FundingSource, Tranche
from stims.sttasks.models import Level, Programme, Task, TaskType
from stims.testing import make_user, unit

M = 1_000_000  # one million đồng: amounts below read as in the department's tables


@pytest.fixture
def ba_che(db):
    return unit("Huyện Ba Chẽ", legacy=True)


@pytest.fixture
def binh_lieu(db):
    return unit("Huyện Bình Liêu", legacy=True)


@pytest.fixture
def make_task(db):
    def make(code, *, ordering_unit, level=Level.PROVINCIAL, programme=None, year=2024):
        return Task.objects.create(
            code=code,
            title=f"Nhiệm vụ {code}",
            task_type=TaskType.objects.order_by("pk").first(),
            level=level,
            programme=programme,
            ordering_unit=ordering_unit,
            proposal_year=year,
        )

    return make


@pytest.fixture
def ba_che_task(make_task, ba_che):
    return make_task("QN-2024-01", ordering_unit=ba_che)


@pytest.fixture
def binh_lieu_task(make_task, binh_lieu):
    return make_task("QN-2024-02", ordering_unit=binh_lieu)


@pytest.fixture
def programme(db):
    return Programme.objects.create(code="test-programme", name="Chương trình thử")


def plan(task, year, source, amount):
    return BudgetLine.objects.create(task=task, year=year, source=source, amount=amount)


def planned_state_550(task):
    """550 million đồng of state budget over two years (plus counterpart funds that do not count)."""
    plan(task, 2024, FundingSource.STATE_LUMP_SUM, 300 * M)
    plan(task, 2025, FundingSource.STATE_NON_LUMP_SUM, 250 * M)
    plan(task, 2024, FundingSource.COUNTERPART, 100 * M)


def tranche(task, number, amount, planned_on=None):
    return Tranche.objects.create(task=task, number=number, amount=amount, planned_on=planned_on)


def pay(task, amount, paid_on, tranche=None):
    return Disbursement.objects.create(task=task, amount=amount, paid_on=paid_on, tranche=tranche)


def allocate(year, amount, *, unit=None, organization=None, purpose="Phát triển KH&CN"):
    return Allocation.objects.create(
        year=year, amount=amount, recipient_unit=unit, recipient_organization=organization, purpose=purpose
    )


@pytest.fixture
def specialist(client):
    user = make_user("specialist")
    client.force_login(user)
    return user


@pytest.fixture
def ba_che_officer(client, ba_che):
    user = make_user("local_officer", admin_unit=ba_che)
    client.force_login(user)
    return user


@pytest.fixture
def viewer(client):
    user = make_user("viewer")
    client.force_login(user)
    return user


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


D = datetime.date


@pytest.fixture(autouse=True)
def english_messages():
    """Service-level messages are asserted in English, the source language; pages pick theirs per request."""
    from django.utils import translation

    with translation.override("en"):
        yield
