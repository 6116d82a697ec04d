"""The registry dashboard and `/api/registries/figures/`: one query layer, permission-filtered, with a
number of queries that does not grow with the data."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stims.accounts.models import Role
from stims.enterprises.models import StEnterprise
from stims.ip.models import IpAsset, IpStatus, IpType
from stims.orgs.models import Organization, OrganizationKind
from stims.products.models import (
    LabellingGuidance,
    OcopEvaluation,
    ProducerKind,
    Product,
    ProductGroup,
    Traceability,
)
from stims.registries.figures import figures_for
from stims.registries.models import Indicator, Target
from stims.testing import make_user, province, unit

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("registries:dashboard")
API = "/api/registries/figures/"
SCORES = {5: (38, 24, 30), 4: (30, 20, 26), 3: (24, 14, 20), 2: (18, 10, 14)}


@pytest.fixture
def ba_che():
    return unit("Huyện Ba Chẽ", legacy=True)


@pytest.fixture
def binh_lieu():
    return unit("Huyện Bình Liêu", legacy=True)


@pytest.fixture
def quang_ninh():
    return province("Quảng Ninh")


@pytest.fixture
def specialist():
    return make_user(Role.SPECIALIST)


def make_product(admin_unit, name="Sản phẩm", *, stars=None, year=2022, key=False, ocop=True, group="food"):
    product = Product.objects.create(
        name=name,
        group=ProductGroup.objects.get(code=group),
        producer_kind=ProducerKind.HOUSEHOLD,
        producer_name="Hộ sản xuất",
        admin_unit=admin_unit,
        is_ocop=ocop,
        is_key_product=key,
    )
    if stars:
        a, b, c = SCORES[stars]
        OcopEvaluation.objects.create(product=product, year=year, score_a=a, score_b=b, score_c=c)
    return product


def make_mark(admin_unit, products, *, status="granted", expiry=None, name="Nhãn hiệu"):
    asset = IpAsset.objects.create(
        ip_type=IpType.objects.get(code="trademark"),
        name=name,
        owner_name="Chủ sở hữu",
        admin_unit=admin_unit,
        status=IpStatus.objects.get(code=status),
        expiry_date=expiry,
    )
    asset.products.set(products)
    return asset


def page_figures(client, user, **params):
    client.force_login(user)
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    return response


def test_stars_are_those_of_each_products_latest_evaluation_up_to_the_year(ba_che, specialist):
    product = make_product(ba_che, stars=3, year=2021)
    OcopEvaluation.objects.create(product=product, year=2023, score_a=30, score_b=20, score_c=26)
    make_product(ba_che, "Chưa xếp hạng")
    make_product(ba_che, "Dưới 3 sao", stars=2)
    make_product(ba_che, "Sản phẩm chủ lực, chưa OCOP", key=True, ocop=False)
    in_2022, _ = figures_for(ba_che, 2022, specialist)
    in_2023, _ = figures_for(ba_che, 2023, specialist)
    assert (in_2022.ocop_products, in_2022.stars_3, in_2022.stars_4, in_2022.without_stars) == (3, 1, 0, 2)
    assert (in_2023.stars_3, in_2023.stars_4) == (0, 1)
    assert in_2023.key_or_ocop == 4


def test_only_assets_whose_status_means_protection_count_and_expiring_titles_are_listed(ba_che, specialist):
    today = timezone.localdate()
    protected = make_product(ba_che, "Có văn bằng", stars=3)
    pending = make_product(ba_che, "Đang nộp đơn", stars=3, key=True)
    make_product(ba_che, "Chưa có gì")
    make_mark(ba_che, [protected], expiry=today + datetime.timedelta(days=100), name="Sắp hết hạn")
    make_mark(ba_che, [pending], status="filed", name="Đơn đang xét")
    make_mark(ba_che, [], expiry=today + datetime.timedelta(days=500), name="Còn lâu")
    figures, _ = figures_for(ba_che, today.year, specialist)
    assert (figures.key_or_ocop_with_ip, figures.key_or_ocop, figures.key_or_ocop_with_ip_pct) == (
        1,
        3,
        Decimal("33.3"),
    )
    assert [title.name for title in figures.expiring] == ["Sắp hết hạn"]


def test_a_locality_holds_its_own_records_and_those_of_the_units_under_it(
    ba_che, binh_lieu, quang_ninh, specialist
):
    dap_thanh = unit("Xã Đạp Thanh", legacy=True, province="Quảng Ninh")
    today_ba_che = unit("Xã Ba Chẽ", province="Quảng Ninh")
    make_product(ba_che, "Huyện", stars=3)
    make_product(dap_thanh, "Xã cũ", stars=4)
    make_product(today_ba_che, "Xã mới", stars=3)
    make_product(binh_lieu, "Bình Liêu", stars=3)
    assert figures_for(ba_che, 2023, specialist)[0].ocop_products == 2
    assert figures_for(dap_thanh, 2023, specialist)[0].ocop_products == 1
    assert figures_for(today_ba_che, 2023, specialist)[0].ocop_products == 1
    figures, rows = figures_for(quang_ninh, 2023, specialist)
    assert figures.ocop_products == 4
    # A legacy commune rolls up to its district; today's commune is a row of its own.
    assert {row.unit_name: row.ocop_products for row in rows} == {
        "Huyện Ba Chẽ": 2,
        "Huyện Bình Liêu": 1,
        "Xã Ba Chẽ": 1,
    }


def test_the_dashboard_for_the_legacy_district_of_ba_che_shows_its_figures(client, ba_che, specialist):
    for i in range(3):
        make_product(ba_che, f"3 sao {i}", stars=3)
    make_product(ba_che, "4 sao", stars=4)
    response = page_figures(client, specialist, unit=ba_che.pk, year=2023)
    figures = response.context["figures"]
    assert (figures.ocop_products, figures.stars_3, figures.stars_4) == (4, 3, 1)
    assert "Huyện Ba Chẽ" in response.content.decode()
    # The picker offers the province's legacy districts and both generations of communes.
    groups = dict(response.context["locality_groups"])
    names = {u.name for members in groups.values() for u in members}
    assert {"Huyện Ba Chẽ", "Huyện Bình Liêu", "Xã Ba Chẽ", "Xã Đạp Thanh", "Tỉnh Quảng Ninh"} <= names


def test_a_local_officer_gets_zeros_for_another_locality_and_only_their_own_share_of_the_province(
    client, ba_che, binh_lieu, quang_ninh
):
    """Decision: figures are never refused, they count what the user may see. Units are public
    reference data, so a locality outside the user's scope reads as zeros (no 404, nothing leaks)."""
    make_product(ba_che, "Ba Chẽ", stars=4)
    make_mark(
        ba_che,
        [Product.objects.get(name="Ba Chẽ")],
        expiry=timezone.localdate() + datetime.timedelta(days=30),
    )
    make_product(binh_lieu, "Bình Liêu", stars=3)
    officer = make_user(Role.LOCAL_OFFICER, admin_unit=binh_lieu)
    foreign = page_figures(client, officer, unit=ba_che.pk).context["figures"]
    assert (foreign.ocop_products, foreign.stars_4, foreign.key_or_ocop_with_ip, foreign.expiring) == (
        0,
        0,
        0,
        [],
    )
    assert client.get(API, {"unit": ba_che.pk}).json()["ocop_products"] == 0
    own = page_figures(client, officer, unit=binh_lieu.pk).context["figures"]
    assert (own.ocop_products, own.stars_3) == (1, 1)
    whole = page_figures(client, officer, unit=quang_ninh.pk)
    assert whole.context["figures"].ocop_products == 1
    assert [item["row"].unit_name for item in whole.context["rows"]] == ["Huyện Bình Liêu"]


