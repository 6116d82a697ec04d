"""The results list, the result page, the replication page and the task page's panel: filters,
exports, and query counts that do not grow with the rows."""

import csv
import io

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stims.results.panels import results_context
from stims.sttasks.panels import PANELS
from stims.testing import make_user

from .conftest import hand_over, report

pytestmark = pytest.mark.django_db


def names(response):
    return sorted(row.name for row in response.context["table"].data)


@pytest.fixture
def catalogue(make_task, make_result, ba_che_commune, binh_lieu_commune):
    dinh_hoa = make_task("Phát triển chè Định Hóa", state="applied", level="national", year=2020)
    ba_kich = make_task("Trồng ba kích", state="handed_over", year=2022)
    running = make_task("Nhiệm vụ đang làm", state="in_progress", year=2024)
    tea = make_result(dinh_hoa, "Quy trình chế biến chè")
    variety = make_result(ba_kich, "Giống ba kích tím", kind="variety")
    draft = make_result(running, "Mô hình nhà lưới", registered=False, kind="model")
    hand_over(tea, ba_che_commune)
    hand_over(variety, binh_lieu_commune)
    report(tea, ba_che_commune, 2023, "replicated")
    report(variety, binh_lieu_commune, 2024, "trial")
    return {"tea": tea, "variety": variety, "draft": draft}


@pytest.fixture
def viewer_client(client):
    client.force_login(make_user("viewer"))
    return client


def test_the_results_list_filters(viewer_client, catalogue):
    url = reverse("results:taskresult_list")
    assert names(viewer_client.get(url)) == [
        "Giống ba kích tím",
        "Mô hình nhà lưới",
        "Quy trình chế biến chè",
    ]
    assert names(viewer_client.get(url, {"kind": "variety"})) == ["Giống ba kích tím"]
    assert names(viewer_client.get(url, {"registered": "false"})) == ["Mô hình nhà lưới"]
    assert names(viewer_client.get(url, {"handed_over": "true"})) == [
        "Giống ba kích tím",
        "Quy trình chế biến chè",
    ]
    assert names(viewer_client.get(url, {"applied": "true"})) == [
        "Quy trình chế biến chè"
    ]  # a trial is not an application
    assert names(viewer_client.get(url, {"applied": "false", "handed_over": "true"})) == ["Giống ba kích tím"]
    assert names(viewer_client.get(url, {"level": "national"})) == ["Quy trình chế biến chè"]
    assert names(viewer_client.get(url, {"year": "2024"})) == ["Mô hình nhà lưới"]
    # The task's title feeds the search, without diacritics.
    assert names(viewer_client.get(url, {"q": "dinh hoa"})) == ["Quy trình chế biến chè"]
    assert names(viewer_client.get(url, {"q": "ba kich"})) == ["Giống ba kích tím"]


