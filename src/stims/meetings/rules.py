"""Who may make which directive move: one named rule per move, built from named predicates.

Every path that moves a directive (its page, the API's `move` action) goes through `services.move`,
which asks `MOVE_RULES` (registered by name too: `RULES`, "meetings.accept_report"…) and refuses with the reason of the first predicate that fails
(`services.refusal_for`).

  * `start`, `report` — the lead unit's side: a user whose organization (their own, or the one a role
    assignment is limited to) is the lead unit or above it; a superuser;
  * `accept`, `return` — the assigner's side: the directive's `assigned_by` user, a department leader
    (deployment-wide `leader` role) or a superuser; never a user of the lead unit itself (its
    organization is the lead unit or inside it), and never whoever made the report under review;
  * `extend`, `cancel` — the assigner's side, never a user of the lead unit itself.
Every rule also asks that the user may see the directive.
"""

from __future__ import annotations

import rules
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stims.accounts.rules import holds_department_role
from stims.core import permissions
from stims.core import rules as core_rules


def _organizations_of(user) -> set[int]:
    ids = {a.organization_id for a in permissions.active_assignments(user) if a.organization_id}
    if getattr(user, "organization_id", None):
        ids.add(user.organization_id)
    return ids


@rules.predicate
def is_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


@rules.predicate
def may_see(user, directive) -> bool:
    return permissions.has_perm(user, permissions.VIEW, directive)


@rules.predicate
def is_of_reporting_side(user, directive) -> bool:
    """The user's organization is the directive's lead unit or an organization above it."""
    own = _organizations_of(user)
    if not own:
        return False
    from stims.orgs.models import Organization
    from stims.orgs.services import organization_subtree_q

    subtree = Q()
    for organization_id in own:
        subtree |= organization_subtree_q(organization_id)
    return Organization.objects.filter(subtree, pk=directive.lead_organization_id).exists()


@rules.predicate
def is_of_lead_unit(user, directive) -> bool:
    """The user's organization is the lead unit itself or inside it (no exception for superusers):
    the lead unit never judges or changes its own directive."""
    own = _organizations_of(user)
    if not own or not directive.lead_organization_id:
        return False
    from stims.orgs.models import Organization
    from stims.orgs.services import organization_subtree_q

    return Organization.objects.filter(
        organization_subtree_q(directive.lead_organization_id), pk__in=own
    ).exists()


@rules.predicate
def is_the_assigner(user, directive) -> bool:
    return bool(directive.assigned_by_id) and directive.assigned_by_id == user.pk


@rules.predicate
def is_department_leader(user) -> bool:
    return any(
        a.role == "leader" and a.admin_unit_id is None and a.organization_id is None
        for a in permissions.active_assignments(user)
    )


# Whom a directive may be assigned by: the department's staff (stims.accounts.rules).
is_department_staff = holds_department_role


@rules.predicate
def made_the_report_under_review(user, directive) -> bool:
    from .models import DirectiveReport

    return directive.reports.filter(verdict=DirectiveReport.Verdict.PENDING, reported_by_id=user.pk).exists()


# The named rules, each with the order its predicates are explained in a refusal.
reports_for_lead_unit = may_see & (is_superuser | is_of_reporting_side)
is_assigners_side = is_superuser | is_the_assigner | is_department_leader
judges_report = may_see & is_assigners_side & ~is_of_lead_unit & ~made_the_report_under_review
changes_directive = may_see & is_assigners_side & ~is_of_lead_unit

MOVE_RULES = rules.RuleSet()
MOVE_RULES.add_rule("start", reports_for_lead_unit)
MOVE_RULES.add_rule("report", reports_for_lead_unit)
MOVE_RULES.add_rule("accept", judges_report)
MOVE_RULES.add_rule("return", judges_report)
MOVE_RULES.add_rule("extend", changes_directive)
MOVE_RULES.add_rule("cancel", changes_directive)

# The same rules by name in the registry every app shares (`stims.core.rules`), so the rule tables and
# the documentation list them with the others: one named rule per move.
START_DIRECTIVE = "meetings.start_directive"
REPORT_DIRECTIVE = "meetings.report_directive"
ACCEPT_REPORT = "meetings.accept_report"
RETURN_REPORT = "meetings.return_report"
EXTEND_DIRECTIVE = "meetings.extend_directive"
CANCEL_DIRECTIVE = "meetings.cancel_directive"
RULE_OF_MOVE = {
    "start": START_DIRECTIVE,
    "report": REPORT_DIRECTIVE,
    "accept": ACCEPT_REPORT,
    "return": RETURN_REPORT,
    "extend": EXTEND_DIRECTIVE,
    "cancel": CANCEL_DIRECTIVE,
}
RULES = {name: MOVE_RULES[action] for action, name in RULE_OF_MOVE.items()}
# The general reason; `services.refusal_for` says which part of the rule failed.
_LEAD = _("Only the lead unit (%(unit)s) reports on this directive.")
_ASSIGNER = _("Only whoever assigned this directive, or a department leader, may do that.")
REFUSALS = {
    START_DIRECTIVE: _LEAD,
    REPORT_DIRECTIVE: _LEAD,
    ACCEPT_REPORT: _ASSIGNER,
    RETURN_REPORT: _ASSIGNER,
    EXTEND_DIRECTIVE: _ASSIGNER,
    CANCEL_DIRECTIVE: _ASSIGNER,
}

core_rules.register(RULES, REFUSALS)
