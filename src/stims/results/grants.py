"""Results in the permission matrix (see `stims.core.permissions`)."""

from stims.core import permissions
from stims.core.permissions import READ, WRITE

permissions.register_role_grants(
    {
        # Localities report where the results handed to them are applied.
        "local_officer": {
            "results.taskresult": READ,
            "results.handover": READ,
            "results.applicationreport": WRITE,
        },
    }
)
