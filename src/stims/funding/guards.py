"""The workflow conditions about a task's money (see `stims.sttasks.workflow.register_guard`)."""

from django.utils.translation import gettext_lazy

from stims.sttasks.workflow import Guard, register_guard

register_guard(
    "budget_planned",
    Guard(
        gettext_lazy("The budget is planned by year and source"),
        gettext_lazy("Plan the task's budget by year and source first."),
        lambda task: task.budget_lines.exists(),
    ),
)
register_guard(
    "settled",
    Guard(
        gettext_lazy("The task's funds are settled"),
        gettext_lazy("Record the settlement of the task's funds first."),
        lambda task: type(task).objects.filter(pk=task.pk, settlement__isnull=False).exists(),
    ),
)
