"""Report periods as the department names them, read by python-dateutil (day first)."""

import datetime

import pytest

from stims.reports import periods
from stims.reports.periods import Period, PeriodError, parse

D = datetime.date


@pytest.mark.parametrize(
    ("kind", "text", "start", "end", "label"),
    [
        ("month", "3/2023", D(2023, 3, 1), D(2023, 3, 31), "tháng 3 năm 2023"),
        ("month", "2/2024", D(2024, 2, 1), D(2024, 2, 29), "tháng 2 năm 2024"),
        ("quarter", "2/2023", D(2023, 4, 1), D(2023, 6, 30), "quý II năm 2023"),
        ("5m", "2023", D(2023, 1, 1), D(2023, 5, 31), "5 tháng đầu năm 2023"),
        ("6m", "2023", D(2023, 1, 1), D(2023, 6, 30), "6 tháng đầu năm 2023"),
        ("9m", "2023", D(2023, 1, 1), D(2023, 9, 30), "9 tháng đầu năm 2023"),
        ("year", "2022", D(2022, 1, 1), D(2022, 12, 31), "năm 2022"),
        (
            "range",
            "15/02/2023-30/06/2023",
            D(2023, 2, 15),
            D(2023, 6, 30),
            "từ ngày 15/02/2023 đến ngày 30/06/2023",
        ),
        (
            "range",
            "1/1/2020 đến 31/12/2022",
            D(2020, 1, 1),
            D(2022, 12, 31),
            "từ ngày 01/01/2020 đến ngày 31/12/2022",
        ),
    ],
)
def test_each_report_type_reads_its_period_and_names_it_in_vietnamese(kind, text, start, end, label):
    period = parse(kind, text)
    assert (period.start, period.end, period.label) == (start, end, label)
    assert parse(kind, period.text) == period  # what a report stores reads back the same


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("month", "13/2023"),
        ("quarter", "5/2023"),
        ("year", "23"),
        ("range", "30/06/2023-01/02/2023"),
        ("range", "abc"),
        ("week", "1"),
    ],
)
def test_a_period_that_does_not_exist_is_refused_with_a_reason(kind, text):
    with pytest.raises(PeriodError):
        parse(kind, text)


def test_the_same_period_a_year_earlier_compares_this_year_with_last():
    assert parse("5m", "2023").previous_year() == Period(periods.FIVE_MONTHS, D(2022, 1, 1), D(2022, 5, 31))
