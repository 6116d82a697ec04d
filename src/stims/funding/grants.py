"""S&T funding in the permission matrix (see `stims.core.permissions`)."""

from stims.core import permissions
from stims.core.permissions import READ, WRITE

permissions.register_role_grants(
    {
        # The department runs the contracts and money; localities report what they spent of the S&T
        # budget allocated to them.
        "local_officer": {
            "funding.budgetline": READ,
            "funding.tranche": READ,
            "funding.disbursement": READ,
            "funding.settlement": READ,
            "funding.allocation": READ,
            "funding.allocationspending": WRITE,
        },
    }
)
