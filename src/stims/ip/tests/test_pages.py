"""The IP register in the browser and through the API: scope, refusals, workflow forms, exports."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stims.core.tests.versions import if_match, versioned
from stims.ip.models import IpAsset, IpStatusEvent
from stims.products.models import Product, ProductGroup
from stims.testing import make_user

from .conftest import ip_status, ip_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def ba_che_officer(client, ba_che):
    user = make_user(
        "local_officer", admin_unit=ba_che, username="canbo_bache", first_name="Hòa", last_name="Lý Văn"
    )
    client.force_login(user)
    return user


def product(name, unit):
    group, _ = ProductGroup.objects.get_or_create(code="test-food", defaults={"name": "Thực phẩm"})
    return Product.objects.create(
        name=name, group=group, producer_kind="household", producer_name="Hộ ông A", admin_unit=unit
    )


def body(response):
    return response.content.decode()


def test_a_local_officer_sees_and_edits_only_assets_of_their_district(
    client, ba_che_officer, ba_che_asset, binh_lieu_asset
):
    listed = client.get(reverse("ip:ipasset_list"))
    assert [a.name for a in listed.context["table"].data] == ["Ba Kích Ba Chẽ"]
    assert client.get(reverse("ip:ipasset_detail", args=[ba_che_asset.pk])).status_code == 200
    assert client.get(reverse("ip:ipasset_detail", args=[binh_lieu_asset.pk])).status_code == 404
    assert client.get(reverse("ip:ipasset_edit", args=[binh_lieu_asset.pk])).status_code == 404
    granted = {
        "status": ip_status("granted").pk,
        "date": "01/02/2022",
        "title_number": "1",
        "grant_date": "01/02/2022",
    }
    assert client.post(reverse("ip:ipasset_status", args=[binh_lieu_asset.pk]), granted).status_code == 404
    assert IpAsset.objects.get(pk=binh_lieu_asset.pk).status.code == "filed"

    form = client.get(reverse("ip:ipasset_edit", args=[ba_che_asset.pk])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "products"}
    data.update(application_date="02/03/2020", nice_classes="5, 30")
    response = client.post(reverse("ip:ipasset_edit", args=[ba_che_asset.pk]), versioned(ba_che_asset, data))
    assert response.status_code == 302, response.context["form"].errors
    assert IpAsset.objects.get(pk=ba_che_asset.pk).nice_classes == "5, 30"


def test_a_local_officer_cannot_write_elsewhere_through_the_api(
    client, ba_che_officer, ba_che, binh_lieu, ba_che_asset, binh_lieu_asset
):
    new = {
        "ip_type": ip_type("trademark").pk,
        "name": "Trà hoa vàng",
        "owner_name": "Hộ bà B",
        "admin_unit": binh_lieu.pk,
    }
    # Another district's unit is not one the officer may pick (as on the form): 400, nothing saved.
    assert client.post("/api/ip/assets/", new, content_type="application/json").status_code == 400
    assert not IpAsset.objects.filter(name="Trà hoa vàng").exists()
    moved = client.patch(
        f"/api/ip/assets/{ba_che_asset.pk}/",
        {"admin_unit": binh_lieu.pk},
        content_type="application/json",
        **if_match(ba_che_asset),
    )
    assert moved.status_code == 400
    assert IpAsset.objects.get(pk=ba_che_asset.pk).admin_unit == ba_che
    assert (
        client.patch(
            f"/api/ip/assets/{binh_lieu_asset.pk}/",
            {"name": "x"},
            content_type="application/json",
            **if_match(binh_lieu_asset),
        ).status_code
        == 404
    )
    step = {"status": ip_status("formal-examination").pk, "date": "2021-01-01"}
    assert (
        client.post(
            f"/api/ip/assets/{binh_lieu_asset.pk}/status/", step, content_type="application/json"
        ).status_code
        == 404
    )
    # At home, the same calls go through, and a new asset starts its history.
    new["admin_unit"] = ba_che.pk
    created = client.post("/api/ip/assets/", new, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == ip_status("filed").pk
    assert IpStatusEvent.objects.filter(asset_id=created.json()["id"]).count() == 1
    ids = [row["id"] for row in client.get("/api/ip/assets/").json()["results"]]
    assert binh_lieu_asset.pk not in ids and ba_che_asset.pk in ids


def test_the_api_status_is_read_only_and_moves_through_the_workflow(client, ba_che_officer, ba_che_asset):
    url = f"/api/ip/assets/{ba_che_asset.pk}/"
    response = client.patch(
        url,
        {"status": ip_status("granted").pk, "title_number": "999"},
        content_type="application/json",
        **if_match(ba_che_asset),
    )
    assert response.status_code == 200
    asset = IpAsset.objects.get(pk=ba_che_asset.pk)
    assert (asset.status.code, asset.title_number) == ("filed", "")
    refused = client.post(
        f"{url}status/",
        {"status": ip_status("granted").pk, "date": "2022-01-05"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "title_number" in refused.json()["errors"]
    granted = client.post(
        f"{url}status/",
        {
            "status": ip_status("granted").pk,
            "date": "2022-01-05",
            "title_number": "4-0400001",
            "grant_date": "2022-01-05",
        },
        content_type="application/json",
    )
    assert granted.status_code == 201, granted.json()
    assert granted.json()["asset"]["expiry_date"] == "2030-03-02"
    renewed = client.post(
        f"{url}renew/",
        {"renewed_on": "2029-10-01", "new_expiry_date": "2040-03-02"},
        content_type="application/json",
    )
    assert renewed.status_code == 201, renewed.json()
    assert IpAsset.objects.get(pk=ba_che_asset.pk).expiry_date == datetime.date(2040, 3, 2)
    back = client.post(
        f"{url}status/",
        {"status": ip_status("filed").pk, "date": "2020-01-01"},
        content_type="application/json",
    )
    assert back.status_code == 400 and "date" in back.json()["errors"]


def test_a_viewer_may_read_but_not_record_a_status_change(client, ba_che_asset):
    client.force_login(make_user("viewer"))
    page = client.get(reverse("ip:ipasset_detail", args=[ba_che_asset.pk]))
    assert page.status_code == 200 and "status_form" not in page.context
    step = {"status": ip_status("formal-examination").pk, "date": "01/01/2021"}
    assert client.post(reverse("ip:ipasset_status", args=[ba_che_asset.pk]), step).status_code == 403
    renewal = {"renewed_on": "01/01/2029", "new_expiry_date": "01/01/2040"}
    assert client.post(reverse("ip:ipasset_renew", args=[ba_che_asset.pk]), renewal).status_code == 403
    assert (
        client.post(
            f"/api/ip/assets/{ba_che_asset.pk}/status/", {"status": step["status"], "date": "2021-01-01"}
        ).status_code
        == 403
    )
    assert IpStatusEvent.objects.filter(asset=ba_che_asset).count() == 1


def test_a_status_change_on_the_page_shows_in_the_timeline_and_the_history_with_its_user(
    client, ba_che_officer, ba_che_asset
):
    url = reverse("ip:ipasset_status", args=[ba_che_asset.pk])
    response = client.post(
        url, {"status": ip_status("formal-examination").pk, "date": "15/04/2020", "document": "TB 1234/SHTT"}
    )
    assert response.status_code == 302
    page = client.get(reverse("ip:ipasset_detail", args=[ba_che_asset.pk]))
    html = body(page)
    event = page.context["status_events"][0]
    assert (event.status.code, event.recorded_by) == ("formal-examination", ba_che_officer)
    assert "TB 1234/SHTT" in html
    latest = IpAsset.objects.get(pk=ba_che_asset.pk).history.first()
    assert latest.history_user == ba_che_officer
    history = page.context["history"][0]
    assert history.user == ba_che_officer
    assert any(change.new == "Thẩm định hình thức" for change in history.changes)
    assert "Lý Văn Hòa" in html or "Hòa Lý Văn" in html


def test_a_refused_status_change_shows_why_on_the_page_and_changes_nothing(
    client, ba_che_officer, ba_che_asset
):
    url = reverse("ip:ipasset_status", args=[ba_che_asset.pk])
    response = client.post(url, {"status": ip_status("granted").pk, "date": "01/01/2019"})
    assert response.status_code == 200
    errors = response.context["status_form"].errors
    assert "date" in errors
    response = client.post(url, {"status": ip_status("granted").pk, "date": "01/01/2022"})
    assert {"title_number", "grant_date"} <= set(response.context["status_form"].errors)
    assert IpAsset.objects.get(pk=ba_che_asset.pk).status.code == "filed"
    assert IpStatusEvent.objects.filter(asset=ba_che_asset).count() == 1


def test_renewal_and_expiry_warning_on_the_asset_page(client, ba_che_officer, make_asset, ba_che):
    from stims.ip import services

    today = datetime.date.today()
    asset = make_asset(
        "Nhãn hiệu sắp hết hạn",
        admin_unit=ba_che,
        type_code="trademark",
        application_date=today.replace(year=today.year - 10) + datetime.timedelta(days=60),
    )
    services.record_status(
        asset,
        ip_status("granted"),
        asset.application_date,
        title_number="4-01",
        grant_date=asset.application_date,
    )
    page = client.get(reverse("ip:ipasset_detail", args=[asset.pk]))
    assert page.context["expires_soon"] and 'data-testid="expiry-warning"' in body(page)
    new_expiry = (asset.application_date.replace(year=asset.application_date.year + 20)).strftime("%d/%m/%Y")
    response = client.post(
        reverse("ip:ipasset_renew", args=[asset.pk]),
        {"renewed_on": today.strftime("%d/%m/%Y"), "new_expiry_date": new_expiry, "decision_number": "QĐ 77"},
    )
    assert response.status_code == 302
    page = client.get(reverse("ip:ipasset_detail", args=[asset.pk]))
    assert not page.context["expires_soon"] and "QĐ 77" in body(page)
    patent = make_asset("Sáng chế", admin_unit=ba_che, type_code="patent")
    services.record_status(
        patent,
        ip_status("granted"),
        datetime.date(2022, 1, 1),
        title_number="1-9",
        grant_date=datetime.date(2022, 1, 1),
    )
    page = client.get(reverse("ip:ipasset_detail", args=[patent.pk]))
    assert "renewal_form" not in page.context
    assert (
        client.post(
            reverse("ip:ipasset_renew", args=[patent.pk]),
            {"renewed_on": "01/01/2039", "new_expiry_date": "01/01/2050"},
        ).status_code
        == 200
    )


def test_adding_an_asset_links_only_visible_products_and_starts_its_history(
    client, ba_che_officer, ba_che, binh_lieu
):
    mine, theirs = product("Ba kích tím", ba_che), product("Miến dong", binh_lieu)
    form = client.get(reverse("ip:ipasset_add")).context["form"]
    assert list(form.fields["products"].queryset) == [mine]
    assert form.fields["products"].widget.attrs["size"] == 12
    data = {
        "ip_type": ip_type("collective-mark").pk,
        "name": "Ba kích Ba Chẽ",
        "owner_name": "Hội Nông dân huyện Ba Chẽ",
        "admin_unit": ba_che.pk,
        "application_number": "4-2021-00001",
        "application_date": "05/01/2021",
    }
    refused = client.post(reverse("ip:ipasset_add"), {**data, "products": [theirs.pk]})
    assert "products" in refused.context["form"].errors
    response = client.post(reverse("ip:ipasset_add"), {**data, "products": [mine.pk]})
    assert response.status_code == 302
    asset = IpAsset.objects.get(name="Ba kích Ba Chẽ")
    assert list(asset.products.all()) == [mine]
    assert asset.status.code == "filed" and asset.status_date == datetime.date(2021, 1, 5)
    assert asset.status_events.get().date == datetime.date(2021, 1, 5)
    page = client.get(reverse("ip:ipasset_detail", args=[asset.pk]))
    assert "Ba kích tím" in body(page)
    assert client.get(reverse("ip:ipasset_list"), {"has_products": "true"}).context["table"].data[0] == asset


def test_authorised_users_are_added_from_the_asset_page(
    client, ba_che_officer, ba_che_asset, binh_lieu_asset
):
    response = client.post(
        reverse("ip:ipauthorizeduser_add"),
        {"asset": ba_che_asset.pk, "name": "Hộ ông Đặng Văn C", "authorized_on": "01/06/2021"},
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "ip:ipasset_detail", args=[ba_che_asset.pk]
    )
    assert "Hộ ông Đặng Văn C" in body(client.get(response["Location"]))
    elsewhere = client.post(reverse("ip:ipauthorizeduser_add"), {"asset": binh_lieu_asset.pk, "name": "Hộ D"})
    assert "asset" in elsewhere.context["form"].errors


def test_filters_type_status_unit_and_expiry(client, make_asset, ba_che, binh_lieu):
    from stims.ip import services

    client.force_login(make_user("specialist"))
    make_asset("A", admin_unit=ba_che, type_code="patent")
    b = make_asset("B", admin_unit=binh_lieu, type_code="trademark")
    soon = datetime.date.today() + datetime.timedelta(days=100)
    services.record_status(
        b,
        ip_status("granted"),
        datetime.date(2021, 1, 1),
        title_number="7",
        grant_date=datetime.date(2021, 1, 1),
        expiry_date=soon,
    )

    def names(**params):
        return sorted(x.name for x in client.get(reverse("ip:ipasset_list"), params).context["table"].data)

    assert names(ip_type=ip_type("patent").pk) == ["A"]
    assert names(status=ip_status("granted").pk) == ["B"]
    assert names(admin_unit=ba_che.pk) == ["A"]
    assert names(province=ba_che.province_id) == ["A", "B"]
    assert names(expires_within=6) == ["B"] and names(expires_within=2) == []
    assert names(q="binh lieu") == ["B"]


def test_the_csv_export_holds_only_permitted_rows(client, ba_che_officer, ba_che_asset, binh_lieu_asset):
    response = client.get(reverse("ip:ipasset_list"), {"_export": "csv"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][0] == "Ba Kích Ba Chẽ" and "HTX Dược liệu Ba Chẽ" in rows[1]
    assert "Miến dong Bình Liêu" not in content.decode("utf-8-sig")


@pytest.mark.parametrize("role,count", [("specialist", 9), ("local_officer", 11)])
def test_the_list_runs_a_constant_number_of_queries(
    client, make_asset, ba_che, ba_che_cooperative, role, count
):
    """Whatever the page size; a local officer's unit scope is resolved once per request (+2 queries)."""
    client.force_login(make_user(role, admin_unit=ba_che if role == "local_officer" else None))
    for i in range(30):
        asset = make_asset(
            f"Nhãn hiệu {i:02}", admin_unit=ba_che, owner=ba_che_cooperative if i % 2 else None
        )
        asset.products.add(product(f"Sản phẩm {i}", ba_che))
    client.get(reverse("ip:ipasset_list"))
    sizes = {}
    for per_page in (5, 25):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("ip:ipasset_list"), {"per_page": per_page}).status_code == 200
        sizes[per_page] = len(queries)
    assert sizes[5] == sizes[25] <= count, sizes


def test_the_global_search_finds_an_asset_in_scope(client, ba_che_officer, ba_che_asset, binh_lieu_asset):
    from stims.core.search import search

    groups = search(ba_che_officer, "ba kich")
    assert [r.name for g in groups if g.model is IpAsset for r in g.results] == ["Ba Kích Ba Chẽ"]
    assert not [g for g in search(ba_che_officer, "mien dong") if g.model is IpAsset]
