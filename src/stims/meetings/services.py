"""The life of a directive, in one place.

    assigned ──start──▶ in progress ──report──▶ reported ──accept──▶ accepted (done)
        │                    ▲                      │
        └──────report────────┼──────────────────────┘ return
                             └── returned ◀─────────┘
    extend (new deadline, with a reason) and cancel (with a reason) from any open state.

Who may do what: the named rules of `rules.py` (`MOVE_RULES`), one per move:
  * the lead unit reports (and starts): a user whose organization — their own, or the one a role
    assignment is limited to — is the lead unit or above it. "A unit reports only on its own
    directives";
  * whoever assigned it accepts, returns, extends and cancels: the directive's `assigned_by` user, or
    a department leader (deployment-wide `leader` role), or a superuser — never a user of the lead unit
    itself, and never whoever made the report under review.
Moves are dated honestly (`date_problems`): not before the directive was assigned, not before the
previous move (or the report under review), not after today.
`assigned_by` and `deadline` change only through moves: the assigner is set when the directive is
recorded (a member of the department staff), the deadline by `extend`, with its reason
(`record_problems`, asked by the edit form and the API alike).
An annual directive whose report is accepted starts its next year: back to in progress, deadline a
year on. Every move is a `DirectiveEvent`; a refused move raises `MoveRefused` and changes nothing.
The moves have the shape of every state machine (`stims.core.transitions`): `problems` says what would
stop a move, `move` applies it with the directive row locked.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from stims.core import events, permissions, transitions
from stims.core import rules as core_rules

from . import rules
from .models import (
    OPEN_STATES,
    Directive,
    DirectiveEvent,
    DirectiveGroup,
    DirectiveReport,
    DirectiveState,
    Recurrence,
)

S = DirectiveState
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


class MoveRefused(transitions.Refused):
    """A directive move that may not be made now; `reasons` lists every reason (`core.transitions`)."""


ACTION_LABELS = {
    # As they read after "cannot be …"; a context of their own, apart from the same words used as labels.
    "start": pgettext_lazy("directive move", "started"),
    "report": pgettext_lazy("directive move", "reported on"),
    "accept": pgettext_lazy("directive move", "accepted"),
    "return": pgettext_lazy("directive move", "returned"),
    "extend": pgettext_lazy("directive move", "extended"),
    "cancel": pgettext_lazy("directive move", "cancelled"),
}


def department_staff():
    """Users who may assign directives (the queryset form of `rules.is_department_staff`)."""
    from stims.accounts.models import department_staff as staff

    return staff()


# A directive's fields that no edit changes once it is recorded, and why.
FROZEN_FIELDS = {
    "assigned_by": gettext_lazy("Who assigned a directive is recorded with it and does not change."),
    "deadline": gettext_lazy("The deadline changes only by extending it, with the reason (“extend”)."),
}


def frozen_fields(previous: Directive) -> list[str]:
    """The fields no edit of this saved directive changes: the deadline, and the assigner once set (a
    directive recorded without one, e.g. from a draft confirmed by someone off the staff, gets it once)."""
    return [name for name in FROZEN_FIELDS if name != "assigned_by" or previous.assigned_by_id]


def record_problems(directive: Directive, previous: Directive | None) -> dict[str, str]:
    """What is wrong with recording `directive` as it stands (`previous`: as saved, None when new).

    The assigner is a member of the department staff, chosen when the directive is recorded, and does
    not change afterwards; the deadline changes only by the `extend` move (with its reason, keeping the
    original on record); the day it was assigned, which every move is dated against, does not change
    once a move was made."""
    found = {}
    frozen = frozen_fields(previous) if previous is not None else []
    for name in frozen:
        if getattr(directive, name) != getattr(previous, name):
            found[name] = FROZEN_FIELDS[name]
    if (
        "assigned_by" not in frozen
        and directive.assigned_by_id
        and not rules.is_department_staff(directive.assigned_by)
    ):
        found["assigned_by"] = _("A directive is assigned by a leader or specialist of the department.")
    if previous is not None and directive.assigned_on != previous.assigned_on and previous.events.exists():
        found["assigned_on"] = _("The day it was assigned does not change once the directive has moved.")
    return found


class UnitsOutOfScope(Exception):
    """Some of the units a sentence was assigned to are outside the user's scope: nothing was saved."""

    def __init__(self):
        super().__init__(_("You may only save records that belong to your own unit or organization."))


