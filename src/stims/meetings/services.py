"""The life of a directive, in one place.

    assigned ──start──▶ in progress ──report──▶ reported ──accept──▶ accepted (done)
        │                    ▲                      │
        └──────report────────┼──────────────────────┘ return
                             └── returned ◀─────────┘
    extend (new deadline, with a reason) and cancel (with a reason) from any open state.

Who may do what:
  * the lead unit reports (and starts): a user whose organization — their own, or the one a role
    assignment is limited to — is the lead unit or above it. "A unit reports only on its own
    directives";
  * whoever assigned it accepts, returns, extends and cancels: the directive's `assigned_by` user, or
    a department leader (deployment-wide `leader` role), or a superuser.
An annual directive whose report is accepted starts its next year: back to in progress, deadline a
year on. Every move is a `DirectiveEvent`; a refused move raises `MoveRefused` and changes nothing.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from stims.core import permissions

from .models import Directive, DirectiveEvent, DirectiveReport, DirectiveState, Recurrence

S = DirectiveState
OPEN_STATES = (S.ASSIGNED, S.IN_PROGRESS, S.RETURNED)
ACTIVE_STATES = (*OPEN_STATES, S.REPORTED)

# action -> (states it starts from, state it leads to (None: unchanged), who may take it)
MOVES = {
    "start": ((S.ASSIGNED, S.RETURNED), S.IN_PROGRESS, "lead"),
    "report": ((S.ASSIGNED, S.IN_PROGRESS, S.RETURNED), S.REPORTED, "lead"),
    "accept": ((S.REPORTED,), S.ACCEPTED, "assigner"),
    "return": ((S.REPORTED,), S.RETURNED, "assigner"),
    "extend": (ACTIVE_STATES, None, "assigner"),
    "cancel": (ACTIVE_STATES, S.CANCELLED, "assigner"),
}
REASON_REQUIRED = {"return", "extend", "cancel"}


class MoveRefused(ValidationError):
    """A directive move that may not be made now; `messages` lists every reason."""


ACTION_LABELS = {
    # As they read after "cannot be …"; a context of their own, apart from the same words used as labels.
    "start": pgettext_lazy("directive move", "started"),
    "report": pgettext_lazy("directive move", "reported on"),
    "accept": pgettext_lazy("directive move", "accepted"),
    "return": pgettext_lazy("directive move", "returned"),
    "extend": pgettext_lazy("directive move", "extended"),
    "cancel": pgettext_lazy("directive move", "cancelled"),
}


def _organizations_of(user) -> set[int]:
    ids = {a.organization_id for a in permissions.active_assignments(user) if a.organization_id}
    if getattr(user, "organization_id", None):
        ids.add(user.organization_id)
    return ids


def is_of_lead_unit(user, directive: Directive) -> bool:
    """Whether the user belongs to the directive's lead unit (or to an organization above it)."""
    if user.is_superuser:
        return True
    own = _organizations_of(user)
    if not own:
        return False
    from stims.orgs.models import Organization
    from stims.orgs.services import organization_subtree_q

    subtree = Q()
    for organization_id in own:
        subtree |= organization_subtree_q(organization_id)
    return Organization.objects.filter(subtree, pk=directive.lead_organization_id).exists()


def is_assigner(user, directive: Directive) -> bool:
    if user.is_superuser or (directive.assigned_by_id and directive.assigned_by_id == user.pk):
        return True
    return any(
        a.role == "leader" and a.admin_unit_id is None and a.organization_id is None
        for a in permissions.active_assignments(user)
    )


def allowed(user, directive: Directive, action: str) -> bool:
    who = MOVES[action][2]
    if not permissions.has_perm(user, permissions.VIEW, directive):
        return False
    return is_of_lead_unit(user, directive) if who == "lead" else is_assigner(user, directive)


