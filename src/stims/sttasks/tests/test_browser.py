"""A specialist extends a running task in a real browser: attaches the decision (a file upload) on the
task's page, takes the "extend" step citing it, and reads the new end date on the timeline.
Runs last with the other browser tests (see src/conftest.py)."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from stims.core.tests.browser import TIMEOUT_MS
from stims.sttasks import workflow
from stims.sttasks.models import DocumentKind, Task, TaskType, WorkflowState, WorkflowTransition
from stims.testing import make_user, unit

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT_MS)


def test_extending_a_task_with_its_decision_attached_in_the_browser(page, log_in, units, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    # The live server's flushed database has lost the seeded workflow: put it back.
    workflow.install_defaults(WorkflowState, WorkflowTransition, DocumentKind)
    task_type, _ = TaskType.objects.get_or_create(code="de-tai", defaults={"name": "Đề tài"})
    task = Task.objects.create(
        code="TN.ĐH.01-2024",
        title="Phục tráng giống lúa Bao Thai Định Hóa",
        task_type=task_type,
        proposal_year=2024,
        ordering_unit=unit("Huyện Định Hóa", legacy=True),
        start_date=datetime.date(2024, 3, 1),
        end_date=datetime.date(2026, 12, 31),
        state=WorkflowState.objects.get(code="in_progress"),
    )
    log_in(make_user("specialist"))

    page.goto(task.get_absolute_url())
    page.locator(f"a[href='{reverse('sttasks:document_add')}?task={task.pk}']").click()
    page.locator("#id_kind").select_option(label="Quyết định")
    page.locator("#id_number").fill("1234/QĐ-UBND")
    page.locator("#id_issued_on").fill("10/11/2026")
    page.locator("#id_signer").fill("Phó Chủ tịch UBND tỉnh")
    page.locator("#id_title").fill("Gia hạn thời gian thực hiện dự án phục tráng lúa Bao Thai")
    decision_pdf = tmp_path / "quyet-dinh-gia-han.pdf"
    decision_pdf.write_bytes(b"%PDF-1.4\n% quyet dinh gia han\n")
    page.locator("#id_file").set_input_files(str(decision_pdf))
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("task-documents")).to_contain_text("1234/QĐ-UBND")
    assert task.documents.get().file.read() == decision_pdf.read_bytes()

    page.locator(f"a[href='{reverse('sttasks:task_step', args=[task.pk, 'extend'])}']").click()
    form = page.get_by_test_id("step-form")
    form.locator("#id_happened_on").fill("12/11/2026")
    form.locator("#id_document").select_option(index=1)
    form.locator("#id_reason").fill("Mưa lũ tháng 9/2026 làm mất vụ mùa, cần thêm một vụ để đánh giá")
    form.locator("#id_new_end_date").fill("30/06/2026")  # before the current end: refused, input kept
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("step-refusals")).to_be_visible()
    expect(form.locator("#id_reason")).to_have_value(
        "Mưa lũ tháng 9/2026 làm mất vụ mùa, cần thêm một vụ để đánh giá"
    )
    form.locator("#id_new_end_date").fill("31/12/2027")
    form.locator("button[type=submit]").click()

    expect(page.get_by_test_id("task-timeline")).to_contain_text("31/12/2026 → 31/12/2027")
    expect(page.get_by_test_id("task-timeline")).to_contain_text("1234/QĐ-UBND")
    task.refresh_from_db()
    assert task.end_date == datetime.date(2027, 12, 31) and task.original_end_date == datetime.date(
        2026, 12, 31
    )
