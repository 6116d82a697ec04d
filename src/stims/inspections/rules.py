"""Who may move an inspection: two named rules, built from named predicates.

  * `inspections.move_inspection` (start, conclude, open the follow-up): a member of the inspection's
    team (its head or a team member) who holds the inspector role, a department leader
    (deployment-wide `leader` role), or a superuser;
  * `inspections.close_inspection` (close, cancel): the head of the team (an inspector), a department
    leader, or a superuser.
Both also ask that the user may see the inspection (the permission layer). Specialists, local officers,
council members and viewers never move an inspection; they may read what the permission matrix grants
them (`grants.py`). Every path that moves an inspection (its page, the API's `move` action) goes through
`services.move`, which asks these rules.
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from stims.core import permissions
from stims.core import rules as core_rules


@rules.predicate
def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


@rules.predicate
def may_see(user, inspection) -> bool:
    return permissions.has_perm(user, permissions.VIEW, inspection)


@rules.predicate
def is_department_leader(user) -> bool:
    return any(
        a.role == "leader" and a.admin_unit_id is None and a.organization_id is None
        for a in permissions.active_assignments(user)
    )


@rules.predicate
def is_inspector(user) -> bool:
    return any(a.role == "inspector" for a in permissions.active_assignments(user))


@rules.predicate
def heads_the_team(user, inspection) -> bool:
    return bool(inspection.lead_inspector_id) and inspection.lead_inspector_id == user.pk


@rules.predicate
def is_on_the_team(user, inspection) -> bool:
    if heads_the_team(user, inspection):
        return True
    return inspection.pk is not None and inspection.team.filter(pk=user.pk).exists()


moves_inspection = may_see & (is_superuser | is_department_leader | (is_inspector & is_on_the_team))
closes_inspection = may_see & (is_superuser | is_department_leader | (is_inspector & heads_the_team))

MOVE_INSPECTION = "inspections.move_inspection"
CLOSE_INSPECTION = "inspections.close_inspection"
RULES = {MOVE_INSPECTION: moves_inspection, CLOSE_INSPECTION: closes_inspection}
REFUSALS = {
    MOVE_INSPECTION: _("Only the inspection's team or a department leader moves this inspection."),
    CLOSE_INSPECTION: _("Only the head of the inspection team or a department leader closes or cancels it."),
}

core_rules.register(RULES, REFUSALS)
