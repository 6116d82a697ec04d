"""S&T tasks in the permission matrix (see `stims.core.permissions`)."""

from stims.accounts.models import department_staff
from stims.core import choices, permissions
from stims.core.permissions import READ, WRITE

permissions.register_role_grants(
    {
        # A locality proposes and orders tasks, attaches their papers, and follows them.
        "local_officer": {
            "sttasks.task": WRITE,
            "sttasks.taskmember": WRITE,
            "sttasks.document": WRITE,
            "sttasks.taskevent": READ,
            "sttasks.progressreport": READ,
            # The department's calls for proposals: a locality reads them to answer one.
            "sttasks.call": READ,
        },
        # Council members read the tasks their councils weigh.
        "council_member": {
            "sttasks.task": READ,
            "sttasks.document": READ,
            "sttasks.call": READ,
        },
    }
)
permissions.register_reference_models(
    "sttasks.tasktype",
    "sttasks.programme",
    "sttasks.sciencefield",
    "sttasks.workflowstate",
    "sttasks.workflowtransition",
    "sttasks.documentkind",
    # Department-wide (no unit, no organization): every signed-in user with a role reads the calls.
    "sttasks.call",
)

# A task's officer in charge is one of the department's staff, on the pages and in the API alike.
choices.register_choices("sttasks.task", "officer", lambda user, queryset: department_staff())
