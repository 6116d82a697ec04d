"""The index from the database: a framework's units, their values, the engine's results, the published
scores beside them, rank history across the 2025 reorganisation. Pages, the API and `stims index compute`
all read `results()` so they show the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q

from stims.core import aggregates
from stims.geo.models import AdminUnit, AdminUnitSuccession, Generation, Level

from . import engine
from .models import Framework, Indicator, IndicatorGroup, IndicatorValue, Pillar, PublishedScore, UnitLevel


def units_of(framework: Framework):
    """The units a framework ranks, in code order."""
    units = AdminUnit.objects.filter(
        generation=Generation.LEGACY if framework.legacy_units else Generation.CURRENT
    ).select_related("parent", "province")  # a commune's name says its province
    if framework.unit_level == UnitLevel.COMMUNE:
        return units.filter(level=Level.COMMUNE, province_id=framework.province_id).order_by("code")
    return units.filter(level=Level.PROVINCE).order_by("code")


@dataclass
class Frame:
    """A framework's structure in order, and the arrays the engine reads."""

    pillars: list[Pillar]
    groups: list[IndicatorGroup]
    indicators: list[Indicator]
    structure: engine.Structure

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.indicators]


def frame(framework: Framework) -> Frame:
    pillars = list(framework.pillars.order_by("number"))
    groups = list(
        IndicatorGroup.objects.filter(pillar__framework=framework).order_by("pillar__number", "code")
    )
    indicators = list(
        Indicator.objects.filter(group__pillar__framework=framework).order_by(
            "group__pillar__number", "group__code", "code"
        )
    )
    p_index = {p.pk: i for i, p in enumerate(pillars)}
    g_index = {g.pk: i for i, g in enumerate(groups)}
    structure = engine.Structure(
        direction=[i.direction for i in indicators],
        weight=[i.weight for i in indicators],
        group_of=[g_index[i.group_id] for i in indicators],
        group_weight=[g.weight for g in groups],
        pillar_of=[p_index[g.pillar_id] for g in groups],
        pillar_weight=[p.weight for p in pillars],
        sub_index_of=[0 if p.sub_index == "input" else 1 for p in pillars],
        transformation=[i.transformation for i in indicators],
        lower=[np.nan if i.lower_bound is None else i.lower_bound for i in indicators],
        upper=[np.nan if i.upper_bound is None else i.upper_bound for i in indicators],
    )
    return Frame(pillars, groups, indicators, structure)


def raw_matrix(framework: Framework, units: list[AdminUnit], fr: Frame) -> np.ndarray:
    u_index = {u.pk: i for i, u in enumerate(units)}
    i_index = {i.pk: j for j, i in enumerate(fr.indicators)}
    raw = np.full((len(units), len(fr.indicators)), np.nan)
    rows = IndicatorValue.objects.filter(indicator__group__pillar__framework=framework).values_list(
        "admin_unit_id", "indicator_id", "value"
    )
    for unit_id, indicator_id, value in rows:
        if unit_id in u_index:
            raw[u_index[unit_id], i_index[indicator_id]] = value
    return raw


