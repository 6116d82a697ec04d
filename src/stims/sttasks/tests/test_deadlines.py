import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from stims.accounts.models import Notification
from stims.sttasks import deadlines
from stims.sttasks.models import Task
from stims.sttasks.tasks import send_deadline_reminders, send_reminders
from stims.testing import make_user

TODAY = datetime.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_deadlines_of_running_tasks_are_found_by_kind(make_task, specialist):
    ended = make_task(
        state_code="in_progress",
        officer=specialist,
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2026, 11, 26),
    )
    reporting = make_task(
        state_code="in_progress", start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2027, 12, 31)
    )
    reporting.progress_reports.create(period="Kỳ 1", due_on=datetime.date(2026, 7, 1))
    reporting.progress_reports.create(
        period="Kỳ 2", due_on=datetime.date(2026, 6, 1), submitted_on=datetime.date(2026, 6, 2)
    )
    accepting = make_task(
        state_code="acceptance", end_date=datetime.date(2026, 8, 1)
    )  # 90 days passed on 30/10
    make_task(state_code="acceptance", end_date=datetime.date(2026, 10, 1))  # still within 90 days
    make_task(state_code="suspended", end_date=datetime.date(2026, 1, 1))  # suspended: the clock stops
    found = deadlines.overdue(Task.objects.all(), TODAY)
    assert [(d.task, d.kind, d.due_on) for d in found] == [
        (reporting, deadlines.REPORT, datetime.date(2026, 7, 1)),
        (accepting, deadlines.ACCEPTANCE, datetime.date(2026, 10, 30)),
        (ended, deadlines.END, datetime.date(2026, 11, 26)),
    ]
    assert found[-1].days_late == 1
    assert deadlines.overdue_counts(Task.objects.all(), TODAY) == {
        deadlines.END: 1,
        deadlines.ACCEPTANCE: 1,
        deadlines.REPORT: 1,
    }
    assert set(Task.objects.filter(deadlines.overdue_q(TODAY))) == {ended, reporting, accepting}


def test_an_overdue_task_is_reminded_on_the_day_after_its_deadline_and_only_once(make_task, specialist):
    task = make_task(
        state_code="in_progress",
        officer=specialist,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2026, 11, 26),
    )
    # Coming up: one reminder while within the window…
    assert send_reminders(datetime.date(2026, 11, 12)) == 1
    assert send_reminders(datetime.date(2026, 11, 20)) == 0
    # …none on the deadline itself (not yet late)…
    assert send_reminders(datetime.date(2026, 11, 26)) == 0
    # …one on the day after, never again.
    assert send_reminders(TODAY) == 1
    assert send_reminders(TODAY) == 0
    assert send_reminders(datetime.date(2026, 12, 5)) == 0
    notes = list(Notification.objects.filter(user=specialist).order_by("pk"))
    # Written in the deployment's language, whatever the language of whoever triggered the job.
    assert [n.message for n in notes] == [
        f"Sắp đến hạn: Ngày kết thúc (đề nghị nghiệm thu) của {task.code} đến hạn ngày 26/11/2026.",
        f"Quá hạn: Ngày kết thúc (đề nghị nghiệm thu) của {task.code} đến hạn ngày 26/11/2026.",
    ]
    assert all(n.emailed and n.link == task.get_absolute_url() for n in notes)
    assert [m.to for m in mail.outbox] == [["chuyenvien@skhcn.example"]] * 2


def test_a_task_nobody_follows_is_reminded_to_the_leaders(make_task, leader):
    make_task(
        state_code="in_progress", start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2026, 11, 1)
    )
    make_user("specialist")
    assert send_reminders(TODAY) == 1
    assert Notification.objects.get().user == leader


def test_the_reminder_job_runs_through_the_tasks_queue(make_task, specialist):
    make_task(
        state_code="in_progress",
        officer=specialist,
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2026, 11, 1),
    )
    result = send_deadline_reminders.enqueue(TODAY.isoformat())
    assert result.return_value == 1
    call_command("send_reminders", "--date", TODAY.isoformat())
    assert Notification.objects.count() == 1


def test_my_actions_lists_the_deadlines_of_the_tasks_i_follow_and_my_notifications(
    client, make_task, specialist
):
    today = datetime.date.today()
    mine = make_task(
        state_code="in_progress",
        officer=specialist,
        start_date=today.replace(year=today.year - 1),
        end_date=today - datetime.timedelta(days=2),
    )
    make_task(
        state_code="in_progress",
        start_date=today.replace(year=today.year - 1),
        end_date=today - datetime.timedelta(days=2),
    )
    send_reminders(today)
    client.force_login(specialist)
    response = client.get(reverse("sttasks:my_actions"))
    assert [d.task for d in response.context["overdue"]] == [mine]
    assert len(response.context["notifications"]) == 1
    client.post(reverse("accounts:notifications_read"))
    assert not Notification.objects.filter(user=specialist, read_at__isnull=True).exists()


def test_notifications_are_private_to_their_user(client, specialist, leader):
    Notification.objects.create(user=leader, key="k", message="Chỉ dành cho lãnh đạo")
    client.force_login(specialist)
    assert "Chỉ dành cho lãnh đạo" not in client.get(reverse("accounts:notifications")).content.decode()
    client.post(reverse("accounts:notifications_read"))
    assert Notification.objects.get().read_at is None


def test_the_overdue_page_lists_and_exports_what_is_late(client, make_task, specialist):
    today = datetime.date.today()
    make_task(
        state_code="in_progress",
        start_date=today.replace(year=today.year - 1),
        end_date=today - datetime.timedelta(days=5),
    )
    client.force_login(specialist)
    response = client.get(reverse("sttasks:overdue"))
    assert response.status_code == 200 and len(response.context["table"].rows) == 1
    export = client.get(reverse("sttasks:overdue"), {"_export": "csv"})
    assert export.status_code == 200 and "5" in export.content.decode()


@pytest.mark.slow  # every demo task's page (10 s): a proof for CI's slow tier
@pytest.mark.django_db
def test_one_tasks_deadlines_worked_out_on_its_page_are_the_queried_ones_for_every_demo_task(demo_data):
    """The task page works out the task's overdue and coming deadlines from the task and its reports
    (`task_deadlines`, no query); for every task of the demo data, on days before, inside and after
    its running time, they are what `deadlines` queries: the same kinds, dates and reports, in order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def seen(found):
        return [(d.kind, d.due_on, d.task.pk, getattr(d.report, "pk", None)) for d in found]

    tasks = list(Task.objects.select_related("state").prefetch_related("progress_reports"))
    compared = 0
    for task in tasks:
        reports = list(task.progress_reports.all())
        one = Task.objects.filter(pk=task.pk)
        days = {datetime.date(2026, 12, 6)}  # the task's own edges: a day before, on it, and after
        for day in (task.start_date, task.end_date, *(r.due_on for r in reports)):
            if day is not None:
                days |= {day - datetime.timedelta(days=1), day, day + datetime.timedelta(days=100)}
        for today in sorted(days):
            with CaptureQueriesContext(connection) as queries:
                overdue = deadlines.task_deadlines(task, reports, today, end=today)
                upcoming = deadlines.task_deadlines(
                    task, reports, today, start=today, end=today + datetime.timedelta(days=60)
                )
            assert len(queries) == 0
            assert seen(overdue) == seen(deadlines.overdue(one, today)), (task.code, today)
            assert seen(upcoming) == seen(deadlines.upcoming(one, today, days=60)), (task.code, today)
            compared += bool(overdue or upcoming)
    assert compared > 50
