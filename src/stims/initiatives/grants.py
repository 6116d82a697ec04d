"""Initiatives in the permission matrix (see `stims.core.permissions`)."""

from stims.core import permissions
from stims.core.permissions import READ, WRITE

permissions.register_role_grants(
    {
        # A locality submits its agencies' initiatives and names their authors; it reads the council
        # rounds of its locality and the sheets of its initiatives.
        "local_officer": {
            "initiatives.initiative": WRITE,
            "initiatives.initiativeauthor": WRITE,
            "initiatives.councilround": READ,
            "initiatives.roundmember": READ,
            "initiatives.scoresheet": READ,
        },
        # Council members read what they score and enter their own sheets (the rule `initiatives.score`).
        "council_member": {
            "initiatives.initiative": READ,
            "initiatives.initiativeauthor": READ,
            "initiatives.councilround": READ,
            "initiatives.roundmember": READ,
            "initiatives.scoresheet": WRITE,
        },
    }
)
