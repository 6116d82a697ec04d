import datetime

import pytest

from stims.orgs.models import Organization, OrganizationKind, Person
from stims.sttasks.models import Document, DocumentKind, Task, TaskType, WorkflowState, WorkflowTransition
from stims.testing import make_user, unit


@pytest.fixture
def ba_che(db):
    return unit("Huyện Ba Chẽ", legacy=True)


@pytest.fixture
def binh_lieu(db):
    return unit("Huyện Bình Liêu", legacy=True)


@pytest.fixture
def institute(db, ba_che):
    return Organization.objects.create(
        name="Trung tâm Ứng dụng tiến bộ KH&CN Quảng Ninh",
        kind=OrganizationKind.CENTRE,
        admin_unit=ba_che.province,
    )


@pytest.fixture
def investigator(db, ba_che):
    return Person.objects.create(full_name="Nguyễn Văn Minh", degree="TS", admin_unit=ba_che.province)


@pytest.fixture
def specialist(db):
    return make_user("specialist", username="chuyenvien", email="chuyenvien@skhcn.example")


@pytest.fixture
def leader(db):
    return make_user("leader", username="lanhdao", email="lanhdao@skhcn.example")


def state(code: str) -> WorkflowState:
    return WorkflowState.objects.get(code=code)


def step(code: str) -> WorkflowTransition:
    return WorkflowTransition.objects.select_related("requires_document_kind", "target").get(code=code)


@pytest.fixture
def make_task(db, ba_che):
    counter = iter(range(1, 10_000))

    def make(*, state_code=None, ordering_unit=None, **fields):
        number = next(counter)
        values = {
            "code": f"ĐT.{number:03d}/2026",
            "title": f"Nghiên cứu phục tráng giống lúa Bao Thai số {number}",
            "task_type": TaskType.objects.get(code="de-tai"),
            "proposal_year": 2026,
            "ordering_unit": ordering_unit or ba_che,
            **fields,
        }
        task = Task.objects.create(**values)
        if state_code:
            Task.objects.filter(pk=task.pk).update(state=state(state_code))
            task.refresh_from_db()
        return task

    return make


def attach(task, kind_code: str, number="01/QĐ-UBND") -> Document:
    return Document.objects.create(
        task=task,
        kind=DocumentKind.objects.get(code=kind_code),
        number=number,
        issued_on=datetime.date(2026, 1, 5),
        title=f"{kind_code} of {task.code}",
        signer="Nguyễn Văn A",
    )


@pytest.fixture(autouse=True)
def english_messages():
    """Service-level messages are asserted in English, the source language; pages pick theirs per request."""
    from django.utils import translation

    with translation.override("en"):
        yield
