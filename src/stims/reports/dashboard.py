"""The leaders' dashboard: the figures of `figures.compute` for a year and the year before, bar charts
drawn as server-rendered SVG, and a breakdown by locality (the sections' `by_locality`)."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from stims.geo.models import AdminUnit, Generation, Level
from stims.geo.services import home_province

from . import periods, services
from .figures import cached_compute
from .sections import located_units_q

KEY_FIGURES = [
    "tasks.ordered",
    "tasks.carried_over",
    "tasks.active",
    "councils.with_selection_council",
    "results.handed_over",
    "results.applied",
    "funding.allocated",
    "registries.ocop",
    "registries.trademarks",
    "registries.st_enterprises",
    "inspections.inspections",
    "directives.on_time",
]


def _unit(request):
    """The unit asked for, or the user's default (`services.figures_unit`, the figures API's rule too)."""
    return services.figures_unit(request.user, request.GET.get("unit"))


def locality_options() -> list[AdminUnit]:
    """The picker: the home province, its districts before 2025 and its communes (one query)."""
    home = home_province()
    if home is None:
        return []
    return list(
        AdminUnit.objects.filter(located_units_q(home))
        .filter(
            Q(level__in=[Level.PROVINCE, Level.DISTRICT])
            | Q(level=Level.COMMUNE, generation=Generation.CURRENT)
        )
        .order_by("level", "generation", "name")
    )


def dashboard_context(request) -> dict:
    today = timezone.localdate()
    raw_year = (request.GET.get("year") or "").strip()
    year = int(raw_year) if raw_year.isdigit() and 1990 <= int(raw_year) <= 2100 else today.year
    unit = _unit(request)
    if unit is None:
        return {"unit": None}
    period = periods.parse(periods.YEAR, str(year))
    this, last = (
        cached_compute(unit, period, request.user),
        cached_compute(unit, period.previous_year(), request.user),
    )
    labels = {f"{s.key}.{f.key}": (str(f.label), f.money) for s in this.sections for f in s.figures}
    now, before = this.figures(), last.figures()
    rows = []
    for key in KEY_FIGURES:
        if key not in now:
            continue
        label, money = labels[key]
        top = max(now[key], before[key], 1)
        rows.append(
            {
                "key": key,
                "label": label,
                "money": money,
                "now": now[key],
                "before": before[key],
                "now_width": round(300 * now[key] / top),
                "before_width": round(300 * before[key] / top),
            }
        )
    localities: dict[int, dict] = {}
    for section in this.sections:
        for unit_id, values in section.by_locality.items():
            localities.setdefault(unit_id, {}).update({f"{section.key}.{k}": v for k, v in values.items()})
    names = AdminUnit.objects.in_bulk(list(localities))
    breakdown = sorted(
        (
            {
                "name": names[uid].name,
                "legacy": names[uid].is_legacy,
                "tasks": values.get("tasks.ordered", 0),
                "ocop": values.get("registries.ocop", 0),
            }
            for uid, values in localities.items()
            if uid in names and uid != unit.pk
        ),
        key=lambda r: (r["legacy"], r["name"]),
    )
    top = max([r["ocop"] for r in breakdown] + [r["tasks"] for r in breakdown] + [1])
    for row in breakdown:
        row["ocop_width"], row["tasks_width"] = (
            round(200 * row["ocop"] / top),
            round(200 * row["tasks"] / top),
        )
    return {
        "unit": unit,
        "units": locality_options(),
        "year": year,
        "years": list(range(today.year, today.year - 6, -1)),
        "rows": rows,
        "breakdown": breakdown,
        "digest": this.digest,
        "period": period,
    }
