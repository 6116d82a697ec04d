"""A locality's proposal (đề xuất nhiệm vụ) and its way to the department ("Gửi Sở").

A commune or district officer drafts a proposal on the task form without the department's fields
(code, officer in charge, carried over, publication), then sends it to the department
(`submit_proposal`, rule `sttasks.submit_proposal`). From then on only the department's staff change
it (rule `sttasks.change_task`); they either take it on — the "identify" step, which needs the task
code the department assigns (condition `code_assigned`) — or return it to the locality with a reason
(`return_proposal`, rule `sttasks.return_proposal`), which lets the locality edit and send it again.

Events (stims.core.events), after the change is committed:
    sttasks.proposal_submitted   task, actor
    sttasks.proposal_returned    task, actor, reason
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stims.core import events

from . import rules as task_rules
from .workflow import Guard, register_guard

# From this plan year on a task is ordered by the administrative units in force since 1 July 2025.
CURRENT_UNITS_FROM_YEAR = 2026

register_guard(
    "code_assigned",
    Guard(
        gettext_lazy("The department has assigned the task's code"),
        gettext_lazy("Assign the task's code first (edit the task)."),
        lambda task: bool(task.code),
    ),
)


def orderer_problem(unit, year) -> str | None:
    """Why `unit` cannot order a task of plan `year` (None: it can): from 2026 the ordering locality
    is a unit in force since the 2025 reform, not a former district or commune."""
    from stims.geo.models import Generation

    if unit is None or year is None or year < CURRENT_UNITS_FROM_YEAR:
        return None
    if unit.generation != Generation.CURRENT:
        return _(
            "From plan year %(year)s the ordering locality is a unit in force since 1 July 2025; "
            "“%(unit)s” ceased to exist in the 2025 reform."
        ) % {"year": CURRENT_UNITS_FROM_YEAR, "unit": unit.name}
    return None


def call_problem(call, day) -> str | None:
    """Why a proposal sent on `day` cannot name `call` (None: it can, or it names none): a proposal
    answers only a call open on the day it is sent to the department."""
    if call is None or day is None:
        return None
    if not call.is_open_on(day):
        return _(
            "The call “%(call)s” takes proposals from %(start)s to %(end)s; it is not open on %(day)s."
        ) % {
            "call": call,
            "start": f"{call.open_from:%d/%m/%Y}",
            "end": f"{call.open_until:%d/%m/%Y}",
            "day": f"{day:%d/%m/%Y}",
        }
    return None


def call_checked(task) -> bool:
    """Whether the call a task names is held to `call_problem`: while the task is a proposal (new, or
    in the workflow's first state). A task the department has taken on may be linked to the call it
    answered years ago (records entered after the fact)."""
    return task.pk is None or task.state_id is None or task.state.is_initial


def sending_day(task):
    """The day the proposal was (or, not yet sent, would be) sent to the department."""
    return timezone.localdate(task.submitted_at) if task.submitted_at else timezone.localdate()


def submit_problems(task, user) -> list[str]:
    """Every reason `user` cannot send `task` to the department now (empty: they can)."""
    found = []
    if not task_rules.has(task_rules.SUBMIT_PROPOSAL, user, task):
        found.append(str(task_rules.REFUSALS[task_rules.SUBMIT_PROPOSAL]))
        return found
    problem = orderer_problem(task.ordering_unit, task.proposal_year)
    if problem:
        found.append(problem)
    if not (task.objectives or "").strip():
        found.append(_("Give the task's objectives before sending it to the department."))
    problem = call_problem(task.call, timezone.localdate())
    if problem:
        found.append(problem)
    return found


def submit_proposal(task, user):
    """Send the proposal to the department; raises ValidationError with every reason, changing nothing."""
    from .models import Task

    with transaction.atomic():
        locked = (
            Task.objects.select_for_update(of=("self",))
            .select_related("state", "ordering_unit", "call")
            .get(pk=task.pk)
        )
        found = submit_problems(locked, user)
        if found:
            raise ValidationError(found)
        locked.submitted_at, locked.submitted_by = timezone.now(), user
        locked._history_user = user
        locked._change_reason = _("Sent to the department")
        locked.save(update_fields=["submitted_at", "submitted_by", "updated_at"])
        events.emit("sttasks.proposal_submitted", task=locked, actor=user)
    task.submitted_at, task.submitted_by = locked.submitted_at, locked.submitted_by
    return locked


def return_proposal(task, user, reason: str):
    """Return a sent proposal to its locality, with the reason; it may then be edited and sent again."""
    from .models import Task

    reason = (reason or "").strip()
    with transaction.atomic():
        locked = Task.objects.select_for_update(of=("self",)).select_related("state").get(pk=task.pk)
        found = []
        if not task_rules.has(task_rules.RETURN_PROPOSAL, user, locked):
            found.append(str(task_rules.REFUSALS[task_rules.RETURN_PROPOSAL]))
        elif not reason:
            found.append(_("Give the reason the proposal is returned."))
        if found:
            raise ValidationError(found)
        locked.submitted_at, locked.submitted_by = None, None
        locked._history_user = user
        locked._change_reason = _("Returned to the locality: %(reason)s") % {"reason": reason[:200]}
        locked.save(update_fields=["submitted_at", "submitted_by", "updated_at"])
        events.emit("sttasks.proposal_returned", task=locked, actor=user, reason=reason)
    task.submitted_at, task.submitted_by = None, None
    return locked
