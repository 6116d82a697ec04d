"""Organizations in the permission layer: the organization model and an organization's subtree
(scopes), and what local officers and council members may do in the directory."""

from stims.core import permissions
from stims.core.permissions import READ, WRITE

from .models import Organization
from .services import organization_subtree_q

permissions.configure(organization_model=Organization, organization_subtree=organization_subtree_q)

permissions.register_role_grants(
    {
        "local_officer": {
            "orgs.organization": WRITE,
            "orgs.person": WRITE,
            "orgs.position": WRITE,
            "orgs.localbody": WRITE,
            "orgs.localbodymember": WRITE,
        },
        "council_member": {
            "orgs.organization": READ,
            "orgs.person": READ,
        },
    }
)
