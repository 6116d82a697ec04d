"""How an import writes (issue #20): `write_records` (COPY on PostgreSQL, bulk statements on SQLite) with
history rows naming the importer, all or nothing; and the confirm writing the rows its preview checked,
unless something changed in between."""

from unittest import mock

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from stims.core import imports
from stims.orgs.models import Organization
from stims.products.models import Product, ProductGroup
from stims.registries.tests.test_imports import HEADERS, product_row
from stims.testing import make_user, unit, xlsx_upload

pytestmark = pytest.mark.django_db

POSTGRES = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def organizations(names):
    place = unit("Huyện Ba Chẽ", legacy=True)
    made = []
    for name in names:
        org = Organization(name=name, kind="enterprise", admin_unit=place, tax_code="0101")
        org.search_text, org.search_name = org.build_search_text(), name.lower()
        made.append(org)
    return made


def test_write_records_creates_then_updates_with_history_rows_naming_the_user_and_the_reason():
    user = make_user("specialist")
    copied = mock.Mock(wraps=imports._copy)
    created = organizations([f"Công ty ghi thử {i}" for i in range(5)])
    told = []
    with mock.patch.object(imports, "_copy", copied), transaction.atomic():
        imports.write_records(
            Organization, created, [], (), user=user, reason="Nhập thử", progress=lambda d, t: told.append(d)
        )
    # COPY on PostgreSQL, bulk statements elsewhere
    assert copied.called == POSTGRES
    assert all(org.pk for org in created) and len({org.pk for org in created}) == 5
    assert all(not org._state.adding for org in created)
    stored = Organization.objects.get(pk=created[2].pk)
    assert (stored.name, stored.kind, stored.tax_code, stored.admin_unit) == (
        "Công ty ghi thử 2",
        "enterprise",
        "0101",
        unit("Huyện Ba Chẽ", legacy=True),
    )
    assert stored.created_at is not None  # set as bulk_create sets it (auto_now_add)
    history = stored.history.get()
    assert (history.history_type, history.history_user, history.history_change_reason) == (
        "+",
        user,
        "Nhập thử",
    )
    assert told[-1] == 5

    for org in created:
        org.name = org.name.replace("ghi thử", "đổi tên")
        org.tax_code = "0202"
    with transaction.atomic():
        imports.write_records(Organization, [], created, ["name", "tax_code"], user=user, reason="Sửa thử")
    stored = Organization.objects.get(pk=created[2].pk)
    assert (stored.name, stored.tax_code) == ("Công ty đổi tên 2", "0202")
    latest = stored.history.order_by("-history_id").first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason, latest.name) == (
        "~",
        user,
        "Sửa thử",
        "Công ty đổi tên 2",
    )
    assert Organization.history.filter(name__startswith="Công ty đổi tên").count() == 5
    # the other records are untouched
    assert not Organization.objects.filter(tax_code="0202").exclude(pk__in=[o.pk for o in created]).exists()


def test_a_bad_record_in_a_later_batch_writes_nothing_not_even_the_history_of_the_earlier_ones():
    user = make_user("specialist")
    created = organizations([f"Công ty hỏng {i}" for i in range(6)])
    created[5].kind = None  # NOT NULL: refused by the database, after the first batches were written
    with pytest.raises(IntegrityError), transaction.atomic():
        imports.write_records(Organization, created, [], (), user=user, reason="Nhập thử", batch_size=2)
    assert not Organization.objects.filter(name__startswith="Công ty hỏng").exists()
    assert not Organization.history.filter(name__startswith="Công ty hỏng").exists()


def preview(client, rows):
    return client.post(
        reverse("registries:import"), {"kind": "products", "file": xlsx_upload(HEADERS, rows, "ds.xlsx")}
    )


def confirm(client, response):
    return client.post(reverse("registries:import_confirm"), {"token": response.context["token"]})


