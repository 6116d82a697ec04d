"""The reports pages and API on a small data set: a report is asked for, generated (at once in tests,
as the background task runs it), stored with its template version, parameters and figures digest, and
downloaded; a local officer reports on their own units only and never sees another unit's reports
(404), a role without reports is refused (403)."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from stims.funding.models import Allocation
from stims.reports import periods
from stims.reports.figures import compute
from stims.reports.models import Report, Status
from stims.sttasks.models import Level, Task, TaskType
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def ba_che():
    return unit("Huyện Ba Chẽ", legacy=True)


@pytest.fixture
def binh_lieu():
    return unit("Huyện Bình Liêu", legacy=True)


@pytest.fixture
def data(ba_che, binh_lieu):
    Allocation.objects.create(
        year=2022, recipient_unit=ba_che, amount=550_000_000, purpose="KH&CN huyện 2022"
    )
    Allocation.objects.create(
        year=2022, recipient_unit=binh_lieu, amount=300_000_000, purpose="KH&CN huyện 2022"
    )
    for number in range(4):
        Task.objects.create(
            title=f"Nhiệm vụ Bình Liêu {number}",
            task_type=TaskType.objects.get(code="de-tai"),
            level=Level.PROVINCIAL,
            proposal_year=2022,
            ordering_unit=binh_lieu,
        )


def figures_sheet(content: bytes) -> dict:
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Số liệu"]
    return {row[3]: row[2] for row in sheet.iter_rows(min_row=6, values_only=True) if row[3]}


def ask(client, unit, fmt="xlsx", kind="year", period="2022", summary=""):
    return client.post(
        reverse("reports:report_list"),
        {"kind": kind, "period": period, "unit": unit.pk, "format": fmt, "summary": summary, "number": ""},
    )


def test_a_specialist_asks_for_a_report_and_downloads_it_with_what_produced_it(client, data, ba_che):
    user = make_user("specialist")
    client.force_login(user)
    response = ask(client, ba_che)
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:report_detail", args=[report.pk])
    assert (report.status, report.progress, report.template_version) == (Status.DONE, 100, 1)
    assert report.parameters == {"kind": "year", "period": "2022", "unit": ba_che.pk, "format": "xlsx"}
    expected = compute(ba_che, periods.parse("year", "2022"), user)
    assert report.figures_digest == expected.digest and report.figures["funding.allocated"] == 550_000_000
    assert "550.000.000 đồng" in report.summary  # composed from the figures when left empty
    page = client.get(reverse("reports:report_detail", args=[report.pk]))
    assert b'data-status="done"' in page.content and b'data-testid="download"' in page.content
    download = client.get(reverse("reports:report_download", args=[report.pk]))
    assert download.status_code == 200
    assert figures_sheet(b"".join(download.streaming_content))["funding.allocated"] == 550_000_000
    # Regenerating on the same data gives the same figures.
    ask(client, ba_che)
    assert Report.objects.order_by("-pk").first().figures_digest == report.figures_digest


def test_the_summary_a_person_edits_is_the_one_in_the_report(client, data, ba_che):
    client.force_login(make_user("specialist"))
    composed = client.get(reverse("reports:summary"), {"kind": "year", "period": "2022", "unit": ba_che.pk})
    assert composed.content.decode().startswith("Trong năm 2022 trên địa bàn Huyện Ba Chẽ, kinh phí")
    ask(client, ba_che, fmt="docx", summary="Trong năm 2022, huyện đã đầu tư 550 triệu đồng cho KH&CN.")
    assert Report.objects.get().summary == "Trong năm 2022, huyện đã đầu tư 550 triệu đồng cho KH&CN."


def test_a_bad_period_is_refused_with_its_reason_and_nothing_is_made(client, data, ba_che):
    client.force_login(make_user("specialist"))
    response = ask(client, ba_che, kind="quarter", period="5/2023")
    assert response.status_code == 200 and b'data-testid="error-period"' in response.content
    assert not Report.objects.exists()


def test_a_local_officer_reports_on_their_own_units_only(client, data, ba_che, binh_lieu):
    officer = make_user("local_officer", admin_unit=binh_lieu)
    client.force_login(officer)
    assert ask(client, ba_che).status_code == 200  # not a choice for them: the form says so
    assert not Report.objects.exists()
    ask(client, binh_lieu)
    mine = Report.objects.get()
    assert mine.figures["tasks.ordered"] == 4 and mine.figures["funding.allocated"] == 300_000_000
    # Another unit's report is not found, page, file and API alike.
    client.force_login(make_user("specialist"))
    ask(client, ba_che)
    other = Report.objects.exclude(pk=mine.pk).get()
    client.force_login(officer)
    assert client.get(reverse("reports:report_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("reports:report_download", args=[other.pk])).status_code == 404
    assert client.get(f"/api/reports/reports/{other.pk}/").status_code == 404
    listed = client.get("/api/reports/reports/").json()
    assert [r["id"] for r in listed["results"]] == [mine.pk]
    assert listed["results"][0]["file"].endswith(reverse("reports:report_download", args=[mine.pk]))
    api = "/api/reports/figures/"
    assert client.get(api, {"kind": "year", "period": "2022", "unit": ba_che.pk}).status_code == 404
    body = client.get(api, {"kind": "year", "period": "2022", "unit": binh_lieu.pk}).json()
    funding = next(s for s in body["sections"] if s["key"] == "funding")
    assert {f["key"]: f["value"] for f in funding["figures"]}["allocated"] == 300_000_000


def test_a_role_without_reports_is_refused(client, data):
    client.force_login(make_user("council_member"))
    assert client.get(reverse("reports:report_list")).status_code == 403
    assert client.get(reverse("reports:dashboard")).status_code == 403
    assert client.get("/api/reports/figures/", {"kind": "year", "period": "2022"}).status_code == 403
    assert client.get("/api/reports/reports/").status_code == 403


def test_a_viewer_reads_reports_but_does_not_make_them(client, data, ba_che):
    client.force_login(make_user("viewer"))
    assert client.get(reverse("reports:report_list")).status_code == 200
    assert ask(client, ba_che).status_code == 403
    assert not Report.objects.exists()


def test_the_api_refuses_a_bad_period_with_a_reason(client, data):
    client.force_login(make_user("specialist"))
    response = client.get("/api/reports/figures/", {"kind": "month", "period": "13/2023"})
    assert response.status_code == 400


def test_the_reports_list_page_makes_the_same_queries_however_many_reports(
    client, data, ba_che, django_assert_max_num_queries
):
    user = make_user("specialist")
    client.force_login(user)
    for _ in range(3):
        Report.objects.create(
            kind="year",
            period_start=datetime.date(2022, 1, 1),
            period_end=datetime.date(2022, 12, 31),
            admin_unit=ba_che,
        )
    with django_assert_max_num_queries(20):
        assert client.get(reverse("reports:report_list")).status_code == 200


def test_a_leader_uploads_a_new_template_version_and_reports_record_it(client, data, ba_che):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from stims.reports.template_source import SHIPPED

    client.force_login(make_user("specialist"))
    assert client.get(reverse("reports:reporttemplate_list")).status_code == 200
    upload = SimpleUploadedFile("mau-moi.docx", SHIPPED.read_bytes())
    assert (
        client.post(reverse("reports:reporttemplate_list"), {"file": upload, "note": "x"}).status_code == 403
    )
    leader = make_user("leader")
    client.force_login(leader)
    upload = SimpleUploadedFile("mau-moi.docx", SHIPPED.read_bytes())
    response = client.post(reverse("reports:reporttemplate_list"), {"file": upload, "note": "Thêm chữ ký"})
    assert response.status_code == 302
    ask(client, ba_che, fmt="docx")
    assert Report.objects.get().template_version == 2


def test_the_dashboard_and_the_api_make_a_fixed_number_of_queries(
    client, data, ba_che, django_assert_max_num_queries
):
    client.force_login(make_user("specialist"))
    with django_assert_max_num_queries(90):
        page = client.get(reverse("reports:dashboard"), {"unit": ba_che.pk, "year": 2022})
    assert 'data-testid="now-funding.allocated">550.000.000' in page.content.decode()
    for _ in range(3):
        ask(client, ba_che)
    with django_assert_max_num_queries(12):
        assert len(client.get("/api/reports/reports/").json()["results"]) == 3


def test_a_local_officer_opens_the_dashboard_of_their_own_unit_only(client, data, ba_che, binh_lieu):
    client.force_login(make_user("local_officer", admin_unit=binh_lieu))
    own = client.get(reverse("reports:dashboard"))
    assert own.status_code == 200 and 'data-testid="dashboard-scope">Huyện Bình Liêu' in own.content.decode()
    assert client.get(reverse("reports:dashboard"), {"unit": binh_lieu.pk}).status_code == 200
    # Another district, the province, or a unit that does not exist: all the same "not found".
    assert client.get(reverse("reports:dashboard"), {"unit": ba_che.pk}).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"unit": binh_lieu.province_id}).status_code == 404
    assert client.get(reverse("reports:dashboard"), {"unit": 10**9}).status_code == 404
