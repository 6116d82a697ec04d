"""The initiatives' Excel import: a district's list (title rows, merged header, STT, authors in one
cell), all or nothing, and a district officer refused another district's agency."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stims.initiatives.imports import read_authors
from stims.initiatives.models import Initiative, InitiativeState
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def agencies(db):
    make = Organization.objects.create
    return {
        "ba_che": make(
            name="UBND huyện Ba Chẽ",
            kind=OrganizationKind.PEOPLES_COMMITTEE,
            admin_unit=unit("Huyện Ba Chẽ", legacy=True),
        ),
        "binh_lieu": make(
            name="UBND huyện Bình Liêu",
            kind=OrganizationKind.PEOPLES_COMMITTEE,
            admin_unit=unit("Huyện Bình Liêu", legacy=True),
        ),
    }


def book(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in (
        ["UBND HUYỆN BA CHẼ"],
        ["DANH SÁCH SÁNG KIẾN ĐỀ NGHỊ CÔNG NHẬN NĂM 2024"],
        ["STT", "Tên sáng kiến", "Tác giả, đồng tác giả", "Đơn vị", "Lĩnh vực", "Thời gian", None],
        [None, None, None, None, None, "Ngày nộp đơn", "Ngày áp dụng"],
        *rows,
    ):
        sheet.append(line)
    for merge in ("F3:G3", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4"):
        sheet.merge_cells(merge)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_authors_are_read_as_written():
    assert read_authors("Nguyễn Văn A (70%); Trần Thị B (30%)") == [("Nguyễn Văn A", 70), ("Trần Thị B", 30)]
    assert read_authors("Lý Văn C, Ma Thị D, Hoàng E") == [
        ("Lý Văn C", 34),
        ("Ma Thị D", 33),
        ("Hoàng E", 33),
    ]
    with pytest.raises(ValueError, match="add up to 90%"):
        read_authors("A (60%); B (30%)")


def test_a_district_list_is_imported_and_another_districts_row_refuses_it_all(client, agencies):
    officer = make_user("local_officer", username="cb-sk", admin_unit=unit("Huyện Ba Chẽ", legacy=True))
    client.force_login(officer)
    client.cookies["django_language"] = "en"
    good = [
        1,
        "Số hoá hồ sơ đất đai",
        "Nguyễn Thu (70%); Đỗ Nam (30%)",
        "UBND huyện Ba Chẽ",
        "Cải cách hành chính",
        "02/10/2024",
        "01/06/2024",
    ]
    other = [
        2,
        "Tổ công nghệ số cộng đồng",
        "Hoàng Lan",
        "UBND huyện Bình Liêu",
        "Chuyển đổi số",
        "03/10/2024",
        None,
    ]
    response = client.post(
        reverse("initiatives:import"), {"file": SimpleUploadedFile("sk.xlsx", book([good, other]))}
    )
    outcome = response.context["outcome"]
    assert outcome.counts["new"] == 1 and outcome.counts["error"] == 1
    assert "no agency named “UBND huyện Bình Liêu”" in outcome.errors[0]  # nothing revealed
    client.post(reverse("initiatives:import_confirm"), {"token": response.context["token"]})
    assert not Initiative.objects.exists()
    response = client.post(
        reverse("initiatives:import"), {"file": SimpleUploadedFile("sk.xlsx", book([good]))}
    )
    client.post(reverse("initiatives:import_confirm"), {"token": response.context["token"]})
    initiative = Initiative.objects.get()
    assert initiative.state == InitiativeState.SUBMITTED and initiative.agency == agencies["ba_che"]
    assert [(a.name, a.contribution) for a in initiative.authors.all()] == [
        ("Nguyễn Thu", 70),
        ("Đỗ Nam", 30),
    ]
    assert initiative.history.get().history_user == officer


def test_the_import_page_reads_in_vietnamese(client, agencies):
    client.force_login(
        make_user("local_officer", username="cb-vi", admin_unit=unit("Huyện Ba Chẽ", legacy=True))
    )
    client.cookies["django_language"] = "vi"
    page = client.get(reverse("initiatives:import")).content.decode()
    assert "Nhập sáng kiến từ Excel" in page and "Nguyễn Văn A (70%); Trần Thị B (30%)" in page
    assert "Tải lên danh sách đơn đề nghị công nhận sáng kiến" in page


def test_checking_and_writing_twice_the_rows_costs_no_more_queries(agencies):
    """Agencies and applications on record looked up once per workbook; applications and their authors
    written in batches (issue #20)."""
    from stims.testing import import_queries

    officer = make_user("local_officer", username="cb-dem", admin_unit=unit("Huyện Ba Chẽ", legacy=True))
    headers = ["Tên sáng kiến", "Tác giả", "Cơ quan", "Lĩnh vực", "Ngày nộp"]

    def rows(n, start):
        return [
            [
                f"Sáng kiến số {i}",
                "Nguyễn Thu (70%); Đỗ Nam (30%)",
                "UBND huyện Ba Chẽ",
                "Cải cách",
                "02/10/2024",
            ]
            for i in range(start, start + n)
        ]

    import_queries(officer, "initiatives", headers, rows(1, 0))  # warm the per-process caches
    assert import_queries(officer, "initiatives", headers, rows(5, 10)) == import_queries(
        officer, "initiatives", headers, rows(10, 20)
    )
