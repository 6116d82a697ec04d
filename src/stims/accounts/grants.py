"""The roles (see `Role`) and their defaults in the permission matrix, and who holds which role: the
role assignments in force, which the permission layer asks for (`permissions.configure`)."""

from stims.core import permissions
from stims.core.permissions import ANY_MODEL, FULL, READ, WRITE

from .models import RoleAssignment


def active_assignments(user):
    return RoleAssignment.objects.active().filter(user=user).select_related("admin_unit")


permissions.configure(assignments=active_assignments)

permissions.register_role_grants(
    {
        # Users are reference data to leaders and specialists: read only.
        "leader": {ANY_MODEL: FULL, "accounts.user": READ},
        "specialist": {ANY_MODEL: WRITE, "accounts.user": READ},
        # Inspectors read everything (products adds the labelling guidance they record).
        "inspector": {ANY_MODEL: READ},
        # Local officers and council members see only what each app grants them.
        "local_officer": {},
        "council_member": {},
        "viewer": {ANY_MODEL: READ},
    }
)
