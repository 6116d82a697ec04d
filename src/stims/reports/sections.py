"""The registry of report sections: each domain app contributes the figures and tables of its part of
a periodic report from its own `report_sections.py`, imported by its AppConfig.ready():

    from stims.reports import sections

    def tasks_section(scope: sections.Scope) -> sections.Section:
        tasks = permissions.restrict(Task.objects.all(), scope.user).filter(scope.located("ordering_unit__"))
        ...
        return sections.Section(figures=[sections.Figure("ordered", _("tasks ordered"), n)], ...)

    sections.register("tasks", _("S&T tasks"), tasks_section, order=10)

The reports app names no domain model: it sits below every domain (it imports only core and the
directory), so a later domain adds its section without editing it. A section's figures are computed
through `permissions.restrict` for the user the report is made for, with a fixed number of aggregate
queries whatever the data size.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q

from stims.geo.models import AdminUnit, AdminUnitSuccession, Generation, Level

from .periods import Period


@dataclass
class Figure:
    key: str
    label: str
    value: int
    money: bool = False

    @property
    def display(self) -> str:
        """Dots group thousands; a money figure's label says "(đồng)", the number stands alone."""
        return f"{int(self.value):,}".replace(",", ".")


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]


@dataclass
class Chart:
    """A bar chart of a section (rendered to an image in the documents, to SVG on the dashboard)."""

    title: str
    labels: list[str]
    values: list[int]


@dataclass
class Section:
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    # Clauses of the summary of the period, e.g. "Sở đã bàn giao 12 kết quả nhiệm vụ KH&CN".
    clauses: list[str] = field(default_factory=list)
    chart: Chart | None = None
    # Optional per-locality figures for the dashboard: {unit id: {figure key: value}}.
    by_locality: dict[int, dict[str, int]] = field(default_factory=dict)
    # Filled in by the registry.
    key: str = ""
    title: str = ""


@dataclass
class Scope:
    unit: AdminUnit
    period: Period
    user: object

    @property
    def start(self) -> datetime.date:
        return self.period.start

    @property
    def end(self) -> datetime.date:
        return self.period.end

    @property
    def years(self) -> range:
        return range(self.period.start.year, self.period.end.year + 1)

    def located(self, prefix: str = "") -> Q:
        """Rows located in the unit: itself and the units under it; a province also takes in the legacy
        province(s) it continues (the 2022–2023 records kept on legacy districts such as Huyện Ba Chẽ).
        `prefix` is the path to the unit, e.g. "ordering_unit__"."""
        return located_units_q(self.unit, prefix)


def located_units_q(unit: AdminUnit, prefix: str = "") -> Q:
    if unit.level == Level.PROVINCE:
        provinces = {unit.pk}
        if unit.generation == Generation.CURRENT:
            provinces |= set(
                AdminUnitSuccession.objects.filter(
                    successor=unit, predecessor__level=Level.PROVINCE
                ).values_list("predecessor_id", flat=True)
            )
        return Q(**{f"{prefix}province_id__in": provinces}) | Q(**{f"{prefix}pk__in": provinces})
    return Q(**{f"{prefix}pk": unit.pk}) | Q(**{f"{prefix}parent_id": unit.pk})


@dataclass
class Registered:
    key: str
    title: object
    compute: Callable[[Scope], Section]
    order: int
    # What the section reads, for the cached figures (core.aggregates: app labels or models); None: it
    # is not said, and the figures then follow a change to any table.
    depends_on: list | None = None


_SECTIONS: dict[str, Registered] = {}


def register(
    key: str, title, compute: Callable[[Scope], Section], *, order: int = 100, depends_on: list | None = None
) -> None:
    _SECTIONS[key] = Registered(key, title, compute, order, depends_on)


def registered() -> list[Registered]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
