"""The share of agencies applying and complying with ISO 9001, per year and per level of government."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from .models import APPLYING_STATUSES, COMPLIANT_STATUSES, AgencyLevel, IsoStatus


@dataclass
class ComplianceRow:
    year: int
    level: str  # "" for every level together
    agencies: int
    applying: int
    compliant: int

    @property
    def level_label(self) -> str:
        return str(AgencyLevel(self.level).label) if self.level else ""

    @property
    def applying_percent(self) -> float | None:
        return round(100 * self.applying / self.agencies, 1) if self.agencies else None

    @property
    def compliant_percent(self) -> float | None:
        return round(100 * self.compliant / self.agencies, 1) if self.agencies else None

    def list_url(self, which: str = "") -> str:
        """The list of records behind a figure: every agency, those applying, or those compliant."""
        query = {"year": self.year}
        if self.level:
            query["level"] = self.level
        if which:
            query["standing"] = which
        return f"{reverse('iso:isorecord_list')}?{urlencode(query)}"


def compliance(records) -> list[ComplianceRow]:
    """Per year (latest first): each level's row, then the year's total. `records` is already narrowed to
    what the user may see; one query."""
    counted = (
        records.order_by()
        .values("year", "level")
        .annotate(
            agencies=Count("pk"),
            applying=Count("pk", filter=Q(status__in=APPLYING_STATUSES)),
            compliant=Count("pk", filter=Q(status__in=COMPLIANT_STATUSES)),
        )
    )
    by_year: dict[int, list[ComplianceRow]] = {}
    for row in counted:
        by_year.setdefault(row["year"], []).append(ComplianceRow(**row))
    order = {level: i for i, level in enumerate(AgencyLevel.values)}
    rows: list[ComplianceRow] = []
    for year in sorted(by_year, reverse=True):
        levels = sorted(by_year[year], key=lambda r: order[r.level])
        rows += levels
        rows.append(
            ComplianceRow(
                year,
                "",
                sum(r.agencies for r in levels),
                sum(r.applying for r in levels),
                sum(r.compliant for r in levels),
            )
        )
    return rows


STANDINGS = {"applying": APPLYING_STATUSES, "compliant": COMPLIANT_STATUSES, "not_yet": (IsoStatus.NOT_YET,)}


def with_standing(records, standing: str):
    statuses = STANDINGS.get(standing)
    return records.filter(status__in=statuses) if statuses else records
