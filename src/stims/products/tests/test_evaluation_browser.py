"""A specialist records a product's OCOP evaluation in a real browser (Debian's Chromium): from the product's
page "Add evaluation", Cancel returns to the product with nothing saved; then the scores, the decision
and the certificate are typed and saved, and the product's page shows the total and the stars the star
bands give. Runs with the other browser tests (live server, flushed database: the OCOP groups and star
bands come back with reseed_reference_data)."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from stims.core.tests.browser import TIMEOUT_MS
from stims.orgs.models import Organization, OrganizationKind
from stims.products.models import OcopEvaluation, ProducerKind, Product, ProductGroup
from stims.testing import make_user, reseed_reference_data, unit

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT_MS)


def test_a_specialist_adds_an_ocop_evaluation_from_the_product_page(page, log_in, units):
    reseed_reference_data()
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    product = Product.objects.create(
        name="Trà hoa vàng Ba Chẽ",
        group=ProductGroup.objects.get(code="herbal"),
        producer_kind=ProducerKind.COOPERATIVE,
        producer=Organization.objects.create(
            name="HTX Trà hoa vàng Ba Chẽ", kind=OrganizationKind.COOPERATIVE, admin_unit=ba_che
        ),
        admin_unit=ba_che,
        is_ocop=True,
    )
    specialist = make_user("specialist")
    log_in(specialist)

    page.goto(product.get_absolute_url())
    evaluations = page.get_by_test_id("evaluations")
    expect(evaluations).to_contain_text("Chưa có kết quả đánh giá, phân hạng OCOP nào.")
    add = page.get_by_role("link", name="Thêm kết quả đánh giá")

    # Cancel on the add form: back on the product, nothing recorded.
    add.click()
    page.locator("#id_score_a").fill("30")
    page.get_by_test_id("cancel").click()
    expect(page).to_have_url(re.compile(re.escape(product.get_absolute_url()) + "$"))
    assert not OcopEvaluation.objects.exists()

    add.click()
    page.locator("#id_year").fill("2025")
    page.locator("#id_score_a").fill("32.5")
    page.locator("#id_score_b").fill("20")
    page.locator("#id_score_c").fill("26")
    page.locator("#id_decision_number").fill("2150/QĐ-UBND")
    page.locator("#id_decision_date").fill("15/09/2025")
    page.locator("#id_certificate_expiry").fill("15/09/2028")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(re.escape(product.get_absolute_url()) + "$"))
    row = page.get_by_test_id("evaluations").locator("tbody tr").first
    expect(row).to_contain_text("2025")
    expect(row).to_contain_text("78,5")
    expect(row).to_contain_text("2150/QĐ-UBND, 15/09/2025")
    expect(row.get_by_label("4 sao")).to_have_text("★★★★")
    expect(page.get_by_test_id("certificate-2025")).to_contain_text("15/09/2028")
    evaluation = OcopEvaluation.objects.get()
    assert (evaluation.product, evaluation.year, evaluation.total_score, evaluation.stars) == (
        product,
        2025,
        Decimal("78.5"),
        4,
    )
    assert (evaluation.decision_date, evaluation.certificate_expiry) == (
        datetime.date(2025, 9, 15),
        datetime.date(2028, 9, 15),
    )
    assert evaluation.history.get().history_user == specialist