class counted_checks:  # noqa: N801 (a context manager, used as a statement)
    """Counts the rows checked (ImportResource.check_row) while it is entered."""

    def __init__(self):
        self.calls = 0
        original = imports.ImportResource.check_row

        def check_row(resource, *args, **kwargs):
            self.calls += 1
            return original(resource, *args, **kwargs)

        self.patch = mock.patch.object(imports.ImportResource, "check_row", check_row)

    def __enter__(self):
        self.patch.start()
        return self

    def __exit__(self, *exc):
        self.patch.stop()


@pytest.fixture
def group():
    return ProductGroup.objects.get_or_create(code="nhom-thu-nhap", defaults={"name": "Nhóm thử nhập"})[0]


def test_the_confirm_writes_the_rows_its_preview_checked_without_checking_them_again(client, group):
    user = make_user("specialist")
    client.force_login(user)
    response = preview(client, [product_row(f"Mật ong giữ lại {i}") for i in range(4)])
    assert response.context["can_confirm"]
    kept = imports.side_path(user, response.context["token"], imports.CHECKED)
    assert kept.is_file()  # the checked rows wait on disk, not in the server's memory

    checks = counted_checks()
    with checks:
        assert confirm(client, response).status_code == 302
    assert checks.calls == 0
    products = Product.objects.filter(name__startswith="Mật ong giữ lại")
    assert products.count() == 4
    assert {p.history.get().history_user for p in products} == {user}
    assert not kept.exists()  # removed with the upload once the import is done


def test_a_change_since_the_preview_makes_the_confirm_check_every_row_again(client, group):
    user = make_user("specialist")
    client.force_login(user)
    response = preview(client, [product_row(f"Mật ong kiểm lại {i}") for i in range(3)])
    assert response.context["can_confirm"]
    ProductGroup.objects.create(code="nhom-khac", name="Nhóm khác")  # any change, anywhere

    checks = counted_checks()
    with checks:
        assert confirm(client, response).status_code == 302
    assert checks.calls == 3
    assert Product.objects.filter(name__startswith="Mật ong kiểm lại").count() == 3


def test_a_kept_file_altered_on_disk_is_not_trusted(client, group):
    user = make_user("specialist")
    client.force_login(user)
    response = preview(client, [product_row(f"Mật ong sửa tệp {i}") for i in range(2)])
    kept = imports.side_path(user, response.context["token"], imports.CHECKED)
    kept.write_bytes(kept.read_bytes() + b"\x00")

    checks = counted_checks()
    with checks:
        assert confirm(client, response).status_code == 302
    assert checks.calls == 2  # checked again from the workbook
    assert Product.objects.filter(name__startswith="Mật ong sửa tệp").count() == 2


def test_fold_drops_exactly_the_combining_marks_as_before():
    import unicodedata

    from stims.core.text import fold

    def before(text):  # the per-character fold it replaced
        text = str(text).replace("đ", "d").replace("Đ", "D")
        decomposed = unicodedata.normalize("NFD", text)
        stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
        import re

        stripped = re.sub(r"[^\w\s]", " ", stripped.lower(), flags=re.UNICODE)
        return re.sub(r"\s+", " ", stripped).strip()

    samples = [
        "Huyện Định Hóa",
        "Mật ong rừng Ba Chẽ — HTX “Đồng Tâm”, 12/QĐ-UBND",
        "ỐỒỔỖỘ ắằẳẵặ ƯỨỪỬỮỰ ýỳỷỹỵ",
        "Ñandú café naïve Ångström",
        "\u0300\u0301 loose marks",
        "tab\there\nnew line\u00a0nbsp\u2003em\x1cfile sep  ",
        "Ǹ ǹ ǲ ﬁ ①",
        "संस्कृत ไทย 日本語",
        "",
    ]
    for sample in samples:
        assert fold(sample) == before(sample)
    assert fold("Huyện Định Hóa") == "huyen dinh hoa"
