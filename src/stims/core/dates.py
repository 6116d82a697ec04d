"""Calendar arithmetic, with python-dateutil: the same day some months or years later, the month's
last day where that month is shorter (31 January + 1 month → 28/29 February; 29 February + 1 year →
28 February)."""

import datetime

from dateutil.relativedelta import relativedelta


def add_months(day: datetime.date, months: int) -> datetime.date:
    return day + relativedelta(months=months)


def add_years(day: datetime.date, years: int) -> datetime.date:
    return day + relativedelta(years=years)