# What every part of one sentence shares, copied from the directive the page or the API validated.
SHARED_FIELDS = (
    "request",
    "assigned_by",
    "assigned_by_person",
    "assigned_on",
    "recurrence",
    "deadline_is_illustrative",
    "task",
    "product",
    "ip_asset",
    "enterprise",
    "admin_unit",
)


def shared_fields(directive: Directive) -> dict:
    return {name: getattr(directive, name) for name in SHARED_FIELDS}


def assign_to_units(
    session,
    text: str,
    *,
    lead_organizations,
    user,
    deadline=None,
    supporting=(),
    check_scope: bool = True,
    reason: str = "",
    **fields,
) -> DirectiveGroup:
    """One conclusion sentence assigned to several units: a `DirectiveGroup` and one `Directive` per unit
    (each its own report, acceptance and lateness), all saved or none.

    Each part is checked as a directive recorded alone (`Directive.clean`, `record_problems`); a part
    whose unit is outside the user's scope for adding a directive (`permissions.restrict`, as the add
    page and the API ask) refuses the whole sentence with `UnitsOutOfScope`. Supporting units are every
    part's, less its own lead unit. `admin_unit` may be a function of the lead unit (the district a
    province-wide directive goes to). The assigner, left out, is `user` when on the department staff."""
    leads = list(dict.fromkeys(lead_organizations))
    if not leads:
        raise ValidationError({"lead_organizations": _("Choose at least one lead unit.")})
    admin_unit = fields.pop("admin_unit", None)
    if fields.get("assigned_by") is None and user is not None and rules.is_department_staff(user):
        fields["assigned_by"] = user
    with transaction.atomic():
        group = DirectiveGroup(session=session, text=text)
        group._history_user, group._change_reason = user, reason
        group.full_clean()
        group.save()
        parts = []
        for lead in leads:
            part = Directive(
                session=session,
                group=group,
                text=text,
                lead_organization=lead,
                deadline=deadline,
                admin_unit=admin_unit(lead) if callable(admin_unit) else admin_unit,
                **fields,
            )
            part.full_clean()
            found = record_problems(part, None)
            if found:
                raise ValidationError(found)
            part._history_user, part._change_reason = user, reason
            part.save()
            others = [o for o in supporting if o.pk != lead.pk]
            if others:
                part.supporting_organizations.set(others)
            parts.append(part)
        if check_scope:
            addable = permissions.restrict(
                Directive.objects.filter(pk__in=[p.pk for p in parts]), user, permissions.ADD
            ).count()
            if addable != len(parts):
                raise UnitsOutOfScope
    return group


def group_parts(user, directive: Directive) -> tuple[list[Directive], int]:
    """The other parts of the sentence `directive` was assigned from that the user may see, and how many
    others there are that they may not (counted, never named)."""
    if directive.group_id is None:
        return [], 0
    others = Directive.objects.filter(group_id=directive.group_id).exclude(pk=directive.pk)
    visible = list(
        permissions.restrict(others, user, permissions.VIEW)
        .select_related("lead_organization")
        .order_by("lead_organization__name", "pk")
    )
    return visible, others.count() - len(visible)


def allowed(user, directive: Directive, action: str) -> bool:
    """Whether the named rule of `action` (`rules.RULE_OF_MOVE`, "meetings.accept_report"…) lets the user
    make it."""
    return core_rules.has(rules.RULE_OF_MOVE[action], user, directive)


