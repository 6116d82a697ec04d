"""The ISO 9001 records' Excel import: a district's workbook (title rows, a merged two-row header, an
STT column, statuses in words), all or nothing, and the importer's scope — a district officer cannot
import another district's agency."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from stims.iso.models import IsoRecord, IsoStatus
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def agencies(db):
    ba_che, binh_lieu = unit("Huyện Ba Chẽ", legacy=True), unit("Huyện Bình Liêu", legacy=True)
    make = Organization.objects.create
    return {
        "ba_che": make(name="UBND huyện Ba Chẽ", kind=OrganizationKind.PEOPLES_COMMITTEE, admin_unit=ba_che),
        "thanh_son": make(
            name="UBND xã Thanh Sơn",
            kind=OrganizationKind.PEOPLES_COMMITTEE,
            admin_unit=ba_che,
        ),
        "binh_lieu": make(
            name="UBND huyện Bình Liêu", kind=OrganizationKind.PEOPLES_COMMITTEE, admin_unit=binh_lieu
        ),
    }


@pytest.fixture
def officer(agencies):
    return make_user("local_officer", username="cb-bache", admin_unit=unit("Huyện Ba Chẽ", legacy=True))


def book(titles, headers, rows, merges=()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for line in (*[[t] for t in titles], *headers, *rows):
        sheet.append(line)
    for merge in merges:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def district(*extra) -> bytes:
    """Ba Chẽ's report: two title rows, "Công bố hệ thống" merged over number and date, an STT column."""
    return book(
        ["UBND HUYỆN BA CHẼ", "TÌNH HÌNH ÁP DỤNG HTQLCL THEO TCVN ISO 9001:2015 NĂM 2024"],
        [
            ["STT", "Tên cơ quan", "Năm", "Tình trạng áp dụng", "Công bố hệ thống", None, "Phạm vi"],
            [None, None, None, None, "Số QĐ công bố", "Ngày công bố", None],
        ],
        [
            [1, "UBND huyện Ba Chẽ", 2024, "Duy trì, cải tiến", "15/QĐ-UBND", "15/03/2019", "Toàn bộ TTHC"],
            [2, "UBND xã Thanh Sơn", 2024, "Đang áp dụng", None, None, "TTHC cấp xã"],
            *extra,
        ],
        merges=["E3:F3", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "G3:G4"],
    )


def upload(client, data):
    return client.post(reverse("iso:import"), {"file": SimpleUploadedFile("iso.xlsx", data)})


def test_a_district_report_is_previewed_then_confirmed(client, officer, agencies):
    client.force_login(officer)
    response = upload(client, district())
    outcome = response.context["outcome"]
    assert outcome.counts == {"new": 2, "update": 0, "error": 0, "skip": 0}, outcome.errors
    assert not IsoRecord.objects.exists()
    client.post(reverse("iso:import_confirm"), {"token": response.context["token"]})
    record = IsoRecord.objects.get(agency=agencies["ba_che"], year=2024)
    assert record.status == IsoStatus.MAINTAINED and record.announcement_number == "15/QĐ-UBND"
    assert record.history.get().history_user == officer
    assert IsoRecord.objects.get(agency=agencies["thanh_son"]).status == IsoStatus.APPLYING


def test_a_district_officer_cannot_import_another_districts_agency(client, officer, agencies):
    client.force_login(officer)
    other = [3, "UBND huyện Bình Liêu", 2024, "Đã công bố", "9/QĐ-UBND", "01/02/2020", "TTHC"]
    response = upload(client, district(other))
    outcome = response.context["outcome"]
    assert outcome.counts["error"] == 1 and outcome.counts["new"] == 2
    # Bình Liêu's committee is outside the officer's directory: refused exactly as a name on record
    # nowhere is, so that a workbook cannot probe other districts' agencies.
    assert outcome.errors == [
        "Row 7, column “Cơ quan”: no state agency named “UBND huyện Bình Liêu” in the directory "
        "(a department or a People's Committee)"
    ]
    client.post(reverse("iso:import_confirm"), {"token": response.context["token"]})
    assert not IsoRecord.objects.exists()  # all or nothing