def test_who_may_not_see_products_gets_403_and_anonymous_users_are_sent_to_sign_in(client):
    client.force_login(make_user(Role.COUNCIL_MEMBER))
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(API).status_code == 403
    client.logout()
    assert client.get(DASHBOARD).status_code == 302
    assert client.get(API).status_code in (401, 403)


def test_an_unknown_unit_is_404_and_a_malformed_year_is_refused(client, specialist):
    client.force_login(specialist)
    assert client.get(DASHBOARD, {"unit": 999999999}).status_code == 404
    assert client.get(DASHBOARD, {"year": "abc"}).status_code == 404
    assert client.get(API, {"unit": 999999999}).status_code == 404
    assert client.get(API, {"year": "abc"}).status_code == 400


def test_the_api_gives_the_same_figures_as_the_page(client, ba_che, binh_lieu, quang_ninh, specialist):
    make_product(ba_che, "A", stars=3, key=True)
    make_mark(
        ba_che,
        [make_product(ba_che, "B", stars=4)],
        expiry=timezone.localdate() + datetime.timedelta(days=60),
    )
    Traceability.objects.create(
        product=make_product(binh_lieu, "C", stars=3), code_type="QR", applied_on=datetime.date(2022, 5, 1)
    )
    Target.objects.create(year=2023, admin_unit=ba_che, indicator=Indicator.KEY_PRODUCTS_WITH_IP, value=100)
    Target.objects.create(year=2023, admin_unit=binh_lieu, indicator=Indicator.NEW_ST_ENTERPRISES, value=1)
    for place in (ba_che, quang_ninh):
        response = page_figures(client, specialist, unit=place.pk, year=2023)
        expected = response.context["figures"].as_dict([item["row"] for item in response.context["rows"]])
        api = client.get(API, {"unit": place.pk, "year": 2023})
        assert api.status_code == 200
        assert api.json() == expected
    assert len(expected["targets"]) == 2 and expected["localities"]


