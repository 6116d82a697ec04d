"""The workflow conditions about councils (see `stims.sttasks.workflow.register_guard`): a step may
require that a council of a given kind has concluded and passed the task."""

from django.utils.translation import gettext_lazy

from stims.sttasks.workflow import Guard, register_guard


def _council_passed(kind):
    def holds(task) -> bool:
        return task.council_dossiers.filter(
            council__kind=kind, council__concluded_on__isnull=False, passed=True
        ).exists()

    return holds


register_guard(
    "identification_passed",
    Guard(
        gettext_lazy("An identification council has concluded and passed the proposal"),
        gettext_lazy("No concluded identification council has passed this proposal."),
        _council_passed("identification"),
    ),
)
register_guard(
    "selection_passed",
    Guard(
        gettext_lazy("A selection council has concluded and selected the task"),
        gettext_lazy("No concluded selection council has selected this task."),
        _council_passed("selection"),
    ),
)
register_guard(
    "appraisal_passed",
    Guard(
        gettext_lazy("An appraisal council has concluded and passed the content and budget"),
        gettext_lazy("No concluded appraisal council has passed this task's content and budget."),
        _council_passed("appraisal"),
    ),
)
register_guard(
    "acceptance_passed",
    Guard(
        gettext_lazy("An acceptance council has concluded and passed the task"),
        gettext_lazy("No concluded acceptance council has passed this task."),
        _council_passed("acceptance"),
    ),
)
