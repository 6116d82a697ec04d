"""Calendar arithmetic: the month's last day where the target month is shorter."""

import datetime

import pytest

from stims.core.dates import add_months, add_years

D = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 11, 15), 3, D(2027, 2, 15)),
        (D(2026, 5, 31), 12 * 5 + 1, D(2031, 6, 30)),
    ],
)
def test_months_later_or_earlier(day, months, expected):
    assert add_months(day, months) == expected


def test_a_year_after_29_february_is_28_february_and_four_years_after_is_29():
    assert add_years(D(2028, 2, 29), 1) == D(2029, 2, 28)
    assert add_years(D(2028, 2, 29), 4) == D(2032, 2, 29)
