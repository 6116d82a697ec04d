"""Expiry warnings: a title about to end is warned about; one already past its date is called lapsed."""

import datetime
from types import SimpleNamespace

from stims.ip.services import expires_soon, has_lapsed

TODAY = datetime.date(2026, 11, 27)


def asset(expiry, protected=True):
    return SimpleNamespace(expiry_date=expiry, status=SimpleNamespace(is_protected=protected))


def test_a_title_ending_within_twelve_months_is_expiring_not_lapsed():
    title = asset(datetime.date(2027, 3, 20))
    assert expires_soon(title, today=TODAY)
    assert not has_lapsed(title, today=TODAY)


def test_a_title_past_its_expiry_is_lapsed_not_expiring():
    title = asset(datetime.date(2022, 9, 10))
    assert has_lapsed(title, today=TODAY)
    assert not expires_soon(title, today=TODAY)


def test_neither_warning_for_a_distant_expiry_or_an_unprotected_asset():
    assert not expires_soon(asset(datetime.date(2032, 9, 10)), today=TODAY)
    assert not has_lapsed(asset(datetime.date(2022, 9, 10), protected=False), today=TODAY)
