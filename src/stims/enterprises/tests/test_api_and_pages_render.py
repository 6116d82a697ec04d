"""Every page renders for the roles that use it, and the API keeps the same scope and rules."""

import datetime

import pytest
from django.urls import reverse

from stims.core.tests.versions import if_match
from stims.enterprises.models import StartupFounder, StartupSupport, StEnterprise, StIncentive, StRevenueShare
from stims.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(ba_che_enterprise, ba_che_startup):
    StRevenueShare.objects.create(
        enterprise=ba_che_enterprise, year=2023, total_revenue=1_000_000, st_revenue=200_000
    )
    StIncentive.objects.create(enterprise=ba_che_enterprise, year=2023, kind="Miễn thuế", amount=3_000_000)
    StartupFounder.objects.create(startup=ba_che_startup, name="Lê Văn Tú")
    StartupSupport.objects.create(
        startup=ba_che_startup, date=datetime.date(2024, 3, 1), kind="investor", counterpart="VinaCapital"
    )
    return ba_che_enterprise, ba_che_startup


def test_every_page_renders_for_a_specialist(client, specialist, records):
    enterprise, startup = records
    urls = [
        reverse("enterprises:stenterprise_list"),
        reverse("enterprises:stenterprise_add"),
        reverse("enterprises:stenterprise_detail", args=[enterprise.pk]),
        reverse("enterprises:stenterprise_edit", args=[enterprise.pk]),
        reverse("enterprises:stenterprise_deleted"),
        f"{reverse('enterprises:strevenueshare_add')}?enterprise={enterprise.pk}",
        f"{reverse('enterprises:stincentive_add')}?enterprise={enterprise.pk}",
        reverse("enterprises:startup_list"),
        reverse("enterprises:startup_add"),
        reverse("enterprises:startup_detail", args=[startup.pk]),
        f"{reverse('enterprises:startupfounder_add')}?startup={startup.pk}",
        f"{reverse('enterprises:startupsupport_add')}?startup={startup.pk}",
        reverse("enterprises:stenterprise_list") + "?q=duoc&status=active&year=2021&field=nong",
        reverse("enterprises:startup_list") + "?stage=idea&support_kind=investor",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    page = client.get(reverse("enterprises:stenterprise_detail", args=[enterprise.pk])).content.decode()
    assert "3.000.000 ₫" in page and "20,0 %" in page and 'data-testid="below-threshold"' in page
    assert reverse("enterprises:stenterprise_revoke", args=[enterprise.pk]) in page
    page = client.get(reverse("enterprises:startup_detail", args=[startup.pk])).content.decode()
    assert "VinaCapital" in page and "Lê Văn Tú" in page


def test_a_certificate_cannot_be_recorded_twice_for_one_enterprise(client, specialist, ba_che_enterprise):
    response = client.post(
        reverse("enterprises:stenterprise_add"),
        {
            "organization": ba_che_enterprise.organization_id,
            "certificate_number": "2",
            "certificate_date": "01/02/2024",
            "st_result": "X",
        },
    )
    assert "organization" in response.context["form"].errors
    assert StEnterprise.objects.count() == 1


def test_the_api_lists_only_the_officers_units_records(
    client, ba_che_officer, ba_che_enterprise, binh_lieu_enterprise
):
    data = client.get("/api/enterprises/st-enterprises/").json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [(r["id"], r["tax_code"]) for r in rows] == [(ba_che_enterprise.pk, "5701234567")]
    assert client.get(f"/api/enterprises/st-enterprises/{binh_lieu_enterprise.pk}/").status_code == 404
    assert (
        client.post("/api/enterprises/st-enterprises/", {}, content_type="application/json").status_code
        == 403
    )


def test_the_api_refuses_st_revenue_above_total_and_revokes_through_the_service(
    client, specialist, ba_che_enterprise
):
    response = client.post(
        "/api/enterprises/revenue-shares/",
        {"enterprise": ba_che_enterprise.pk, "year": 2023, "total_revenue": 100, "st_revenue": 200},
        content_type="application/json",
    )
    assert response.status_code == 400 and "st_revenue" in response.json()["errors"]
    assert not StRevenueShare.objects.exists()
    url = f"/api/enterprises/st-enterprises/{ba_che_enterprise.pk}/revoke/"
    assert (
        client.post(
            url, {"on_date": "2020-01-01", "reason": "X"}, content_type="application/json"
        ).status_code
        == 400
    )
    response = client.post(
        url, {"on_date": "2024-05-02", "reason": "Không đạt tỷ lệ"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["revoked_on"] == "2024-05-02"
    assert (
        client.post(
            url, {"on_date": "2024-06-02", "reason": "Lần hai"}, content_type="application/json"
        ).status_code
        == 400
    )
    # A plain update cannot touch the revocation.
    client.patch(
        f"/api/enterprises/st-enterprises/{ba_che_enterprise.pk}/",
        {"revoked_on": None},
        content_type="application/json",
        **if_match(ba_che_enterprise),
    )
    ba_che_enterprise.refresh_from_db()
    assert ba_che_enterprise.revoked_on == datetime.date(2024, 5, 2)


def test_a_local_officer_adds_a_startup_through_the_api_only_in_their_unit(
    client, ba_che_officer, ba_che, binh_lieu
):
    ok = client.post(
        "/api/enterprises/startups/",
        {"name": "A", "admin_unit": ba_che.pk, "field": "CNTT"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    refused = client.post(
        "/api/enterprises/startups/",
        {"name": "B", "admin_unit": binh_lieu.pk, "field": "CNTT"},
        content_type="application/json",
    )
    # Another district's unit is not one the officer may pick (as on the form): 400 on the field.
    assert refused.status_code == 400 and "admin_unit" in refused.json()["errors"]


def test_an_inspector_reads_but_does_not_see_revoke_or_add_buttons(client, ba_che_enterprise):
    client.force_login(make_user("inspector"))
    page = client.get(
        reverse("enterprises:stenterprise_detail", args=[ba_che_enterprise.pk])
    ).content.decode()
    assert reverse("enterprises:stenterprise_revoke", args=[ba_che_enterprise.pk]) not in page
    assert reverse("enterprises:stincentive_add") not in page
