"""The "attach the document first" detour of a workflow step keeps what was typed: a specialist types
the date and reason of an extension, leaves for the document form, saves the decision, and comes back
to the step with the date and reason still there (and Cancel on the detour goes back the same way)."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from stims.core.tests.browser import TIMEOUT_MS
from stims.sttasks import workflow
from stims.sttasks.models import DocumentKind, Task, TaskType, WorkflowState, WorkflowTransition
from stims.testing import make_user, unit

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT_MS)

REASON = "Mưa lũ tháng 9/2026 làm mất vụ mùa, cần thêm một vụ để đánh giá"


def test_the_attach_first_detour_keeps_the_typed_reason_and_date(page, log_in, units, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    workflow.install_defaults(WorkflowState, WorkflowTransition, DocumentKind)
    task_type, _ = TaskType.objects.get_or_create(code="de-tai", defaults={"name": "Đề tài"})
    task = Task.objects.create(
        code="TN.ĐH.02-2024",
        title="Phục tráng giống lúa Bao Thai Định Hóa",
        task_type=task_type,
        proposal_year=2024,
        ordering_unit=unit("Huyện Định Hóa", legacy=True),
        start_date=datetime.date(2024, 3, 1),
        end_date=datetime.date(2026, 12, 31),
        state=WorkflowState.objects.get(code="in_progress"),
    )
    log_in(make_user("specialist"))
    step_url = reverse("sttasks:task_step", args=[task.pk, "extend"])

    page.goto(step_url)
    form = page.get_by_test_id("step-form")
    form.locator("#id_happened_on").fill("12/11/2026")
    form.locator("#id_reason").fill(REASON)
    page.get_by_test_id("attach-first").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("sttasks:document_add")) + r"\?.*next="))

    # Cancel on the detour goes back to the step, with what was typed.
    page.get_by_test_id("cancel").click()
    expect(page.locator("#id_reason")).to_have_value(REASON)
    expect(page.locator("#id_happened_on")).to_have_value("12/11/2026")

    page.get_by_test_id("attach-first").click()
    page.locator("#id_number").fill("1234/QĐ-UBND")
    page.locator("#id_issued_on").fill("10/11/2026")
    page.locator("#id_title").fill("Gia hạn thời gian thực hiện")
    decision = tmp_path / "quyet-dinh.pdf"
    decision.write_bytes(b"%PDF-1.4\n% quyet dinh\n")
    page.locator("#id_file").set_input_files(str(decision))
    page.locator("main form button[type=submit]").click()

    form = page.get_by_test_id("step-form")
    expect(form.locator("#id_reason")).to_have_value(REASON)
    expect(form.locator("#id_happened_on")).to_have_value("12/11/2026")
    assert task.documents.get().number == "1234/QĐ-UBND"
    form.locator("#id_document").select_option(index=1)
    form.locator("#id_new_end_date").fill("31/12/2027")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("task-timeline")).to_contain_text("31/12/2026 → 31/12/2027")
