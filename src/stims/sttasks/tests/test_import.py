"""Excel import of S&T tasks: preview, all-or-nothing confirm, row errors by column, legacy unit
names, permissions, the example workbook, and a query count that does not grow faster than the rows."""

import datetime
import io

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stims.core.imports import import_dir
from stims.orgs.models import Organization, Person, Position
from stims.sttasks import imports
from stims.sttasks.models import Task, TaskEvent
from stims.testing import make_user, unit, xlsx_upload

pytestmark = pytest.mark.django_db

HEADERS = [vietnamese for _name, vietnamese, _english in imports.COLUMNS]
ENGLISH_HEADERS = [english for _name, _vietnamese, english in imports.COLUMNS]


def row(task_code, **values):
    """A good row (a 2023 grassroots task ordered by the legacy Định Hóa district), with changes."""
    code = task_code
    cells = {
        "code": code,
        "title": f"Mô hình trồng chè an toàn {code}",
        "task_type": "Đề tài",
        "level": "Cơ sở",
        "programme": "",
        "field": "Khoa học nông nghiệp",
        "ordering_unit": "Huyện Định Hóa",
        "ordering_organization": "",
        "lead_organization": "Trung tâm Ứng dụng KH&CN Thái Nguyên",
        "principal_investigator": "Nguyễn Văn Chè",
        "proposal_year": 2023,
        "start_date": "01/03/2023",
        "end_date": "28/02/2025",
        "is_carried_over": "Không",
        "carried_over_year": None,
        "objectives": "Mô hình 5 ha",
        "expected_products": "Quy trình kỹ thuật",
        "state": "",
    }
    cells.update(values)
    return [cells[name] for name, _vi, _en in imports.COLUMNS]


def workbook(rows, headers=HEADERS, name="nhiem-vu.xlsx") -> SimpleUploadedFile:
    return xlsx_upload(headers, rows, name)


@pytest.fixture(autouse=True)
def own_uploads(settings, tmp_path):
    """Each test keeps its previews' uploads in a directory of its own: user ids repeat between tests
    (each is rolled back), and some tests count a user's kept uploads."""
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def directory():
    centre = Organization.objects.create(
        name="Trung tâm Ứng dụng KH&CN Thái Nguyên", kind="centre", admin_unit=unit("Tỉnh Thái Nguyên")
    )
    person = Person.objects.create(full_name="Nguyễn Văn Chè", admin_unit=unit("Tỉnh Thái Nguyên"))
    Position.objects.create(person=person, organization=centre, title="Giám đốc")
    return centre, person


@pytest.fixture
def specialist():
    return make_user("specialist")


