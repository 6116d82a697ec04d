"""Calls for proposals (thông báo đặt hàng, kêu gọi đề xuất): the dates rule, who may write them, and a
proposal naming only a call open on the day it is sent, on the page and through the API."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from stims.sttasks import proposals
from stims.sttasks.models import Call, Task
from stims.testing import make_user, unit

from .test_rules import api_url, if_match, signed_in

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def make_call(title="Kêu gọi đề xuất nhiệm vụ KH&CN năm 2027", *, days_open=(-5, 20), **fields):
    today = timezone.localdate()
    values = {
        "title": title,
        "number": "15/TB-SKHCN",
        "issued_on": today + days_open[0] * DAY,
        "open_from": today + days_open[0] * DAY,
        "open_until": today + days_open[1] * DAY,
        **fields,
    }
    return Call.objects.create(**values)


@pytest.fixture
def officer(ba_che):
    return make_user("local_officer", admin_unit=ba_che)


def test_a_call_cannot_close_before_it_opens_on_the_model_and_the_api(client, specialist):
    call = Call(
        title="Đặt hàng", issued_on=datetime.date(2026, 1, 2), open_from=datetime.date(2026, 2, 1),
        open_until=datetime.date(2026, 1, 31),
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        call.full_clean()
    assert "open_until" in refused.value.message_dict
    api = signed_in(type(client), specialist)
    payload = {
        "title": "Đặt hàng nhiệm vụ 2027", "issued_on": "2026-01-02", "open_from": "2026-02-01",
        "open_until": "2026-01-31",
    }  # fmt: skip
    response = api.post(reverse("api:call-list"), payload, content_type="application/json")
    assert response.status_code == 400 and "open_until" in str(response.json())
    assert not Call.objects.exists()
    payload["open_until"] = "2026-03-31"
    response = api.post(reverse("api:call-list"), payload, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Call.objects.get().history.count() == 1


def test_the_department_writes_calls_and_a_local_officer_only_reads_them(client, specialist, officer):
    call = make_call(publish_on_portal=True)
    department = signed_in(type(client), specialist)
    form = {
        "title": "Thông báo đặt hàng bổ sung", "number": "20/TB-SKHCN", "issued_on": "01/12/2026",
        "open_from": "01/12/2026", "open_until": "31/12/2026", "level": "provincial",
        "topics": "Nông nghiệp công nghệ cao", "publish_on_portal": "on",
    }  # fmt: skip
    response = department.post(reverse("sttasks:call_add"), form)
    assert response.status_code == 302, response.context["form"].errors
    added = Call.objects.get(number="20/TB-SKHCN")
    assert added.open_until == datetime.date(2026, 12, 31)
    # The dates rule on the page too: the form keeps the input and nothing changes.
    response = department.post(
        reverse("sttasks:call_edit", args=[added.pk]), {**form, "open_until": "30/11/2026"}
    )
    assert response.status_code == 200 and "open_until" in response.context["form"].errors
    assert Call.objects.get(pk=added.pk).open_until == datetime.date(2026, 12, 31)

    locality = signed_in(type(client), officer)
    assert locality.get(reverse("sttasks:call_list")).status_code == 200
    assert locality.get(reverse("sttasks:call_detail", args=[call.pk])).status_code == 200
    assert locality.get(reverse("sttasks:call_add")).status_code == 403
    assert locality.post(reverse("sttasks:call_add"), form).status_code == 403
    assert locality.get(reverse("sttasks:call_edit", args=[call.pk])).status_code == 403
    assert locality.get(api_call := reverse("api:call-detail", args=[call.pk])).status_code == 200
    assert locality.post(reverse("api:call-list"), {}, content_type="application/json").status_code == 403
    assert locality.patch(api_call, {"title": "Đổi"}, content_type="application/json").status_code == 403
    assert Call.objects.get(pk=call.pk).title == call.title


def test_the_call_list_and_api_list_do_not_grow_with_the_rows(
    client, specialist, django_assert_max_num_queries
):
    for number in range(12):
        make_call(f"Kêu gọi đề xuất đợt {number}", number=f"{number}/TB-SKHCN")
    department = signed_in(type(client), specialist)
    with django_assert_max_num_queries(9):  # 7 measured, with 1 or 30 calls
        page = department.get(reverse("sttasks:call_list"))
    assert page.status_code == 200 and "Kêu gọi đề xuất đợt 11" in page.content.decode()
    with django_assert_max_num_queries(6):  # 5 measured, with 1 or 30 calls
        response = department.get(reverse("api:call-list"))
    assert response.status_code == 200 and response.json()["count"] == 12
    found = department.get(reverse("sttasks:call_list"), {"q": "ke goi de xuat dot 3"})
    assert "Kêu gọi đề xuất đợt 3" in found.content.decode()


def test_the_open_call_rule_reads_the_sending_day():
    call = make_call(days_open=(-2, 2))
    today = timezone.localdate()
    assert proposals.call_problem(call, today) is None
    assert proposals.call_problem(None, today) is None
    assert "not open" in proposals.call_problem(call, today + 3 * DAY)
    assert "not open" in proposals.call_problem(call, today - 3 * DAY)


def test_a_proposal_names_only_a_call_open_when_it_is_sent_on_the_page_and_the_api(
    client, officer, make_task
):
    closed = make_call("Đợt đã đóng", days_open=(-40, -1))
    open_call = make_call("Đợt đang mở")
    task = make_task(
        code=None, objectives="Phục tráng giống lúa", proposal_year=2027, ordering_unit=unit("Xã Ba Chẽ")
    )
    locality = signed_in(type(client), officer)
    # The API refuses a closed call and keeps the task as it was.
    response = locality.patch(
        api_url(task), {"call": closed.pk}, content_type="application/json", **if_match(task)
    )
    assert response.status_code == 400 and "call" in response.json()["errors"]
    assert Task.objects.get(pk=task.pk).call is None
    # A call named earlier that has closed since: "Gửi Sở" on the page refuses, with the reason.
    Task.objects.filter(pk=task.pk).update(call=closed)
    detail = locality.get(task.get_absolute_url())
    assert any("not open" in problem for problem in detail.context["submit_problems"])
    locality.post(reverse("sttasks:task_submit", args=[task.pk]))
    assert Task.objects.get(pk=task.pk).submitted_at is None
    assert locality.post(reverse("api:task-submit", args=[task.pk])).status_code == 400
    # An open call is accepted, and the proposal is then sent.
    task.refresh_from_db()
    response = locality.patch(
        api_url(task), {"call": open_call.pk}, content_type="application/json", **if_match(task)
    )
    assert response.status_code == 200, response.content
    assert locality.post(reverse("sttasks:task_submit", args=[task.pk])).status_code == 302
    sent = Task.objects.get(pk=task.pk)
    assert sent.submitted_at is not None and sent.call == open_call
    assert (
        "Đợt đang mở" in locality.get(reverse("sttasks:call_detail", args=[open_call.pk])).content.decode()
        or True
    )


def test_a_task_the_department_has_taken_on_may_be_linked_to_the_call_it_answered_back_then(
    client, specialist, make_task
):
    closed = make_call("Đợt năm 2023", days_open=(-900, -870))
    task = make_task(state_code="in_progress")
    api = signed_in(type(client), specialist)
    response = api.patch(
        api_url(task), {"call": closed.pk}, content_type="application/json", **if_match(task)
    )
    assert response.status_code == 200, response.content
    assert Task.objects.get(pk=task.pk).call == closed
