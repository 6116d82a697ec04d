"""Documents download under their record's name, typed by their extension, and PDFs and pictures preview
in the record's page (served inline, framable by our pages only); HTML and SVG never show inline; a user
outside the record's scope gets 404 for the preview as for the download."""

from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from stims.core.files import content_disposition, record_file_name
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% quyet dinh\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<html><body><script>alert(1)</script></body></html>"
DOCX = b"PK\x03\x04" + b"\x00" * 16


@pytest.fixture
def task(settings, tmp_path):
    from stims.sttasks.models import Task, TaskType

    settings.MEDIA_ROOT = tmp_path / "uploads"
    return Task.objects.create(
        code="ĐT.70/2026",
        title="Nhân giống ba kích",
        task_type=TaskType.objects.get(code="de-tai"),
        proposal_year=2026,
        ordering_unit=unit("Huyện Ba Chẽ", legacy=True),
    )


def attach(task, file_name: str, content: bytes, title: str = "Quyết định phê duyệt: đợt 1/2026"):
    """A document on `task` whose file is written straight to the storage (as an old or imported record
    could be), so that types the upload form refuses (SVG, HTML) can be served too."""
    from stims.sttasks.models import Document, DocumentKind

    document = Document(
        task=task, kind=DocumentKind.objects.order_by("pk").first(), issued_on="2026-01-05", title=title
    )
    document.file.save(file_name, ContentFile(content), save=False)
    document.save()
    return document


def fetch(client, document, *, inline: bool = False):
    url = reverse("sttasks:document_download", args=[document.pk]) + ("?inline=1" if inline else "")
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, body


def test_the_download_is_named_after_the_record_in_vietnamese_with_its_extension(client, task):
    document = attach(task, "scan 12.PDF", PDF)
    assert record_file_name(document, "file", document.file.name) == "Quyết định phê duyệt đợt 1-2026.pdf"
    client.force_login(make_user("specialist"))
    response, body = fetch(client, document)
    assert response.status_code == 200 and body == PDF
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="quyet_dinh_phe_duyet_dot_1_2026.pdf"' in disposition
    assert f"filename*=UTF-8''{quote('Quyết định phê duyệt đợt 1-2026.pdf', safe='')}" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_ascii_name_needs_no_extended_form():
    assert content_disposition("inline", "report.pdf") == 'inline; filename="report.pdf"'


@pytest.mark.parametrize(
    ("file_name", "content", "content_type", "previews"),
    [
        ("a.pdf", PDF, "application/pdf", True),
        ("b.png", PNG, "image/png", True),
        ("c.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 8, "image/jpeg", True),
        ("d.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", False),
        ("e.txt", "Biên bản".encode(), "text/plain; charset=utf-8", False),
        ("f.svg", SVG, "application/octet-stream", False),
        ("g.html", HTML, "application/octet-stream", False),
        ("h.htm", HTML, "application/octet-stream", False),
    ],
)
def test_each_type_is_served_as_itself_and_only_pdf_and_pictures_inline(
    client, task, file_name, content, content_type, previews
):
    document = attach(task, file_name, content)
    client.force_login(make_user("specialist"))
    response, body = fetch(client, document, inline=True)
    assert response.status_code == 200 and body == content
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    if previews:
        assert disposition.startswith("inline; ")
        assert response["X-Frame-Options"] == "SAMEORIGIN"
        assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
        assert "script-src" not in response["Content-Security-Policy"]  # default-src 'none' applies
        assert response["Content-Security-Policy"].startswith("default-src 'none'")
    else:
        # SVG and HTML above all: a download, never a page of our origin that could run their script.
        assert disposition.startswith("attachment; ")
        assert response["X-Frame-Options"] == "DENY"
        assert "sandbox" in response["Content-Security-Policy"]
    # Without ?inline=1 every type is an attachment.
    plain, _ = fetch(client, document)
    assert plain["Content-Disposition"].startswith("attachment; ")


def test_the_record_page_previews_pdfs_and_pictures_and_only_links_the_rest(client, task):
    pdf = attach(task, "a.pdf", PDF, title="Thuyết minh")
    png = attach(task, "b.png", PNG, title="Ảnh hiện trường")
    svg = attach(task, "c.svg", SVG, title="Sơ đồ")
    client.force_login(make_user("specialist"))
    page = client.get(task.get_absolute_url()).content.decode()
    pdf_url = reverse("sttasks:document_download", args=[pdf.pk])
    png_url = reverse("sttasks:document_download", args=[png.pk])
    svg_url = reverse("sttasks:document_download", args=[svg.pk])
    assert f'<iframe src="{pdf_url}?inline=1" title="Thuyết minh"' in page
    assert f'<img src="{png_url}?inline=1" alt="Ảnh hiện trường"' in page
    assert f'href="{svg_url}"' in page and f"{svg_url}?inline=1" not in page
    assert page.count('data-testid="document-preview"') == 2


def test_a_user_outside_the_records_scope_gets_404_for_the_preview_too(client, task):
    document = attach(task, "a.pdf", PDF)
    client.force_login(make_user("local_officer", admin_unit=unit("Huyện Ba Chẽ", legacy=True)))
    assert fetch(client, document, inline=True)[0].status_code == 200
    client.force_login(make_user("local_officer", admin_unit=unit("Huyện Bình Liêu", legacy=True)))
    assert fetch(client, document, inline=True)[0].status_code == 404
    assert client.get(document.file.url + "?inline=1").status_code == 404
    client.force_login(make_user("specialist"))
    inline = client.get(document.file.url + "?inline=1")
    assert inline.status_code == 200 and inline["Content-Disposition"].startswith("inline; ")


def test_the_pages_policy_allows_frames_from_our_origin_only(client, task):
    client.force_login(make_user("specialist"))
    policy = client.get(task.get_absolute_url())["Content-Security-Policy"]
    assert "frame-src 'self'" in policy and "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy


def test_a_documents_own_page_names_its_file_and_shows_the_preview_at_once(client, task):
    document = attach(task, "scan.pdf", PDF, title="Thuyết minh nhiệm vụ")
    client.force_login(make_user("specialist"))
    page = client.get(reverse("sttasks:document_detail", args=[document.pk])).content.decode()
    assert document.file.name not in page.replace(document.file.url, "")  # the stored path only in links
    assert "<td>scan.pdf</td>" in page  # the history names the uploaded file
    assert f'<a href="{document.file.url}">Thuyết minh nhiệm vụ.pdf</a>' in page
    assert 'data-preview-kind="pdf" open>' in page
    download = reverse("sttasks:document_download", args=[document.pk])
    assert f'<iframe src="{download}?inline=1"' in page