def english(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def preview(client, rows, headers=HEADERS, **data):
    return client.post(reverse("sttasks:import"), {"file": workbook(rows, headers), **data})


def confirm(client, response):
    return client.post(reverse("sttasks:import_confirm"), {"token": response.context["token"]})


def test_a_good_workbook_previews_then_imports_every_row_with_its_state_on_the_timeline(
    client, directory, specialist
):
    english(client, specialist)
    centre, person = directory
    rows = [
        row("ĐTCS.2023.01", state="Đang thực hiện", is_carried_over="Có", carried_over_year=2024),
        row("ĐTCS.2023.02", ordering_unit="Xã Định Hóa, Thái Nguyên", principal_investigator=""),
        row(
            "ĐTCS.2023.03", ordering_unit="", ordering_organization=centre.name, level="Tỉnh", state="applied"
        ),
    ]
    response = preview(client, rows)
    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert outcome.counts == {"new": 3, "update": 0, "error": 0, "skip": 0}, outcome.errors
    assert response.context["can_confirm"]
    assert not Task.objects.filter(code__startswith="ĐTCS.2023").exists()  # a preview saves nothing
    assert len(list(import_dir().glob(f"{specialist.pk}-*.xlsx"))) == 1

    response = confirm(client, response)
    assert response.status_code == 302
    assert Task.objects.filter(code__startswith="ĐTCS.2023").count() == 3
    first = Task.objects.select_related("ordering_unit", "state").get(code="ĐTCS.2023.01")
    assert first.ordering_unit == unit("Huyện Định Hóa", legacy=True)
    assert (first.lead_organization, first.principal_investigator) == (centre, person)
    assert (first.level, first.proposal_year, first.start_date) == (
        "grassroots",
        2023,
        datetime.date(2023, 3, 1),
    )
    assert (first.is_carried_over, first.carried_over_year) == (True, 2024)
    assert first.state.code == "in_progress" and first.state_since == datetime.date.today()
    event = first.events.get()
    assert event.transition is None and event.from_state.is_initial and event.to_state == first.state
    assert (event.actor, event.happened_on, event.reason) == (
        specialist,
        datetime.date.today(),
        "Imported from Excel",
    )
    assert first.history.get().history_user == specialist

    second = Task.objects.get(code="ĐTCS.2023.02")
    assert second.ordering_unit == unit("Xã Định Hóa", province="Thái Nguyên")
    assert second.state.is_initial and not second.events.exists()  # no state given: a proposal, no event
    third = Task.objects.get(code="ĐTCS.2023.03")
    assert (
        third.ordering_unit is None
        and third.ordering_organization == centre
        and third.state.code == "applied"
    )
    assert "sttasks_import" not in client.session
    assert not list(import_dir().glob(f"{specialist.pk}-*.xlsx"))  # the kept upload is removed after confirm


def test_english_headers_names_without_diacritics_and_real_excel_dates_are_read(
    client, directory, specialist
):
    english(client, specialist)
    values = row(
        "ĐTCS.2023.09",
        ordering_unit="huyen dinh hoa",
        task_type="de-tai",
        level="grassroots",
        start_date=datetime.datetime(2023, 3, 1),
        end_date=datetime.date(2024, 12, 31),
        principal_investigator="nguyen van che",
    )
    response = preview(client, [values], headers=ENGLISH_HEADERS)
    assert response.context["outcome"].counts["new"] == 1, response.context["outcome"].errors
    assert response.context["outcome"].headers == HEADERS
    confirm(client, response)
    task = Task.objects.get(code="ĐTCS.2023.09")
    assert task.ordering_unit == unit("Huyện Định Hóa", legacy=True)
    assert (task.start_date, task.end_date) == (datetime.date(2023, 3, 1), datetime.date(2024, 12, 31))
    assert task.task_type.code == "de-tai" and task.principal_investigator.full_name == "Nguyễn Văn Chè"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"code": ""}, "Row 3, column “Mã nhiệm vụ”: this column is required"),
        ({"title": ""}, "Row 3, column “Tên nhiệm vụ”: this column is required"),
        ({"task_type": "Dự án không có"}, "Row 3, column “Loại”: not found “Dự án không có”"),
        ({"level": "Huyện"}, "Row 3, column “Cấp”: not found “Huyện”"),
        ({"programme": "CT-KHONG-CO"}, "Row 3, column “Chương trình”: not found “CT-KHONG-CO”"),
        ({"field": "Khoa học vũ trụ"}, "Row 3, column “Lĩnh vực”: not found “Khoa học vũ trụ”"),
        ({"ordering_unit": "Huyện Không Có"}, "Row 3, column “Đơn vị đặt hàng”: not found “Huyện Không Có”"),
        (
            {"ordering_unit": "Xã Định Hóa"},
            "Row 3, column “Đơn vị đặt hàng”: “Xã Định Hóa” matches several units",
        ),
        ({"ordering_unit": "Huyện Định Hóa, Quảng Ninh"}, "Row 3, column “Đơn vị đặt hàng”: not found"),
        ({"ordering_unit": ""}, "Row 3, column “Đơn vị đặt hàng”: Give the locality or the agency"),
        (
            {"ordering_organization": "Sở Không Có"},
            "Row 3, column “Cơ quan đặt hàng”: no organization named “Sở Không Có”",
        ),
        (
            {"lead_organization": "Viện Không Có"},
            "Row 3, column “Tổ chức chủ trì”: no organization named “Viện Không Có”",
        ),
        (
            {"principal_investigator": "Trần Văn Vắng"},
            "Row 3, column “Chủ nhiệm”: no person named “Trần Văn Vắng”",
        ),
        ({"proposal_year": "năm ngoái"}, "Row 3, column “Năm kế hoạch”: “năm ngoái” is not a year"),
        ({"proposal_year": None}, "Row 3, column “Năm kế hoạch”: this column is required"),
        ({"start_date": "31/02/2023"}, "Row 3, column “Ngày bắt đầu”: “31/02/2023” is not a date"),
        (
            {"end_date": "01/01/2023"},
            "Row 3, column “Ngày kết thúc”: The end date cannot be before the start date.",
        ),
        (
            {"is_carried_over": "Có"},
            "Row 3, column “Năm chuyển tiếp”: Give the year the task was carried over into.",
        ),
        ({"is_carried_over": "hình như"}, "Row 3, column “Chuyển tiếp”: write"),
        ({"state": "Đã xong rồi"}, "Row 3, column “Trạng thái”: not found “Đã xong rồi”"),
        ({"code": "X" * 60}, "Row 3, column “Mã nhiệm vụ”: Ensure this value has at most 50 characters"),
        (
            {"code": "ĐTCS.2023.01"},
            "Row 3, column “Mã nhiệm vụ”: the same record as row 2 of this workbook: give each record once",
        ),
    ],
)
def test_any_row_error_is_listed_by_row_and_column_and_nothing_is_saved(
    client, directory, specialist, changes, expected
):
    english(client, specialist)
    before = (Task.objects.count(), TaskEvent.objects.count())
    rows = [
        row("ĐTCS.2023.01", state="Đang thực hiện"),
        row(**{"task_code": "ĐTCS.2023.02", **changes}),
        row("ĐTCS.2023.03"),
    ]
    response = preview(client, rows)
    assert response.status_code == 200
    outcome = response.context["outcome"]
    # A code given twice marks both rows: neither silently wins.
    duplicate = changes.get("code") == "ĐTCS.2023.01"
    assert [r.status for r in outcome.rows] == ["error" if duplicate else "new", "error", "new"]
    assert any(error.startswith(expected) for error in outcome.errors), outcome.errors
    assert not response.context["can_confirm"] and b"confirm-import" not in response.content

    response = confirm(client, response)  # even if the button is forced, the confirm refuses
    assert response.status_code == 409
    assert (Task.objects.count(), TaskEvent.objects.count()) == before


