"""The one query layer of the reports: the report files (DOCX, XLSX, PDF), the leaders' dashboard and
the API all call `compute`, so a number can never differ between them.

    data = compute(unit, period, user)
    data.figure("results.handed_over")      # 12
    data.digest                             # sha256 of the figures and tables, stored with a report
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field

from django.utils import timezone

from stims.core import aggregates
from stims.geo.models import AdminUnit

from . import sections
from .periods import Period


@dataclass
class ReportData:
    unit: AdminUnit
    period: Period
    sections: list[sections.Section] = field(default_factory=list)

    def figures(self) -> dict[str, int]:
        return {f"{s.key}.{f.key}": f.value for s in self.sections for f in s.figures}

    def figure(self, key: str) -> int:
        return self.figures()[key]

    def tables(self) -> list[sections.Table]:
        return [t for s in self.sections for t in s.tables]

    def as_dict(self) -> dict:
        return {
            "unit": {"id": self.unit.pk, "name": self.unit.name},
            "period": {
                "kind": self.period.kind,
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
                "label": self.period.label,
            },
            "sections": [
                {
                    "key": s.key,
                    "title": str(s.title),
                    "figures": [{**asdict(f), "label": str(f.label)} for f in s.figures],
                    "tables": [
                        {
                            "key": t.key,
                            "title": str(t.title),
                            "headers": [str(h) for h in t.headers],
                            "rows": t.rows,
                        }
                        for t in s.tables
                    ],
                }
                for s in self.sections
            ],
            "digest": self.digest,
        }

    @property
    def digest(self) -> str:
        """A fingerprint of the figures and tables: the same data gives the same digest."""
        payload = {
            "figures": self.figures(),
            "tables": [[t.key, [[str(c) for c in row] for row in t.rows]] for t in self.tables()],
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    def summary(self) -> str:
        """The "summary of the period" in Vietnamese, composed from the figures (a person edits it)."""
        clauses = [c for s in self.sections for c in s.clauses]
        where = "" if self.unit.level == "province" else f" trên địa bàn {self.unit.name}"
        if not clauses:
            return f"Trong {self.period.label}{where}, chưa có số liệu được ghi nhận trong hệ thống."
        return f"Trong {self.period.label}{where}, " + "; ".join(clauses) + "."


def cached_compute(unit: AdminUnit, period: Period, user) -> ReportData:
    """`compute`, kept in the cache while no table a section reads changes (core.aggregates), per scope
    of visibility: the dashboard and the figures API. A report's file is made from a fresh `compute`."""
    depends_on: list = ["geo"]
    for registered in sections.registered():
        depends_on += ["*"] if registered.depends_on is None else registered.depends_on
    return aggregates.cached(
        "reports.figures",
        lambda: compute(unit, period, user),
        depends_on=depends_on,
        scope=aggregates.scope_of(user),
        parts=[unit.pk, period.kind, period.start, period.end, timezone.localdate()],
        stale_for=user,
    )


def compute(unit: AdminUnit, period: Period, user, *, only: set[str] | None = None) -> ReportData:
    scope = sections.Scope(unit=unit, period=period, user=user)
    data = ReportData(unit=unit, period=period)
    for registered in sections.registered():
        if only is not None and registered.key not in only:
            continue
        section = registered.compute(scope)
        section.key, section.title = registered.key, registered.title
        data.sections.append(section)
    return data
