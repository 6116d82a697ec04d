"""In a real browser, as people do it: the administrator creates a colleague's account and gives them a
local officer's role limited to Huyện Ba Chẽ; the colleague sets a password from the e-mailed link
("Quên mật khẩu?" works the same way), logs in through the login form, and finds no user management there (403)."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from stims.accounts.models import Role, User
from stims.core.tests.browser import TIMEOUT_MS
from stims.core.tests.test_browser import choose_in_search_select
from stims.testing import make_user, unit

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT_MS)

LINK = re.compile(r"https?://[^\s]+(/accounts/password/reset/[^\s]+/)")


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


def log_in_by_form(page, username, password):
    page.goto(reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").click()


def test_the_administrator_creates_a_local_officer_who_sets_a_password_and_logs_in(page, log_in, units):
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    log_in(make_user(username="quantri", is_superuser=True, email="qt@so-khcn.example"))

    page.goto(reverse("accounts:profile"))
    page.get_by_test_id("manage-users").click()
    page.locator(f"main a[href='{reverse('accounts:user_add')}']").click()
    page.fill("#id_username", "canbo.thanhson")
    page.fill("#id_first_name", "Thu")
    page.fill("#id_last_name", "Hoàng")
    page.fill("#id_email", "thu@bache.example")
    page.locator("main form button[type=submit]").click()

    officer = User.objects.get(username="canbo.thanhson")
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:user_detail", args=[officer.pk])) + "$"))
    page.get_by_role("link", name="Thêm vai trò").click()
    page.select_option("#id_role", Role.LOCAL_OFFICER.value)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".errorlist")).to_contain_text("đơn vị hành chính")  # a unit is required
    choose_in_search_select(page, "admin_unit", "ba che", ba_che.pk)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("roles")).to_contain_text("Huyện Ba Chẽ")
    expect(page.get_by_test_id("role-history")).to_contain_text("quantri")
    assert officer.role_assignments.get().admin_unit == ba_che

    # The colleague sets a password from the mail sent at creation, then logs in through the form.
    assert [m.to for m in mail.outbox] == [["thu@bache.example"]]
    page.context.clear_cookies()
    page.goto(link_in(mail.outbox[0]))
    page.fill("#id_new_password1", "Chè-hoa-vàng-Ba-Chẽ-26")
    page.fill("#id_new_password2", "Chè-hoa-vàng-Ba-Chẽ-26")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Đã đặt mật khẩu")
    log_in_by_form(page, "canbo.thanhson", "Chè-hoa-vàng-Ba-Chẽ-26")
    expect(page.get_by_test_id("current-user")).to_be_visible()

    # Forgot it again: "Quên mật khẩu?" on the login page, the same way.
    page.context.clear_cookies()
    page.goto(reverse("login"))
    page.get_by_test_id("forgot-password").click()
    page.fill("#id_email", "thu@bache.example")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("reset-sent")).to_be_visible()
    page.goto(link_in(mail.outbox[-1]))
    page.fill("#id_new_password1", "Sâm-Ba-Chẽ-mới-2026")
    page.fill("#id_new_password2", "Sâm-Ba-Chẽ-mới-2026")
    page.locator("main form button[type=submit]").click()
    log_in_by_form(page, "canbo.thanhson", "Sâm-Ba-Chẽ-mới-2026")
    expect(page.get_by_test_id("current-user")).to_be_visible()
    # A local officer has no user management: 403.
    assert page.goto(reverse("accounts:user_list")).status == 403