def test_a_row_breaking_several_rules_reports_each_of_them(client, directory, specialist):
    english(client, specialist)
    bad = row("ĐTCS.2023.05", ordering_unit="", end_date="01/01/2022", is_carried_over="có", task_type="?")
    errors = preview(client, [bad]).context["outcome"].errors
    assert sorted(errors) == sorted(
        [
            "Row 2, column “Loại”: not found “?”",
            "Row 2, column “Đơn vị đặt hàng”: Give the locality or the agency that proposed or ordered the task.",
            "Row 2, column “Ngày kết thúc”: The end date cannot be before the start date.",
            "Row 2, column “Năm chuyển tiếp”: Give the year the task was carried over into.",
        ]
    )


def test_a_code_on_record_is_refused_unless_updating_is_asked_for_and_then_the_state_is_kept(
    client, directory, specialist
):
    english(client, specialist)
    confirm(client, preview(client, [row("ĐTCS.2023.01", state="in_progress")]))
    task = Task.objects.get(code="ĐTCS.2023.01")

    response = preview(client, [row("ĐTCS.2023.01", title="Tên mới")])
    assert response.context["outcome"].errors == [
        "Row 2, column “Mã nhiệm vụ”: a task with the code “ĐTCS.2023.01” is already on record; "
        "tick “Update tasks already on record” to update it"
    ]
    assert confirm(client, response).status_code == 409

    response = preview(
        client, [row("ĐTCS.2023.01", title="Tên mới", state="Đã bàn giao kết quả")], update_existing="on"
    )
    assert response.context["outcome"].errors == [
        "Row 2, column “Trạng thái”: the task is on record in the state “Đang thực hiện”; "
        "its state changes only through the steps on the task page"
    ]

    response = preview(
        client, [row("ĐTCS.2023.01", title="Tên mới", state="Đang thực hiện")], update_existing="on"
    )
    assert response.context["outcome"].counts["update"] == 1, response.context["outcome"].errors
    assert confirm(client, response).status_code == 302
    task.refresh_from_db()
    assert task.title == "Tên mới" and task.state.code == "in_progress"
    assert Task.objects.filter(code="ĐTCS.2023.01").count() == 1 and task.events.count() == 1
    assert task.history.first().history_user == specialist


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Ma nhiem vu,Ten\nDT01,Che\n", "not an Excel workbook"),
        (b"PK\x03\x04broken archive" + b"\0" * 100, "damaged"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        (b"", "empty"),
    ],
)
def test_a_renamed_or_broken_file_gets_a_clear_error(client, specialist, content, message):
    english(client, specialist)
    kept = set(import_dir().glob("*.xlsx"))
    response = client.post(reverse("sttasks:import"), {"file": SimpleUploadedFile("nhiem-vu.xlsx", content)})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert set(import_dir().glob("*.xlsx")) == kept  # nothing kept for a confirm


