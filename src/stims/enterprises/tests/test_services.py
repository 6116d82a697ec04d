"""Revocation of a certificate and the revenue-share helpers."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from stims.enterprises import services
from stims.enterprises.models import StRevenueShare
from stims.testing import make_user

pytestmark = pytest.mark.django_db


def test_revoking_records_date_reason_and_who_did_it(ba_che_enterprise):
    leader = make_user("leader")
    services.revoke(ba_che_enterprise, datetime.date(2024, 5, 2), "Không duy trì tỷ lệ doanh thu", leader)
    ba_che_enterprise.refresh_from_db()
    assert ba_che_enterprise.revoked_on == datetime.date(2024, 5, 2)
    assert not ba_che_enterprise.is_active
    latest = ba_che_enterprise.history.first()
    assert latest.history_user == leader
    assert latest.revocation_reason == "Không duy trì tỷ lệ doanh thu"


def test_a_second_revocation_is_refused_and_changes_nothing(ba_che_enterprise):
    services.revoke(ba_che_enterprise, datetime.date(2024, 5, 2), "Lý do 1")
    versions = ba_che_enterprise.history.count()
    with pytest.raises(ValidationError):
        services.revoke(ba_che_enterprise, datetime.date(2024, 6, 1), "Lý do 2")
    ba_che_enterprise.refresh_from_db()
    assert (ba_che_enterprise.revoked_on, ba_che_enterprise.revocation_reason) == (
        datetime.date(2024, 5, 2),
        "Lý do 1",
    )
    assert ba_che_enterprise.history.count() == versions


def test_a_revocation_dated_before_the_certificate_is_refused(ba_che_enterprise):
    with pytest.raises(ValidationError) as error:
        services.revoke(ba_che_enterprise, datetime.date(2020, 1, 1), "Lý do")
    assert "on_date" in error.value.message_dict
    ba_che_enterprise.refresh_from_db()
    assert ba_che_enterprise.revoked_on is None and ba_che_enterprise.revocation_reason == ""


def test_a_revocation_needs_a_reason_and_a_date_not_in_the_future(ba_che_enterprise):
    with pytest.raises(ValidationError) as error:
        services.revoke(ba_che_enterprise, datetime.date.today() + datetime.timedelta(days=2), "  ")
    assert set(error.value.message_dict) == {"on_date", "reason"}


def test_the_latest_share_is_annotated_from_the_latest_year(ba_che_enterprise):
    StRevenueShare.objects.create(
        enterprise=ba_che_enterprise, year=2022, total_revenue=1_000, st_revenue=500
    )
    StRevenueShare.objects.create(
        enterprise=ba_che_enterprise, year=2023, total_revenue=1_000, st_revenue=250
    )
    row = services.with_latest_share(type(ba_che_enterprise).objects.filter(pk=ba_che_enterprise.pk)).get()
    assert (row.latest_share_year, row.latest_share) == (2023, 25.0)
    rows = services.revenue_by_year(ba_che_enterprise)
    assert [(r.year, r.percent, r.below_threshold) for r in rows] == [(2023, 25.0, True), (2022, 50.0, False)]


def test_no_revenue_means_no_share_rather_than_a_division_by_zero(ba_che_enterprise):
    StRevenueShare.objects.create(enterprise=ba_che_enterprise, year=2023, total_revenue=0, st_revenue=0)
    row = services.with_latest_share(type(ba_che_enterprise).objects.filter(pk=ba_che_enterprise.pk)).get()
    assert row.latest_share is None
    assert services.revenue_by_year(ba_che_enterprise)[0].below_threshold is False
