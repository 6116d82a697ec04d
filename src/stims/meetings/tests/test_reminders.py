import datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import translation

from stims.accounts.models import Notification, RoleAssignment
from stims.meetings.models import Directive, Recurrence
from stims.meetings.services import move
from stims.meetings.tasks import send_directive_reminders, send_reminders
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user, unit

D = datetime.date
DEADLINE = D(2026, 11, 26)
DAY_AFTER = D(2026, 11, 27)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def ba_che(db):
    return unit("Huyện Ba Chẽ", legacy=True)


@pytest.fixture
def lead(db, ba_che):
    return Organization.objects.create(
        name="Phòng Kinh tế huyện Ba Chẽ", kind=OrganizationKind.OTHER, admin_unit=ba_che
    )


@pytest.fixture
def other_unit(db, ba_che):
    return Organization.objects.create(
        name="Phòng Quản lý Khoa học", kind=OrganizationKind.OTHER, admin_unit=ba_che.province
    )


@pytest.fixture
def member(db, lead):
    """Belongs to the lead unit by their own organization."""
    return staff_of(lead, username="phongkinhte", email="phongkinhte@bache.example")


@pytest.fixture
def officer(db, ba_che, lead):
    """Belongs to the lead unit by a role limited to it; no e-mail address."""
    return make_user("local_officer", admin_unit=ba_che, organization=lead, username="canbo")


@pytest.fixture
def assigner(db):
    return make_user("leader", username="giamdoc", email="giamdoc@skhcn.example")


@pytest.fixture
def boss(db):
    return make_user(None, username="boss", is_superuser=True)


@pytest.fixture
def reviewer(db):
    """Whoever reports does not accept or return their own report: another superuser does."""
    return make_user(None, username="reviewer", is_superuser=True)


def staff_of(own, role=None, **fields):
    """A user whose own organization is `own` (make_user's `organization` limits their role)."""
    user = make_user(role, **fields)
    user.organization = own
    user.save(update_fields=["organization"])
    return user


def directive(lead, deadline=DEADLINE, *, assigned_by=None, **fields):
    return Directive.objects.create(
        text="Hỗ trợ huyện phục tráng giống lúa Bao Thai",
        lead_organization=lead,
        assigned_on=D(2026, 9, 1),
        deadline=deadline,
        assigned_by=assigned_by,
        **fields,
    )


def keys_of(user):
    return sorted(Notification.objects.filter(user=user).values_list("key", flat=True))


def test_an_overdue_directive_is_reminded_on_the_day_after_its_deadline_and_only_once(
    lead, member, officer, assigner
):
    item = directive(lead, assigned_by=assigner)
    soon_key = f"meetings:directive:{item.pk}:2026-11-26:soon"
    overdue_key = f"meetings:directive:{item.pk}:2026-11-26:overdue"
    # Outside the 14-day window: nothing.
    assert send_reminders(D(2026, 11, 11)) == 0
    # Coming up: one reminder to each of the three, the first day within the window…
    assert send_reminders(D(2026, 11, 12)) == 3
    assert send_reminders(D(2026, 11, 20)) == 0
    # …nothing new on the deadline day itself: not yet overdue…
    assert send_reminders(DEADLINE) == 0
    assert not Notification.objects.filter(key=overdue_key).exists()
    # …overdue the day after, to each of them once…
    assert send_reminders(DAY_AFTER) == 3
    # …and never again: the same day, the next days.
    assert send_reminders(DAY_AFTER) == 0
    for day in (D(2026, 11, 28), D(2026, 12, 5), D(2027, 3, 1)):
        assert send_reminders(day) == 0
    for user in (member, officer, assigner):
        assert keys_of(user) == [overdue_key, soon_key]
    overdue = Notification.objects.get(user=member, key=overdue_key)
    assert "26/11/2026" in overdue.message and lead.name in overdue.message
    assert overdue.link  # the directive's page, or the dashboard while that page is not installed
    # E-mailed to those with an address, once per reminder.
    assert sorted(tuple(m.to) for m in mail.outbox) == sorted(
        [("phongkinhte@bache.example",), ("giamdoc@skhcn.example",)] * 2
    )
    assert Notification.objects.filter(user=member, emailed=True).count() == 2
    assert Notification.objects.filter(user=officer, emailed=False).count() == 2


def test_a_job_that_did_not_run_on_the_day_after_catches_up_once(lead, member):
    directive(lead)
    assert send_reminders(D(2026, 12, 3)) == 1
    assert send_reminders(D(2026, 12, 4)) == 0
    assert [k.rsplit(":", 1)[1] for k in keys_of(member)] == ["overdue"]


