"""The status workflow of ip/services.py: every legal move, every refusal, and data that drives it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from stims.ip import services
from stims.ip.models import IpAsset, IpRenewal, IpStatus, IpStatusEvent, IpType

from .conftest import ip_status, ip_type

pytestmark = pytest.mark.django_db

D = datetime.date
OPEN = ["filed", "formal-examination", "substantive-examination"]
FINAL = ["refused", "withdrawn", "expired"]
ALL = [*OPEN, "granted", *FINAL]


@pytest.fixture(autouse=True)
def english_messages():
    """These tests call the services directly and match their (English source) messages."""
    with translation.override("en"):
        yield


def snapshot(asset):
    asset = IpAsset.objects.get(pk=asset.pk)
    return (
        asset.status_id,
        asset.status_date,
        asset.title_number,
        asset.grant_date,
        asset.expiry_date,
        list(asset.status_events.values_list("pk", flat=True)),
        asset.history.count(),
    )


def move_to(asset, code, day):
    extra = {"title_number": "123456", "grant_date": day} if ip_status(code).is_protected else {}
    return services.record_status(asset, ip_status(code), day, **extra)


def test_the_seeded_types_and_statuses_are_there():
    assert IpType.objects.count() >= 7
    assert ip_type("patent").protection_years == 20 and not ip_type("patent").renewable
    assert ip_type("geographical-indication").protection_years is None
    assert (
        ip_type("geographical-indication").has_geographic_area
        and ip_type("collective-mark").has_management_rules
    )
    assert ip_type("industrial-design").renewable and ip_type("industrial-design").protection_years == 5
    assert ip_status("granted").is_protected and not ip_status("granted").is_final
    assert {s.code for s in IpStatus.objects.filter(is_final=True)} >= set(FINAL)
    assert services.initial_status().code == "filed"


def test_the_seed_migration_runs_twice_without_duplicates():
    from importlib import import_module

    from django.apps import apps

    seed = import_module("stims.ip.migrations.0003_seed_types_and_statuses")
    before = (IpType.objects.count(), IpStatus.objects.count())
    seed.seed(apps, None)
    assert (IpType.objects.count(), IpStatus.objects.count()) == before


@pytest.mark.parametrize("source", [*OPEN, "granted"])
@pytest.mark.parametrize("target", ALL)
def test_a_move_out_of_a_status_that_is_not_final_is_recorded(make_asset, ba_che, source, target):
    asset = make_asset(admin_unit=ba_che)
    if source != "filed":
        move_to(asset, source, D(2021, 1, 1))
    event = move_to(asset, target, D(2022, 5, 6))
    asset.refresh_from_db()
    assert asset.status.code == target and asset.status_date == D(2022, 5, 6)
    assert asset.status_events.order_by("-date", "-pk").first() == event
    assert event.status.code == target


@pytest.mark.parametrize("source", FINAL)
@pytest.mark.parametrize("target", ALL)
def test_no_move_out_of_a_final_status_and_nothing_changes(make_asset, ba_che, source, target):
    asset = make_asset(admin_unit=ba_che)
    if source == "expired":
        move_to(asset, "granted", D(2021, 1, 1))
    move_to(asset, source, D(2022, 1, 1))
    before = snapshot(asset)
    with pytest.raises(ValidationError, match="final status"):
        move_to(asset, target, D(2023, 1, 1))
    assert snapshot(asset) == before


def test_a_date_before_the_previous_change_is_refused_and_nothing_changes(make_asset, ba_che):
    asset = make_asset(admin_unit=ba_che)
    move_to(asset, "formal-examination", D(2021, 6, 1))
    before = snapshot(asset)
    with pytest.raises(ValidationError) as refusal:
        move_to(asset, "substantive-examination", D(2021, 5, 31))
    assert "date" in refusal.value.message_dict
    assert snapshot(asset) == before
    move_to(asset, "substantive-examination", D(2021, 6, 1))  # the same day is fine


@pytest.mark.parametrize("missing", ["title_number", "grant_date"])
def test_granting_needs_a_title_number_and_a_grant_date(make_asset, ba_che, missing):
    asset = make_asset(admin_unit=ba_che)
    given = {"title_number": "4-0123456-000", "grant_date": D(2022, 2, 2)}
    given.pop(missing)
    before = snapshot(asset)
    with pytest.raises(ValidationError) as refusal:
        services.record_status(asset, ip_status("granted"), D(2022, 2, 2), **given)
    assert set(refusal.value.message_dict) == {missing}
    assert snapshot(asset) == before


def test_granting_sets_the_expiry_from_the_filing_date_and_the_type(make_asset, ba_che):
    asset = make_asset(admin_unit=ba_che, type_code="patent", application_date=D(2020, 2, 29))
    services.record_status(
        asset, ip_status("granted"), D(2023, 7, 1), title_number="1-0030001", grant_date=D(2023, 7, 1)
    )
    asset.refresh_from_db()
    assert (asset.title_number, asset.grant_date, asset.expiry_date) == (
        "1-0030001",
        D(2023, 7, 1),
        D(2040, 2, 29),
    )
    utility = make_asset(
        "GPHI", admin_unit=ba_che, type_code="utility-solution", application_date=D(2020, 2, 29)
    )
    services.record_status(
        utility, ip_status("granted"), D(2023, 7, 1), title_number="2-0002001", grant_date=D(2023, 7, 1)
    )
    assert IpAsset.objects.get(pk=utility.pk).expiry_date == D(2030, 2, 28)


def test_a_given_expiry_wins_and_a_geographical_indication_has_none(make_asset, ba_che):
    asset = make_asset(admin_unit=ba_che)
    services.record_status(
        asset,
        ip_status("granted"),
        D(2021, 1, 1),
        title_number="N1",
        grant_date=D(2021, 1, 1),
        expiry_date=D(2031, 1, 1),
    )
    assert IpAsset.objects.get(pk=asset.pk).expiry_date == D(2031, 1, 1)
    gi = make_asset("Ba Chẽ GI", admin_unit=ba_che, type_code="geographical-indication")
    services.record_status(
        gi, ip_status("granted"), D(2021, 1, 1), title_number="00099", grant_date=D(2021, 1, 1)
    )
    assert IpAsset.objects.get(pk=gi.pk).expiry_date is None


def test_renewal_extends_a_protected_renewable_asset(make_asset, ba_che):
    asset = make_asset(admin_unit=ba_che)
    move_to(asset, "granted", D(2021, 1, 1))
    renewal = services.renew(asset, D(2029, 12, 1), D(2040, 3, 2), "QĐ 123/QĐ-SHTT")
    asset.refresh_from_db()
    assert asset.expiry_date == D(2040, 3, 2)
    assert renewal.asset_id == asset.pk and renewal.decision_number == "QĐ 123/QĐ-SHTT"


@pytest.mark.parametrize("type_code", ["patent", "utility-solution", "geographical-indication"])
def test_renewal_is_refused_for_types_that_are_not_renewable(make_asset, ba_che, type_code):
    asset = make_asset(admin_unit=ba_che, type_code=type_code)
    move_to(asset, "granted", D(2021, 1, 1))
    before = snapshot(asset)
    with pytest.raises(ValidationError, match="cannot be renewed"):
        services.renew(asset, D(2030, 1, 1), D(2045, 1, 1), "QĐ 1")
    assert snapshot(asset) == before and not IpRenewal.objects.exists()


@pytest.mark.parametrize("code", ["filed", "substantive-examination", "refused"])
def test_renewal_is_refused_for_an_asset_that_is_not_protected(make_asset, ba_che, code):
    asset = make_asset(admin_unit=ba_che)
    if code != "filed":
        move_to(asset, code, D(2021, 1, 1))
    with pytest.raises(ValidationError, match="Only a protected asset"):
        services.renew(asset, D(2030, 1, 1), D(2045, 1, 1), "QĐ 1")
    assert not IpRenewal.objects.exists()


def test_a_renewal_must_push_the_expiry_later(make_asset, ba_che):
    asset = make_asset(admin_unit=ba_che)
    move_to(asset, "granted", D(2021, 1, 1))
    with pytest.raises(ValidationError) as refusal:
        services.renew(asset, D(2029, 1, 1), D(2029, 6, 1), "QĐ 1")
    assert "new_expiry_date" in refusal.value.message_dict


def test_the_workflow_follows_status_and_type_data_changed_by_an_administrator(make_asset, ba_che):
    """Regulations change: a new final status, a type made renewable, a new term — no code change."""
    revoked = IpStatus.objects.create(
        code="revoked", name="Bị hủy bỏ hiệu lực", sort_order=75, is_final=False
    )
    asset = make_asset(admin_unit=ba_che, type_code="utility-solution")
    move_to(asset, "granted", D(2021, 1, 1))
    move_to(asset, "revoked", D(2022, 1, 1))
    move_to(asset, "granted", D(2022, 6, 1))  # not final yet: it can be undone
    revoked.is_final = True
    revoked.save()
    move_to(asset, "revoked", D(2023, 1, 1))
    with pytest.raises(ValidationError, match="final status"):
        move_to(asset, "granted", D(2023, 2, 1))

    utility = ip_type("utility-solution")
    other = make_asset(
        "Giải pháp 2", admin_unit=ba_che, type_code="utility-solution", application_date=D(2020, 1, 1)
    )
    move_to(other, "granted", D(2021, 1, 1))
    with pytest.raises(ValidationError, match="cannot be renewed"):
        services.renew(other, D(2029, 1, 1), D(2035, 1, 1))
    utility.renewable, utility.protection_years = True, 12
    utility.save()
    services.renew(other, D(2029, 1, 1), D(2035, 1, 1))
    third = make_asset(
        "Giải pháp 3", admin_unit=ba_che, type_code="utility-solution", application_date=D(2020, 1, 1)
    )
    move_to(third, "granted", D(2021, 1, 1))
    assert IpAsset.objects.get(pk=third.pk).expiry_date == D(2032, 1, 1)
    # A status made "protected" needs a title too.
    examined = ip_status("substantive-examination")
    examined.is_protected = True
    examined.save()
    fourth = make_asset("Giải pháp 4", admin_unit=ba_che, type_code="utility-solution")
    with pytest.raises(ValidationError):
        services.record_status(fourth, examined, D(2021, 1, 1))


def test_the_first_event_of_a_new_asset_is_its_filing(make_asset, ba_che):
    asset = make_asset(admin_unit=ba_che)
    event = IpStatusEvent.objects.get(asset=asset)
    assert (event.status.code, event.date) == ("filed", D(2020, 3, 2))
    assert services.open_history(asset) == event  # idempotent
