"""A workflow step is dated on or after the task's previous step, on every path that takes steps: the
service (`workflow.perform`), the step page and the API. (Imports and bulk creation take no steps: an
import records where a task's state came from, not a step.)"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from stims.sttasks import workflow
from stims.sttasks.models import TaskEvent

from .conftest import attach, step

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def extended_task(make_task, specialist):
    """In progress, extended on 15/11/2026 (the previous step)."""
    task = make_task(state_code="in_progress", start_date=D(2025, 1, 1), end_date=D(2026, 12, 31))
    workflow.perform(
        task,
        step("extend"),
        specialist,
        happened_on=D(2026, 11, 15),
        document=attach(task, "decision", number="1/QĐ-UBND"),
        reason="Mưa lũ làm mất vụ",
        new_end_date=D(2027, 6, 30),
    )
    return task


REFUSAL = (
    "The step is dated 14/11/2026, before the previous step “Gia hạn thời gian thực hiện” (15/11/2026): "
    "date it on or after that day."
)
# What the pages and the API say, in the deployment's language.
REFUSAL_VI = (
    "Bước này ghi ngày 14/11/2026, trước bước liền trước “Gia hạn thời gian thực hiện” (15/11/2026): "
    "hãy ghi ngày từ ngày đó trở đi."
)


def test_the_service_refuses_a_step_dated_before_the_previous_one_and_takes_one_on_the_same_day(
    extended_task, specialist
):
    transition = step("extend")
    name = transition.name
    decision = attach(extended_task, "decision", number="2/QĐ-UBND")
    inputs = {"document": decision, "reason": "Thêm một vụ", "new_end_date": D(2027, 12, 31)}
    with translation.override("en"), pytest.raises(workflow.StepRefused) as refused:
        workflow.perform(extended_task, transition, specialist, happened_on=D(2026, 11, 14), **inputs)
    assert refused.value.messages == [REFUSAL.replace("Gia hạn thời gian thực hiện", name)]
    assert extended_task.events.count() == 1
    workflow.perform(extended_task, transition, specialist, happened_on=D(2026, 11, 15), **inputs)
    assert extended_task.events.count() == 2


def test_the_step_page_refuses_it_keeps_the_input_and_says_why(client, extended_task, specialist):
    client.force_login(specialist)
    decision = attach(extended_task, "decision", number="2/QĐ-UBND")
    response = client.post(
        reverse("sttasks:task_step", args=[extended_task.pk, "extend"]),
        {
            "happened_on": "14/11/2026",
            "document": decision.pk,
            "reason": "Thêm một vụ",
            "new_end_date": "31/12/2027",
        },
    )
    assert response.status_code == 200
    assert response.context["refusals"] == [
        REFUSAL_VI.replace("Gia hạn thời gian thực hiện", step("extend").name)
    ]
    assert "Thêm một vụ" in response.content.decode()
    assert TaskEvent.objects.filter(task=extended_task).count() == 1


def test_the_api_refuses_it_with_400_and_the_reason(client, extended_task, specialist):
    client.force_login(specialist)
    decision = attach(extended_task, "decision", number="2/QĐ-UBND")
    response = client.post(
        reverse("api:task-step", args=[extended_task.pk]),
        {
            "transition": "extend",
            "happened_on": "2026-11-14",
            "document": decision.pk,
            "reason": "Thêm một vụ",
            "new_end_date": "2027-12-31",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert REFUSAL_VI.replace("Gia hạn thời gian thực hiện", step("extend").name) in str(response.json())
    extended_task.refresh_from_db()
    assert extended_task.end_date == D(2027, 6, 30) and extended_task.events.count() == 1
