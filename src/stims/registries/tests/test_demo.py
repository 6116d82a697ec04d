"""`stims demo` for the registries: the seed articles' figures, loaded idempotently."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from stims.accounts.models import User
from stims.demo import registries as demo
from stims.demo.orgs import DEMO_REASON
from stims.enterprises.models import StEnterprise
from stims.ip.models import IpAsset, IpAuthorizedUser, IpStatusEvent, IpType
from stims.orgs.models import Organization
from stims.products.models import LabellingGuidance, OcopEvaluation, Product, Traceability
from stims.registries.figures import figures_for
from stims.registries.models import Indicator, Target
from stims.testing import province, unit

pytestmark = pytest.mark.django_db

MODELS = (
    Organization,
    Product,
    OcopEvaluation,
    LabellingGuidance,
    Traceability,
    IpAsset,
    IpStatusEvent,
    IpAuthorizedUser,
    StEnterprise,
    Target,
)


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    counts = {}
    for model in MODELS:
        counts[model._meta.label] = model.objects.count()
        counts[f"{model._meta.label} history"] = model.history.count()
    counts["asset products"] = sorted(
        IpAsset.products.through.objects.values_list("ipasset_id", "product_id")
    )
    return counts


@pytest.fixture
def admin_user():
    return User.objects.create_superuser("root", password="pw-for-tests-123")


def test_running_the_demo_twice_creates_and_changes_nothing_the_second_time():
    first_output = run_demo()
    first = snapshot()
    second_output = run_demo()
    assert snapshot() == first
    assert "Registries (demo)" in first_output and "Registries (demo)" not in second_output


def test_every_registry_demo_record_carries_the_demo_reason():
    run_demo()
    for model in MODELS:
        assert set(model.history.values_list("history_change_reason", flat=True)) == {DEMO_REASON}, model


def test_ba_che_reads_13_ocop_products_8_at_3_stars_and_5_at_4_stars(client, admin_user):
    run_demo()
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    figures, _ = figures_for(ba_che, 2023, admin_user)
    assert (figures.ocop_products, figures.stars_3, figures.stars_4, figures.stars_5) == (13, 8, 5, 0)
    assert figures.key_or_ocop_with_ip == 6 and figures.st_enterprises == 1
    assert figures.labelling_in_year == 0 and figures_for(ba_che, 2022, admin_user)[0].labelling_in_year == 9
    guided = LabellingGuidance.objects.filter(product__admin_unit__parent=ba_che, given_on__year=2022)
    assert guided.values("product__producer_name", "product__producer").distinct().count() == 9
    # The page shows the same.
    client.force_login(admin_user)
    response = client.get(reverse("registries:dashboard"), {"unit": ba_che.pk, "year": 2023})
    page = response.context["figures"]
    assert (page.ocop_products, page.stars_3, page.stars_4) == (13, 8, 5)
    html = response.content.decode()
    assert (
        'data-testid="ocop-total">13<' in html
        and 'data-testid="stars-3">8<' in html
        and 'data-testid="stars-4">5<' in html
    )
    # Targets of 2023: 100% of key products protected, two new S&T enterprises.
    assert {t.indicator: t.target for t in page.targets} == {
        Indicator.KEY_PRODUCTS_WITH_IP: 100,
        Indicator.NEW_ST_ENTERPRISES: 2,
    }
    st = StEnterprise.objects.select_related("organization").get()
    assert st.organization.name == "Công ty CP Kinh doanh lâm sản Đạp Thanh"


def test_binh_lieu_and_dinh_hoa_match_their_articles(admin_user):
    run_demo()
    binh_lieu, _ = figures_for(unit("Huyện Bình Liêu", legacy=True), 2023, admin_user)
    assert (binh_lieu.ocop_products, binh_lieu.stars_3, binh_lieu.stars_4, binh_lieu.without_stars) == (
        27,
        11,
        1,
        15,
    )
    assert binh_lieu.key_or_ocop_with_ip == 3
    assert {t.indicator: t.target for t in binh_lieu.targets} == {
        Indicator.KEY_PRODUCTS_WITH_IP: 100,
        Indicator.NEW_ST_ENTERPRISES: 1,
    }
    dinh_hoa, _ = figures_for(unit("Huyện Định Hóa", legacy=True), 2023, admin_user)
    assert (dinh_hoa.key_or_ocop, dinh_hoa.key_or_ocop_with_ip) == (3, 1)
    mark = IpAsset.objects.get(name="Gạo Bao Thai Định Hóa")
    assert mark.ip_type.code == "collective-mark" and mark.status.is_protected and mark.management_rules
    assert mark.authorized_users.count() >= 2
    for name in ("Lúa Nếp Vải Định Biên", "Quế Định Hóa"):
        product = Product.objects.get(name=name)
        assert product.is_key_product and not product.ip_assets.exists()


def test_the_home_province_includes_the_legacy_districts_records(admin_user):
    run_demo()
    figures, rows = figures_for(province("Quảng Ninh"), 2023, admin_user)
    assert (figures.ocop_products, figures.stars_3, figures.stars_4) == (40, 19, 6)
    assert {row.unit_name: row.ocop_products for row in rows} == {"Huyện Ba Chẽ": 13, "Huyện Bình Liêu": 27}


def test_a_missing_reference_code_fails_with_a_clear_message():
    IpType.objects.filter(code="collective-mark").update(code="renamed")
    with pytest.raises(CommandError, match="'collective-mark'"):
        demo.load(io.StringIO())
