"""End-to-end tests in a real browser: what a user does, page by page, against a live server.

They drive Debian's Chromium (/usr/bin/chromium) through Playwright and fail, not skip, when it is
missing. Assertions use stable things (URLs, data-testid attributes, record names, form values),
not translated labels (only the language-switch test reads one). They run last (see src/conftest.py).
Run alone with: pytest src/stims/core/tests/test_browser.py
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user, province, unit

from .browser import TIMEOUT_MS

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT_MS)

ORG_LIST = "/directory/organizations/"
ORG_ADD = "/directory/organizations/add/"


def detail_url(org) -> str:
    return reverse("orgs:organization_detail", args=[org.pk])


def choose_in_search_select(page, field: str, query: str, value) -> None:
    """Types into the search box of a search-select widget and picks an option from the htmx answer.
    Only once the page has loaded: htmx is a deferred script, and text typed before it has bound the
    box's `input` trigger sends no request (seen after a form came back with an error, on a busy
    machine: the options never came)."""
    page.wait_for_load_state("load")
    select = page.locator(f"#id_{field}")
    page.locator(f".search-select:has(#id_{field}) input.search-select-query").fill(query)
    expect(select.locator(f"option[value='{value}']")).to_be_attached()
    select.select_option(str(value))


def test_logging_in_lands_on_home_and_logging_out_returns_to_the_login_page(page, live_server):
    user = make_user(role="specialist", username="lan.nguyen", first_name="Nguyễn Thị Lan")
    user.set_password("Mật-khẩu-đủ-dài-2025")
    user.save()

    page.goto("/")  # the public portal; staff sign in from it
    page.get_by_test_id("staff-login").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))

    page.fill("#id_username", "lan.nguyen")
    page.fill("#id_password", "wrong password")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main [role=alert]")).to_be_visible()
    expect(page.locator("#id_username")).to_have_value("lan.nguyen")

    page.fill("#id_password", "Mật-khẩu-đủ-dài-2025")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_test_id("current-user")).to_have_text(str(user))

    page.locator(f"nav form[action='{reverse('logout')}'] button").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    page.goto(ORG_LIST)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


def test_global_search_finds_units_without_diacritics(page, log_in, units):
    log_in(make_user(role="viewer"))
    page.goto("/")

    box = page.locator("nav input[name=q]")
    box.fill("ba che")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=ba\+che$"))
    result = page.get_by_test_id("search-group").locator("a", has_text="Huyện Ba Chẽ").first
    expect(result).to_be_visible()
    result.click()
    expect(page).to_have_url(re.compile(rf"/units/{unit('Huyện Ba Chẽ', legacy=True).pk}/$"))

    page.locator("nav input[name=q]").fill("dinh hoa")
    page.locator("nav input[name=q]").press("Enter")
    expect(page.get_by_test_id("search-group").locator("a", has_text="Định Hóa").first).to_be_visible()

    # The search page's own box answers as one types (htmx) and keeps the query in the address.
    page.goto("/search/")
    page.locator("main input[name=q]").fill("dinh hoa")
    expect(page.locator("#search-results").locator("a", has_text="Huyện Định Hóa").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/search/\?q=dinh(\+|%20)hoa$"))


def test_creating_an_organization_and_seeing_an_edit_in_its_history(page, log_in, live_server, units):
    user = make_user(role="specialist", first_name="Trần Thu Hà")
    log_in(user)
    ba_che = unit("Huyện Ba Chẽ", legacy=True)

    page.goto(ORG_LIST)
    page.locator(f"main a[href='{ORG_ADD}']").click()
    expect(page).to_have_url(f"{live_server.url}{ORG_ADD}")
    page.fill("#id_name", "Hợp tác xã Chè Ba Chẽ")
    page.select_option("#id_kind", OrganizationKind.COOPERATIVE.value)
    choose_in_search_select(page, "admin_unit", "ba che", ba_che.pk)
    page.fill("#id_phone", "0203 3888 111")
    page.fill("#id_email", "htx.che@example.vn")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/directory/organizations/\d+/$"))
    org = Organization.objects.get(name="Hợp tác xã Chè Ba Chẽ")
    expect(page).to_have_url(f"{live_server.url}{detail_url(org)}")
    assert (org.admin_unit, org.kind, org.phone) == (ba_che, OrganizationKind.COOPERATIVE, "0203 3888 111")
    expect(page.locator("h1")).to_have_text(org.name)
    expect(page.locator("dl.record")).to_contain_text("Huyện Ba Chẽ")

    page.locator(f"main a[href='{reverse('orgs:organization_edit', args=[org.pk])}']").click()
    # The edit form shows the chosen unit although the widget holds no list of its own.
    expect(page.locator("#id_admin_unit")).to_have_value(str(ba_che.pk))
    expect(page.locator("#id_phone")).to_have_value("0203 3888 111")
    page.fill("#id_phone", "0203 3999 222")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}{detail_url(org)}")
    history = page.get_by_test_id("history")
    expect(history.locator("del", has_text="0203 3888 111")).to_be_visible()
    expect(history.locator("li", has=page.locator("del", has_text="0203 3888 111"))).to_contain_text(
        "0203 3999 222"
    )
    expect(history).to_contain_text(str(user))
    org.refresh_from_db()
    assert org.phone == "0203 3999 222"
    assert org.history.latest().history_user == user
    page.screenshot(path="/tmp/stims-org-detail.png", full_page=True)


def test_a_rejected_form_keeps_what_was_typed(page, log_in, live_server, units):
    log_in(make_user(role="specialist"))
    ba_che = unit("Huyện Ba Chẽ", legacy=True)

    page.goto(ORG_ADD)
    page.fill("#id_short_name", "HTX Chè")
    page.select_option("#id_kind", OrganizationKind.COOPERATIVE.value)
    choose_in_search_select(page, "admin_unit", "ba che", ba_che.pk)
    page.fill("#id_phone", "0203 3888 111")
    page.fill("#id_email", "htx.che@example.vn")
    page.fill("#id_notes", "Chè hoa vàng, vùng nguyên liệu 20 ha")
    page.locator("main form button[type=submit]").click()

    expect(page.locator("#id_name_error")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}{ORG_ADD}")
    expect(page.locator("#id_name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("main .errorlist")).to_have_count(1)
    expect(page.locator("#id_short_name")).to_have_value("HTX Chè")
    expect(page.locator("#id_kind")).to_have_value(OrganizationKind.COOPERATIVE.value)
    expect(page.locator("#id_admin_unit")).to_have_value(str(ba_che.pk))
    expect(page.locator("#id_admin_unit option:checked")).to_contain_text("Huyện Ba Chẽ")
    expect(page.locator("#id_phone")).to_have_value("0203 3888 111")
    expect(page.locator("#id_email")).to_have_value("htx.che@example.vn")
    expect(page.locator("#id_notes")).to_have_value("Chè hoa vàng, vùng nguyên liệu 20 ha")
    assert not Organization.objects.exists()


def test_a_local_officer_sees_only_their_units_organizations(page, log_in, live_server, units):
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    commune = ba_che.children.order_by("code").first()
    own = Organization.objects.create(
        name="UBND huyện Ba Chẽ", kind=OrganizationKind.PEOPLES_COMMITTEE, admin_unit=ba_che
    )
    own_commune = Organization.objects.create(
        name=f"UBND {commune.name}", kind=OrganizationKind.PEOPLES_COMMITTEE, admin_unit=commune
    )
    neighbour = Organization.objects.create(
        name="UBND huyện Bình Liêu",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        admin_unit=unit("Huyện Bình Liêu", legacy=True),
    )
    elsewhere = Organization.objects.create(
        name="UBND huyện Định Hóa",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        admin_unit=unit("Huyện Định Hóa", legacy=True),
    )
    department = Organization.objects.create(
        name="Sở Khoa học và Công nghệ", kind=OrganizationKind.DEPARTMENT, admin_unit=province("Quảng Ninh")
    )
    log_in(make_user(role="local_officer", admin_unit=ba_che))

    page.goto(ORG_LIST)
    names = page.locator("main table tbody").get_by_role("link")
    expect(names).to_have_count(2)
    assert sorted(names.all_inner_texts()) == sorted([own.name, own_commune.name])

    for hidden in (elsewhere, neighbour, department):
        response = page.goto(detail_url(hidden))
        assert response.status == 404, (hidden.name, response.status)
        expect(page.locator("body")).not_to_contain_text(hidden.name)
    response = page.goto(reverse("orgs:organization_edit", args=[elsewhere.pk]))
    assert response.status == 404

    response = page.goto(detail_url(own))
    assert response.status == 200
    expect(page.locator("h1")).to_have_text(own.name)


def test_the_language_switch_changes_the_interface_and_back(page, log_in, live_server):
    log_in(make_user(role="viewer"))
    page.goto(ORG_LIST)
    html, switch = page.locator("html"), page.locator("nav select[name=language]")
    log_out = page.locator(f"nav form[action='{reverse('logout')}'] button")
    expect(html).to_have_attribute("lang", "vi")
    expect(switch).to_have_value("vi")
    vietnamese_label = log_out.inner_text()

    switch.select_option("en")  # submits the form on change
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}{ORG_LIST}")
    expect(switch).to_have_value("en")
    expect(log_out).to_have_text("Log out")
    page.goto("/")  # the choice sticks to the session, not just the page
    expect(html).to_have_attribute("lang", "en")

    switch.select_option("vi")
    expect(html).to_have_attribute("lang", "vi")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(log_out).to_have_text(vietnamese_label)
    assert vietnamese_label != "Log out", "the Vietnamese interface shows the English label"


def test_deleting_a_record_and_restoring_it(page, log_in, live_server, units):
    leader = make_user(role="leader", first_name="Phạm Văn Minh")
    log_in(leader)
    org = Organization.objects.create(
        name="Trung tâm Ứng dụng tiến bộ KH&CN",
        kind=OrganizationKind.CENTRE,
        admin_unit=province("Quảng Ninh"),
        phone="0203 3835 555",
    )
    delete_url = reverse("orgs:organization_delete", args=[org.pk])
    deleted_url = reverse("orgs:organization_deleted")

    page.goto(detail_url(org))
    page.locator(f"main a[href='{delete_url}']").click()
    expect(page).to_have_url(f"{live_server.url}{delete_url}")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}{ORG_LIST}")
    expect(page.locator("main .alert-success")).to_contain_text(org.name)
    assert not Organization.objects.filter(pk=org.pk).exists()

    page.locator(f"main a[href='{deleted_url}']").click()
    row = page.locator("main tbody tr", has_text=org.name)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(str(leader))
    row.locator("button[type=submit]").click()

    expect(page).to_have_url(f"{live_server.url}{detail_url(org)}")
    expect(page.locator("h1")).to_have_text(org.name)
    expect(page.locator("main .alert-success")).to_contain_text(org.name)
    expect(page.get_by_test_id("history").locator("li")).to_have_count(3)  # created, deleted, restored
    restored = Organization.objects.get(pk=org.pk)
    assert (restored.name, restored.phone, restored.admin_unit_id) == (org.name, org.phone, org.admin_unit_id)

    page.goto(deleted_url)
    expect(page.locator("main tbody tr", has_text=org.name)).to_have_count(0)


def test_importing_products_from_excel_then_seeing_them_on_the_dashboard(page, log_in, units, tmp_path):
    """Upload a workbook, read the preview, confirm, and find the products counted for the locality."""
    import openpyxl

    from stims.products.models import Product, ProductGroup, StarBand

    # The live server's flushed database has lost the seeded reference data: put back what we use.
    group = ProductGroup.objects.filter(name="Thực phẩm").first() or ProductGroup.objects.create(
        code="food", name="Thực phẩm"
    )
    for stars, low, high in ((3, 50, 69.99), (4, 70, 89.99)):
        StarBand.objects.get_or_create(stars=stars, min_score=low, max_score=high)
    log_in(make_user(role="specialist"))

    book = openpyxl.Workbook()
    book.active.append(
        [
            "Tên sản phẩm",
            "Nhóm sản phẩm",
            "Loại chủ thể",
            "Chủ thể",
            "Đơn vị hành chính",
            "Tỉnh",
            "Giai đoạn",
            "Sản phẩm chủ lực",
            "Năm đánh giá",
            "Điểm A",
            "Điểm B",
            "Điểm C",
        ]
    )
    book.active.append(
        [
            "Miến dong Bình Liêu",
            group.code,
            "Hộ gia đình",
            "Hộ ông Vi Văn Sáng",
            "Huyện Bình Liêu",
            "Quảng Ninh",
            "trước 2025",
            "có",
            2023,
            30,
            20,
            25,
        ]
    )
    book.active.append(
        [
            "Rượu mơ Bình Liêu",
            group.code,
            "Hộ gia đình",
            "Hộ bà Nông Thị Thu",
            "Huyện Bình Liêu",
            "Quảng Ninh",
            "trước 2025",
            "không",
            2023,
            25,
            15,
            15,
        ]
    )
    path = tmp_path / "san-pham.xlsx"
    book.save(path)

    page.goto(reverse("registries:import"))
    form = page.get_by_test_id("import-form")
    form.locator("select[name=kind], input[name=kind][value=products]").first.evaluate(
        "el => { if (el.tagName === 'SELECT') { el.value = 'products'; } else { el.checked = true; } }"
    )
    form.locator("input[type=file]").set_input_files(str(path))
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("import-preview")).to_contain_text("Miến dong Bình Liêu")
    assert Product.objects.count() == 0  # the preview writes nothing
    if page.get_by_test_id("import-errors").count():
        raise AssertionError(page.get_by_test_id("import-preview").inner_text())
    page.get_by_test_id("confirm-import").click()
    expect(page.locator("main [role=alert]").first).to_be_visible()
    assert Product.objects.count() == 2

    binh_lieu = unit("Huyện Bình Liêu", legacy=True)
    page.goto(f"{reverse('registries:dashboard')}?unit={binh_lieu.pk}&year=2023")
    expect(page.get_by_test_id("stars-4")).to_have_text("1")
    expect(page.get_by_test_id("stars-3")).to_have_text("1")
