"""The S&T task rules beyond the role matrix: named predicates (django-rules), one per action, that
every path asks (the pages, the API and its browsable form, bulk create, the Excel import, the
workflow engine, the admin). The role matrix (`stims.core.permissions`) says who may add, change or
delete tasks within their scope; these rules say what more an action needs.

    rules.has_perm(CHANGE_TASK, user, task)                       # edit the task's own facts
    rules.has_perm(TAKE_STEP, user, StepOnTask(task, transition))  # take a workflow step
    rules.has_perm(IMPORT_TASK_STATE, user, state)                 # import a new task in `state`
    rules.has_perm(UPDATE_TASK_BY_IMPORT, user)                    # update tasks on record by import
    rules.has_perm(ASSIGN_OFFICER, user)                           # name a task's officer in charge
    rules.has_perm(SUBMIT_PROPOSAL, user, task)                    # send a locality's proposal ("Gửi Sở")
    rules.has_perm(RETURN_PROPOSAL, user, task)                    # return a sent proposal to the locality

Each rule's refusal (`REFUSALS`) is the reason every path gives. `docs/roles.md` ("S&T task rules")
lists who passes each rule and the paths that ask it.
"""

from __future__ import annotations

from typing import NamedTuple

import rules
from django.utils.translation import gettext_lazy as _

from stims.accounts.rules import is_department_staff
from stims.core import permissions
from stims.core import rules as core_rules

CHANGE_TASK = "sttasks.change_task"
TAKE_STEP = "sttasks.take_step"
IMPORT_TASK_STATE = "sttasks.import_task_state"
UPDATE_TASK_BY_IMPORT = "sttasks.update_task_by_import"
ASSIGN_OFFICER = "sttasks.assign_officer"
SUBMIT_PROPOSAL = "sttasks.submit_proposal"
RETURN_PROPOSAL = "sttasks.return_proposal"


class StepOnTask(NamedTuple):
    """What `TAKE_STEP` is asked about: one step (a `WorkflowTransition`) on one task."""

    task: object
    transition: object


@rules.predicate
def may_change_by_role(user, task) -> bool:
    """The role matrix's "change" on this task, within the user's scope."""
    return permissions.has_perm(user, permissions.CHANGE, task)


@rules.predicate
def is_not_taken_on(user, task) -> bool:
    """The task is still a proposal: the department has not taken it on (it is in the initial state)."""
    return bool(task.state.is_initial)


@rules.predicate
def is_submitted(user, task) -> bool:
    """The locality has sent the proposal to the department ("Gửi Sở") and it was not returned."""
    return task.submitted_at is not None


@rules.predicate
def is_initial_state(user, state) -> bool:
    return bool(state is not None and state.is_initial)


@rules.predicate
def holds_a_role_of_the_step(user, step: StepOnTask) -> bool:
    """The user holds one of the roles the step names (`WorkflowTransition.allowed_roles`, data the
    administrator edits), or is a superuser."""
    if user.is_superuser:
        return True
    return bool(set(permissions.roles_of(user)) & step.transition.role_codes)


@rules.predicate
def may_change_the_steps_task(user, step: StepOnTask) -> bool:
    return user.is_superuser or permissions.has_perm(user, permissions.CHANGE, step.task)


RULES = {
    # A locality edits its proposal until it sends it to the department (or the department takes it on);
    # after that only the department's staff change the task's facts (its state moves only by steps),
    # unless they return the proposal.
    CHANGE_TASK: may_change_by_role & (is_department_staff | (is_not_taken_on & ~is_submitted)),
    # A locality sends its own proposal, once: still a proposal, not sent yet. The department's staff
    # have nothing to send to themselves.
    SUBMIT_PROPOSAL: may_change_by_role & ~is_department_staff & is_not_taken_on & ~is_submitted,
    # The department returns a sent proposal it has not taken on.
    RETURN_PROPOSAL: is_department_staff & may_change_by_role & is_not_taken_on & is_submitted,
    # A step is taken by a role it names, on a task the user may change by the role matrix (a local
    # officer records the application of their own locality's task long after it was taken on).
    TAKE_STEP: holds_a_role_of_the_step & may_change_the_steps_task,
    # A task arrives by import in the workflow's initial state, unless the department's staff import it
    # where it stands today (the lists of earlier years).
    IMPORT_TASK_STATE: is_department_staff | is_initial_state,
    # Rows of an import update tasks already on record for the department's staff only.
    UPDATE_TASK_BY_IMPORT: is_department_staff,
    # The officer in charge is one of the department's staff, named by the department.
    ASSIGN_OFFICER: is_department_staff,
}

REFUSALS = {
    CHANGE_TASK: _(
        "The department has taken this task on: only the department's staff (leader, specialist) change it now."
    ),
    SUBMIT_PROPOSAL: _(
        "Only the proposing locality sends a proposal to the department, once, before the department takes "
        "it on."
    ),
    RETURN_PROPOSAL: _(
        "Only the department's staff return a proposal sent to the department and not yet taken on."
    ),
    TAKE_STEP: _("Your role does not allow you to take the step “%(step)s” on this task."),
    IMPORT_TASK_STATE: _(
        "only the department's staff import a task in a state other than “%(initial)s”; leave this column "
        "empty to import the task as a new proposal"
    ),
    UPDATE_TASK_BY_IMPORT: _(
        "a task with the code “%(code)s” is already on record; only the department's staff update tasks "
        "by import"
    ),
    ASSIGN_OFFICER: _("Only the department's staff (leader, specialist) name the officer in charge."),
}

core_rules.register(RULES, REFUSALS)
has = core_rules.has
