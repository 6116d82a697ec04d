"""The initiative rules beyond the role matrix (django-rules, `stims.core.rules`), one per kind of move:

    rules.has_perm(REVIEW, user, initiative)  # start the council's review, close its scoring
    rules.has_perm(SCORE, user, member)       # enter the score sheet of this council member
    rules.has_perm(DECIDE, user, initiative)  # recognise the initiative, or not, by decision

The council's secretariat is the department's staff (`accounts.rules.is_department_staff`): they put an
application before the council and close its scoring. A council member enters their own sheet (the
member whose account they are); the staff may enter any member's sheet from the paper one. The decision
is signed by a department leader. Whether the move can be made now (its state, the authors' shares, the
sheets in, the pass mark) is `services.problems`; each rule's refusal is one of its reasons.
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from stims.accounts.rules import is_department_staff
from stims.core import permissions
from stims.core import rules as core_rules
from stims.core.rules import is_active_superuser

REVIEW = "initiatives.review"
SCORE = "initiatives.score"
DECIDE = "initiatives.decide"


@rules.predicate
def may_change(user, obj) -> bool:
    return obj is None or permissions.has_perm(user, permissions.CHANGE, obj)


@rules.predicate
def is_the_member(user, member) -> bool:
    return member is not None and member.user_id is not None and member.user_id == user.pk


@rules.predicate
def is_department_leader(user) -> bool:
    return any(
        a.role == "leader" and a.admin_unit_id is None and a.organization_id is None
        for a in permissions.active_assignments(user)
    )


RULES = {
    REVIEW: is_department_staff & may_change,
    SCORE: is_department_staff | is_the_member,
    DECIDE: is_active_superuser | is_department_leader,
}

REFUSALS = {
    REVIEW: _("Only the department's staff put an initiative before the council and close its scoring."),
    SCORE: _("Only the council member themself, or the department's staff, enter a member's score sheet."),
    DECIDE: _("Only a department leader decides whether an initiative is recognised."),
}

core_rules.register(RULES, REFUSALS)
has = core_rules.has
refusal = core_rules.refusal
require = core_rules.require
