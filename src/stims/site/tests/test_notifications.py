"""Who hears about each event (stims.site.notifications), over the demo data, and the user's settings:
in the app and/or by e-mail, the bell's count, the list and marking read."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from stims.accounts.models import Notification, NotificationSetting, User
from stims.accounts.notify import event_key
from stims.core import events
from stims.site import notifications as site_notifications

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 12, 1)


def user(username):
    return User.objects.get(username=username)


def told(since_pk=0, **filters) -> dict[str, list[str]]:
    """username → messages of the notifications made after `since_pk`."""
    found: dict[str, list[str]] = {}
    for username, message in (
        Notification.objects.filter(pk__gt=since_pk, **filters)
        .order_by("pk")
        .values_list("user__username", "message")
    ):
        found.setdefault(username, []).append(message)
    return found


def last_pk() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.fixture
def emails(demo_data):
    for username in ("lanhdao", "chuyenvien", "canbo.bache", "canbo.binhlieu", "canbo.xabache", "hoidong"):
        User.objects.filter(username=username).update(email=f"{username}@example.org")
    mail.outbox.clear()


def new_proposal(title="Đề xuất thử nghiệm của Bình Liêu"):
    from stims.geo.models import AdminUnit
    from stims.sttasks.models import Task, TaskType

    return Task.objects.create(
        title=title,
        task_type=TaskType.objects.get(code="de-tai"),
        level="grassroots",
        proposal_year=2027,
        ordering_unit=AdminUnit.objects.get(name="Xã Bình Liêu", generation="2025"),
        objectives="Mục tiêu",
    )


def test_a_proposal_sent_tells_the_department_staff_by_app_and_email_as_each_one_chose(
    emails, django_capture_on_commit_callbacks
):
    from stims.sttasks import proposals

    NotificationSetting.objects.create(
        user=user("chuyenvien"), kind=site_notifications.PROPOSALS, in_app=True, by_email=False
    )
    NotificationSetting.objects.create(
        user=user("lanhdao"), kind=site_notifications.PROPOSALS, in_app=False, by_email=True
    )
    task, since = new_proposal(), last_pk()
    with django_capture_on_commit_callbacks(execute=True):
        proposals.submit_proposal(task, user("canbo.binhlieu"))
    recipients = told(since)
    assert set(recipients) == {"lanhdao", "chuyenvien"}  # the department's staff, not the locality
    assert "Xã Bình Liêu" in recipients["chuyenvien"][0]
    # chuyenvien: in the app, no e-mail; lanhdao: an e-mail, nothing in the bell.
    assert [message.to for message in mail.outbox] == [["lanhdao@example.org"]]
    assert Notification.objects.get(pk__gt=since, user__username="lanhdao").shown is False
    from django.test import Client

    bell = Client()
    bell.force_login(user("lanhdao"))
    assert "notification-unread" not in bell.get(reverse("accounts:notification_badge")).content.decode()
    bell.force_login(user("chuyenvien"))
    assert (
        'data-testid="notification-unread">1<'
        in bell.get(reverse("accounts:notification_badge")).content.decode()
    )


def test_returning_a_proposal_tells_the_locality_and_lets_it_edit_again(
    emails, django_capture_on_commit_callbacks
):
    from stims.sttasks import proposals
    from stims.sttasks import rules as task_rules

    task = new_proposal()
    officer = user("canbo.binhlieu")
    proposals.submit_proposal(task, officer)
    assert not task_rules.has(task_rules.CHANGE_TASK, officer, task)
    since = last_pk()
    with django_capture_on_commit_callbacks(execute=True):
        proposals.return_proposal(task, user("chuyenvien"), "Bổ sung dự toán")
    assert set(told(since)) == {"canbo.binhlieu"}
    assert "Bổ sung dự toán" in told(since)["canbo.binhlieu"][0]
    task.refresh_from_db()
    assert task.submitted_at is None and task_rules.has(task_rules.CHANGE_TASK, officer, task)
    # Both moves are on the task's history, with who made them and why.
    returned, sent = task.history.all()[:2]
    assert (sent.history_user, returned.history_user) == (officer, user("chuyenvien"))
    assert "Bổ sung dự toán" in returned.history_change_reason


def test_a_step_tells_the_officer_in_charge_and_the_proposing_locality_not_the_actor(
    emails, django_capture_on_commit_callbacks
):
    from stims.sttasks import workflow
    from stims.sttasks.models import WorkflowTransition

    task = new_proposal()
    task.officer = user("chuyenvien")
    task.save()
    since = last_pk()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(
            task,
            WorkflowTransition.objects.get(code="not_select"),
            user("lanhdao"),
            happened_on=DAY,
            reason="Trùng nội dung",
        )
    assert set(told(since)) == {"chuyenvien", "canbo.binhlieu"}


def test_a_directive_assigned_reported_and_accepted_tells_the_lead_unit_then_the_assigner_then_the_lead_unit(
    emails, django_capture_on_commit_callbacks
):
    from stims.meetings import services
    from stims.meetings.models import Directive
    from stims.orgs.models import Organization

    lead = Organization.objects.get(name="UBND huyện Ba Chẽ")
    since = last_pk()
    with django_capture_on_commit_callbacks(execute=True):
        directive = Directive.objects.create(
            text="Rà soát nhu cầu ứng dụng tiến bộ KH&CN năm 2027",
            lead_organization=lead,
            assigned_by=user("chuyenvien"),
            assigned_on=DAY,
            deadline=DAY + datetime.timedelta(days=30),
        )
    assigned = told(since)
    assert "canbo.bache" in assigned and not {"canbo.binhlieu", "lanhdao", "chuyenvien"} & set(assigned)

    since = last_pk()
    with django_capture_on_commit_callbacks(execute=True):
        services.move(directive, "report", user("canbo.bache"), on=DAY, text="Đã rà soát")
    assert set(told(since)) == {"chuyenvien"}

    since = last_pk()
    with django_capture_on_commit_callbacks(execute=True):
        services.move(directive, "accept", user("chuyenvien"), on=DAY)
    accepted = told(since)
    assert "canbo.bache" in accepted and "chuyenvien" not in accepted


def test_a_council_member_and_a_new_dossier_tell_who_owes_a_score_sheet(
    emails, django_capture_on_commit_callbacks
):
    from stims.councils.models import Council, CouncilDossier, CouncilMember
    from stims.orgs.models import Person
    from stims.sttasks.models import Task

    council = Council.objects.filter(concluded_on__isnull=True, members__user__username="hoidong").first()
    assert council is not None
    specialist = user("chuyenvien")
    specialist.person = Person.objects.exclude(council_memberships__council=council).first()
    specialist.save()
    since = last_pk()
    with django_capture_on_commit_callbacks(execute=True):
        CouncilMember.objects.create(council=council, person=specialist.person, user=specialist)
    assert set(told(since)) == {"chuyenvien"}

    since = last_pk()
    task = Task.objects.exclude(council_dossiers__council=council).filter(code__isnull=False).first()
    with django_capture_on_commit_callbacks(execute=True):
        CouncilDossier.objects.create(council=council, task=task)
    assert set(told(since)) == {"chuyenvien", "hoidong"}


def test_a_handover_tells_the_receiving_locality_and_an_import_tells_its_user(
    emails, django_capture_on_commit_callbacks
):
    from stims.geo.models import AdminUnit
    from stims.results.models import Handover, TaskResult

    since = last_pk()
    with django_capture_on_commit_callbacks(execute=True):
        Handover.objects.create(
            result=TaskResult.objects.first(),
            receiving_unit=AdminUnit.objects.get(name="Huyện Bình Liêu", generation="legacy"),
            handed_over_on=DAY,
        )
    assert set(told(since)) == {"canbo.binhlieu"}

    since = last_pk()
    with django_capture_on_commit_callbacks(execute=True):
        events.emit(
            "core.import_finished", user=user("chuyenvien"), summary="Nhập 12 nhiệm vụ", link="/tasks/"
        )
    assert told(since) == {"chuyenvien": ["Nhập 12 nhiệm vụ"]}


def test_settings_page_turns_a_kind_off_and_e_mail_off_means_no_e_mail(emails, client):
    me = user("canbo.binhlieu")
    client.force_login(me)
    page = client.get(reverse("accounts:notification_settings"))
    assert page.status_code == 200
    data = {name: "on" for name in page.context["form"].fields}
    data.pop(f"{site_notifications.HANDOVERS}__by_email")
    assert client.post(reverse("accounts:notification_settings"), data).status_code == 302
    setting = NotificationSetting.objects.get(user=me)
    assert (setting.kind, setting.in_app, setting.by_email) == (site_notifications.HANDOVERS, True, False)

    from stims.accounts.notify import notify

    mail.outbox.clear()
    assert notify([me], "Bàn giao", "/results/", dedupe_key=event_key(site_notifications.HANDOVERS, "x")) == 1
    assert mail.outbox == []
    assert notify([me], "Nhắc hạn", "/tasks/", dedupe_key="sttasks:end:1:2026-12-01") == 1
    assert [message.to for message in mail.outbox] == [["canbo.binhlieu@example.org"]]


def test_the_notification_list_marks_read_one_or_all_and_shows_only_ones_own(emails, client):
    from stims.accounts.notify import notify

    me, other = user("canbo.xabache"), user("canbo.binhlieu")
    for n in range(3):
        notify([me], f"Tin {n}", "/tasks/", dedupe_key=f"test:{n}")
    notify([other], "Tin của người khác", "/tasks/", dedupe_key="test:other")
    client.force_login(me)
    page = client.get(reverse("accounts:notifications"))
    assert [note.message for note in page.context["object_list"]][:3] == ["Tin 2", "Tin 1", "Tin 0"]
    assert page.context["unread_count"] == 3
    first = Notification.objects.get(user=me, key="test:0")
    assert client.get(reverse("accounts:notification_open", args=[first.pk]))["Location"] == "/tasks/"
    second = Notification.objects.get(user=me, key="test:1")
    client.post(reverse("accounts:notification_read", args=[second.pk]))
    assert client.get(reverse("accounts:notifications"), {"unread": 1}).context["unread_count"] == 1
    theirs = Notification.objects.get(user=other)
    assert client.post(reverse("accounts:notification_read", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("accounts:notification_open", args=[theirs.pk])).status_code == 404
    client.post(reverse("accounts:notifications_read"))
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