def test_a_workbook_without_the_expected_columns_is_refused_before_any_row(client, specialist):
    english(client, specialist)
    response = preview(client, [["ĐT01", "Chè"]], headers=["Mã nhiệm vụ", "Tên nhiệm vụ"])
    assert response.status_code == 400
    assert "“Loại”" in " ".join(response.context["form"].errors["file"])
    without_locality = [h for h in HEADERS if h not in ("Đơn vị đặt hàng", "Cơ quan đặt hàng")]
    response = preview(client, [row("ĐT01")[: len(without_locality)]], headers=without_locality)
    assert response.status_code == 400
    assert "“Đơn vị đặt hàng”" in " ".join(response.context["form"].errors["file"])


def test_a_viewer_may_not_import_nor_download_the_template(client, directory):
    viewer = make_user("viewer")
    english(client, viewer)
    assert client.get(reverse("sttasks:import")).status_code == 403
    assert preview(client, [row("ĐTCS.2023.01")]).status_code == 403
    assert client.post(reverse("sttasks:import_confirm"), {"token": "0" * 32}).status_code == 403
    assert client.get(reverse("sttasks:import_template")).status_code == 403
    assert not Task.objects.filter(code="ĐTCS.2023.01").exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(reverse("sttasks:import"))
    assert response.status_code == 302 and "login" in response.url


def test_a_commune_officer_imports_rows_of_their_commune_and_its_legacy_district_but_not_elsewhere(
    client, directory
):
    officer = make_user("local_officer", admin_unit=unit("Xã Định Hóa", province="Thái Nguyên"))
    english(client, officer)
    # The provincial centre and its people are outside a commune officer's view: rows name none.
    outside = {"lead_organization": "", "principal_investigator": ""}
    rows = [
        row("ĐTCS.2023.01", **outside),  # the legacy district the commune came from
        row("ĐTCS.2023.02", ordering_unit="Xã Định Hóa", **outside),  # their own commune: no province needed
        row("ĐTCS.2023.03", ordering_unit="Huyện Ba Chẽ, Quảng Ninh", **outside),
    ]
    response = preview(client, rows)
    outcome = response.context["outcome"]
    assert [r.status for r in outcome.rows] == ["new", "new", "error"]
    [error] = outcome.errors
    assert error.startswith("Row 4, column “Đơn vị đặt hàng”: you may not add records to “Huyện Ba Chẽ")
    assert confirm(client, response).status_code == 409
    assert not Task.objects.filter(code__startswith="ĐTCS.2023").exists()

    response = preview(client, rows[:2])
    assert confirm(client, response).status_code == 302
    assert set(Task.objects.values_list("code", flat=True)) >= {"ĐTCS.2023.01", "ĐTCS.2023.02"}


