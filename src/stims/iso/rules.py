"""The ISO 9001 rules beyond the role matrix (django-rules, `stims.core.rules`):

    rules.has_perm(RECORD_CHECK, user, record)  # record (or change) a check of an agency's system

Checks are made by the department's ISO team: its staff holding a deployment-wide leader or specialist
role (`accounts.rules.is_department_staff`) who may change the agency's record; an officer limited to
one unit or organization reads the checks of their agencies but never records one, whatever the matrix
gives them elsewhere. Asked by the check's add and edit pages, the API (create, update) and the admin.
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from stims.accounts.rules import is_department_staff
from stims.core import permissions
from stims.core import rules as core_rules

RECORD_CHECK = "iso.record_check"


@rules.predicate
def may_change_record(user, record) -> bool:
    return record is None or permissions.has_perm(user, permissions.CHANGE, record)


RULES = {RECORD_CHECK: is_department_staff & may_change_record}

REFUSALS = {
    RECORD_CHECK: _("Only the department's ISO team records checks of an agency's ISO 9001 system."),
}

core_rules.register(RULES, REFUSALS)
has = core_rules.has
require = core_rules.require
