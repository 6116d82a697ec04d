"""Councils in the permission matrix (see `stims.core.permissions`)."""

from stims.core import permissions
from stims.core.permissions import READ, WRITE

permissions.register_role_grants(
    {
        # Council members read the councils and enter score sheets (their own: see services).
        "council_member": {
            "councils.council": READ,
            "councils.councilmember": READ,
            "councils.councildossier": READ,
            "councils.criteriaset": READ,
            "councils.criterion": READ,
            "councils.scoresheet": WRITE,
        },
    }
)
permissions.register_reference_models("councils.ratinglevel")