def test_reported_accepted_and_cancelled_directives_get_no_reminder(lead, member, boss, reviewer):
    reported = directive(lead)
    move(reported, "report", boss, on=D(2026, 11, 20), text="Đã gửi báo cáo")
    accepted = directive(lead)
    move(accepted, "report", boss, on=D(2026, 11, 20), text="Đã hoàn thành")
    move(accepted, "accept", reviewer, on=D(2026, 11, 21))
    cancelled = directive(lead)
    move(cancelled, "cancel", boss, on=D(2026, 11, 1), note="Không còn phù hợp")
    directive(lead, None, recurrence=Recurrence.REGULARLY)  # no deadline, nothing to remind
    for day in (D(2026, 11, 20), DAY_AFTER):
        assert send_reminders(day) == 0
    assert not Notification.objects.exists()


def test_a_returned_directive_is_open_again_and_reminded(lead, member, boss, reviewer):
    item = directive(lead)
    move(item, "report", boss, on=D(2026, 11, 20), text="Báo cáo sơ bộ")
    move(item, "return", reviewer, on=D(2026, 11, 25), note="Thiếu minh chứng")
    assert send_reminders(DAY_AFTER) == 1
    assert keys_of(member) == [f"meetings:directive:{item.pk}:2026-11-26:overdue"]


def test_an_extended_deadline_is_reminded_again(lead, member, boss):
    item = directive(lead)
    assert send_reminders(D(2026, 11, 20)) == 1
    move(
        item, "extend", boss, on=D(2026, 11, 25), note="Chờ kết quả kiểm nghiệm", new_deadline=D(2026, 12, 15)
    )
    # The old deadline passed, but it is no longer the directive's deadline; the new one is not near yet.
    assert send_reminders(DAY_AFTER) == 0
    assert send_reminders(D(2026, 12, 1)) == 1
    assert send_reminders(D(2026, 12, 15)) == 0
    assert send_reminders(D(2026, 12, 16)) == 1
    assert keys_of(member) == [
        f"meetings:directive:{item.pk}:2026-11-26:soon",
        f"meetings:directive:{item.pk}:2026-12-15:overdue",
        f"meetings:directive:{item.pk}:2026-12-15:soon",
    ]


def test_only_the_lead_unit_and_the_assigner_are_reminded(lead, other_unit, member, ba_che):
    outsider = staff_of(other_unit, email="khac@skhcn.example")
    former = make_user("specialist", organization=lead)  # a role limited to the lead unit, ended
    RoleAssignment.objects.filter(user=former).update(valid_to=D(2026, 1, 1))
    inactive = staff_of(lead, is_active=False)
    departed_assigner = make_user("leader", is_active=False)
    directive(lead, assigned_by=departed_assigner)
    leader = make_user("leader")  # a department leader who did not assign it
    assert send_reminders(DAY_AFTER) == 1
    assert keys_of(member) != []
    for user in (outsider, former, inactive, departed_assigner, leader):
        assert keys_of(user) == []


def test_someone_both_of_the_lead_unit_and_the_assigner_hears_once(lead, ba_che):
    both = staff_of(lead, "specialist", organization=lead, email="ca-hai@bache.example")
    directive(lead, assigned_by=both)
    assert send_reminders(DAY_AFTER) == 1
    assert len(mail.outbox) == 1


def test_the_window_follows_the_setting(settings, lead, member):
    settings.STIMS_REMINDER_DAYS = 3
    directive(lead)
    assert send_reminders(D(2026, 11, 22)) == 0
    assert send_reminders(D(2026, 11, 23)) == 1


def test_the_reminder_job_runs_through_the_tasks_queue(lead, member):
    directive(lead)
    result = send_directive_reminders.enqueue(DAY_AFTER.isoformat())
    assert result.return_value == 1
    call_command("send_directive_reminders", "--date", DAY_AFTER.isoformat())
    assert Notification.objects.count() == 1


def test_the_command_refuses_a_malformed_date(lead, member):
    directive(lead)
    with pytest.raises(CommandError):
        call_command("send_directive_reminders", "--date", "27/11/2026")
    assert not Notification.objects.exists()


def test_reminders_take_a_fixed_number_of_queries(
    lead, other_unit, member, assigner, django_assert_num_queries
):
    for n in range(10):
        directive(
            lead if n % 2 else other_unit, DEADLINE + datetime.timedelta(days=n % 3), assigned_by=assigner
        )
    staff_of(other_unit)
    # Directives, users by organization, role assignments, notifications sent before, the recipients'
    # notification settings, the insert (inside a savepoint and its release); then the e-mail job
    # (stims.accounts.mail): the due notifications claimed under a lock (a savepoint, the select, the
    # lease, its release), read with their users, one update per e-mail sent, and the retry lookup.
    emails = 10 + 5  # the assigner's ten, the member's five (the other unit's user has no address)
    with django_assert_num_queries(14 + emails):
        assert send_reminders(DEADLINE - datetime.timedelta(days=2)) == 20
