"""Who the department's staff are, once for every app: the users holding, today, a leader or specialist
role for the whole deployment (no unit, no organization). They run the S&T task workflow, are a task's
officer in charge and a directive's assigner. `department_staff()` in models.py is the same set as a
queryset (for choices); `holds_department_role` is the predicate (django-rules) the apps' rules use."""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from stims.core import permissions
from stims.core import rules as core_rules
from stims.core.rules import is_active_superuser

DEPARTMENT_ROLES = frozenset({"leader", "specialist"})


@rules.predicate
def holds_department_role(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return any(
        assignment.role in DEPARTMENT_ROLES
        and assignment.admin_unit_id is None
        and assignment.organization_id is None
        for assignment in permissions.active_assignments(user)
    )


# A superuser, or the department's staff: who runs the S&T task workflow and records what the department
# records (sttasks, ip).
is_department_staff = is_active_superuser | holds_department_role


# --- Users and their roles --------------------------------------------------------------------------
# The department's administrator manages the users, their roles and the units or organizations each role
# is limited to. STIMS has no administrator role (Role lists the department's working roles, and a leader's
# FULL grant is over the records, not over who may see them): the administrator is the superuser. A rule
# of its own, so that every path (the pages, the menu) asks the same question and an administrator role
# can join it here later.
MANAGE_USERS = "accounts.manage_users"

can_manage_users = is_active_superuser

RULES = {MANAGE_USERS: can_manage_users}
REFUSALS = {MANAGE_USERS: _("Only the department's administrator manages users and their roles.")}

core_rules.register(RULES, REFUSALS)
