"""Background work of the meetings domain (Django's tasks API, `django-tasks` backport).

`send_directive_reminders` is enqueued daily (cron or a systemd timer runs
`stims send_directive_reminders`; `stims db_worker` executes the queue). For every directive still open
(assigned, in progress or returned — a directive reported, accepted or cancelled is waiting on nobody's
work, so it gets no reminder) it tells the lead unit's users and whoever assigned it:
  * once when its deadline comes within `STIMS_REMINDER_DAYS` (default 14) days, the deadline day included;
  * once when the deadline has passed, i.e. from the day after it (a day the job did not run is caught
    up on the next run).
"Once" is the notification key, unique per user: `meetings:directive:<id>:<deadline>:<soon|overdue>`.
However often the job runs, nobody hears twice about the same deadline; an extended deadline is a new
deadline and is reminded again.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

SOON, OVERDUE = "soon", "overdue"


def reminder_days() -> int:
    return int(getattr(settings, "STIMS_REMINDER_DAYS", 14))


def reminder_key(directive, kind: str) -> str:
    return f"meetings:directive:{directive.pk}:{directive.deadline.isoformat()}:{kind}"


def _link(directive) -> str:
    try:
        return reverse("meetings:directive_detail", args=[directive.pk])
    except NoReverseMatch:  # the directive pages are not installed: the dashboard lists it
        return reverse("meetings:dashboard")


def due_directives(today: datetime.date):
    """Open directives whose deadline has passed or falls within the reminder window."""
    from .models import Directive
    from .services import OPEN_STATES

    return (
        Directive.objects.filter(
            state__in=OPEN_STATES,
            deadline__isnull=False,
            deadline__lte=today + datetime.timedelta(days=reminder_days()),
        )
        .select_related("lead_organization", "assigned_by")
        .order_by("deadline", "pk")
    )


def recipients_by_organization(organization_ids: set[int], today: datetime.date) -> dict[int, dict]:
    """{organization id: {user id: user}} of the active users of each organization: by their own
    organization, or by a role assignment in force that is limited to it. Two queries."""
    from stims.accounts.models import RoleAssignment, User

    found: dict[int, dict] = {pk: {} for pk in organization_ids}
    for user in User.objects.filter(is_active=True, organization_id__in=organization_ids):
        found[user.organization_id][user.pk] = user
    assignments = RoleAssignment.objects.active(today).filter(
        organization_id__in=organization_ids, user__is_active=True
    )
    for assignment in assignments.select_related("user"):
        found[assignment.organization_id].setdefault(assignment.user_id, assignment.user)
    return found


def collect_reminders(today: datetime.date) -> list[tuple]:
    """(user, key, message, link) for every reminder due on `today`, sent before or not."""
    directives = list(due_directives(today))
    if not directives:
        return []
    members = recipients_by_organization({d.lead_organization_id for d in directives}, today)
    found = []
    for directive in directives:
        kind = OVERDUE if directive.deadline < today else SOON
        values = {
            "date": f"{directive.deadline:%d/%m/%Y}",
            "unit": directive.lead_organization.name,
            "text": directive.text[:200],
        }
        message = (
            _("Overdue directive (due %(date)s, led by %(unit)s): %(text)s")
            if kind == OVERDUE
            else _("Directive due on %(date)s (led by %(unit)s): %(text)s")
        ) % values
        users = dict(members.get(directive.lead_organization_id, {}))
        if directive.assigned_by_id and directive.assigned_by.is_active:
            users.setdefault(directive.assigned_by_id, directive.assigned_by)
        key, link = reminder_key(directive, kind), _link(directive)
        found.extend((user, key, message, link) for user in users.values())
    return found


def send_reminders(today: datetime.date | None = None) -> int:
    """Create the notifications not sent before and e-mail them; returns how many were new."""
    from stims.accounts.notify import notify_each

    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):  # the deployment's language, not the caller's
        candidates = collect_reminders(today)
    return notify_each(candidates)


@task()
def send_directive_reminders(today_iso: str | None = None) -> int:
    today = datetime.date.fromisoformat(today_iso) if today_iso else None
    return send_reminders(today)