def test_an_agency_the_officer_sees_but_may_not_attach_records_to_is_refused_as_outside_scope(agencies):
    from stims.core import imports

    officer = make_user("local_officer", username="cb-xa", admin_unit=unit("Huyện Bình Liêu", legacy=True))
    resource = imports.importer("iso").resource(officer, {})
    resource.agencies._index = {"ubnd huyen ba che": [agencies["ba_che"]]}  # as if the directory showed it
    data = book([], [["Cơ quan", "Năm", "Tình trạng"]], [["UBND huyện Ba Chẽ", 2024, "Đang áp dụng"]])
    outcome = resource.run(imports.read_for(resource, data), dry_run=False)
    assert outcome.errors == [
        "Row 2: You may only save records that belong to your own unit or organization."
    ]
    assert not IsoRecord.objects.exists()


def test_unknown_agencies_and_statuses_are_named_and_an_announcement_needs_its_number(
    client, officer, agencies
):
    client.force_login(officer)
    bad = [
        [3, "UBND xã Không Có", 2024, "Đang áp dụng", None, None, ""],
        [4, "UBND huyện Ba Chẽ", 2023, "Tốt", None, None, ""],
        [5, "UBND xã Thanh Sơn", 2023, "Đã công bố", None, None, ""],
    ]
    outcome = upload(client, district(*bad)).context["outcome"]
    text = " | ".join(outcome.errors)
    assert outcome.counts["error"] == 3
    assert "no state agency named “UBND xã Không Có”" in text and "unknown status “Tốt”" in text
    assert "An announced system needs the announcement's number and date." in text


def test_held_out_report_and_the_command(tmp_path, officer, agencies):
    """Not used while writing the importer: other header words ("Cơ quan, đơn vị", "Tình hình áp dụng",
    "Quyết định công bố"), a numbering row, statuses as codes and lower case, trailing blank rows."""
    data = book(
        ["Biểu 05", "", "Kết quả áp dụng ISO của các cơ quan"],
        [
            [
                "TT",
                "Cơ quan, đơn vị",
                "Năm báo cáo",
                "Tình hình áp dụng",
                "Quyết định công bố",
                "Ngày QĐ công bố",
            ],
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
        ],
        [
            ["1", "ubnd huyện ba chẽ", "2023", "announced", "7/QĐ-UBND", "10/10/2018"],
            ["2", "UBND xã Thanh Sơn", "2023", "chưa áp dụng", "", ""],
            [None] * 6,
            [None] * 6,
        ],
    )
    path = tmp_path / "iso.xlsx"
    path.write_bytes(data)
    out = io.StringIO()
    call_command(
        "import", "iso", str(path), "--user", officer.username, "--json", "--language", "en", stdout=out
    )
    result = json.loads(out.getvalue())
    assert (result["rows"], result["new"], result["errors"], result["written"]) == (2, 2, [], True)
    assert IsoRecord.objects.get(agency=agencies["ba_che"], year=2023).status == IsoStatus.ANNOUNCED
    assert IsoRecord.objects.get(agency=agencies["thanh_son"], year=2023).status == IsoStatus.NOT_YET


def test_the_template_and_who_may_not_import(client, officer, agencies):
    client.force_login(officer)
    response = client.get(reverse("iso:import_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:3] == ["Cơ quan", "Năm", "Tình trạng"]
    client.force_login(make_user("inspector", username="thanhtra-iso"))
    assert client.get(reverse("iso:import")).status_code == 403


def test_checking_and_writing_twice_the_rows_costs_no_more_queries(officer, agencies):
    """Agencies and records on record looked up once per workbook, rows written in batches (issue #20)."""
    from stims.testing import import_queries

    headers = ["Cơ quan", "Năm", "Tình trạng", "Phạm vi áp dụng"]

    def rows(n, start):
        return [
            ["UBND huyện Ba Chẽ", 1995 + i, "Đang áp dụng", f"Thủ tục {i}"] for i in range(start, start + n)
        ]

    import_queries(officer, "iso", headers, rows(1, 0))  # warm the per-process caches
    assert import_queries(officer, "iso", headers, rows(5, 1)) == import_queries(
        officer, "iso", headers, rows(10, 6)
    )