def problems(
    user, directive: Directive, action: str, *, note: str = "", new_deadline=None, text: str = ""
) -> list[str]:
    if action not in MOVES:
        return [_("Unknown action “%(action)s”.") % {"action": action}]
    sources, _target, who = MOVES[action]
    found = []
    if directive.state not in sources:
        found.append(
            _("A directive that is “%(state)s” cannot be %(action)s.")
            % {"state": directive.get_state_display(), "action": ACTION_LABELS[action]}
        )
        return found
    if not allowed(user, directive, action):
        found.append(
            _("Only the lead unit (%(unit)s) reports on this directive.")
            % {"unit": directive.lead_organization}
            if who == "lead"
            else _("Only whoever assigned this directive, or a department leader, may do that.")
        )
        return found
    if action in REASON_REQUIRED and not (note or "").strip():
        found.append(_("Give the reason."))
    if action == "report" and not (text or "").strip():
        found.append(_("Say what was done."))
    if action == "extend":
        if new_deadline is None:
            found.append(_("Give the new deadline."))
        elif directive.deadline and new_deadline <= directive.deadline:
            found.append(
                _("The new deadline must be after the current one (%(date)s).")
                % {"date": f"{directive.deadline:%d/%m/%Y}"}
            )
    return found


def move(
    directive: Directive,
    action: str,
    user,
    *,
    on: datetime.date,
    note: str = "",
    new_deadline=None,
    text: str = "",
    evidence=None,
) -> DirectiveEvent:
    """Make one move; returns its event, or raises `MoveRefused` and changes nothing.

    `report` takes the report's `text` and optional `evidence` file; `accept` and `return` act on the
    latest report awaiting review; `extend` takes `new_deadline`; `return`, `extend`, `cancel` a `note`.
    """
    with transaction.atomic():
        locked = (
            Directive.objects.select_for_update().select_related("lead_organization").get(pk=directive.pk)
        )
        found = problems(user, locked, action, note=note, new_deadline=new_deadline, text=text)
        if found:
            raise MoveRefused(found)
        before = locked.state
        event = DirectiveEvent(
            directive=locked,
            action=action,
            from_state=before,
            happened_on=on,
            note=(note or "").strip(),
            actor=user,
        )
        target = MOVES[action][1]
        fields = ["updated_at"]
        if action == "report":
            report = DirectiveReport(directive=locked, reported_on=on, text=text.strip(), reported_by=user)
            if evidence is not None:
                report.evidence = evidence
            report.full_clean()
            report.save()
            event.report = report
        elif action in ("accept", "return"):
            report = (
                locked.reports.filter(verdict=DirectiveReport.Verdict.PENDING)
                .order_by("-reported_on", "-pk")
                .first()
            )
            report.verdict = (
                DirectiveReport.Verdict.ACCEPTED if action == "accept" else DirectiveReport.Verdict.RETURNED
            )
            report.reviewed_by, report.reviewed_on, report.review_note = user, on, event.note
            report.save()
            event.report = report
            event.previous_deadline = locked.deadline
            if action == "accept":
                locked.done_on = report.reported_on
                fields.append("done_on")
        elif action == "extend":
            event.previous_deadline, event.new_deadline = locked.deadline, new_deadline
            locked.deadline = new_deadline
            fields.append("deadline")
        locked.state = target or before
        event.to_state = locked.state
        fields.append("state")
        locked._change_reason = str(ACTION_LABELS[action])
        locked.save(update_fields=fields)
        event.save()
        if action == "accept" and locked.recurrence == Recurrence.ANNUALLY and locked.deadline:
            # This year's cycle is done; the next one starts at once.
            next_deadline = _a_year_after(locked.deadline)
            DirectiveEvent.objects.create(
                directive=locked,
                action="renew",
                from_state=S.ACCEPTED,
                to_state=S.IN_PROGRESS,
                happened_on=on,
                previous_deadline=locked.deadline,
                new_deadline=next_deadline,
                actor=user,
                note=_("Annual directive: next year's cycle"),
            )
            locked.state, locked.deadline, locked.done_on = S.IN_PROGRESS, next_deadline, None
            locked.save(update_fields=["state", "deadline", "done_on", "updated_at"])
    directive.refresh_from_db()
    return event


def _a_year_after(day: datetime.date) -> datetime.date:
    return day + relativedelta(years=1)  # 29 February → 28 February


def open_directives(queryset):
    return queryset.filter(state__in=OPEN_STATES)


def overdue(queryset, today: datetime.date):
    """Directives still open (not reported, not done, not cancelled) after their deadline."""
    return queryset.filter(state__in=OPEN_STATES, deadline__lt=today)


def available_actions(user, directive: Directive) -> list[str]:
    return [
        action
        for action, (sources, _target, _who) in MOVES.items()
        if directive.state in sources and allowed(user, directive, action)
    ]
