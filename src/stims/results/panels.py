"""This app's section of the task page (see `stims.sttasks.panels`): the task's results with their
registration certificate, handovers and application reports. At most five queries whatever the number
of results, handovers and reports (four for a role that may change every result)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stims.core import permissions
from stims.sttasks.panels import SUMMARY_SIDE, PageSection, Panel, register, register_section

from . import (
    search,  # noqa: F401  (registers results in the global search)
    services,
)
from .models import Handover, TaskResult


def results_context(request, task) -> dict:
    user = request.user
    results = list(
        services.with_result_figures(
            services.visible_results(user, task.results.select_related("ip_asset")), user
        ).order_by("pk")
    )
    handovers = permissions.restrict(
        Handover.objects.filter(result__task=task).select_related(
            "receiving_unit__province", "receiving_unit__parent", "receiving_organization"
        ),
        user,
    ).order_by("handed_over_on", "pk")
    by_result: dict[int, list] = {}
    for handover in handovers:
        by_result.setdefault(handover.result_id, []).append(handover)
    every_result = task.results.order_by()
    # A role reaching every result may change each one shown: no query.
    changeable = (
        {result.pk for result in results}
        if permissions.reaches_every_row(user, permissions.CHANGE, TaskResult)
        else set(permissions.restrict(every_result, user, permissions.CHANGE).values_list("pk", flat=True))
    )
    reportable = set(services.reportable_results(user, every_result).values_list("pk", flat=True))
    may_hand_over = permissions.has_perm(user, permissions.ADD, Handover)
    for result in results:
        result.shown_handovers = by_result.get(result.pk, [])
        result.can_change = result.pk in changeable
        result.can_hand_over = result.can_change and may_hand_over
        result.can_report = result.pk in reportable
        result.latest_status_label = services.status_label(result.latest_status)
    return {
        "results": results,
        "can_add_result": permissions.has_perm(user, permissions.ADD, TaskResult)
        and permissions.has_perm(user, permissions.CHANGE, task),
    }


register(Panel("results", _("Results"), "results/panel.html", results_context, order=40))


def summary_replication_context(request, tasks) -> dict:
    """The leader's summary: how many results of the tasks it counts are handed over and applied."""
    replication = services.replication_summary(tasks)
    return {
        "replication_rows": [
            (gettext("Results of accepted tasks"), replication.accepted_results),
            (gettext("handed over"), replication.handed_over),
            (gettext("applied (applied or replicated)"), replication.applied),
            (gettext("replicated"), replication.replicated),
            (gettext("localities applying them"), replication.localities),
        ]
    }


register_section(
    PageSection(
        key="replication",
        page=SUMMARY_SIDE,
        template="results/_summary_replication.html",
        context=summary_replication_context,
    )
)
