"""The innovation index in the permission matrix (see `stims.core.permissions`)."""

from stims.core import permissions
from stims.core.permissions import WRITE

# The frameworks, their structure and the published scores are public reference data; the department's
# staff edit them (the matrix's wildcard rows for leaders and specialists).
permissions.register_reference_models(
    "innovation.framework",
    "innovation.pillar",
    "innovation.indicatorgroup",
    "innovation.indicator",
    "innovation.publishedscore",
)

permissions.register_role_grants(
    {
        # A locality's officer enters its own unit's indicator values and evidence, nobody else's.
        "local_officer": {"innovation.indicatorvalue": WRITE},
    }
)
