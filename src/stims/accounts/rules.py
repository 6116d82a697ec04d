"""Who the department's staff are, once for every app: the users holding, today, a leader or specialist
role for the whole deployment (no unit, no organization). They run the S&T task workflow, are a task's
officer in charge and a directive's assigner. `department_staff()` in models.py is the same set as a
queryset (for choices); `holds_department_role` is the predicate (django-rules) the apps' rules use."""

from __future__ import annotations

import rules

from stims.core import permissions
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
