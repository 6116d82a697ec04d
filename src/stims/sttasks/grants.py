"""S&T tasks in the permission matrix (see `stims.core.permissions`)."""

from stims.core import permissions
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
        },
        # Council members read the tasks their councils weigh.
        "council_member": {
            "sttasks.task": READ,
            "sttasks.document": READ,
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
)
