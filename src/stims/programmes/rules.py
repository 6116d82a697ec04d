"""The agenda's rules beyond the role matrix (django-rules, `stims.core.rules`):

    rules.has_perm(MOVE_DOCUMENT, user, document)  # move a document along its status

A policy or legal document's status (drafting → consultation → issued → in force → under review →
replaced) is kept by the department's staff (`accounts.rules.is_department_staff`) who may change the
document; a locality's officer reads the register but never moves a document. Whether the move can be
made now is `services.document_problems`.
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from stims.accounts.rules import is_department_staff
from stims.core import permissions
from stims.core import rules as core_rules

MOVE_DOCUMENT = "programmes.move_document"


@rules.predicate
def may_change(user, obj) -> bool:
    return obj is None or permissions.has_perm(user, permissions.CHANGE, obj)


RULES = {MOVE_DOCUMENT: is_department_staff & may_change}

REFUSALS = {
    MOVE_DOCUMENT: _("Only the department's staff move a policy or legal document along its status."),
}

core_rules.register(RULES, REFUSALS)
has = core_rules.has
require = core_rules.require
refusal = core_rules.refusal
