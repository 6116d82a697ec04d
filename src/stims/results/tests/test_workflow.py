"""The workflow's guards about results (sttasks/workflow.py) read this app's records."""

import datetime

import pytest

from stims.sttasks.models import WorkflowTransition
from stims.sttasks.workflow import GUARDS, StepRefused, perform

from .conftest import hand_over, report

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 10, 1)


def test_handing_over_is_refused_until_every_result_is_handed_over(
    make_task, make_result, specialist, ba_che_commune
):
    task = make_task("Giống chè", state="liquidated")
    first, second = make_result(task, "Giống chè LDP1"), make_result(task, "Quy trình chăm sóc")
    step = WorkflowTransition.objects.get(code="hand_over")
    hand_over(first, ba_che_commune)
    with pytest.raises(StepRefused) as refused:
        perform(task, step, specialist, happened_on=DAY)
    assert str(GUARDS["results_handed_over"].refusal) in refused.value.messages
    task.refresh_from_db()
    assert task.state.code == "liquidated" and not task.events.exists()

    hand_over(second, ba_che_commune)
    event = perform(task, step, specialist, happened_on=DAY)
    task.refresh_from_db()
    assert (task.state.code, event.to_state.code) == ("handed_over", "handed_over")


def test_a_task_without_results_cannot_be_handed_over(make_task, specialist):
    task = make_task(state="liquidated")
    with pytest.raises(StepRefused):
        perform(task, WorkflowTransition.objects.get(code="hand_over"), specialist, happened_on=DAY)


def test_reporting_application_needs_a_reported_application(
    make_task, make_result, specialist, ba_che_commune
):
    task = make_task(state="handed_over")
    result = make_result(task)
    hand_over(result, ba_che_commune)
    step = WorkflowTransition.objects.get(code="report_application")
    with pytest.raises(StepRefused):
        perform(task, step, specialist, happened_on=DAY)
    report(result, ba_che_commune, 2025)
    perform(task, step, specialist, happened_on=DAY)
    task.refresh_from_db()
    assert task.state.code == "applied"


def test_results_count_as_registered_only_with_their_certificates(make_task, make_result):
    task = make_task(state="acceptance")
    holds = GUARDS["results_registered"].holds
    assert not holds(task)
    make_result(task, "Có giấy chứng nhận")
    assert holds(task)
    make_result(task, "Chưa đăng ký", registered=False)
    assert not holds(task)
