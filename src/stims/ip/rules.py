"""The IP asset rules beyond the role matrix: named predicates (django-rules), one per action, that
every path asks (the asset page, the API and its browsable form, the registries Excel import). The role
matrix (`stims.core.permissions`) says who may add, change or delete assets within their scope; these
rules say what more an action needs.

    rules.has_perm(RECORD_STATUS, user, asset)        # record a status change of the asset
    rules.has_perm(RENEW, user, asset)                # record a renewal of the asset's title
    rules.has_perm(IMPORT_ASSET_STATUS, user, status) # import a new asset in `status`

Which moves the workflow allows (out of a final status, dates, a protected status's title) stays in
`ip/services.py`; these rules only say who may make them. Each rule's refusal (`REFUSALS`) is the
reason every path gives. `docs/roles.md` ("IP and enterprise rules") lists who passes each rule.
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from stims.accounts.rules import is_department_staff
from stims.core import permissions
from stims.core import rules as core_rules

RECORD_STATUS = "ip.record_status"
RENEW = "ip.renew"
IMPORT_ASSET_STATUS = "ip.import_asset_status"


@rules.predicate
def may_change_asset(user, asset) -> bool:
    """The role matrix's "change" on this asset, within the user's scope."""
    return permissions.has_perm(user, permissions.CHANGE, asset)


@rules.predicate
def may_add_status_event(user) -> bool:
    from .models import IpStatusEvent

    return permissions.has_perm(user, permissions.ADD, IpStatusEvent)


@rules.predicate
def may_add_renewal(user) -> bool:
    from .models import IpRenewal

    return permissions.has_perm(user, permissions.ADD, IpRenewal)


@rules.predicate
def is_initial_status(user, status) -> bool:
    """The status a new application starts in (`services.initial_status`)."""
    from .services import initial_status

    return status is not None and status.pk == initial_status().pk


RULES = {
    # A status change is recorded by whoever may change the asset and add a step to its history: the
    # department's staff, and a local officer for their own locality's assets (who records the national
    # IP office's decisions on them as the department does).
    RECORD_STATUS: may_change_asset & may_add_status_event,
    # A renewal likewise.
    RENEW: may_change_asset & may_add_renewal,
    # A new asset arrives by import in the initial status (as the asset form and the API create it),
    # unless the department's staff import it where it stands today (the lists of earlier years).
    IMPORT_ASSET_STATUS: is_department_staff | is_initial_status,
}

REFUSALS = {
    RECORD_STATUS: _("Your role does not allow you to record a status change of “%(asset)s”."),
    RENEW: _("Your role does not allow you to record a renewal of “%(asset)s”."),
    IMPORT_ASSET_STATUS: _(
        "only the department's staff import a new IP asset in a status other than “%(initial)s”; import it "
        "as “%(initial)s” and record the later steps on the asset's page"
    ),
}

core_rules.register(RULES, REFUSALS)
has = core_rules.has
refusal = core_rules.refusal