def test_the_api_defaults_to_the_home_province_and_this_year(client, specialist, quang_ninh):
    client.force_login(specialist)
    data = client.get(API).json()
    assert data["unit_id"] == quang_ninh.pk and data["year"] == timezone.localdate().year


def _populate(size, places):
    today = timezone.localdate()
    for i in range(size):
        place = places[i % len(places)]
        product = make_product(place, f"Sản phẩm {i}", stars=(3, 4, 5, 2)[i % 4], key=i % 3 == 0)
        if i % 2:
            make_mark(place, [product], expiry=today + datetime.timedelta(days=30 + i), name=f"Nhãn {i}")
        if i % 5 == 0:
            Traceability.objects.create(product=product, code_type="QR", applied_on=datetime.date(2022, 1, 1))
            LabellingGuidance.objects.create(product=product, given_on=datetime.date(2022, 3, 1))
        if i % 10 == 0:
            org = Organization.objects.create(
                name=f"Công ty {i}", kind=OrganizationKind.ENTERPRISE, admin_unit=place
            )
            StEnterprise.objects.create(
                organization=org,
                certificate_number=f"KHCN-{i}",
                certificate_date=datetime.date(2023, 1, 1),
                st_result="x",
            )
    for place in places:
        Target.objects.get_or_create(
            year=2023, admin_unit=place, indicator=Indicator.OCOP_3_STARS_OR_MORE, defaults={"value": 5}
        )


def _count_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.LOCAL_OFFICER])
def test_the_dashboard_runs_the_same_number_of_queries_for_10_or_60_products(
    client, ba_che, binh_lieu, quang_ninh, role
):
    places = [
        ba_che,
        binh_lieu,
        unit("Xã Đạp Thanh", legacy=True, province="Quảng Ninh"),
        unit("Xã Ba Chẽ", province="Quảng Ninh"),
    ]
    user = make_user(role, admin_unit=ba_che if role == Role.LOCAL_OFFICER else None)
    client.force_login(user)
    _populate(10, places)
    small = {key: _count_queries(client, {"unit": key.pk, "year": 2023}) for key in (quang_ninh, ba_che)}
    _populate(60, places)
    large = {key: _count_queries(client, {"unit": key.pk, "year": 2023}) for key in (quang_ninh, ba_che)}
    assert small == large
    print(f"dashboard queries ({role}): {large}")
    assert large[quang_ninh] <= 22 and large[ba_che] <= 20, large


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.LOCAL_OFFICER])
def test_the_dashboard_is_read_from_the_cache_until_a_registry_changes(client, ba_che, binh_lieu, role):
    user = make_user(role, admin_unit=ba_che if role == Role.LOCAL_OFFICER else None)
    client.force_login(user)
    _populate(8, [ba_che, binh_lieu])
    params = {"unit": ba_che.pk, "year": 2022}
    cold, warm = _count_queries(client, params), _count_queries(client, params)
    assert (cold, warm) == ((14, 9) if role == Role.SPECIALIST else (16, 9)), (cold, warm)

    def ocop():
        return client.get(DASHBOARD, params).context["figures"].ocop_products

    before = ocop()
    Product.objects.filter(admin_unit=ba_che).update(is_ocop=False)  # no signal
    assert ocop() == 0 != before
    make_product(ba_che, "Mới", stars=4)
    assert ocop() == 1
    OcopEvaluation.objects.filter(product__name="Mới").delete()
    Product.objects.filter(name="Mới").delete()
    assert ocop() == 0


def test_an_officer_never_gets_the_province_wide_figures(client, ba_che, binh_lieu, quang_ninh, specialist):
    _populate(8, [ba_che, binh_lieu])
    params = {"unit": quang_ninh.pk, "year": 2022}
    client.force_login(specialist)
    everywhere = client.get(DASHBOARD, params).context["figures"].ocop_products
    client.force_login(make_user(Role.LOCAL_OFFICER, admin_unit=ba_che))
    response = client.get(DASHBOARD, params)
    mine = response.context["figures"].ocop_products if response.status_code == 200 else 0
    assert mine < everywhere
