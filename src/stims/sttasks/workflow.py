"""The S&T task workflow in one place: the default states and steps, the conditions a step may
require, and the engine that moves a task.

States and steps are rows (`WorkflowState`, `WorkflowTransition`) so that a province can rename
them, retire a step or require another document in the admin without a release. `DEFAULT_STATES` and
`DEFAULT_TRANSITIONS` are what a new deployment starts with (loaded by migration 0002); they follow
the pre-2025 circulars (TT 07/2014, 08/2017, 04/2015, 11/2014, 14/2014) that provincial regulations
still cite.

Every move goes through `perform()`, in the shape of every state machine (`stims.core.transitions`):
`problems()` says what would stop a step, and `perform()` checks, inside one transaction with the task
row locked, that the step starts from the task's state, that the user holds a role allowed to take it and may
change this task, that the document and reason it needs are given and that its conditions hold. A
refused step raises `StepRefused` listing every reason and changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stims.core import events, transitions

from . import rules as task_rules

# (code, Vietnamese name, phase, order, flags)
DEFAULT_STATES = [
    ("proposed", "Đề xuất, đặt hàng", "preparation", 10, {"is_initial": True}),
    ("identified", "Đã xác định nhiệm vụ", "preparation", 20, {}),
    ("call_open", "Đang tuyển chọn, giao trực tiếp", "preparation", 30, {}),
    ("selected", "Đã tuyển chọn", "preparation", 40, {}),
    ("appraised", "Đã thẩm định nội dung, kinh phí", "preparation", 50, {}),
    ("approved", "Đã phê duyệt", "preparation", 60, {}),
    ("contracted", "Đã ký hợp đồng", "execution", 70, {"is_running": True}),
    ("in_progress", "Đang thực hiện", "execution", 80, {"is_running": True}),
    ("suspended", "Tạm dừng", "execution", 85, {}),
    ("acceptance", "Đang đánh giá nghiệm thu", "closing", 90, {}),
    ("results_registered", "Đã đăng ký kết quả", "closing", 100, {}),
    ("liquidated", "Đã thanh lý hợp đồng", "closing", 110, {}),
    ("handed_over", "Đã bàn giao kết quả", "after", 120, {}),
    ("applied", "Đang ứng dụng, nhân rộng", "after", 130, {"is_final": True}),
    ("not_selected", "Không được lựa chọn", "ended", 140, {"is_final": True}),
    ("terminated", "Đã chấm dứt", "ended", 150, {"is_final": True}),
]

DEFAULT_DOCUMENT_KINDS = [
    ("proposal", "Phiếu đề xuất, đặt hàng", 10),
    ("decision", "Quyết định", 20),
    ("contract", "Hợp đồng", 30),
    ("progress_report", "Báo cáo tiến độ", 40),
    ("minutes", "Biên bản họp hội đồng", 50),
    ("final_report", "Báo cáo tổng hợp kết quả", 60),
    ("liquidation", "Biên bản thanh lý hợp đồng", 70),
    ("handover", "Biên bản bàn giao", 80),
    ("other", "Văn bản khác", 90),
]

LEADS = "leader,specialist"
RUNNING = ["contracted", "in_progress"]

# (code, Vietnamese name, kind, sources, target, document kind, reason, guards, roles, order)
DEFAULT_TRANSITIONS = [
    (
        "identify",
        "Phê duyệt danh mục (xác định nhiệm vụ)",
        "step",
        ["proposed"],
        "identified",
        "decision",
        False,
        "identification_passed,code_assigned",
        LEADS,
        10,
    ),
    (
        "open_call",
        "Thông báo tuyển chọn, giao trực tiếp",
        "step",
        ["identified"],
        "call_open",
        None,
        False,
        "",
        LEADS,
        20,
    ),
    (
        "select",
        "Công nhận kết quả tuyển chọn",
        "step",
        ["call_open"],
        "selected",
        None,
        False,
        "selection_passed",
        LEADS,
        30,
    ),
    (
        "appraise",
        "Thẩm định nội dung, kinh phí",
        "step",
        ["selected"],
        "appraised",
        None,
        False,
        "appraisal_passed",
        LEADS,
        40,
    ),
    (
        "approve",
        "Phê duyệt nhiệm vụ",
        "step",
        ["appraised"],
        "approved",
        "decision",
        False,
        "lead_team,dates_set",
        LEADS,
        50,
    ),
    (
        "sign_contract",
        "Ký hợp đồng",
        "step",
        ["approved"],
        "contracted",
        "contract",
        False,
        "budget_planned",
        LEADS,
        60,
    ),
    (
        "start",
        "Triển khai thực hiện",
        "step",
        ["contracted"],
        "in_progress",
        None,
        False,
        "dates_set",
        LEADS,
        70,
    ),
    ("adjust", "Điều chỉnh", "adjustment", RUNNING, None, None, True, "", LEADS, 80),
    ("extend", "Gia hạn thời gian thực hiện", "extension", RUNNING, None, "decision", True, "", LEADS, 90),
    ("suspend", "Tạm dừng", "suspension", RUNNING, "suspended", None, True, "", LEADS, 100),
    ("resume", "Tiếp tục thực hiện", "resumption", ["suspended"], "in_progress", None, False, "", LEADS, 110),
    (
        "submit_acceptance",
        "Đề nghị đánh giá nghiệm thu",
        "step",
        ["in_progress"],
        "acceptance",
        "final_report",
        False,
        "",
        LEADS,
        120,
    ),
    (
        "register_results",
        "Công nhận và đăng ký kết quả",
        "step",
        ["acceptance"],
        "results_registered",
        None,
        False,
        "acceptance_passed,results_registered",
        LEADS,
        130,
    ),
    (
        "liquidate",
        "Thanh lý hợp đồng",
        "step",
        ["results_registered"],
        "liquidated",
        "liquidation",
        False,
        "settled",
        LEADS,
        140,
    ),
    (
        "hand_over",
        "Bàn giao kết quả",
        "step",
        ["liquidated"],
        "handed_over",
        None,
        False,
        "results_handed_over",
        LEADS,
        150,
    ),
    (
        "report_application",
        "Ghi nhận ứng dụng, nhân rộng",
        "step",
        ["handed_over"],
        "applied",
        None,
        False,
        "application_reported",
        LEADS + ",local_officer",
        160,
    ),
    (
        "not_select",
        "Không lựa chọn",
        "termination",
        ["proposed", "identified", "call_open", "selected", "appraised"],
        "not_selected",
        None,
        True,
        "",
        LEADS,
        170,
    ),
    (
        "terminate",
        "Chấm dứt hợp đồng",
        "termination",
        ["approved", "contracted", "in_progress", "suspended", "acceptance"],
        "terminated",
        "decision",
        True,
        "",
        LEADS,
        180,
    ),
]


@dataclass(frozen=True)
class Guard:
    label: str  # what must hold, shown on the workflow page
    refusal: str  # why the step is refused when it does not
    holds: Callable


# Named conditions a step may require (`WorkflowTransition.guard_names`). The task app names only those
# about the task itself; the apps that hang records on a task (councils, funding, results) register
# theirs from their `guards.py` with `register_guard`, so this module never looks into them.
GUARDS: dict[str, Guard] = {}


def register_guard(name: str, guard: Guard) -> None:
    if GUARDS.get(name, guard) != guard:
        raise ImproperlyConfigured(f"Workflow condition {name!r} registered twice, differently.")
    GUARDS[name] = guard


register_guard(
    "lead_team",
    Guard(
        gettext_lazy("The lead organization and the principal investigator are named"),
        gettext_lazy("Name the lead organization and the principal investigator first."),
        lambda task: bool(task.lead_organization_id and task.principal_investigator_id),
    ),
)
register_guard(
    "dates_set",
    Guard(
        gettext_lazy("The start and end dates are set"),
        gettext_lazy("Set the task's start and end dates first."),
        lambda task: bool(task.start_date and task.end_date),
    ),
)


class StepRefused(transitions.Refused):
    """A workflow step that may not be taken now; `reasons` lists every reason (`core.transitions`)."""


def initial_state():
    from .models import WorkflowState

    state = WorkflowState.objects.filter(is_initial=True).order_by("sort_order").first()
    if state is None:
        raise ValidationError(_("The workflow has no initial state; an administrator must mark one."))
    return state


def _user_may_take(user, transition, task) -> bool:
    """The rule `sttasks.take_step`: a role the step names, on a task the user may change."""
    return task_rules.has(task_rules.TAKE_STEP, user, task_rules.StepOnTask(task, transition))


def previous_step(task):
    """The task's latest workflow step (`TaskEvent` of a step, not an import's record), or None."""
    from .models import TaskEvent

    return (
        TaskEvent.objects.filter(task=task, transition__isnull=False)
        .select_related("transition")
        .order_by("-happened_on", "-pk")
        .first()
    )


def problems(
    task,
    transition,
    user,
    *,
    document=None,
    reason: str = "",
    new_end_date=None,
    happened_on: datetime.date | None = None,
    check_inputs=True,
) -> list[str]:
    """Every reason `transition` cannot be taken on `task` by `user` now (empty: it can).

    With `check_inputs=False` only what does not depend on the form (state, role, conditions) is
    checked: the task page uses it to offer only the steps that can be taken. A step is dated on or
    after the task's previous step (`happened_on`): the timeline is the order things happened in.
    """
    found: list[str] = []
    if not transition.is_active:
        found.append(_("This step is no longer in use."))
    if not any(source.pk == task.state_id for source in transition.sources.all()):
        found.append(
            _("“%(step)s” cannot be taken from the state “%(state)s”.")
            % {"step": transition.name, "state": task.state.name}
        )
        return found
    if not _user_may_take(user, transition, task):
        found.append(str(task_rules.REFUSALS[task_rules.TAKE_STEP]) % {"step": transition.name})
        return found
    for name in transition.guard_names:
        guard = GUARDS.get(name)
        if guard is None:
            found.append(
                _("The step names an unknown condition “%(name)s”; ask an administrator.") % {"name": name}
            )
        elif not guard.holds(task):
            found.append(str(guard.refusal))
    if not check_inputs:
        return found
    if transition.requires_document_kind_id:
        if document is None:
            found.append(
                _("Cite the document (%(kind)s) this step is based on; attach it to the task first.")
                % {"kind": transition.requires_document_kind.name}
            )
        elif document.task_id != task.pk or document.kind_id != transition.requires_document_kind_id:
            found.append(
                _("The document cited must be of kind “%(kind)s” and belong to this task.")
                % {"kind": transition.requires_document_kind.name}
            )
    elif document is not None and document.task_id != task.pk:
        found.append(_("The document cited belongs to another task."))
    if transition.requires_reason and not (reason or "").strip():
        found.append(_("Give the reason for this step."))
    if happened_on is not None:
        previous = previous_step(task)
        if previous is not None and happened_on < previous.happened_on:
            found.append(
                _(
                    "The step is dated %(date)s, before the previous step “%(step)s” (%(previous)s): "
                    "date it on or after that day."
                )
                % {
                    "date": f"{happened_on:%d/%m/%Y}",
                    "step": previous.transition.name,
                    "previous": f"{previous.happened_on:%d/%m/%Y}",
                }
            )
    if transition.kind == "extension":
        if new_end_date is None:
            found.append(_("Give the new end date."))
        elif task.end_date and new_end_date <= task.end_date:
            found.append(
                _("The new end date must be after the current end date (%(date)s).")
                % {"date": f"{task.end_date:%d/%m/%Y}"}
            )
    return found


def available_steps(task, user) -> list:
    """The active steps out of the task's state that this user may take now, conditions met."""
    from .models import WorkflowTransition

    steps = (
        WorkflowTransition.objects.filter(is_active=True, sources=task.state_id)
        .select_related("requires_document_kind", "target")
        .prefetch_related("sources")
        .order_by("sort_order")
    )
    return [step for step in steps if not problems(task, step, user, check_inputs=False)]


