"""IP assets in the permission matrix (see `stims.core.permissions`)."""

from stims.core import choices, permissions
from stims.core.permissions import WRITE

permissions.register_role_grants(
    {
        # Localities keep their own IP assets.
        "local_officer": {
            "ip.ipasset": WRITE,
            "ip.ipstatusevent": WRITE,
            "ip.iprenewal": WRITE,
            "ip.ipauthorizeduser": WRITE,
        },
    }
)
permissions.register_reference_models("ip.iptype", "ip.ipstatus")

# Only assets the user may change receive authorised users, on the pages and in the API alike.
choices.register_choices(
    "ip.ipauthorizeduser",
    "asset",
    lambda user, queryset: permissions.restrict(queryset, user, permissions.CHANGE),
)
