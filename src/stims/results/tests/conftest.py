import datetime

import pytest

from stims.results.models import ApplicationReport, Handover, ResultKind, TaskResult
from stims.sttasks.models import Task, TaskType, WorkflowState
from stims.testing import make_user, province, unit


@pytest.fixture
def quang_ninh(db):
    return province("Quảng Ninh")


@pytest.fixture
def ba_che_commune(db):
    """Today's Xã Ba Chẽ (2025), which took in the legacy district's communes."""
    return unit("Xã Ba Chẽ", province="Quảng Ninh")


@pytest.fixture
def binh_lieu_commune(db):
    return unit("Xã Bình Liêu", province="Quảng Ninh")


@pytest.fixture
def ba_che_district(db):
    return unit("Huyện Ba Chẽ", legacy=True)


@pytest.fixture
def make_task(quang_ninh):
    counter = iter(range(1, 10_000))

    def make(
        title="Nhiệm vụ",
        *,
        state="results_registered",
        ordering_unit=None,
        level="provincial",
        year=2022,
        code=None,
    ):
        return Task.objects.create(
            code=code or f"NV-{year}-{next(counter):03d}",
            title=title,
            task_type=TaskType.objects.order_by("pk").first(),
            level=level,
            ordering_unit=ordering_unit or quang_ninh,
            proposal_year=year,
            state=WorkflowState.objects.get(code=state),
        )

    return make


@pytest.fixture
def make_result():
    def make(task, name="Quy trình trồng ba kích", *, registered=True, kind=ResultKind.PROCESS):
        return TaskResult.objects.create(
            task=task,
            kind=kind,
            name=name,
            certificate_number=f"GCN-{task.pk}-{name[:6]}" if registered else "",
            certificate_date=datetime.date(2023, 5, 10) if registered else None,
        )

    return make


def hand_over(result, unit=None, *, on=datetime.date(2023, 6, 1), organization=None, **extra):
    return Handover.objects.create(
        result=result, receiving_unit=unit, receiving_organization=organization, handed_over_on=on, **extra
    )


def report(result, unit, year=2024, status="applied", **extra):
    return ApplicationReport.objects.create(result=result, admin_unit=unit, year=year, status=status, **extra)


@pytest.fixture
def specialist(db):
    return make_user("specialist", username="chuyenvien")


@pytest.fixture
def ba_che_officer(ba_che_commune):
    return make_user("local_officer", admin_unit=ba_che_commune, username="canbo.bache")


@pytest.fixture
def binh_lieu_officer(binh_lieu_commune):
    return make_user("local_officer", admin_unit=binh_lieu_commune, username="canbo.binhlieu")


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture(autouse=True)
def english_messages():
    """Service-level messages are asserted in English, the source language; pages pick theirs per request."""
    from django.utils import translation

    with translation.override("en"):
        yield