@dataclass
class Results:
    framework: Framework
    frame: Frame
    units: list[AdminUnit]
    raw: np.ndarray
    result: engine.Result
    published: dict[int, PublishedScore] = field(default_factory=dict)

    def index_of(self, unit_id: int) -> int:
        for i, u in enumerate(self.units):
            if u.pk == unit_id:
                return i
        raise KeyError(unit_id)

    def rows(self) -> list[dict]:
        """One row per unit, best first (the results table, the export, the API and the command)."""
        r = self.result
        out = []
        for i, unit in enumerate(self.units):
            pub = self.published.get(unit.pk)
            out.append(
                {
                    "unit": unit,
                    "unit_id": unit.pk,
                    "unit_code": unit.code,
                    "unit_name": str(unit.name),
                    "rank": int(r.rank[i]) or None,
                    "overall": _num(r.overall[i]),
                    "input": _num(r.sub_indices[i, 0]),
                    "output": _num(r.sub_indices[i, 1]),
                    "efficiency": _num(r.efficiency[i], 3),
                    "pillars": [_num(v) for v in r.pillars[i]],
                    "filled": int(np.sum(~np.isnan(self.raw[i]))),
                    "published_overall": pub.overall if pub else None,
                    "published_rank": pub.rank if pub else None,
                    "difference": (
                        round(_num(r.overall[i]) - pub.overall, 2)
                        if pub and _num(r.overall[i]) is not None
                        else None
                    ),
                }
            )
        out.sort(key=lambda row: (row["rank"] is None, row["rank"] or 0, row["unit_code"]))
        return out

    def as_json(self) -> dict:
        return {
            "framework": {"id": self.framework.pk, "code": self.framework.code, "year": self.framework.year},
            "synthetic": self.framework.synthetic,
            "pillars": [p.name for p in self.frame.pillars],
            "units": [{k: v for k, v in row.items() if k != "unit"} for row in self.rows()],
        }


def _num(value, digits: int = 2):
    return None if value is None or np.isnan(value) else round(float(value), digits)


def options_of(framework: Framework) -> engine.Options:
    return engine.Options(missing=framework.missing_values)


RESULTS_CACHE_SECONDS = 24 * 3600


def data_version(framework: Framework) -> str:
    """What the framework's results depend on: the version of the index's tables and of the units
    (`core.aggregates`, one query), which moves with any row added, changed or deleted by any write
    path, `QuerySet.update()` and imports included. (It was six counts and last `updated_at`s, which a
    bulk update that leaves `updated_at` alone does not move.)"""
    return aggregates.version(["innovation", "geo"])


def results(framework: Framework, *, overrides: dict[tuple[int, int], float] | None = None) -> Results:
    """The framework's computed index; `overrides` {(unit id, indicator id): value} for "what if".

    Without overrides the result is kept in the cache under the data version (one query), so a unit
    page's rank history does not recompute every year's index on each view. The index covers every
    unit of the framework whoever asks (the pages check the framework itself), so it has one scope."""
    if overrides:
        return _compute(framework, overrides)
    return aggregates.cached(
        "innovation.results",
        lambda: _compute(framework, None),
        depends_on=["innovation", "geo"],
        scope="framework",
        parts=[framework.pk],
        timeout=RESULTS_CACHE_SECONDS,
    )


def _compute(framework: Framework, overrides: dict[tuple[int, int], float] | None) -> Results:
    units = list(units_of(framework))
    fr = frame(framework)
    raw = raw_matrix(framework, units, fr)
    if overrides:
        u_index = {u.pk: i for i, u in enumerate(units)}
        i_index = {i.pk: j for j, i in enumerate(fr.indicators)}
        for (unit_id, indicator_id), value in overrides.items():
            raw[u_index[unit_id], i_index[indicator_id]] = value
    result = engine.compute(raw, fr.structure, options_of(framework))
    published = {p.admin_unit_id: p for p in framework.published_scores.all()}
    return Results(framework, fr, units, raw, result, published)


def find_framework(year: int, code: str | None = None) -> Framework:
    frameworks = Framework.objects.filter(year=year)
    if code:
        frameworks = frameworks.filter(code=code)
    return frameworks.order_by("unit_level", "code").first() or Framework.objects.get(pk=-1)


def completeness(framework: Framework, units) -> dict[int, dict]:
    """Per unit: values entered, with evidence, out of the framework's indicators."""
    # By keys (the framework's indicators, the units): joined through groups and pillars to the framework,
    # the planner read every value of every framework (83 ms at national scale; issue #20).
    indicators = list(
        Indicator.objects.filter(group__pillar__framework=framework).values_list("pk", flat=True)
    )
    units = list(units)
    total = len(indicators)
    counts = (
        IndicatorValue.objects.filter(indicator__in=indicators, admin_unit__in=[u.pk for u in units])
        .values("admin_unit_id")
        .annotate(filled=Count("pk"), evidenced=Count("pk", filter=~Q(evidence="")))
    )
    found = {c["admin_unit_id"]: c for c in counts}
    return {
        u.pk: {
            "unit": u,
            "filled": found.get(u.pk, {}).get("filled", 0),
            "evidenced": found.get(u.pk, {}).get("evidenced", 0),
            "total": total,
        }
        for u in units
    }


