"""Hostile input: malformed and oversized uploads, script injection in every text field of the
directory's and registries' forms, SQL metacharacters in every list's search box and the API's, and
path traversal in uploaded file names."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stims.core.files import document_upload_path
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db

SCRIPTS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
SQL_METACHARACTERS = (
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    '"',
    ";",
    "'; DROP TABLE orgs_organization; --",
    "Ba Chẽ ∑ 🙂",
    "\x00",
)


@pytest.fixture
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


@pytest.fixture
def specialist_client(client):
    client.force_login(make_user("specialist"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def zip_bomb() -> bytes:
    """A valid-looking .xlsx whose one sheet unpacks to 200 MB of zeros (a few hundred KB packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"\0" * (1024 * 1024)
            for _ in range(200):
                sheet.write(block)
    return out.getvalue()


BAD_WORKBOOKS = {
    "zip bomb": (zip_bomb, "too large once unpacked"),
    "an .exe named .xlsx": (lambda: b"MZ\x90\x00" + b"\x00" * 2000, "not an Excel workbook"),
    "HTML named .xlsx": (lambda: b"<html><script>alert(1)</script></html>", "not an Excel workbook"),
    "a broken workbook": (lambda: b"PK\x03\x04" + b"\x13" * 500, "damaged"),
    "an empty file": (lambda: b"", "empty"),
    "an oversized file": (lambda: b"PK\x03\x04" + b"\0" * (6 * 1024 * 1024), "larger than"),
}


@pytest.mark.parametrize("case", BAD_WORKBOOKS)
@pytest.mark.parametrize("importer", ["registries", "sttasks"])
def test_a_malformed_workbook_is_refused_with_a_clear_message_and_nothing_is_kept(
    specialist_client, uploads, case, importer
):
    from stims.products.models import Product
    from stims.sttasks.models import Task

    make, message = BAD_WORKBOOKS[case]
    counts = (Product.objects.count(), Task.objects.count())
    data = {"file": SimpleUploadedFile("danh-sach.xlsx", make())}
    if importer == "registries":
        data["kind"] = "products"
    response = specialist_client.post(reverse(f"{importer}:import"), data)
    assert response.status_code == 400
    errors = " ".join(str(e) for e in response.context["form"].errors.get("file", []))
    assert message in errors, errors
    assert (Product.objects.count(), Task.objects.count()) == counts
    assert not list(Path(uploads).rglob("*.xlsx"))  # no pending workbook kept for a confirm


BAD_DOCUMENTS = {
    "HTML named .pdf": (b"<html><script>alert(1)</script></html>", "not a PDF document"),
    "an .exe named .pdf": (b"MZ\x90\x00" + b"\x00" * 100, "not a PDF document"),
    "an .html file": (b"<html></html>", "cannot be uploaded"),
    "an empty file": (b"", "empty"),
}


@pytest.fixture
def task_obj(db):
    from stims.sttasks.models import DocumentKind, Task, TaskType

    task = Task.objects.create(
        code="ĐT.66/2026",
        title="Phục tráng lúa",
        task_type=TaskType.objects.get(code="de-tai"),
        proposal_year=2026,
        ordering_unit=unit("Huyện Ba Chẽ", legacy=True),
    )
    return task, DocumentKind.objects.order_by("pk").first()


@pytest.mark.parametrize("case", BAD_DOCUMENTS)
def test_a_malformed_document_is_refused_on_the_form_and_the_api(specialist_client, uploads, task_obj, case):
    from stims.sttasks.models import Document

    content, message = BAD_DOCUMENTS[case]
    name = "tai-lieu.html" if "html file" in case else "tai-lieu.pdf"
    task, kind = task_obj
    fields = {"task": task.pk, "kind": kind.pk, "title": "Tài liệu", "issued_on": "05/01/2026"}
    page = specialist_client.post(
        reverse("sttasks:document_add") + f"?task={task.pk}",
        {**fields, "file": SimpleUploadedFile(name, content)},
    )
    assert page.status_code == 200 and message in page.content.decode()
    api = specialist_client.post(
        reverse("api:document-list"),
        {**fields, "issued_on": "2026-01-05", "file": SimpleUploadedFile(name, content)},
    )
    assert api.status_code == 400 and message in api.content.decode()
    assert not Document.objects.exists()
    assert not [p for p in Path(uploads).rglob("*") if p.is_file()]


def test_a_document_over_the_size_limit_is_refused(specialist_client, uploads, task_obj, settings):
    from stims.sttasks.models import Document

    settings.STIMS_MAX_UPLOAD_MB = 1
    task, kind = task_obj
    big = SimpleUploadedFile("lon.pdf", b"%PDF-1.4\n" + b"x" * (1024 * 1024 + 10))
    page = specialist_client.post(
        reverse("sttasks:document_add") + f"?task={task.pk}",
        {"task": task.pk, "kind": kind.pk, "title": "Lớn", "issued_on": "05/01/2026", "file": big},
    )
    assert page.status_code == 200 and "the limit is 1 MB" in page.content.decode()
    assert not Document.objects.exists()


# --- Script injection ----------------------------------------------------------------------------------


def text_fields(form_class) -> list[str]:
    """The form's free-text fields (not e-mail, URL or slug fields, which refuse such text anyway)."""
    from django import forms

    return [
        name
        for name, field in form_class.base_fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, (forms.EmailField, forms.URLField, forms.SlugField))
    ]


