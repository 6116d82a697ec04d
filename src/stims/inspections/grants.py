"""Inspections in the permission matrix (see `stims.core.permissions`).

  * inspectors record everything of an inspection: establishments, plans, decisions, inspections,
    violations, sanctions, follow-ups, and the instruments and radiation records they check (who moves
    an inspection is a named rule, `rules.py`);
  * leaders hold FULL and specialists (the quality division) WRITE on every model by default
    (`accounts.grants`); specialists only read the inspections themselves and their findings, which
    are the inspectors' record;
  * local officers and council members are granted nothing here: they do not reach these records;
    viewers read everything.
Sectors and the violation catalogue are reference data every signed-in user with a role may read.
"""

from stims.core import permissions
from stims.core.permissions import READ, WRITE

INSPECTION_RECORDS = (
    "inspections.inspectionplan",
    "inspections.inspectiondecision",
    "inspections.inspection",
    "inspections.inspectionevent",
    "inspections.violation",
    "inspections.sanction",
    "inspections.followup",
)
QUALITY_RECORDS = (
    "inspections.establishment",
    "inspections.measuringinstrument",
    "inspections.radiationsource",
    "inspections.radiationlicence",
)

permissions.register_role_grants(
    {
        "inspector": {
            **{label: WRITE for label in (*INSPECTION_RECORDS, *QUALITY_RECORDS)},
            "inspections.inspectionevent": READ,  # moves are recorded by `services.move` only
        },
        "specialist": {label: READ for label in INSPECTION_RECORDS},
    }
)
permissions.register_reference_models("inspections.sector", "inspections.violationtype")
