"""Products in the permission matrix (see `stims.core.permissions`)."""

from stims.core import permissions
from stims.core.permissions import READ, WRITE

permissions.register_role_grants(
    {
        # Inspectors record the labelling guidance they give.
        "inspector": {"products.labellingguidance": WRITE},
        # Localities keep their own products.
        "local_officer": {
            "products.product": WRITE,
            "products.ocopevaluation": WRITE,
            "products.traceability": WRITE,
            "products.labellingguidance": READ,  # guidance is given by the department's inspectors
            "products.qualitydeclaration": WRITE,
        },
    }
)
permissions.register_reference_models("products.productgroup", "products.starband")
