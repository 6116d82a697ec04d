"""Reports in the permission matrix (see `stims.core.permissions`). A local officer makes reports on
their own units only (a report's scope is its `admin_unit`); an inspector makes reports too; template
versions are uploaded by leaders (and administrators) and read by specialists. Viewers read reports
(their default)."""

from stims.core import permissions
from stims.core.permissions import READ, WRITE

permissions.register_role_grants(
    {
        "local_officer": {"reports.report": WRITE},
        "specialist": {"reports.reporttemplate": READ},
        "inspector": {"reports.report": WRITE},
    }
)
