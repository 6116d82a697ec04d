"""A council member enters their own score sheet in a real browser (Debian's Chromium): from "My actions"
to the council's page, "Enter" on their own cell, a score above the criterion's maximum refused with the
message and every typed value kept, then the corrected sheet saved and its total shown on the council's
page. Runs with the other browser tests (live server, flushed database: the seeded criteria come back
with reseed_reference_data)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from stims.core.tests.browser import TIMEOUT_MS
from stims.councils.models import Council, CouncilDossier, CouncilMember, CriteriaSet, ScoreSheet
from stims.orgs.models import Person
from stims.sttasks.models import Task, TaskType
from stims.testing import make_user, province, reseed_reference_data

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT_MS)

SELECTION_SET_NAME = "Tiêu chí đánh giá hồ sơ tuyển chọn, giao trực tiếp nhiệm vụ KH&CN"


def test_a_council_member_enters_their_own_score_sheet_in_the_browser(page, log_in, units):
    reseed_reference_data()
    criteria_set = CriteriaSet.objects.get(council_kind="selection", name=SELECTION_SET_NAME)
    criteria = list(criteria_set.criteria.order_by("sort_order", "code"))
    assert [c.max_score for c in criteria] == [15, 30, 25, 15, 15]
    quang_ninh = province("Quảng Ninh")
    task = Task.objects.create(
        code="ĐT-2025-07",
        title="Nghiên cứu nuôi hàu Thái Bình Dương ở vịnh Bái Tử Long",
        task_type=TaskType.objects.get(code="de-tai"),
        proposal_year=2025,
        ordering_unit=quang_ninh,
    )
    council = Council.objects.create(
        kind="selection",
        name="Hội đồng tuyển chọn nhiệm vụ nuôi trồng thủy sản 2025",
        criteria_set=criteria_set,
        decision_number="125/QĐ-SKHCN",
        decision_date=datetime.date(2025, 3, 1),
        meeting_date=datetime.date(2025, 3, 10),
    )
    expert = make_user("council_member", first_name="Hùng", last_name="Trần Văn")
    members = [
        CouncilMember.objects.create(
            council=council,
            person=Person.objects.create(full_name=name, admin_unit=quang_ninh),
            role=role,
            user=user,
        )
        for name, role, user in [
            ("PGS.TS. Nguyễn Thị Lan", "chair", None),
            ("TS. Trần Văn Hùng", "member", expert),
        ]
    ]
    mine, chair = members[1], members[0]
    dossier = CouncilDossier.objects.create(council=council, task=task)
    log_in(expert)

    # "My actions" lists the sheet the member owes; it leads to the council's page.
    page.goto(reverse("sttasks:my_actions"))
    page.get_by_test_id("my-sheets").get_by_role("link", name=council.name).click()
    expect(page.get_by_test_id("sheets")).to_be_visible()
    # Only their own cell can be entered: the chair's sheet is not theirs.
    expect(page.get_by_test_id(f"sheet-{dossier.pk}-{chair.pk}")).to_have_count(0)
    page.get_by_test_id(f"sheet-{dossier.pk}-{mine.pk}").click()

    form = page.get_by_test_id("sheet-form")
    typed = ["16", "25", "20.5", "12", "13"]  # 16 is above the first criterion's 15
    for criterion, value in zip(criteria, typed, strict=True):
        form.locator(f"#id_criterion_{criterion.pk}").fill(value)
    form.locator("#id_comments").fill("Phương án nuôi khả thi, cần bổ sung số liệu độ mặn")
    form.get_by_role("button", name="Lưu").click()

    first = form.locator(f"#id_criterion_{criteria[0].pk}")
    expect(first.locator("xpath=..")).to_contain_text("Tối đa 15 điểm.")
    for criterion, value in zip(criteria, typed, strict=True):
        expect(form.locator(f"#id_criterion_{criterion.pk}")).to_have_value(value)
    expect(form.locator("#id_comments")).to_have_value("Phương án nuôi khả thi, cần bổ sung số liệu độ mặn")
    assert not ScoreSheet.objects.exists()

    first.fill("14")
    form.get_by_role("button", name="Lưu").click()

    # Back on the council's page: the message, the sheet's total in their cell and the dossier's result.
    expect(
        page.get_by_role("alert").filter(has_text="Đã lưu phiếu đánh giá của TS. Trần Văn Hùng")
    ).to_be_visible()
    expect(page.get_by_test_id(f"sheet-{dossier.pk}-{mine.pk}")).to_have_text("84,50")
    expect(page.get_by_test_id(f"result-{dossier.pk}")).to_contain_text("84,50")
    sheet = ScoreSheet.objects.get()
    assert (sheet.dossier, sheet.member, sheet.total) == (dossier, mine, Decimal("84.50"))
    assert sheet.comments == "Phương án nuôi khả thi, cần bổ sung số liệu độ mặn"
    assert sorted((s.criterion.code, s.score) for s in sheet.scores.select_related("criterion")) == [
        ("1", 14),
        ("2", 25),
        ("3", Decimal("20.5")),
        ("4", 12),
        ("5", 13),
    ]
    assert sheet.history.first().history_user == expert