def predecessors(unit: AdminUnit) -> list[AdminUnit]:
    """The pre-2025 units merged into a current one (itself if it is legacy)."""
    if unit.generation == Generation.LEGACY:
        return [unit]
    return [
        s.predecessor
        for s in AdminUnitSuccession.objects.filter(
            successor=unit, predecessor__level=unit.level
        ).select_related("predecessor")
    ]


def successor(unit: AdminUnit) -> AdminUnit | None:
    if unit.generation == Generation.CURRENT:
        return unit
    s = (
        AdminUnitSuccession.objects.filter(predecessor=unit, successor__level=unit.level)
        .order_by("-is_principal")
        .select_related("successor")
        .first()
    )
    return s.successor if s else None


def rank_history(framework: Framework, unit: AdminUnit, computed: Results | None = None) -> list[dict]:
    """The unit's rank in every year of the same index code and level; before the reform, the ranks of
    the units it was made of (a merged province shows each predecessor). `computed`: the framework's
    results already at hand."""
    current = successor(unit) or unit
    olds = predecessors(current)
    history = []
    for fw in Framework.objects.filter(code=framework.code, unit_level=framework.unit_level).order_by("year"):
        res = computed if computed is not None and fw.pk == computed.framework.pk else results(fw)
        targets = olds if fw.legacy_units else [current]
        for t in targets:
            try:
                i = res.index_of(t.pk)
            except KeyError:
                continue
            history.append(
                {
                    "year": fw.year,
                    "unit": t,
                    "rank": int(res.result.rank[i]) or None,
                    "of": int(np.sum(res.result.rank > 0)),
                    "overall": _num(res.result.overall[i]),
                }
            )
    return history


REMIND_DAYS = 14  # how long before a framework's data deadline its local officers are reminded


def send_deadline_reminders(today) -> int:
    """Tell each local officer of a unit whose values are not all entered that the framework's data
    deadline is near (within REMIND_DAYS) or passed (up to REMIND_DAYS ago); once per unit, framework
    and deadline. Returns how many notifications were new."""
    import datetime

    from django.urls import reverse
    from django.utils import formats
    from django.utils.translation import gettext as _

    from stims.accounts.models import RoleAssignment
    from stims.accounts.notify import notify_each

    window = datetime.timedelta(days=REMIND_DAYS)
    items = []
    for fw in Framework.objects.filter(deadline__gte=today - window, deadline__lte=today + window):
        units = list(units_of(fw))
        rows = completeness(fw, units)
        short = {pk: row for pk, row in rows.items() if row["total"] and row["filled"] < row["total"]}
        if not short:
            continue
        officers = RoleAssignment.objects.active(today).filter(role="local_officer", admin_unit_id__in=short)
        link = reverse("innovation:framework_detail", args=[fw.pk])
        for assignment in officers.select_related("user"):
            row = short[assignment.admin_unit_id]
            late = fw.deadline < today
            message = (
                _(
                    "Overdue: %(framework)s, data deadline %(date)s; %(unit)s has entered %(filled)d of %(total)d indicators."
                )
                if late
                else _(
                    "%(framework)s: data deadline %(date)s; %(unit)s has entered %(filled)d of %(total)d indicators."
                )
            ) % {
                "framework": fw,
                "date": formats.date_format(fw.deadline, "SHORT_DATE_FORMAT"),
                "unit": row["unit"],
                "filled": row["filled"],
                "total": row["total"],
            }
            key = f"innovation:framework:{fw.pk}:{assignment.admin_unit_id}:{fw.deadline}:{'late' if late else 'soon'}"
            items.append((assignment.user, key, message, link))
    return notify_each(items)