def test_the_example_workbook_has_the_headers_a_column_guide_and_a_row_that_imports(client, specialist):
    english(client, specialist)
    response = client.get(reverse("sttasks:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet, guide = book.worksheets
    headers = [c.value for c in sheet[1]]
    assert headers == HEADERS
    example = [c.value for c in sheet[2]]
    assert [c.value for c in guide["A"]][1:] == HEADERS
    # The example row itself is refused (it is no one's task) …
    response = preview(client, [example], headers=headers)
    assert response.context["outcome"].errors == [
        "Row 2: this is the template's example row: delete it, or replace it with a real record"
    ]
    # … and the row filled in by its model imports.
    example[1] = "Xây dựng mô hình trồng ba kích tím theo chuỗi giá trị tại Ba Chẽ"
    response = preview(client, [example], headers=headers)
    assert response.context["outcome"].counts["new"] == 1, response.context["outcome"].errors
    confirm(client, response)
    task = Task.objects.get(code=example[0])
    assert task.state.is_running and task.events.count() == 1


def test_a_local_officers_example_row_names_their_own_locality(client):
    officer = make_user("local_officer", admin_unit=unit("Xã Định Hóa", province="Thái Nguyên"))
    english(client, officer)
    response = client.get(reverse("sttasks:import_template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    example = [c.value for c in sheet[2]]
    example[1] = "Mô hình nuôi ong lấy mật tại Định Hóa"  # the example's own title is refused
    response = preview(client, [example], headers=[c.value for c in sheet[1]])
    assert response.context["outcome"].counts["new"] == 1, response.context["outcome"].errors


def test_the_upload_page_offers_the_template(client, specialist):
    english(client, specialist)
    response = client.get(reverse("sttasks:import"))
    assert response.status_code == 200
    assert reverse("sttasks:import_template").encode() in response.content


def import_queries(user, count, state="in_progress", **values) -> int:
    rows = [row(f"ĐTCS.Q.{i:04d}", state=state if i % 2 else "", **values) for i in range(count)]
    sheet = imports.normalise_headers(imports.read_workbook(workbook(rows).read()))
    with CaptureQueriesContext(connection) as captured:
        outcome = imports.TaskResource(user).run(sheet, dry_run=True)
    assert outcome.counts["new"] == count, outcome.errors[:3]
    return len(captured)


@pytest.mark.parametrize("role", ["specialist", "local_officer"])
def test_lookups_are_made_once_per_workbook_so_queries_grow_only_with_the_rows_saved(directory, role):
    user = make_user(
        role, admin_unit=unit("Xã Định Hóa", province="Thái Nguyên") if role == "local_officer" else None
    )
    # A local officer's rows name no directory entry outside their scope, and import new proposals only
    # (the rule `sttasks.import_task_state`); half of them name the first state.
    values = (
        {"lead_organization": "", "principal_investigator": "", "state": "proposed"}
        if role == "local_officer"
        else {}
    )
    small, large = import_queries(user, 20, **values), import_queries(user, 200, **values)
    per_row = (large - small) / 180
    # Per row: savepoint and release, the code lookup, the unique check, the insert and its history
    # row, the scope check after saving, and the state event for half the rows. Units, types,
    # organizations and people are looked up once for the whole workbook.
    assert per_row <= 7.5, (small, large)
    assert large <= 200 * 7.5 + 30, large


def test_a_code_of_another_localitys_task_reads_like_a_row_the_officer_may_not_add_naming_nothing(
    client, directory, specialist
):
    """One workbook of codes must not tell a local officer which tasks other localities have."""
    english(client, specialist)
    confirm(client, preview(client, [row("ĐTCS.2023.01", title="Chè Định Hóa bí mật")]))
    officer = make_user("local_officer", admin_unit=unit("Huyện Ba Chẽ", legacy=True))
    english(client, officer)
    outside = {"lead_organization": "", "principal_investigator": ""}
    for update in ({}, {"update_existing": "on"}):
        response = preview(
            client,
            [row("ĐTCS.2023.01", ordering_unit="Huyện Ba Chẽ, Quảng Ninh", **outside)],
            **update,
        )
        [error] = response.context["outcome"].errors
        assert error == (
            "Row 2, column “Mã nhiệm vụ”: You may only save records that belong to your own unit or organization."
        )
        assert "Chè Định Hóa" not in response.content.decode() and "already on record" not in error
        assert confirm(client, response).status_code == 409
    assert Task.objects.get(code="ĐTCS.2023.01").title == "Chè Định Hóa bí mật"


@pytest.mark.parametrize("url_name", ["sttasks:import", "registries:import"])
def test_an_options_request_to_an_import_page_is_answered_not_a_server_error(client, url_name, specialist):
    """The import view's own options() hook once hid the HTTP OPTIONS handler (a 500)."""
    english(client, specialist)
    response = client.options(reverse(url_name))
    assert response.status_code == 200 and "POST" in response["Allow"]


def test_checking_and_writing_twice_the_rows_costs_no_more_queries(directory, specialist):
    """Units, organizations, people, codes on record: looked up once per workbook; tasks and their
    events written in batches (issue #20)."""
    from stims.testing import import_queries

    def rows(n, start):
        return [row(f"ĐT.{i:03d}/2023-ĐẾM", state="Đang thực hiện") for i in range(start, start + n)]

    import_queries(specialist, "tasks", HEADERS, rows(1, 0))  # warm the per-process caches
    assert import_queries(specialist, "tasks", HEADERS, rows(5, 10)) == import_queries(
        specialist, "tasks", HEADERS, rows(10, 20)
    )
