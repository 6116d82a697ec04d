"""The S&T enterprise rules beyond the role matrix: named predicates (django-rules), one per action, that
every path asks (the enterprise page, the API and its browsable form, the admin). The role matrix
(`stims.core.permissions`) says who may add, change or delete certificates within their scope; these
rules say what more an action needs.

    rules.has_perm(REVOKE_CERTIFICATE, user, enterprise)  # record the revocation of a certificate

Certificates are issued by the department: local officers read their locality's certificates and keep
their own startups (plain add/change/delete, no rule beyond the matrix). Whether a revocation is
possible at all (already revoked, its date, its reason) stays in `enterprises/services.py`. Each rule's
refusal (`REFUSALS`) is the reason every path gives; `docs/roles.md` ("IP and enterprise rules").
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from stims.core import permissions
from stims.core import rules as core_rules

REVOKE_CERTIFICATE = "enterprises.revoke_certificate"


@rules.predicate
def may_change_certificate(user, enterprise) -> bool:
    """The role matrix's "change" on this certificate, within the user's scope (the department's staff;
    local officers only read certificates)."""
    return permissions.has_perm(user, permissions.CHANGE, enterprise)


RULES = {
    REVOKE_CERTIFICATE: may_change_certificate,
}

REFUSALS = {
    REVOKE_CERTIFICATE: _(
        "Certificates are the department's: your role does not allow you to revoke the certificate of "
        "“%(enterprise)s”."
    ),
}

core_rules.register(RULES, REFUSALS)
has = core_rules.has
refusal = core_rules.refusal