def test_the_results_list_exports_what_it_shows(viewer_client, catalogue):
    url = reverse("results:taskresult_list")
    exported = viewer_client.get(url, {"applied": "true", "_export": "csv"})
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][0] == "Quy trình chế biến chè" and "2023" in rows[1][-1]
    xlsx = viewer_client.get(url, {"_export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def _count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


def _more(make_task, make_result, unit, number):
    for index in range(number):
        result = make_result(make_task(f"Thêm {index}", state="handed_over"), f"Kết quả thêm {index}")
        hand_over(result, unit)
        report(result, unit, 2024, "applied")
        report(result, unit, 2025, "replicated")


@pytest.mark.parametrize("role", ["viewer", "local_officer"])
def test_the_results_list_runs_the_same_queries_for_3_or_15_results(
    client, catalogue, make_task, make_result, ba_che_commune, role
):
    client.force_login(make_user(role, admin_unit=ba_che_commune if role == "local_officer" else None))
    url = reverse("results:taskresult_list")
    few = _count_queries(client, url)
    _more(make_task, make_result, ba_che_commune, 12)
    assert _count_queries(client, url) == few
    assert few <= 8  # session, user, role assignments, units covered, count, page


def test_the_result_page_shows_handovers_and_reports_year_by_year(
    client, english, specialist, catalogue, ba_che_commune, binh_lieu_commune
):
    tea = catalogue["tea"]
    report(tea, binh_lieu_commune, 2025, "applied", scale="35 ha")
    report(tea, ba_che_commune, 2025, "replicated", scale="80 ha")
    client.force_login(specialist)
    page = client.get(reverse("results:taskresult_detail", args=[tea.pk]))
    assert [year for year, _rows in page.context["reports_by_year"]] == [2025, 2023]
    assert [r.scale for r in page.context["reports_by_year"][0][1]] == ["80 ha", "35 ha"]  # by unit name
    html = page.content.decode()
    assert "35 ha" in html and reverse("results:handover_add") + f"?result={tea.pk}" in html
    assert page.context["can_add_report"] and page.context["can_add_handover"]


def test_the_replication_page_answers_how_many_are_applied_and_where(
    client, english, catalogue, ba_che_commune, binh_lieu_commune
):
    client.force_login(make_user("leader"))
    url = reverse("results:replication")
    page = client.get(url)
    assert page.context["summary"].as_dict() == {
        "accepted_results": 2,
        "handed_over": 2,
        "applied": 1,
        "replicated": 1,
        "localities": 1,
    }
    rows = list(page.context["locality_table"].data)
    assert [(row.unit.pk, row.results_applied, row.results_on_trial) for row in rows] == [
        (ba_che_commune.pk, 1, 0),
        (binh_lieu_commune.pk, 0, 1),
    ]
    assert [r.name for r in page.context["never_table"].data] == ["Giống ba kích tím"]
    html = page.content.decode()
    assert "Handed over, never reported applied" in html and "Xã Bình Liêu" in html

    in_2024 = client.get(url, {"year_from": "2024", "year_to": "2024"}).context
    assert (in_2024["summary"].applied, in_2024["summary"].handed_over) == (0, 0)  # handed over in 2023
    in_binh_lieu = client.get(url, {"unit": binh_lieu_commune.pk}).context
    assert in_binh_lieu["summary"].as_dict() == {
        "accepted_results": 2,
        "handed_over": 1,
        "applied": 0,
        "replicated": 0,
        "localities": 0,
    }
    assert [r.name for r in in_binh_lieu["never_table"].data] == ["Giống ba kích tím"]
    in_ba_che = client.get(url, {"unit": ba_che_commune.pk}).context
    assert list(in_ba_che["never_table"].data) == []


def test_the_replication_page_exports_both_tables(client, catalogue):
    client.force_login(make_user("viewer"))
    url = reverse("results:replication")
    localities = client.get(url, {"_export": "csv", "table": "localities"})
    rows = list(csv.reader(io.StringIO(localities.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["Xã Ba Chẽ, Tỉnh Quảng Ninh", "Xã Bình Liêu, Tỉnh Quảng Ninh"]
    never = client.get(url, {"_export": "csv", "table": "never_applied"})
    assert [row[0] for row in csv.reader(io.StringIO(never.content.decode("utf-8-sig")))][1:] == [
        "Giống ba kích tím"
    ]
    assert client.get(url, {"_export": "xlsx", "table": "never_applied"}).content[:2] == b"PK"
    assert client.get(url, {"_export": "csv", "table": "secrets"}).status_code == 404


def test_a_commune_officer_sees_the_replication_of_their_commune_only(
    client, catalogue, ba_che_commune, ba_che_officer
):
    client.force_login(ba_che_officer)
    page = client.get(reverse("results:replication"))
    # Only the tea was handed over to Xã Ba Chẽ and applied there; the variety went to Bình Liêu.
    assert page.context["summary"].as_dict() == {
        "accepted_results": 1,
        "handed_over": 1,
        "applied": 1,
        "replicated": 1,
        "localities": 1,
    }
    assert [row.unit.pk for row in page.context["locality_table"].data] == [ba_che_commune.pk]


def test_a_council_member_may_not_open_the_replication_page(client, catalogue):
    client.force_login(make_user("council_member"))
    assert client.get(reverse("results:replication")).status_code == 403
    assert client.get(reverse("results:taskresult_list")).status_code == 403


@pytest.mark.parametrize("role", ["leader", "local_officer"])
def test_the_replication_page_runs_the_same_queries_whatever_the_rows(
    client, catalogue, make_task, make_result, binh_lieu_commune, ba_che_commune, role
):
    client.force_login(make_user(role, admin_unit=ba_che_commune if role == "local_officer" else None))
    url = reverse("results:replication")
    few = _count_queries(client, url, {"year_from": "2020"})
    _more(make_task, make_result, binh_lieu_commune, 8)
    _more(make_task, make_result, ba_che_commune, 8)
    assert _count_queries(client, url, {"year_from": "2020"}) == few
    assert (
        few <= 13
    )  # page, session and user, plus the summary (5), the table by locality (2) and the never-applied list


# --- The panel on the task page -------------------------------------------------------------------
def render_panel(user, task):
    request = RequestFactory().get("/")
    request.user = user
    with CaptureQueriesContext(connection) as captured:
        data = results_context(request, task)
    html = render_to_string(
        "results/panel.html", {"data": data, "task": task, "request": request, "user": user}
    )
    return data, html, len(captured)


def test_the_results_panel_is_registered_on_the_task_page():
    panel = next(p for p in PANELS if p.key == "results")
    assert (panel.order, panel.template, panel.context) == (40, "results/panel.html", results_context)


def test_the_panel_shows_results_with_certificate_handovers_and_reports_in_fixed_queries(
    make_task, make_result, specialist, ba_che_commune, binh_lieu_commune
):
    task = make_task("Phát triển ba kích", state="handed_over")
    first = make_result(task, "Quy trình trồng")
    hand_over(first, ba_che_commune)
    report(first, ba_che_commune, 2024, "applied")
    report(first, ba_che_commune, 2025, "replicated")
    data, html, few = render_panel(specialist, task)
    assert data["can_add_result"]
    row = data["results"][0]
    assert (row.report_count, row.latest_year, row.latest_status, len(row.shown_handovers)) == (
        2,
        2025,
        "replicated",
        1,
    )
    assert first.certificate_number in html and "Xã Ba Chẽ" in html
    assert reverse("results:applicationreport_add") + f"?result={first.pk}" in html

    for index in range(6):
        result = make_result(task, f"Kết quả {index}", registered=index % 2 == 0)
        hand_over(result, binh_lieu_commune)
        hand_over(result, ba_che_commune)
        report(result, binh_lieu_commune, 2025, "trial")
    specialist = type(specialist).objects.get(pk=specialist.pk)  # a new request: nothing cached
    data, html, many = render_panel(specialist, task)
    assert len(data["results"]) == 7 and many == few
    assert few <= 6  # the five of the panel, and the user's role assignments (once per request)
    # The specialist's role reaches every result: each may be changed and handed over, known without
    # asking the database which of them.
    assert all(result.can_change and result.can_hand_over for result in data["results"])
    assert html.count(reverse("results:handover_add")) == 7


def test_the_panel_shows_a_commune_officer_what_reached_their_commune_and_offers_only_their_reports(
    make_task, make_result, ba_che_officer, ba_che_commune, binh_lieu_commune
):
    task = make_task("Phát triển ba kích", state="handed_over")
    ours, theirs = make_result(task, "Của Ba Chẽ"), make_result(task, "Của Bình Liêu")
    hand_over(ours, ba_che_commune)
    hand_over(theirs, binh_lieu_commune)
    report(theirs, binh_lieu_commune, 2025)
    data, html, _count = render_panel(ba_che_officer, task)
    assert [r.name for r in data["results"]] == ["Của Ba Chẽ"]
    assert data["results"][0].can_report and not data["results"][0].can_change and not data["can_add_result"]
    assert reverse("results:taskresult_add") not in html and reverse("results:handover_add") not in html


def test_results_are_found_by_the_global_search(catalogue):
    from stims.core.search import search
    from stims.results.models import TaskResult

    groups = {group.model: group for group in search(make_user("viewer"), "che bien che")}
    assert [r.name for r in groups[TaskResult].results] == ["Quy trình chế biến chè"]
    assert groups[TaskResult].detail_url_name == "results:taskresult_detail"
    assert TaskResult not in {group.model for group in search(make_user("council_member"), "che bien che")}


def test_the_admin_lists_results_handovers_and_reports(client, catalogue):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    for model in ("taskresult", "handover", "applicationreport"):
        assert client.get(f"/admin/results/{model}/").status_code == 200
    assert client.get(f"/admin/results/taskresult/{catalogue['tea'].pk}/change/").status_code == 200
