"""Reports in the permission matrix (see `stims.core.permissions`). A local officer makes reports on
their own units only (a report's scope is its `admin_unit`); template versions are changed by leaders
(and administrators), read by specialists."""

from stims.core import permissions
from stims.core.permissions import READ, WRITE

permissions.register_role_grants(
    {
        "local_officer": {"reports.report": WRITE},
        "specialist": {"reports.reporttemplate": READ},
        "inspector": {"reports.report": WRITE},
        "viewer": {"reports.report": READ},
    }
)
