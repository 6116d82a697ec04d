"""The step form's detour to attach a document, without a browser: what was typed is kept in the session
per task and step, the document form returns to the step only (never to another site), and taking the
step forgets the draft."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stims.sttasks.models import DocumentKind, Task, TaskType, WorkflowState
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return Task.objects.create(
        code="ĐT.71/2026",
        title="Trồng sâm Ba Chẽ",
        task_type=TaskType.objects.get(code="de-tai"),
        proposal_year=2026,
        ordering_unit=unit("Huyện Ba Chẽ", legacy=True),
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
        state=WorkflowState.objects.get(code="in_progress"),
    )


def attach(client, task, next_url):
    kind = DocumentKind.objects.get(name="Quyết định")
    return client.post(
        reverse("sttasks:document_add") + "?" + f"task={task.pk}&kind={kind.pk}&next={next_url}",
        {
            "task": task.pk,
            "kind": kind.pk,
            "issued_on": "10/11/2026",
            "title": "Quyết định gia hạn",
            "file": SimpleUploadedFile("qd.pdf", b"%PDF-1.4\n"),
        },
    )


def test_the_typed_step_survives_the_detour_and_is_forgotten_once_taken(client, task):
    client.force_login(make_user("specialist"))
    step = reverse("sttasks:task_step", args=[task.pk, "extend"])
    typed = {"happened_on": "12/11/2026", "reason": "Mưa lũ", "new_end_date": "31/12/2027"}
    detour = client.post(step, {**typed, "attach_document": "1"})
    assert detour.status_code == 302 and detour["Location"].startswith(reverse("sttasks:document_add"))
    assert f"next={step.replace('/', '%2F')}" in detour["Location"]
    saved = attach(client, task, step)
    document = task.documents.get()
    assert saved["Location"] == f"{step}?document={document.pk}"
    form = client.get(saved["Location"]).context["form"]
    assert form.initial == {**typed, "document": str(document.pk)}
    taken = client.post(step, {**typed, "document": document.pk})
    assert taken.status_code == 302
    assert client.get(step).context["form"].initial == {}


@pytest.mark.parametrize("elsewhere", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_the_document_form_never_sends_anyone_to_another_site(client, task, elsewhere):
    client.force_login(make_user("specialist"))
    saved = attach(client, task, elsewhere)
    assert saved["Location"] == task.get_absolute_url()
