"""Two journeys in a real browser (Debian's Chromium), as people do them:

1. the leader's morning: sign in on the login form, the home page shows the overdue directive and the
   proposal waiting, and each figure opens the filtered list behind it;
2. a commune officer's proposal: fill the add form (no task code, no department fields), "Gửi Sở"; the
   department's leader sees it in the bell, in the notification list and on the home page; then the
   officer reports where a result handed over to the commune is applied.

The live server's database is flushed: each test builds the few records it needs (the workflow and
reference lists, two units, the users under the demo's names). Runs with the other browser tests.
"""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from stims.accounts.models import Role
from stims.core.tests.browser import TIMEOUT_MS
from stims.meetings.models import Directive
from stims.orgs.models import Organization
from stims.results.models import ApplicationReport, Handover, ResultKind, TaskResult
from stims.sttasks import proposals
from stims.sttasks.models import Task, TaskType
from stims.testing import make_user, reseed_reference_data, unit

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT_MS)

PASSWORD = "Mat-khau-thu-2026"
TODAY = datetime.date.today()


def department_user(username, role):
    user = make_user(role, username=username)
    user.set_password(PASSWORD)
    user.email = f"{username}@example.org"
    user.save()
    return user


def local_officer(username, admin_unit):
    user = make_user(Role.LOCAL_OFFICER, username=username, admin_unit=admin_unit)
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(page, username):
    page.goto(reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def sign_out(page):
    page.locator("nav form[action$='/logout/'] button").click()


@pytest.fixture
def reference(units):
    reseed_reference_data()
    return {
        "binh_lieu": unit("Xã Bình Liêu"),
        "ba_che": unit("Huyện Ba Chẽ", legacy=True),
        "task_type": TaskType.objects.get(code="de-tai"),
    }


def test_the_leaders_morning_from_the_home_page_to_the_filtered_lists(page, reference):
    leader = department_user("lanhdao", Role.LEADER)
    officer = local_officer("canbo.binhlieu", reference["binh_lieu"])
    lead = Organization.objects.create(name="UBND huyện Ba Chẽ", admin_unit=reference["ba_che"])
    late = Directive.objects.create(
        text="Báo cáo tình hình phát triển sản phẩm OCOP quế Ba Chẽ",
        lead_organization=lead,
        assigned_by=leader,
        assigned_on=TODAY - datetime.timedelta(days=40),
        deadline=TODAY - datetime.timedelta(days=5),
    )
    Directive.objects.create(
        text="Đề xuất nhiệm vụ bảo tồn nguồn gen ba kích",
        lead_organization=lead,
        assigned_by=leader,
        assigned_on=TODAY,
        deadline=TODAY + datetime.timedelta(days=60),
    )
    proposal = Task.objects.create(
        title="Nhân giống cây hồi bằng nuôi cấy mô tại Bình Liêu",
        task_type=reference["task_type"],
        proposal_year=TODAY.year + 1,
        ordering_unit=reference["binh_lieu"],
        objectives="Làm chủ quy trình nhân giống",
    )
    proposals.submit_proposal(proposal, officer)

    sign_in(page, "lanhdao")
    assert page.url.endswith("/")  # the login lands on the home page
    overdue = page.get_by_test_id("home-directives-overdue")
    expect(overdue).to_contain_text("1")
    expect(page.get_by_test_id("home-proposals-waiting")).to_contain_text("1")
    overdue.click()
    assert "overdue=true" in page.url
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(late.text[:40])

    page.go_back()
    page.get_by_test_id("home-proposals-waiting").click()
    assert "submitted=true" in page.url
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Nhân giống cây hồi")


def test_a_communes_proposal_goes_to_the_department_and_the_commune_reports_a_results_application(
    page, reference
):
    department_user("lanhdao", Role.LEADER)
    local_officer("canbo.binhlieu", reference["binh_lieu"])

    sign_in(page, "canbo.binhlieu")
    page.goto(reverse("sttasks:task_add"))
    form = page.locator("main form")
    for department_field in ("#id_code", "#id_officer", "#id_is_carried_over", "#id_is_published"):
        expect(form.locator(department_field)).to_have_count(0)
    form.locator("#id_title").fill("Ứng dụng công nghệ nhân giống in vitro cây hồi tại Bình Liêu")
    form.locator("#id_task_type").select_option(label="Đề tài")
    form.locator("#id_level").select_option("grassroots")
    form.locator("#id_proposal_year").fill(str(TODAY.year + 1))
    ordering = form.locator(".search-select").filter(has=page.locator("#id_ordering_unit"))
    ordering.locator("input[type=search]").fill("Bình Liêu")
    option = ordering.locator("#id_ordering_unit option", has_text="Xã Bình Liêu")
    expect(option).to_have_count(1)
    ordering.locator("#id_ordering_unit").select_option(option.get_attribute("value"))
    form.locator("#id_objectives").fill("Sản xuất 20.000 cây giống sạch bệnh; mô hình 10 ha")
    form.locator("button[type=submit]").last.click()

    expect(page.get_by_test_id("task-proposal")).to_be_visible()
    # No greyed-out steps the commune cannot take.
    expect(page.get_by_test_id("task-steps")).to_have_count(0)
    page.get_by_test_id("submit-proposal").click()
    expect(page.get_by_test_id("proposal-sent")).to_be_visible()
    task = Task.objects.get(title__startswith="Ứng dụng công nghệ nhân giống in vitro")
    assert task.code is None and task.submitted_at is not None
    # Sent: the commune can no longer edit it.
    assert page.goto(reverse("sttasks:task_edit", args=[task.pk])).status == 403

    page.goto("/")
    sign_out(page)
    sign_in(page, "lanhdao")
    badge = page.get_by_test_id("notification-unread")
    expect(badge).to_have_text("1")
    expect(page.get_by_test_id("home-proposals-waiting")).to_contain_text("1")
    page.get_by_test_id("notification-count").click()
    notes = page.get_by_test_id("notifications")
    expect(notes).to_contain_text("gửi Sở đề xuất nhiệm vụ mới")
    notes.get_by_role("link").first.click()
    expect(page.get_by_test_id("task-proposal")).to_be_visible()
    expect(page.get_by_test_id("notification-unread")).to_have_count(0)

    # A result handed over to the commune: the officer reports where it is applied.
    finished = Task.objects.create(
        code="QN.ĐT.03-2022",
        title="Tuyển chọn giống quế cho vùng cao",
        task_type=reference["task_type"],
        proposal_year=2022,
        ordering_unit=reference["ba_che"],
    )
    result = TaskResult.objects.create(
        task=finished, kind=ResultKind.PROCESS, name="Quy trình trồng quế thâm canh"
    )
    Handover.objects.create(result=result, receiving_unit=reference["binh_lieu"], handed_over_on=TODAY)
    sign_out(page)
    sign_in(page, "canbo.binhlieu")
    handovers = page.get_by_test_id("home-handovers")
    expect(handovers).to_contain_text("Quy trình trồng quế thâm canh")
    handovers.get_by_role("link", name="Quy trình trồng quế thâm canh").click()
    page.get_by_role("link", name="Báo cáo ứng dụng").first.click()
    form = page.locator("main form")
    form.locator("#id_year").fill(str(TODAY.year))
    where = form.locator(".search-select").filter(has=page.locator("#id_admin_unit"))
    where.locator("input[type=search]").fill("Bình Liêu")
    option = where.locator("#id_admin_unit option", has_text="Xã Bình Liêu")
    expect(option).to_have_count(1)
    where.locator("#id_admin_unit").select_option(option.get_attribute("value"))
    form.locator("#id_scale").fill("12 ha")
    form.locator("button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text("12 ha")
    report = ApplicationReport.objects.get(result=result)
    assert report.admin_unit == reference["binh_lieu"] and report.scale == "12 ha"
    page.goto("/")
    expect(page.get_by_test_id("home-handovers")).to_contain_text("Không có kết quả nào")


def test_figures_behind_someone_elses_change_say_so_and_fit_a_laptop_and_a_phone(page, reference, settings):
    """The leader's summary and home page may show figures up to 30 s behind another person's change
    (core.aggregates); the page then says from when they are, in a line that fits both widths."""
    settings.STIMS_FIGURES_STALE_SECONDS = 30
    department_user("lanhdao", Role.LEADER)
    sign_in(page, "lanhdao")
    page.set_viewport_size({"width": 1366, "height": 768})
    heading = page.locator("main h2").first
    page.goto(reverse("sttasks:summary"))
    before = heading.inner_text()
    page.goto(reverse("home"))
    expect(page.locator(".figures-as-of")).to_have_count(0)  # current figures: nothing to say
    # Someone else proposes a task (not the leader: their next figures may lag it).
    Task.objects.create(
        title="Nhân giống cây hồi bằng nuôi cấy mô tại Bình Liêu",
        task_type=reference["task_type"],
        proposal_year=TODAY.year + 1,
        ordering_unit=reference["binh_lieu"],
    )
    for size in ({"width": 1366, "height": 768}, {"width": 390, "height": 844}):
        page.set_viewport_size(size)
        for url in (reverse("sttasks:summary"), reverse("home")):
            page.goto(url)
            line = page.locator(".figures-as-of")
            expect(line).to_be_visible()
            expect(line).to_contain_text("Số liệu lúc")
            expect(line).to_contain_text("trong vòng 30 giây")
            assert page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") <= 0
    page.goto(reverse("sttasks:summary"))
    assert heading.inner_text() == before  # the figures of the first visit, as the line says
