"""The indicators STIMS can measure from its own records, by key: a target whose `measure` names one of
them has its progress counted, never typed. Each reads one domain's models (importing downward only)
over the target's locality (the plan's when the target has none, with the units below it) and its year
(the whole period of the plan when the target has none).

    MEASURES["ip_filings"].count(target)  # -> int
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _


def within(path: str, unit) -> Q:
    """Rows whose unit (at `path`) is `unit` or lies below it (province → district → commune)."""
    return Q(**{path: unit}) | Q(**{f"{path}__parent": unit}) | Q(**{f"{path}__parent__parent": unit})


def years_of(target) -> tuple[int, int]:
    if target.year:
        return target.year, target.year
    return target.plan.start_year, target.plan.end_year


def unit_of(target):
    return target.admin_unit if target.admin_unit_id else target.plan.admin_unit


@dataclass(frozen=True)
class Measure:
    label: object
    rows: Callable[[object], QuerySet]  # target -> the records that count
    reads: tuple[str, ...] = ()  # the apps whose tables the count reads (its cached value's versions)

    def count(self, target) -> int:
        return self.rows(target).count()


def _tasks(target):
    from stims.sttasks.models import Task

    plan = target.plan
    linked = Q(plan_links__plan=plan)
    if plan.task_programme_id:
        linked |= Q(programme_id=plan.task_programme_id)
    return Task.objects.filter(linked).distinct()


def _results_applied(target):
    from stims.results.models import ApplicationReport, ApplicationStatus

    first, last = years_of(target)
    return ApplicationReport.objects.filter(
        within("admin_unit", unit_of(target)),
        year__range=(first, last),
        status__in=[ApplicationStatus.APPLIED, ApplicationStatus.REPLICATED],
    )


def _ocop(stars: int):
    def rows(target):
        from stims.products.models import OcopEvaluation

        first, last = years_of(target)
        return OcopEvaluation.objects.filter(
            within("product__admin_unit", unit_of(target)), year__range=(first, last), stars__gte=stars
        )

    return rows


def _ip_filings(target):
    from stims.ip.models import IpAsset

    first, last = years_of(target)
    return IpAsset.objects.filter(
        within("admin_unit", unit_of(target)), application_date__year__range=(first, last)
    )


def _st_enterprises(target):
    from stims.enterprises.models import StEnterprise

    first, last = years_of(target)
    return StEnterprise.objects.filter(
        within("organization__admin_unit", unit_of(target)), certificate_date__year__range=(first, last)
    )


def _inspections(target):
    from stims.inspections.models import Inspection

    first, last = years_of(target)
    return Inspection.objects.filter(
        within("establishment__admin_unit", unit_of(target)), inspected_on__year__range=(first, last)
    )


MEASURES: dict[str, Measure] = {
    "tasks": Measure(_("S&T tasks done under the plan"), _tasks, ("sttasks",)),
    "results_applied": Measure(
        _("Task results applied (reports of application)"), _results_applied, ("results",)
    ),
    "ocop_3_stars": Measure(_("OCOP products rated 3 stars or more"), _ocop(3), ("products",)),
    "ocop_4_stars": Measure(_("OCOP products rated 4 stars or more"), _ocop(4), ("products",)),
    "ip_filings": Measure(_("IP applications filed"), _ip_filings, ("ip",)),
    "st_enterprises": Measure(
        _("S&T enterprise certificates granted"), _st_enterprises, ("enterprises", "orgs")
    ),
    "inspections": Measure(_("Inspections made"), _inspections, ("inspections",)),
}


def choices() -> list[tuple[str, object]]:
    return [("", _("Entered with evidence")), *((key, m.label) for key, m in MEASURES.items())]
