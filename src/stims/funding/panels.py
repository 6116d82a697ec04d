"""This app's section of the task page (see `stims.sttasks.panels`)."""

from django.utils.translation import gettext_lazy as _

from stims.core import permissions
from stims.sttasks.panels import SUMMARY_END, PageSection, Panel, register, register_section

from . import services
from .models import BudgetLine, Disbursement, Settlement, Tranche

MODELS = {"line": BudgetLine, "tranche": Tranche, "disbursement": Disbursement, "settlement": Settlement}


def budget_context(request, task) -> dict:
    """The task's budget for the "Budget" panel: four queries whatever the number of rows.

    Add and edit links follow the user's grants on each funding model. The funding rows of a task are
    scoped through the task (its ordering unit and lead organization), so a user who sees the task
    page holds a model-wide grant within the task's scope; the pages re-check the record itself, and
    refuse a save outside the user's scope."""
    user = request.user
    if not permissions.has_perm(user, permissions.VIEW, BudgetLine):
        return {"visible": False}
    data = {"visible": True, "budget": services.task_budget(task, user)}
    for key, model in MODELS.items():
        data[f"can_add_{key}"] = permissions.has_perm(user, permissions.ADD, model)
        data[f"can_change_{key}"] = permissions.has_perm(user, permissions.CHANGE, model)
    return data


register(Panel("budget", _("Budget"), "funding/_budget_panel.html", budget_context, order=30))


def summary_budget_context(request, tasks) -> dict:
    """The leader's summary: the budget of the tasks it counts, by year."""
    return {"budget": services.budget_by_year(tasks)}


register_section(
    PageSection(
        key="budget",
        page=SUMMARY_END,
        template="funding/_summary_budget.html",
        context=summary_budget_context,
    )
)
