"""Uploaded documents keep their name's extension (stored, downloaded and typed by it) and have no
public address: every link to a file, on the pages and in the API, goes through the permission check."""

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


@pytest.fixture
def document(client, settings, tmp_path):
    """A PDF uploaded on the document form by a specialist, to a task ordered by Huyện Ba Chẽ."""
    from stims.sttasks.models import Document, DocumentKind, Task, TaskType

    settings.MEDIA_ROOT = tmp_path / "uploads"
    task = Task.objects.create(
        code="ĐT.68/2026",
        title="Chè hoa vàng",
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
            "title": "Thuyết minh",
            "file": SimpleUploadedFile("Thuyết minh.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    return Document.objects.get(task=task)


def test_a_files_address_is_the_checked_download_for_whoever_may_see_its_record(client, document):
    url = document.file.url
    assert url == f"/files/{document.file.name}" and not url.startswith("/media/")

    client.force_login(make_user("specialist"))
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    client.force_login(make_user("local_officer", admin_unit=unit("Huyện Ba Chẽ", legacy=True)))
    assert client.get(url).status_code == 200
    # Another district's officer gets the answer an unknown file gets; a visitor is sent to sign in.
    client.force_login(make_user("local_officer", admin_unit=unit("Huyện Bình Liêu", legacy=True)))
    assert client.get(url).status_code == 404
    assert client.get("/files/documents/sttasks/2026/000000000000-none.pdf").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_edit_form_and_the_api_link_files_to_the_checked_download(client, document):
    client.force_login(make_user("specialist"))
    page = client.get(reverse("sttasks:document_edit", args=[document.pk])).content.decode()
    assert f'href="/files/{document.file.name}"' in page and "/media/" not in page
    data = client.get(f"/api/tasks/documents/{document.pk}/").json()
    assert data["file"].endswith(f"/files/{document.file.name}") and "/media/" not in data["file"]


def test_uploads_are_never_served_from_media_even_with_debug_on(settings):
    import importlib

    from django.urls import Resolver404, clear_url_caches, resolve

    import stims.urls

    settings.DEBUG = True
    try:
        importlib.reload(stims.urls)
        clear_url_caches()
        with pytest.raises(Resolver404):
            resolve(f"{settings.MEDIA_URL}documents/sttasks/2026/abc-report.pdf")
    finally:
        settings.DEBUG = False
        importlib.reload(stims.urls)
        clear_url_caches()


def test_an_uploaded_pdf_is_stored_and_downloaded_as_a_pdf(client, document):
    assert document.file.name.endswith("-thuyet_minh.pdf")
    client.force_login(make_user("specialist"))
    download = client.get(reverse("sttasks:document_download", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="thuyet_minh.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == PDF
