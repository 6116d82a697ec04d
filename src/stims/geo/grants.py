"""Administrative units in the permission layer: the unit model and the units a unit covers (scopes),
and the units as reference data every role reads."""

from stims.core import permissions
from stims.core.permissions import READ

from .models import AdminUnit
from .services import covered_units_q

permissions.configure(unit_model=AdminUnit, covered_units=covered_units_q)

permissions.register_role_grants(
    {
        "leader": {"geo.adminunit": READ},
        "specialist": {"geo.adminunit": READ},
        "local_officer": {"geo.adminunit": READ},
        "council_member": {"geo.adminunit": READ},
    }
)
permissions.register_reference_models("geo.adminunit")
