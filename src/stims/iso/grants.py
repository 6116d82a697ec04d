"""ISO 9001 records in the permission matrix (see `stims.core.permissions`)."""

from stims.core import permissions
from stims.core.permissions import READ, WRITE

permissions.register_role_grants(
    {
        # A locality keeps its agencies' ISO 9001 records (status, scope, announcement, audits and
        # reviews); checks are the department's ISO team's (the rule `iso.record_check`).
        "local_officer": {"iso.isorecord": WRITE, "iso.isoactivity": WRITE, "iso.isocheck": READ},
    }
)
