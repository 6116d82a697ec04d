"""Results in the permission matrix (see `stims.core.permissions`)."""

from stims.core import choices, permissions
from stims.core.permissions import READ, WRITE

permissions.register_role_grants(
    {
        # Localities report where the results handed to them are applied.
        "local_officer": {
            "results.taskresult": READ,
            "results.handover": READ,
            "results.applicationreport": WRITE,
        },
    }
)


def _changeable(user, queryset):
    return permissions.restrict(queryset, user, permissions.CHANGE)


def _reportable(user, queryset):
    from . import services

    return services.reportable_results(user, queryset)


# On the pages and in the API alike: a result is recorded on a task the user may change, handed over by
# whoever may change it, and reported on by whoever changes or received it.
choices.register_choices("results.taskresult", "task", _changeable)
choices.register_choices("results.handover", "result", _changeable)
choices.register_choices("results.applicationreport", "result", _reportable)