def refusal_for(user, directive: Directive, action: str) -> str | None:
    """Why the user may not make this move on this directive (None: they may)."""
    if allowed(user, directive, action):
        return None
    if MOVES[action][2] == "lead":
        return _("Only the lead unit (%(unit)s) reports on this directive.") % {
            "unit": directive.lead_organization
        }
    if rules.may_see(user, directive) and rules.is_assigners_side(user, directive):
        if rules.is_of_lead_unit(user, directive):
            return _(
                "A user of the lead unit (%(unit)s) does not accept, return, extend or cancel its own "
                "directive: whoever assigned it does."
            ) % {"unit": directive.lead_organization}
        return _("Whoever made the report does not accept or return it.")
    return _("Only whoever assigned this directive, or a department leader, may do that.")


def _last_move_on(directive: Directive, action: str):
    """The date a move must not precede: the latest event's, and for a verdict the report's."""
    days = [d for d in directive.events.order_by("-happened_on").values_list("happened_on", flat=True)[:1]]
    if action in ("accept", "return"):
        days += list(
            directive.reports.filter(verdict=DirectiveReport.Verdict.PENDING)
            .order_by("-reported_on")
            .values_list("reported_on", flat=True)[:1]
        )
    return max(days, default=None)


def date_problems(directive: Directive, action: str, on: datetime.date | None) -> list[str]:
    """A move's date is not in the future, not before the directive was assigned and not before the
    previous move (or the report a verdict is given on)."""
    if on is None:
        return [_("Give the date.")]
    today = timezone.localdate()
    if on > today:
        return [_("The date cannot be after today (%(date)s).") % {"date": f"{today:%d/%m/%Y}"}]
    if directive.assigned_on and on < directive.assigned_on:
        return [
            _("The date cannot be before the directive was assigned (%(date)s).")
            % {"date": f"{directive.assigned_on:%d/%m/%Y}"}
        ]
    last = _last_move_on(directive, action)
    if last and on < last:
        return [_("The date cannot be before the previous move (%(date)s).") % {"date": f"{last:%d/%m/%Y}"}]
    return []


def problems(
    user,
    directive: Directive,
    action: str,
    *,
    on: datetime.date | None = None,
    note: str = "",
    new_deadline=None,
    text: str = "",
) -> list[str]:
    if action not in MOVES:
        return [_("Unknown action “%(action)s”.") % {"action": action}]
    sources = MOVES[action][0]
    found = []
    if directive.state not in sources:
        found.append(
            _("A directive that is “%(state)s” cannot be %(action)s.")
            % {"state": directive.get_state_display(), "action": ACTION_LABELS[action]}
        )
        return found
    refusal = refusal_for(user, directive, action)
    if refusal:
        return [refusal]
    found += date_problems(directive, action, on)
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

    def move_problems(locked):
        return problems(user, locked, action, on=on, note=note, new_deadline=new_deadline, text=text)

    def make(locked):
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
            # An extension is a decision with its own date: the deadline is no longer an example.
            locked.deadline_is_illustrative = False
            fields += ["deadline", "deadline_is_illustrative"]
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
        events.emit("meetings.directive_moved", directive=locked, event=event, action=action, actor=user)
        return event

    event = transitions.apply_locked(
        Directive.objects.select_related("lead_organization"),
        directive.pk,
        problems=move_problems,
        apply=make,
        refused=MoveRefused,
    )
    directive.refresh_from_db()
    return event


def _a_year_after(day: datetime.date) -> datetime.date:
    return day + relativedelta(years=1)  # 29 February → 28 February


def open_directives(queryset):
    return queryset.filter(state__in=OPEN_STATES)


def overdue_q(today: datetime.date) -> Q:
    """The condition of `overdue`, to filter or exclude by (`exclude` keeps the undated directives)."""
    return Q(state__in=OPEN_STATES, deadline__lt=today)


def overdue(queryset, today: datetime.date):
    """Directives still open (not reported, not done, not cancelled) after their deadline."""
    return queryset.filter(overdue_q(today))


def available_actions(user, directive: Directive) -> list[str]:
    return [
        action
        for action, (sources, _target, _who) in MOVES.items()
        if directive.state in sources and allowed(user, directive, action)
    ]