def required_choices(form_class) -> dict[str, str]:
    """A value for each required plain choice field (stage, kind…): the first one offered."""
    from django import forms

    return {
        name: next(str(value) for value, _label in field.choices if value not in ("", None))
        for name, field in form_class.base_fields.items()
        if field.required
        and isinstance(field, forms.ChoiceField)
        and not isinstance(field, forms.ModelChoiceField)
    }


def test_script_in_every_text_field_of_an_organization_comes_back_escaped_everywhere(specialist_client):
    from stims.orgs.models import Organization, OrganizationKind

    for script in SCRIPTS:
        organization = Organization.objects.create(
            name=f"UBND {script}",
            short_name=script,
            kind=OrganizationKind.OTHER,
            address=script,
            phone="0203",
            admin_unit=unit("Huyện Ba Chẽ", legacy=True),
        )
        for url in (
            reverse("orgs:organization_list"),
            reverse("orgs:organization_detail", args=[organization.pk]),
            reverse("orgs:organization_list") + "?q=UBND",
            reverse("orgs:organization_edit", args=[organization.pk]),
        ):
            html = specialist_client.get(url).content.decode()
            assert script not in html, url
            assert "<script>alert(1)" not in html and "<img src=x" not in html, url
        api = specialist_client.get(reverse("api:organization-detail", args=[organization.pk]))
        assert api.json()["name"] == f"UBND {script}"  # JSON keeps the text as typed; it is data, not HTML
        assert api["Content-Type"].startswith("application/json")


def test_script_typed_into_every_text_field_of_every_add_form_is_escaped_on_the_detail_page(
    specialist_client,
):
    """Walks the add forms of the directory and registries: saves each form with the script in every
    free-text field and reads the record's page back."""
    from django.apps import apps
    from django.urls import resolve

    from stims.orgs.models import Organization

    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    owner = Organization.objects.create(name="HTX Ba Chẽ", kind="cooperative", admin_unit=ba_che)
    checked = []
    for label, extra in (
        ("orgs.organization", {"kind": "other", "admin_unit": ba_che.pk}),
        ("orgs.person", {"admin_unit": ba_che.pk}),
        ("enterprises.startup", {"admin_unit": ba_che.pk, "organization": owner.pk}),
    ):
        model = apps.get_model(label)
        url = reverse(f"{model._meta.app_label}:{model._meta.model_name}_add")
        form_class = resolve(url).func.view_class.form_class
        for script in SCRIPTS:
            data = {name: script for name in text_fields(form_class)}
            data.update(required_choices(form_class))
            data.update(extra)
            response = specialist_client.post(url, data)
            if response.status_code != 302:
                errors = response.context["form"].errors
                # fields that refuse the text (codes, numbers) are fine; retry with them cleared
                for name in errors:
                    data.pop(name, None)
                data.update(extra)
                response = specialist_client.post(url, data)
            assert response.status_code == 302, (label, response.context["form"].errors)
            html = specialist_client.get(response.url).content.decode()
            assert script not in html, (label, script)
            checked.append(label)
    assert len(checked) == 6


