"""A locality's proposal sent to the department ("Gửi Sở"): the rule on the page and the API, what it
locks, the return, and the code the department assigns before taking the task on."""

import pytest
from django.urls import reverse

from stims.sttasks import proposals, workflow
from stims.sttasks.models import Task
from stims.testing import make_user, unit

from .conftest import step
from .test_rules import api_url, if_match, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(ba_che):
    return make_user("local_officer", admin_unit=ba_che)


def test_the_locality_sends_its_proposal_on_the_page_once_and_can_no_longer_edit_it(
    client, officer, specialist, make_task
):
    task = make_task(code=None, objectives="Phục tráng giống lúa", proposal_year=2025)
    page = signed_in(type(client), officer)
    detail = page.get(task.get_absolute_url())
    assert detail.context["can_submit"] and not detail.context["submit_problems"]
    assert page.post(reverse("sttasks:task_submit", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert task.submitted_at is not None and task.submitted_by == officer
    # Sent: no second sending, no edit by the locality, on the page or the API.
    assert not page.get(task.get_absolute_url()).context["can_submit"]
    page.post(reverse("sttasks:task_submit", args=[task.pk]))
    assert Task.objects.get(pk=task.pk).submitted_at == task.submitted_at
    assert page.get(reverse("sttasks:task_edit", args=[task.pk])).status_code == 403
    response = page.patch(api_url(task), {"title": "Đổi"}, content_type="application/json", **if_match(task))
    assert response.status_code == 403
    # The department has nothing to send, but may return it.
    department = signed_in(type(client), specialist)
    detail = department.get(task.get_absolute_url())
    assert not detail.context["can_submit"] and detail.context["can_return"]


def test_sending_through_the_api_gives_every_reason_and_changes_nothing(
    client, officer, specialist, make_task
):
    task = make_task(code=None, objectives="", proposal_year=2027)  # a former district, no objectives
    api = signed_in(type(client), officer)
    response = api.post(reverse("api:task-submit", args=[task.pk]))
    assert response.status_code == 400
    reasons = " ".join(response.json()["errors"])
    assert "1 July 2025" in reasons and "objectives" in reasons
    assert Task.objects.get(pk=task.pk).submitted_at is None
    Task.objects.filter(pk=task.pk).update(
        objectives="Mục tiêu", ordering_unit=unit("Xã Ba Chẽ"), proposal_year=2027
    )
    response = api.post(reverse("api:task-submit", args=[task.pk]))
    assert response.status_code == 200, response.content
    assert Task.objects.get(pk=task.pk).submitted_at is not None
    # Returned by the department with a reason (required), the locality may send it again.
    department = signed_in(type(client), specialist)
    url = reverse("api:task-return-proposal", args=[task.pk])
    assert department.post(url, {}, content_type="application/json").status_code == 400
    response = department.post(url, {"reason": "Bổ sung kinh phí"}, content_type="application/json")
    assert response.status_code == 200
    assert Task.objects.get(pk=task.pk).submitted_at is None
    assert api.post(reverse("api:task-submit", args=[task.pk])).status_code == 200


def test_a_locality_assigns_no_code_through_the_api_and_the_department_needs_one_to_take_the_task_on(
    client, officer, specialist, make_task
):
    task = make_task(code=None, objectives="Mục tiêu", proposal_year=2025)
    api = signed_in(type(client), officer)
    response = api.patch(api_url(task), {"code": "BC.01"}, content_type="application/json", **if_match(task))
    assert response.status_code == 400 and "code" in response.json()
    refusals = workflow.problems(task, step("identify"), specialist, check_inputs=False)
    assert str(workflow.GUARDS["code_assigned"].refusal) in refusals
    Task.objects.filter(pk=task.pk).update(code="ĐT.CS.01/2026")
    task.refresh_from_db()
    refusals = workflow.problems(task, step("identify"), specialist, check_inputs=False)
    assert str(workflow.GUARDS["code_assigned"].refusal) not in refusals
    # Once taken on, the department's form requires the code.
    Task.objects.filter(pk=task.pk).update(state=step("identify").target)
    form = (
        signed_in(type(client), specialist).get(reverse("sttasks:task_edit", args=[task.pk])).context["form"]
    )
    assert form.fields["code"].required


def test_the_orderer_rule_reads_the_reform(ba_che):
    assert proposals.orderer_problem(ba_che, 2025) is None
    assert proposals.orderer_problem(unit("Xã Ba Chẽ"), 2027) is None
    assert "Huyện Ba Chẽ" in proposals.orderer_problem(ba_che, 2026)
