"""S&T enterprises and startups in the permission matrix (see `stims.core.permissions`)."""

from stims.core import permissions
from stims.core.permissions import READ, WRITE

permissions.register_role_grants(
    {
        # Localities keep their own startups; S&T enterprise certificates are issued by the department.
        "local_officer": {
            "enterprises.stenterprise": READ,
            "enterprises.strevenueshare": READ,
            "enterprises.stincentive": READ,
            "enterprises.startup": WRITE,
            "enterprises.startupfounder": WRITE,
            "enterprises.startupsupport": WRITE,
        },
    }
)
