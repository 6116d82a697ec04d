"""The workflow conditions about a task's results (see `stims.sttasks.workflow.register_guard`)."""

from django.utils.translation import gettext_lazy

from stims.sttasks.workflow import Guard, register_guard


def _results_registered(task) -> bool:
    results = task.results.all()
    return results.exists() and not results.filter(certificate_number="").exists()


def _results_handed_over(task) -> bool:
    results = task.results.all()
    return results.exists() and not results.filter(handovers__isnull=True).exists()


register_guard(
    "results_registered",
    Guard(
        gettext_lazy("Every result is recorded with its registration certificate"),
        gettext_lazy("Record the task's results, each with its registration certificate, first."),
        _results_registered,
    ),
)
register_guard(
    "results_handed_over",
    Guard(
        gettext_lazy("Every result is handed over to at least one receiving unit"),
        gettext_lazy("Hand every result over to at least one receiving unit first."),
        _results_handed_over,
    ),
)
register_guard(
    "application_reported",
    Guard(
        gettext_lazy("At least one application of a result is reported"),
        gettext_lazy("Report at least one place where a result is applied first."),
        lambda task: task.results.filter(applications__isnull=False).exists(),
    ),
)
