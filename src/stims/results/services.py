"""What became of the results of accepted tasks: who received them, and where they are applied.

Two figures layers, each a fixed number of SQL queries whatever the number of rows:
  * `replication_summary(task_queryset)`: how many results of accepted tasks were handed over,
    applied, replicated, and in how many localities (the leader's summary calls it with the tasks
    the leader may see; the replication page narrows it further by years, unit and permissions);
  * `application_by_unit(report_queryset)`: one row per locality where results are applied.

And the two rules that widen or narrow what a user may do with results, named in `rules.py`
(`VIEW_RESULT`, `REPORT_APPLICATION`) so the pages, the panel on the task page and the API agree:
  * `visible_results(user)`: a result is visible to whoever may see it (its task's scope), or may see
    one of its handovers (the receiving unit) or one of its application reports (where applied). A
    commune's officer thus sees the results handed over to their commune, though the task was ordered
    by the province;
  * `reportable_results(user)`: a result may get an application report from whoever may change it,
    or from whoever may see a handover of it — the unit it was handed over to. A commune's officer
    reports on the results handed over to their commune, and on no other.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from stims.core import permissions
from stims.core.db import within
from stims.geo.models import AdminUnit, Generation, Level
from stims.geo.services import locality_row_unit

from . import rules as result_rules
from .models import ApplicationReport, ApplicationStatus, Handover, TaskResult

# The task states from which a task's results count as accepted (sttasks.workflow.DEFAULT_STATES):
# registered after acceptance, and every state after that.
ACCEPTED_STATES = ("results_registered", "liquidated", "handed_over", "applied")
# Statuses of an application report meaning the result is in use there.
IN_USE = (ApplicationStatus.APPLIED, ApplicationStatus.REPLICATED)


# --- Who may see and report what: the rules of `results.rules` ---------------------------------------
visible_results = result_rules.visible_results
reportable_results = result_rules.reportable_results


def may_report_application(user, result: TaskResult) -> bool:
    return result_rules.has(result_rules.REPORT_APPLICATION, user, result)


def accepted_results(task_queryset):
    """Results of the tasks of `task_queryset` that reached acceptance (see `ACCEPTED_STATES`)."""
    return within(TaskResult.objects.filter(task__state__code__in=ACCEPTED_STATES), "task", task_queryset)


# --- The summary ------------------------------------------------------------------------------------
def pct(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass
class ReplicationSummary:
    accepted_results: int = 0  # results of accepted tasks
    handed_over: int = 0  # … handed over to at least one receiver
    applied: int = 0  # … with a report saying they are applied or replicated
    replicated: int = 0  # … with a report saying they are replicated
    localities: int = 0  # distinct localities (see `application_by_unit`) where they are applied

    @property
    def handed_over_pct(self) -> Decimal | None:
        return pct(self.handed_over, self.accepted_results)

    @property
    def applied_pct(self) -> Decimal | None:
        return pct(self.applied, self.accepted_results)

    @property
    def replicated_pct(self) -> Decimal | None:
        return pct(self.replicated, self.accepted_results)

    def as_dict(self) -> dict:
        return {
            "accepted_results": self.accepted_results,
            "handed_over": self.handed_over,
            "applied": self.applied,
            "replicated": self.replicated,
            "localities": self.localities,
        }


def replication_summary(task_queryset, *, results=None, handovers=None, reports=None) -> ReplicationSummary:
    """How many results of the accepted tasks among `task_queryset` were handed over, applied (a report
    with status applied or replicated, in any year), replicated, and in how many distinct localities.

    Five queries, whatever the number of tasks. The keyword arguments narrow what counts:
    `results` the results (e.g. `visible_results(user)`), `handovers` the handovers (e.g. to one unit,
    in some years), `reports` the application reports (e.g. in a year range, in one unit).
    """
    counted = accepted_results(task_queryset)
    if results is not None:
        counted = counted.filter(pk__in=results.values("pk"))
    handovers = Handover.objects.all() if handovers is None else handovers
    reports = ApplicationReport.objects.all() if reports is None else reports
    ids = counted.values("pk")
    in_use = reports.filter(status__in=IN_USE, result__in=ids)
    # Distinct counts over the joined rows, not EXISTS per result: on PostgreSQL with 100,000 results
    # this halves the time of the leader's summary.
    figures = {
        "accepted_results": counted.count(),
        "handed_over": handovers.filter(result__in=ids).aggregate(n=Count("result", distinct=True))["n"],
        "applied": in_use.aggregate(n=Count("result", distinct=True))["n"],
        "replicated": in_use.filter(status=ApplicationStatus.REPLICATED).aggregate(
            n=Count("result", distinct=True)
        )["n"],
    }
    localities = in_use.aggregate(n=Count(locality_row_unit("admin_unit__"), distinct=True))["n"]
    return ReplicationSummary(
        localities=localities or 0, **{key: value or 0 for key, value in figures.items()}
    )


# --- By locality ------------------------------------------------------------------------------------
@dataclass
class LocalityRow:
    unit: AdminUnit
    results_applied: int = 0  # distinct results applied or replicated there
    results_replicated: int = 0
    results_on_trial: int = 0
    reports: int = 0
    latest_year: int | None = None

    @property
    def unit_name(self) -> str:
        return str(self.unit)

    @property
    def is_legacy(self) -> bool:
        return self.unit.is_legacy


def application_by_unit(report_queryset) -> list[LocalityRow]:
    """One row per locality of the reports of `report_queryset`: today's provinces and communes, and
    the pre-2025 districts under their own names (a legacy commune's reports count in its district,
    as they were reported then). Two queries."""
    grouped = (
        report_queryset.annotate(row_unit=locality_row_unit("admin_unit__"))
        .values("row_unit")
        .annotate(
            results_applied=Count("result", distinct=True, filter=Q(status__in=IN_USE)),
            results_replicated=Count("result", distinct=True, filter=Q(status=ApplicationStatus.REPLICATED)),
            results_on_trial=Count("result", distinct=True, filter=Q(status=ApplicationStatus.TRIAL)),
            reports=Count("pk"),
            latest_year=Max("year"),
        )
        .order_by()
    )
    rows = {values.pop("row_unit"): values for values in grouped}
    units = AdminUnit.objects.select_related("province", "parent").in_bulk(list(rows))
    result = [
        LocalityRow(unit=units[unit_id], **values) for unit_id, values in rows.items() if unit_id in units
    ]
    level_order = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
    result.sort(
        key=lambda row: (
            -row.results_applied,
            level_order.get(row.unit.level, 3),
            row.unit.generation == Generation.LEGACY,
            row.unit.name,
        )
    )
    return result


# --- Results never applied --------------------------------------------------------------------------
def never_applied(results, *, handovers=None, reports=None):
    """The results among `results` handed over (among `handovers`) with no report (among `reports`)
    saying they are applied or replicated: annotated with the first handover date, the number of
    handovers and of reports of any status. One query when evaluated."""
    handovers = Handover.objects.all() if handovers is None else handovers
    reports = ApplicationReport.objects.all() if reports is None else reports
    own_handovers = handovers.filter(result=OuterRef("pk")).order_by()
    own_reports = reports.filter(result=OuterRef("pk")).order_by()
    return (
        results.filter(Exists(own_handovers))
        .exclude(Exists(own_reports.filter(status__in=IN_USE)))
        .annotate(
            first_handed_over_on=Subquery(
                own_handovers.order_by("handed_over_on", "pk").values("handed_over_on")[:1]
            ),
            handover_count=Subquery(
                own_handovers.values("result").annotate(n=Count("pk")).values("n"),
                output_field=IntegerField(),
            ),
            report_count=Coalesce(
                Subquery(
                    own_reports.values("result").annotate(n=Count("pk")).values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
    )


def with_result_figures(results, user):
    """Results annotated with what `user` may see of their handovers and reports: `handover_count`,
    `last_handed_over_on`, `report_count`, `latest_year`, `latest_status`, `is_applied` (subqueries,
    so one query for any number of results)."""
    handovers = permissions.restrict(Handover.objects.all(), user).filter(result=OuterRef("pk")).order_by()
    reports = (
        permissions.restrict(ApplicationReport.objects.all(), user).filter(result=OuterRef("pk")).order_by()
    )
    latest = reports.order_by("-year", "-pk")
    return results.annotate(
        handover_count=Coalesce(
            Subquery(
                handovers.values("result").annotate(n=Count("pk")).values("n"), output_field=IntegerField()
            ),
            0,
        ),
        last_handed_over_on=Subquery(
            handovers.order_by("-handed_over_on", "-pk").values("handed_over_on")[:1]
        ),
        report_count=Coalesce(
            Subquery(
                reports.values("result").annotate(n=Count("pk")).values("n"), output_field=IntegerField()
            ),
            0,
        ),
        latest_year=Subquery(latest.values("year")[:1]),
        latest_status=Subquery(latest.values("status")[:1]),
        is_applied=Exists(reports.filter(status__in=IN_USE)),
    )


def status_label(code: str | None) -> str:
    return str(ApplicationStatus(code).label) if code else ""