# --- SQL metacharacters --------------------------------------------------------------------------------

LISTS = [
    "orgs:organization_list",
    "orgs:person_list",
    "products:product_list",
    "ip:ipasset_list",
    "enterprises:startup_list",
    "enterprises:stenterprise_list",
    "sttasks:task_list",
    "meetings:directive_list",
    "meetings:workingsession_list",
    "results:taskresult_list",
    "funding:allocation_list",
    "registries:target_list",
    "geo:adminunit_list",
    "councils:council_list",
    "orgs:localbody_list",
    "meetings:localityrequest_list",
]
API_LISTS = [
    "api:organization-list",
    "api:person-list",
    "api:product-list",
    "api:ipasset-list",
    "api:task-list",
    "api:directive-list",
    "api:adminunit-list",
]


@pytest.mark.slow  # 23 lists, every filter each (28 s): a proof for CI's slow tier
@pytest.mark.parametrize("name", LISTS + API_LISTS)
def test_sql_metacharacters_in_search_and_filters_never_break_a_list(specialist_client, name):
    from stims.orgs.models import Organization

    Organization.objects.create(
        name="UBND huyện Ba Chẽ", kind="other", admin_unit=unit("Huyện Ba Chẽ", legacy=True)
    )
    url = reverse(name)
    page = specialist_client.get(url)
    assert page.status_code == 200
    filters = [
        key
        for key in getattr(page, "context", None)
        and page.context.get("filter")
        and page.context["filter"].form.fields
        or ()
    ] or ["q", "state", "admin_unit", "year", "kind", "ordering"]
    for value in SQL_METACHARACTERS:
        for key in filters:
            response = specialist_client.get(url, {key: value})
            assert response.status_code in {200, 400}, (name, key, value, response.status_code)
        if name.startswith("api:") and "' OR 1=1" in value:
            assert specialist_client.get(url, {"q": value}).json().get("count", 0) == 0


# --- Path traversal ------------------------------------------------------------------------------------


class _Doc:
    class _meta:  # noqa: N801 (mimics a model's _meta)
        app_label = "sttasks"


@pytest.mark.parametrize(
    "hostile",
    [
        "../../etc/passwd.pdf",
        "/etc/passwd.pdf",
        "..\\..\\windows\\win.ini.pdf",
        "a\x00b.pdf",
        "x" * 400 + ".pdf",
        "....//....//etc/shadow.pdf",
        "",
    ],
)
def test_an_uploaded_files_name_cannot_leave_the_upload_folder(hostile):
    path = document_upload_path(_Doc(), hostile)
    assert path.startswith("documents/sttasks/")
    parts = path.split("/")
    assert len(parts) == 4 and ".." not in parts and "\x00" not in path and len(parts[-1]) <= 140
    assert not any(part in {"", ".", ".."} for part in parts)


def test_a_download_url_serves_only_the_records_own_file(specialist_client, uploads, task_obj):
    from stims.sttasks.models import Document

    task, kind = task_obj
    outside = Path(uploads).parent / "secret.txt"
    outside.write_text("not yours")
    document = Document.objects.create(task=task, kind=kind, title="Giả mạo", issued_on="2026-01-05")
    Document.objects.filter(pk=document.pk).update(file="../secret.txt")
    document.refresh_from_db()
    from django.core.exceptions import SuspiciousFileOperation
    from django.http import Http404

    from stims.core.files import protected_download

    request = type("Request", (), {"user": make_user("specialist")})()
    with pytest.raises((SuspiciousFileOperation, Http404)):
        protected_download(request, document)