def perform(
    task, transition, user, *, happened_on: datetime.date, document=None, reason: str = "", new_end_date=None
):
    """Take one step; returns the recorded `TaskEvent`, or raises `StepRefused` and changes nothing.

    The step is applied with the task row locked and its state re-read (`core.transitions`), so two
    people taking steps at once cannot both succeed."""
    from .models import Task, TaskEvent

    def step_problems(locked):
        return problems(
            locked,
            transition,
            user,
            document=document,
            reason=reason,
            new_end_date=new_end_date,
            happened_on=happened_on,
        )

    def take(locked):
        from_state = locked.state
        event = TaskEvent(
            task=locked,
            transition=transition,
            from_state=from_state,
            to_state=transition.target or from_state,
            happened_on=happened_on,
            document=document,
            reason=(reason or "").strip(),
            actor=user,
        )
        changed = []
        if transition.target_id and transition.target_id != from_state.pk:
            locked.state = transition.target
            locked.state_since = happened_on
            changed += ["state", "state_since"]
        if transition.kind == "extension":
            event.previous_end_date, event.new_end_date = locked.end_date, new_end_date
            locked.end_date = new_end_date
            changed.append("end_date")
        if changed:
            locked._change_reason = transition.name
            locked.save(update_fields=[*changed, "updated_at"])
        event.save()
        if transition.code == "start":
            from .services import schedule_progress_reports

            schedule_progress_reports(locked)
        events.emit("sttasks.step_taken", task=locked, event=event, actor=user)
        return locked, event

    locked, event = transitions.apply_locked(
        Task.objects.select_related("state"),
        task.pk,
        problems=step_problems,
        apply=take,
        refused=StepRefused,
    )
    task.state, task.state_since, task.end_date = locked.state, locked.state_since, locked.end_date
    return event


def install_defaults(state_model, transition_model, kind_model) -> None:
    """Create the default states, document kinds and steps that are missing; never overwrite edits."""
    for code, name, order in DEFAULT_DOCUMENT_KINDS:
        kind_model.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    for code, name, phase, order, flags in DEFAULT_STATES:
        state_model.objects.get_or_create(
            code=code, defaults={"name": name, "phase": phase, "sort_order": order, **flags}
        )
    states = {state.code: state for state in state_model.objects.all()}
    kinds = {kind.code: kind for kind in kind_model.objects.all()}
    for code, name, kind, sources, target, document, reason, guards, roles, order in DEFAULT_TRANSITIONS:
        transition, created = transition_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "target": states[target] if target else None,
                "requires_document_kind": kinds[document] if document else None,
                "requires_reason": reason,
                "guards": guards,
                "allowed_roles": roles,
                "sort_order": order,
            },
        )
        if created:
            transition.sources.set([states[source] for source in sources])
