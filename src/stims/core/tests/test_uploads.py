"""Uploaded documents keep their name's extension: stored, downloaded and typed by it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stims.core.files import safe_file_name
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% bien ban nghiem thu\n"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("report.pdf", "report.pdf"),
        ("Báo cáo tổng kết.PDF", "bao_cao_tong_ket.pdf"),
        ("Quyết định số 12.2026.docx", "quyet_dinh_so_12_2026.docx"),
        ("..\\..\\windows\\win.ini.pdf", "win_ini.pdf"),
        (".pdf", "file.pdf"),
        ("README", "readme"),
        ("x" * 400 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_a_file_name_is_made_safe_and_keeps_its_extension(given, kept):
    assert safe_file_name(given) == kept


def test_an_uploaded_pdf_is_stored_and_downloaded_as_a_pdf(client, settings, tmp_path):
    from stims.sttasks.models import Document, DocumentKind, Task, TaskType

    settings.MEDIA_ROOT = tmp_path / "uploads"
    task = Task.objects.create(
        code="ĐT.67/2026",
        title="Phục tráng lúa Bao Thai",
        task_type=TaskType.objects.get(code="de-tai"),
        proposal_year=2026,
        ordering_unit=unit("Huyện Ba Chẽ", legacy=True),
    )
    client.force_login(make_user("specialist"))
    response = client.post(
        reverse("sttasks:document_add"),
        {
            "task": task.pk,
            "kind": DocumentKind.objects.order_by("pk").first().pk,
            "issued_on": "05/01/2026",
            "title": "Biên bản nghiệm thu",
            "file": SimpleUploadedFile("Biên bản nghiệm thu.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(task=task)
    assert document.file.name.endswith("-bien_ban_nghiem_thu.pdf")

    download = client.get(reverse("sttasks:document_download", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="bien_ban_nghiem_thu.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF
