"""The council rules beyond the role matrix: named predicates (django-rules), one rule per action, that
every path asks (the council's page, the score sheet page, the API and its browsable form, the admin).
The role matrix (`stims.core.permissions`) says who may add, change or delete councils, members,
dossiers and score sheets; these rules say who may take the council's own actions.

    rules.has_perm(ENTER_SHEET, user, member)        # enter, change or delete `member`'s score sheets
    rules.has_perm(DELETE_SHEET, user, member)       # delete `member`'s score sheets
    rules.has_perm(CONCLUDE_COUNCIL, user, council)  # record the council's conclusion
    rules.has_perm(UPLOAD_MINUTES, user, council)    # upload the council's signed minutes

What the action further needs of the record (every criterion scored, no conflict of interest, not
before the meeting, not twice, the pass mark…) stays in `services`, which checks it on every path too.
Each rule's refusal (`REFUSALS`) is the reason every path gives. `docs/roles.md` ("Council and result
rules") lists who passes each rule and the paths that ask it.
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from stims.core import permissions
from stims.core import rules as core_rules
from stims.core.rules import is_active_superuser

ENTER_SHEET = "councils.enter_score_sheet"
CONCLUDE_COUNCIL = "councils.conclude_council"
UPLOAD_MINUTES = "councils.upload_minutes"
DELETE_SHEET = "councils.delete_score_sheet"

# Roles whose right to write score sheets covers only the sheets of the member they are
# (CouncilMember.user); the other roles holding that right enter any member's sheet from paper.
OWN_SHEETS_ONLY_ROLES = frozenset({"council_member"})


def _sheet_writing_roles(user) -> set[str]:
    """The roles the user holds today that write score sheets. Score sheets reach no unit or
    organization: only deployment-wide assignments grant them."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    from .models import ScoreSheet

    label = permissions.label_of(ScoreSheet)
    return {
        assignment.role
        for assignment in permissions.active_assignments(user)
        if {permissions.ADD, permissions.CHANGE} <= permissions.actions_for(assignment.role, label)
        and not assignment.admin_unit_id
        and not assignment.organization_id
    }


@rules.predicate
def enters_every_members_sheet(user) -> bool:
    """A role writing score sheets for every member (a specialist entering the paper sheets)."""
    return bool(_sheet_writing_roles(user) - OWN_SHEETS_ONLY_ROLES)


@rules.predicate
def enters_own_sheet_only(user) -> bool:
    """A role writing only the sheets of the member the user is (a council member)."""
    return bool(_sheet_writing_roles(user) & OWN_SHEETS_ONLY_ROLES)


@rules.predicate
def is_the_member(user, member) -> bool:
    return member is not None and member.user_id is not None and member.user_id == user.pk


@rules.predicate
def deletes_sheets_by_role(user) -> bool:
    """The role matrix's "delete" on score sheets (a leader; a specialist or a council member enters
    sheets and corrects them, never deletes them)."""
    from .models import ScoreSheet

    return permissions.has_perm(user, permissions.DELETE, ScoreSheet)


@rules.predicate
def may_change_the_council(user, council) -> bool:
    """The role matrix's "change" on this council, within the user's scope."""
    return permissions.has_perm(user, permissions.CHANGE, council)


RULES = {
    # A specialist enters any member's sheet from the paper sheets; a council member only their own.
    ENTER_SHEET: is_active_superuser | enters_every_members_sheet | (enters_own_sheet_only & is_the_member),
    # Deleting a sheet needs the role matrix's "delete" as well, on the page as in the API.
    DELETE_SHEET: is_active_superuser
    | (deletes_sheets_by_role & (enters_every_members_sheet | (enters_own_sheet_only & is_the_member))),
    # Whoever may change the council concludes it (the department's staff); a council member does not.
    CONCLUDE_COUNCIL: is_active_superuser | may_change_the_council,
    # The same for the signed minutes.
    UPLOAD_MINUTES: is_active_superuser | may_change_the_council,
}

REFUSALS = {
    ENTER_SHEET: _(
        "You may not enter this member's score sheet: a council member enters only their own sheets, "
        "the department's specialists enter any member's."
    ),
    DELETE_SHEET: _("Your role does not allow you to delete this score sheet; correct it instead."),
    CONCLUDE_COUNCIL: _("Only the department's staff (leader, specialist) record a council's conclusion."),
    UPLOAD_MINUTES: _("Only the department's staff (leader, specialist) upload a council's minutes."),
}

core_rules.register(RULES, REFUSALS)
has = core_rules.has
require = core_rules.require
