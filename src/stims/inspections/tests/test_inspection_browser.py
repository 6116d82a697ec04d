"""An inspector walks an inspection from the year's plan to its follow-up in a real browser: issues the
decision on the plan's page, records the inspection of a fuel station, starts it, records the visit and
a violation, concludes it, is refused the close while the fine is unpaid, records the sanction and opens
the follow-up; and a licence expiry reminder, sent by `stims send_quality_reminders`, read and followed
to the licence. Runs last with the other browser tests (see src/conftest.py)."""

import datetime
import importlib
import io
import re

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import expect

from stims.core.tests.browser import TIMEOUT_MS
from stims.core.tests.test_browser import choose_in_search_select
from stims.inspections.models import Establishment, Inspection, InspectionPlan, InspectionState, Sector
from stims.testing import make_user, province, unit

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT_MS)


def test_an_inspection_from_plan_to_follow_up_in_the_browser(page, log_in, units):
    # The live server's flushed database has lost the seeded sectors and violation catalogue.
    importlib.import_module("stims.inspections.migrations.0002_seed_sectors_and_violation_types").seed(
        apps, None
    )
    fuel = Sector.objects.get(code="fuel-retail")
    station = Establishment.objects.create(
        name="Cửa hàng xăng dầu Hát Lót", sector=fuel, admin_unit=unit("Huyện Mai Sơn", legacy=True)
    )
    plan = InspectionPlan.objects.create(
        year=2023,
        sector=fuel,
        admin_unit=province("Sơn La", legacy=True),
        title="Kế hoạch kiểm tra xăng dầu 2023",
    )
    inspector = make_user("inspector", username="thanhtra", first_name="Anh", last_name="Phạm Đức")
    log_in(inspector)

    page.goto(plan.get_absolute_url())
    page.locator(f"a[href='{reverse('inspections:inspectiondecision_add')}?plan={plan.pk}']").click()
    page.locator("#id_number").fill("15/QĐ-SKHCN")
    page.locator("#id_signed_on").fill("01/03/2023")
    page.locator("#id_signer").fill("Phó Giám đốc Sở KH&CN")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("decisions")).to_contain_text("15/QĐ-SKHCN")

    page.locator(f"a[href='{reverse('inspections:inspection_add')}']").click()
    page.locator("#id_decision").select_option(index=1)
    choose_in_search_select(page, "establishment", "hat lot", station.pk)
    page.locator("#id_planned_on").fill("05/04/2023")
    page.locator("#id_lead_inspector").select_option(str(inspector.pk))
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("move-form")).to_be_visible()
    inspection = Inspection.objects.get(establishment=station)

    page.locator("#id_on").fill("05/04/2023")
    page.get_by_test_id("move-start").click()
    expect(page.get_by_test_id("events")).to_contain_text("05/04/2023")
    assert Inspection.objects.get(pk=inspection.pk).state == InspectionState.IN_PROGRESS

    page.locator(f"a[href='{reverse('inspections:inspection_edit', args=[inspection.pk])}']").first.click()
    page.locator("#id_inspected_on").fill("05/04/2023")
    page.locator("#id_findings").fill("Cột đo số 2 có chứng chỉ kiểm định hết hiệu lực")
    page.locator("main form button[type=submit]").click()
    page.locator(f"a[href='{reverse('inspections:violation_add')}?inspection={inspection.pk}']").click()
    page.locator("#id_violation_type").select_option(index=1)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("violations")).to_contain_text("Nghị định 119/2017/NĐ-CP")

    page.locator("#id_on").fill("12/04/2023")
    page.get_by_test_id("move-conclude").click()
    expect(page.get_by_test_id("move-close")).to_be_visible()
    page.locator(f"a[href='{reverse('inspections:sanction_add')}?inspection={inspection.pk}']").click()
    page.locator("#id_decision_number").fill("42/QĐ-XPVPHC")
    page.locator("#id_issued_on").fill("20/04/2023")
    page.locator("#id_fine_vnd").fill("7500000")
    page.locator("#id_remedies").fill("Kiểm định lại cột đo số 2")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("fines-total")).to_have_text("7.500.000 ₫")

    page.locator("#id_on").fill("21/04/2023")
    page.get_by_test_id("move-close").click()  # the fine is not paid: refused, every reason shown
    expect(page.get_by_test_id("move-refusals")).to_be_visible()
    assert Inspection.objects.get(pk=inspection.pk).state == InspectionState.CONCLUDED

    page.locator("#id_on").fill("21/04/2023")
    page.get_by_test_id("move-follow_up").click()
    expect(page.get_by_test_id("events")).to_contain_text("21/04/2023")
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.FOLLOW_UP
    assert list(inspection.events.values_list("action", flat=True)) == ["start", "conclude", "follow_up"]
    assert inspection.history.first().history_user == inspector

    page.goto(station.get_absolute_url())
    expect(page.get_by_test_id("inspections")).to_contain_text("7.500.000")
    expect(page.get_by_test_id("inspections")).to_contain_text("Nghị định 119/2017/NĐ-CP")


def test_a_licence_expiry_reminder_reaches_the_inspector_and_leads_to_the_licence(page, log_in, units):
    from django.core.management import call_command
    from django.utils import timezone

    from stims.inspections.models import RadiationLicence

    importlib.import_module("stims.inspections.migrations.0002_seed_sectors_and_violation_types").seed(
        apps, None
    )
    clinic = Establishment.objects.create(
        name="Phòng khám đa khoa Tô Hiệu",
        sector=Sector.objects.get(code="radiation"),
        admin_unit=unit("Thành phố Sơn La", legacy=True),
    )
    today = timezone.localdate()
    licence = RadiationLicence.objects.create(
        establishment=clinic,
        number="112/GP-SKHCN",
        issued_on=today - datetime.timedelta(days=1000),
        expires_on=today + datetime.timedelta(days=20),
    )
    inspector = make_user("inspector", username="thanhtra")
    call_command("send_quality_reminders", "--days", "30", stdout=io.StringIO())
    log_in(inspector)

    page.goto(reverse("accounts:notifications"))
    reminder = page.get_by_test_id("notifications").get_by_role("link", name="112/GP-SKHCN", exact=False)
    expect(reminder).to_contain_text(f"{licence.expires_on:%d/%m/%Y}")
    reminder.click()
    expect(page).to_have_url(
        re.compile(reverse("inspections:radiationlicence_detail", args=[licence.pk]) + "$")
    )
    expect(page.locator("main")).to_contain_text("Phòng khám đa khoa Tô Hiệu")
