"""The life of an inspection, in one place.

    planned ──start──▶ in progress ──conclude──▶ concluded ──follow_up──▶ follow-up ──close──▶ closed
                                                      └──────────────close─────────────────────▶
    cancel (with a reason) from planned or in progress.

Who may make a move: the named rules of `rules.py` (`move_inspection` for start, conclude and
follow-up; `close_inspection` for close and cancel). What else must hold (`problems`):
  * the move starts from one of its states;
  * the date is given, not after today, not before the previous move; starting not before the
    decision was signed;
  * concluding needs the day it was inspected and the findings; its result is "violations found" when
    violations are recorded, else "compliant";
  * opening the follow-up needs remedies demanded (a sanction) or a follow-up planned;
  * closing an inspection with violations needs every sanction's fine paid (or none due) and every
    follow-up done;
  * cancelling needs the reason.
Every move is an `InspectionEvent`; a refused move raises `MoveRefused` and changes nothing. The moves
have the shape of every state machine (`stims.core.transitions`): `problems` says what would stop a move,
`move` applies it with the inspection row locked.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from stims.core import events, transitions
from stims.core import rules as core_rules

from . import rules
from .models import Inspection, InspectionEvent, InspectionResult, InspectionState

S = InspectionState

# action -> (states it starts from, state it leads to, rule that says who may take it)
MOVES = {
    "start": ((S.PLANNED,), S.IN_PROGRESS, rules.MOVE_INSPECTION),
    "conclude": ((S.IN_PROGRESS,), S.CONCLUDED, rules.MOVE_INSPECTION),
    "follow_up": ((S.CONCLUDED,), S.FOLLOW_UP, rules.MOVE_INSPECTION),
    "close": ((S.CONCLUDED, S.FOLLOW_UP), S.CLOSED, rules.CLOSE_INSPECTION),
    "cancel": ((S.PLANNED, S.IN_PROGRESS), S.CANCELLED, rules.CLOSE_INSPECTION),
}
ACTION_LABELS = {
    "start": pgettext_lazy("inspection move", "Start"),
    "conclude": pgettext_lazy("inspection move", "Conclude"),
    "follow_up": pgettext_lazy("inspection move", "Open the follow-up"),
    "close": pgettext_lazy("inspection move", "Close"),
    "cancel": pgettext_lazy("inspection move", "Cancel"),
}
OPEN_STATES = (S.PLANNED, S.IN_PROGRESS, S.CONCLUDED, S.FOLLOW_UP)


class MoveRefused(transitions.Refused):
    """An inspection move that may not be made now; `reasons` lists every reason."""


def allowed(user, inspection: Inspection, action: str) -> bool:
    return action in MOVES and core_rules.has(MOVES[action][2], user, inspection)


def date_problems(inspection: Inspection, action: str, on: datetime.date | None) -> list[str]:
    if on is None:
        return [_("Give the date.")]
    today = timezone.localdate()
    if on > today:
        return [_("The date cannot be after today (%(date)s).") % {"date": f"{today:%d/%m/%Y}"}]
    signed = inspection.decision.signed_on
    if on < signed:
        return [
            _("The date cannot be before the decision was signed (%(date)s).")
            % {"date": f"{signed:%d/%m/%Y}"}
        ]
    last = inspection.events.order_by("-happened_on").values_list("happened_on", flat=True).first()
    if last and on < last:
        return [_("The date cannot be before the previous move (%(date)s).") % {"date": f"{last:%d/%m/%Y}"}]
    return []


def problems(user, inspection: Inspection, action: str, *, on=None, note: str = "") -> list[str]:
    """Every reason the move cannot be made now (empty: it can)."""
    if action not in MOVES:
        return [_("Unknown action “%(action)s”.") % {"action": action}]
    sources, _target, rule = MOVES[action]
    if inspection.state not in sources:
        return [
            _("An inspection that is “%(state)s” cannot take the step “%(action)s”.")
            % {"state": inspection.get_state_display(), "action": ACTION_LABELS[action]}
        ]
    if not core_rules.has(rule, user, inspection):
        return [core_rules.refusal(rule)]
    found = date_problems(inspection, action, on)
    if action == "conclude":
        if not inspection.inspected_on:
            found.append(_("Record the day the establishment was inspected first."))
        elif on and on < inspection.inspected_on:
            found.append(_("An inspection is concluded on or after the day it took place."))
        if not (inspection.findings or "").strip():
            found.append(_("Record the findings first."))
    if action == "follow_up":
        demanded = inspection.sanctions.exclude(remedies="").exists() or inspection.follow_ups.exists()
        if not demanded:
            found.append(_("Record the remedies demanded (a sanction) or plan a follow-up first."))
    if action == "close":
        if inspection.sanctions.filter(fine_vnd__gt=0, paid_on__isnull=True).exists():
            found.append(_("A fine is not paid yet."))
        if inspection.follow_ups.filter(done_on__isnull=True).exists():
            found.append(_("A follow-up is not done yet."))
    if action == "cancel" and not (note or "").strip():
        found.append(_("Give the reason."))
    return found


def move(inspection: Inspection, action: str, user, *, on: datetime.date, note: str = "") -> InspectionEvent:
    """Make one move; returns its event, or raises `MoveRefused` and changes nothing."""

    def make(locked: Inspection) -> InspectionEvent:
        before = locked.state
        locked.state = MOVES[action][1]
        fields = ["state", "updated_at"]
        if action == "conclude":
            locked.result = (
                InspectionResult.VIOLATIONS if locked.violations.exists() else InspectionResult.COMPLIANT
            )
            fields.append("result")
        locked._history_user = user
        locked.save(update_fields=fields)
        event = InspectionEvent.objects.create(
            inspection=locked,
            action=action,
            from_state=before,
            to_state=locked.state,
            happened_on=on,
            note=(note or "").strip(),
            actor=user,
        )
        events.emit("inspections.inspection_moved", inspection=locked, event=event)
        return event

    event = transitions.apply_locked(
        Inspection.objects.select_related("decision"),
        inspection.pk,
        problems=lambda locked: problems(user, locked, action, on=on, note=note),
        apply=make,
        refused=MoveRefused,
        of=("self",),
    )
    inspection.refresh_from_db()
    return event


def offered_moves(user, inspection: Inspection) -> list[str]:
    """The moves whose state and rule allow them now (their other conditions are asked on submit)."""
    return [
        action
        for action, (sources, _target, _rule) in MOVES.items()
        if inspection.state in sources and allowed(user, inspection, action)
    ]


FROZEN_STATES = (S.CLOSED, S.CANCELLED)


def record_problems(inspection: Inspection) -> list[str]:
    """A closed or cancelled inspection is not edited any more (nor its violations, sanctions,
    follow-ups)."""
    if inspection.pk and Inspection.objects.filter(pk=inspection.pk, state__in=FROZEN_STATES).exists():
        return [_("A closed or cancelled inspection is not changed any more.")]
    return []


# --- Reminders ------------------------------------------------------------------------------------------


def instruments_due(within_days: int, today: datetime.date | None = None):
    from .models import MeasuringInstrument

    today = today or timezone.localdate()
    return MeasuringInstrument.objects.filter(
        verification_due__lte=today + datetime.timedelta(days=within_days)
    ).select_related("establishment")


def licences_expiring(within_days: int, today: datetime.date | None = None):
    """Licences expiring within `within_days` (or already expired) with no later licence of the same
    establishment that replaces them."""
    from django.db.models import Exists, OuterRef

    from .models import RadiationLicence

    today = today or timezone.localdate()
    later = RadiationLicence.objects.filter(
        establishment=OuterRef("establishment"), expires_on__gt=OuterRef("expires_on"), issued_on__lte=today
    )
    return (
        RadiationLicence.objects.filter(expires_on__lte=today + datetime.timedelta(days=within_days))
        .exclude(Exists(later))
        .select_related("establishment")
    )
