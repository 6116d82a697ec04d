"""The registries as `stims demo` leaves them: the seed articles' figures (the demo runs once for the module)."""

import pytest
from django.urls import reverse

from stims.accounts.models import User
from stims.demo.orgs import DEMO_REASON
from stims.enterprises.models import StEnterprise
from stims.ip.models import IpAsset
from stims.products.models import LabellingGuidance, Product
from stims.registries.figures import figures_for
from stims.testing import province, unit

from .test_demo import MODELS  # the same models as the demo-twice test counts

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return User.objects.create_superuser("root", password="pw-for-tests-123")


def test_every_registry_demo_record_carries_the_demo_reason(demo_data):
    for model in MODELS:
        # The demo records no registry target (the sessions' aims belong to the coordination programme).
        expected = set() if model._meta.model_name == "target" else {DEMO_REASON}
        assert set(model.history.values_list("history_change_reason", flat=True)) == expected, model


def test_ba_che_reads_13_ocop_products_8_at_3_stars_and_5_at_4_stars(demo_data, client, admin_user):
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
    # The article sets Ba Chẽ no target (its aims belong to the coordination programme).
    assert not page.targets
    st = StEnterprise.objects.select_related("organization").get()
    assert st.organization.name == "Công ty CP Kinh doanh lâm sản Đạp Thanh"


def test_binh_lieu_and_dinh_hoa_match_their_articles(demo_data, admin_user):
    binh_lieu, _ = figures_for(unit("Huyện Bình Liêu", legacy=True), 2023, admin_user)
    assert (binh_lieu.ocop_products, binh_lieu.stars_3, binh_lieu.stars_4, binh_lieu.without_stars) == (
        27,
        11,
        1,
        15,
    )
    assert binh_lieu.key_or_ocop_with_ip == 3
    assert not binh_lieu.targets
    dinh_hoa, _ = figures_for(unit("Huyện Định Hóa", legacy=True), 2023, admin_user)
    assert (dinh_hoa.key_or_ocop, dinh_hoa.key_or_ocop_with_ip) == (3, 1)
    mark = IpAsset.objects.get(name="Gạo Bao Thai Định Hóa")
    assert mark.ip_type.code == "collective-mark" and mark.status.is_protected and mark.management_rules
    assert mark.authorized_users.count() >= 2
    for name in ("Lúa Nếp Vải Định Biên", "Quế Định Hóa"):
        product = Product.objects.get(name=name)
        assert product.is_key_product and not product.ip_assets.exists()


def test_the_home_province_includes_the_legacy_districts_records(demo_data, admin_user):
    figures, rows = figures_for(province("Quảng Ninh"), 2023, admin_user)
    assert (figures.ocop_products, figures.stars_3, figures.stars_4) == (40, 19, 6)
    assert {row.unit_name: row.ocop_products for row in rows} == {"Huyện Ba Chẽ": 13, "Huyện Bình Liêu": 27}
