"""Report periods: a month, a quarter, the first 5, 6 or 9 months of a year, a year, or any range.

    period = parse("5m", "2023")          # 01/01/2023 – 31/05/2023, "5 tháng đầu năm 2023"
    period = parse("month", "3/2023")     # March 2023
    period = parse("quarter", "2/2023")   # Q2 2023
    period = parse("range", "15/02/2023 - 30/06/2023")

Dates are read by python-dateutil, day first (dd/mm/yyyy, as the department writes them).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from dateutil import parser as date_parser
from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

MONTH, QUARTER, FIVE_MONTHS, SIX_MONTHS, NINE_MONTHS, YEAR, RANGE = (
    "month",
    "quarter",
    "5m",
    "6m",
    "9m",
    "year",
    "range",
)

# key -> (label, how the period is written on the command line)
KINDS = {
    MONTH: (_("Month"), "3/2023"),
    QUARTER: (_("Quarter"), "2/2023"),
    FIVE_MONTHS: (_("First 5 months"), "2023"),
    SIX_MONTHS: (_("First 6 months"), "2023"),
    NINE_MONTHS: (_("First 9 months"), "2023"),
    YEAR: (_("Year"), "2023"),
    RANGE: (_("Any period"), "01/02/2023-30/06/2023"),
}
FIRST_MONTHS = {FIVE_MONTHS: 5, SIX_MONTHS: 6, NINE_MONTHS: 9}


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def year(self) -> int:
        return self.end.year

    @property
    def label(self) -> str:
        """As the department writes it in a report's title and sentences (Vietnamese)."""
        if self.kind == MONTH:
            return f"tháng {self.start.month} năm {self.start.year}"
        if self.kind == QUARTER:
            return f"quý {['I', 'II', 'III', 'IV'][(self.start.month - 1) // 3]} năm {self.start.year}"
        if self.kind in FIRST_MONTHS:
            return f"{FIRST_MONTHS[self.kind]} tháng đầu năm {self.start.year}"
        if self.kind == YEAR:
            return f"năm {self.start.year}"
        return f"từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"

    @property
    def text(self) -> str:
        """The value `parse(kind, text)` reads back."""
        if self.kind == MONTH:
            return f"{self.start.month}/{self.start.year}"
        if self.kind == QUARTER:
            return f"{(self.start.month - 1) // 3 + 1}/{self.start.year}"
        if self.kind == RANGE:
            return f"{self.start:%d/%m/%Y}-{self.end:%d/%m/%Y}"
        return str(self.start.year)

    def previous_year(self) -> Period:
        """The same period one year earlier (this year vs last year)."""
        return Period(self.kind, self.start - relativedelta(years=1), self.end - relativedelta(years=1))


def year_to_date(today: datetime.date) -> Period:
    """From 1 January of `today`'s year to `today` (the home page's "this year to date")."""
    return Period(RANGE, datetime.date(today.year, 1, 1), today)


def _year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text) or not 1990 <= int(text) <= 2100:
        raise PeriodError(_("Give the year as four digits, e.g. 2023."))
    return int(text)


def _month_year(text: str, top: int, what) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{4})", text)
    if not match or not 1 <= int(match[1]) <= top:
        raise PeriodError(
            _("Give the %(what)s as number/year, e.g. %(example)s.")
            % {"what": what, "example": f"{top}/2023"}
        )
    return int(match[1]), _year(match[2])


def _date(text: str) -> datetime.date:
    try:
        return date_parser.parse(text, dayfirst=True).date()
    except (ValueError, OverflowError) as exc:
        raise PeriodError(_("“%(text)s” is not a date (dd/mm/yyyy).") % {"text": text}) from exc


def parse(kind: str, text: str) -> Period:
    text = (text or "").strip()
    if kind not in KINDS:
        raise PeriodError(_("Unknown report type “%(kind)s”.") % {"kind": kind})
    if not text:
        raise PeriodError(_("Give the period."))
    if kind == MONTH:
        month, year = _month_year(text, 12, _("month"))
        start = datetime.date(year, month, 1)
        return Period(kind, start, start + relativedelta(months=1, days=-1))
    if kind == QUARTER:
        quarter, year = _month_year(text, 4, _("quarter"))
        start = datetime.date(year, 3 * quarter - 2, 1)
        return Period(kind, start, start + relativedelta(months=3, days=-1))
    if kind == RANGE:
        parts = re.split(r"\s+(?:-|–|to|đến)\s+|\s*[–]\s*|(?<=\d{4})\s*-\s*(?=\d)", text)
        if len(parts) != 2:
            raise PeriodError(_("Give the period as two dates, e.g. 01/02/2023-30/06/2023."))
        start, end = _date(parts[0]), _date(parts[1])
        if end < start:
            raise PeriodError(_("The period ends before it starts."))
        return Period(kind, start, end)
    year = _year(text)
    months = FIRST_MONTHS.get(kind, 12)
    start = datetime.date(year, 1, 1)
    return Period(kind, start, start + relativedelta(months=months, days=-1))
