"""The "attach the document first" detour from a workflow step keeps what was typed, in a real browser:
a specialist types the date, the reason and the new end date of an extension, goes to attach the
decision it needs, uploads it, comes back to the step with everything still there and the new decision
picked, and takes the step. On the task's page the decision then previews in the page (a PDF in a frame
from the checked download, allowed by the page's policy)."""

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

REASON = "Mưa lũ tháng 9/2026 làm mất vụ mùa, cần thêm một vụ để đánh giá"


def test_the_attach_first_detour_keeps_the_typed_step_and_the_document_previews(
    page, log_in, units, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    workflow.install_defaults(WorkflowState, WorkflowTransition, DocumentKind)
    task_type, _ = TaskType.objects.get_or_create(code="de-tai", defaults={"name": "Đề tài"})
    task = Task.objects.create(
        code="TN.ĐH.02-2024",
        title="Nhân giống chè hoa vàng Ba Chẽ",
        task_type=task_type,
        proposal_year=2024,
        ordering_unit=unit("Huyện Ba Chẽ", legacy=True),
        start_date=datetime.date(2024, 3, 1),
        end_date=datetime.date(2026, 12, 31),
        state=WorkflowState.objects.get(code="in_progress"),
    )
    log_in(make_user("specialist"))
    violations: list[str] = []
    page.on(
        "console",
        lambda m: (
            ("Content Security Policy" in m.text or "X-Frame-Options" in m.text) and violations.append(m.text)
        ),
    )
    step_url = reverse("sttasks:task_step", args=[task.pk, "extend"])

    page.goto(step_url)
    form = page.get_by_test_id("step-form")
    form.locator("#id_happened_on").fill("12/11/2026")
    form.locator("#id_reason").fill(REASON)
    form.locator("#id_new_end_date").fill("31/12/2027")
    page.get_by_test_id("attach-first").click()

    # The document form, its task and kind already chosen.
    expect(page.locator("#id_title")).to_be_visible()
    assert page.url.split("?")[0].endswith(reverse("sttasks:document_add"))
    assert page.locator("#id_kind option:checked").inner_text() == "Quyết định"
    page.locator("#id_number").fill("1234/QĐ-UBND")
    page.locator("#id_issued_on").fill("10/11/2026")
    page.locator("#id_title").fill("Quyết định gia hạn nhân giống chè hoa vàng")
    decision = tmp_path / "quyet-dinh-gia-han.pdf"
    decision.write_bytes(b"%PDF-1.4\n% quyet dinh gia han\n")
    page.locator("#id_file").set_input_files(str(decision))
    page.locator("main form button[type=submit]").click()

    # Back on the step: what was typed is there, and the new decision is picked.
    expect(page.get_by_test_id("step-form")).to_be_visible()
    assert page.url.split("?")[0].endswith(step_url)
    form = page.get_by_test_id("step-form")
    expect(form.locator("#id_happened_on")).to_have_value("12/11/2026")
    expect(form.locator("#id_reason")).to_have_value(REASON)
    expect(form.locator("#id_new_end_date")).to_have_value("31/12/2027")
    expect(form.locator("#id_document option:checked")).to_contain_text("1234/QĐ-UBND")
    form.locator("button[type=submit]").click()

    expect(page.get_by_test_id("task-timeline")).to_contain_text("31/12/2026 → 31/12/2027")
    task.refresh_from_db()
    assert task.end_date == datetime.date(2027, 12, 31)
    assert task.events.get(transition__code="extend").reason == REASON

    # The decision previews on the task's page: the frame loads the PDF from the checked download.
    documents = page.get_by_test_id("task-documents")
    documents.get_by_test_id("document-preview").locator("summary").click()
    frame = documents.locator("iframe")
    expect(frame).to_be_visible()
    page.wait_for_load_state("networkidle")  # the frame has loaded (or been refused by a policy)
    answer = page.request.get(frame.get_attribute("src"))  # the same request, with the page's cookies
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].startswith("inline; ")
    assert answer.headers["x-frame-options"] == "SAMEORIGIN"
    assert not violations, violations
