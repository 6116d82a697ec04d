"""The agenda in the permission matrix (see `stims.core.permissions`). Leaders, specialists, inspectors
and viewers follow their defaults (everything in scope: full, write, read, read)."""

from stims.core import permissions
from stims.core.permissions import READ, WRITE

permissions.register_role_grants(
    {
        # A locality reads the plans, documents and agreements that cover it, enters progress with
        # evidence on their targets, and keeps its own outreach and training activities, its S&T bodies'
        # meetings and its S&T officers.
        "local_officer": {
            "programmes.plan": READ,
            "programmes.target": READ,
            "programmes.progressentry": WRITE,
            "programmes.planlink": READ,
            "programmes.legaldocument": READ,
            "programmes.documentlink": READ,
            "programmes.documentreview": READ,
            "programmes.agreement": READ,
            "programmes.commitment": READ,
            "programmes.agreementreview": READ,
            "programmes.activity": WRITE,
            "programmes.bodymeeting": WRITE,
            "programmes.localofficer": WRITE,
        },
    }
)
