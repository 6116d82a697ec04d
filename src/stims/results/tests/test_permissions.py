"""Who may see, add and change results, handovers and application reports, on the pages and the API:
every grant next to its refusal, and a refusal changes nothing."""

import pytest
from django.urls import reverse

from stims.core.tests.versions import if_match, versioned
from stims.results.models import ApplicationReport, Handover, TaskResult
from stims.testing import make_user

from .conftest import hand_over, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(make_task, make_result, ba_che_commune, binh_lieu_commune):
    """One result handed over to Xã Ba Chẽ, another to Xã Bình Liêu (both from a provincial task)."""
    task = make_task("Phát triển cây ba kích", state="handed_over")
    ours = make_result(task, "Quy trình trồng ba kích")
    theirs = make_result(task, "Quy trình làm miến dong")
    hand_over(ours, ba_che_commune, record_number="BB-01")
    hand_over(theirs, binh_lieu_commune, record_number="BB-02")
    return ours, theirs


def application(result, unit, year=2025):
    return {
        "result": result.pk,
        "year": year,
        "admin_unit": unit.pk,
        "status": "applied",
        "place": "Thôn Khe Mằn",
        "scale": "12 ha",
        "effect": "Tăng thu nhập",
    }


def test_a_commune_officer_reports_the_application_of_a_result_handed_over_to_their_commune(
    client, ba_che_officer, received, ba_che_commune
):
    ours, _theirs = received
    client.force_login(ba_che_officer)
    assert client.get(reverse("results:applicationreport_add") + f"?result={ours.pk}").status_code == 200
    response = client.post(reverse("results:applicationreport_add"), application(ours, ba_che_commune))
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == reverse("results:taskresult_detail", args=[ours.pk])
    saved = ApplicationReport.objects.get()
    assert (saved.result, saved.admin_unit, saved.scale) == (ours, ba_che_commune, "12 ha")
    assert saved.history.first().history_user == ba_che_officer


def test_a_commune_officer_cannot_report_on_a_result_handed_over_to_another_commune(
    client, english, ba_che_officer, received, ba_che_commune
):
    _ours, theirs = received
    client.force_login(ba_che_officer)
    response = client.post(reverse("results:applicationreport_add"), application(theirs, ba_che_commune))
    assert response.status_code == 200
    assert (
        "You may report the application only of results handed over to your unit."
        in response.context["form"].errors["result"]
    )
    assert not ApplicationReport.objects.exists()


def test_a_commune_officer_cannot_place_an_application_in_another_commune(
    client, ba_che_officer, received, binh_lieu_commune
):
    ours, _theirs = received
    client.force_login(ba_che_officer)
    response = client.post(reverse("results:applicationreport_add"), application(ours, binh_lieu_commune))
    assert response.status_code == 200 and "admin_unit" in response.context["form"].errors
    assert not ApplicationReport.objects.exists()


def test_a_commune_officer_edits_only_the_reports_of_their_commune(
    client, ba_che_officer, received, ba_che_commune, binh_lieu_commune
):
    ours, theirs = received
    own = report(ours, ba_che_commune, 2024)
    other = report(theirs, binh_lieu_commune, 2024)
    client.force_login(ba_che_officer)
    assert client.get(reverse("results:applicationreport_edit", args=[other.pk])).status_code == 404
    assert (
        client.post(
            reverse("results:applicationreport_edit", args=[other.pk]), application(theirs, binh_lieu_commune)
        ).status_code
        == 404
    )
    changed = application(ours, ba_che_commune, 2024) | {"scale": "20 ha"}
    assert (
        client.post(
            reverse("results:applicationreport_edit", args=[own.pk]), versioned(own, changed)
        ).status_code
        == 302
    )
    assert ApplicationReport.objects.get(pk=own.pk).scale == "20 ha"
    assert ApplicationReport.objects.get(pk=other.pk).scale == ""


def test_a_commune_officer_reads_the_results_and_handovers_of_their_commune_only(
    client, ba_che_officer, received, ba_che_commune, binh_lieu_commune
):
    ours, theirs = received
    report(theirs, binh_lieu_commune, 2024)
    client.force_login(ba_che_officer)
    listed = client.get(reverse("results:taskresult_list"))
    assert [row.name for row in listed.context["table"].data] == ["Quy trình trồng ba kích"]
    page = client.get(reverse("results:taskresult_detail", args=[ours.pk]))
    assert page.status_code == 200
    assert [h.record_number for h in page.context["handovers"]] == ["BB-01"]
    assert (
        page.context["can_add_report"]
        and not page.context["can_add_handover"]
        and not page.context["can_change"]
    )
    assert client.get(reverse("results:taskresult_detail", args=[theirs.pk])).status_code == 404
    theirs_handover = Handover.objects.get(result=theirs)
    assert client.get(reverse("results:handover_detail", args=[theirs_handover.pk])).status_code == 404
    # Reading is not writing: results and handovers are the department's.
    assert client.get(reverse("results:handover_add")).status_code == 403
    assert client.get(reverse("results:taskresult_edit", args=[ours.pk])).status_code == 403
    assert (
        client.post(
            reverse("results:taskresult_add"), {"task": ours.task_id, "kind": "process", "name": "X"}
        ).status_code
        == 403
    )
    assert TaskResult.objects.count() == 2


def test_a_viewer_reads_everything_and_writes_nothing(client, received, ba_che_commune):
    ours, theirs = received
    client.force_login(make_user("viewer"))
    assert len(client.get(reverse("results:taskresult_list")).context["table"].data) == 2
    page = client.get(reverse("results:taskresult_detail", args=[theirs.pk]))
    assert (
        page.status_code == 200
        and not page.context["can_add_report"]
        and not page.context["can_add_handover"]
    )
    assert client.get(reverse("results:applicationreport_add")).status_code == 403
    assert (
        client.post(reverse("results:applicationreport_add"), application(ours, ba_che_commune)).status_code
        == 403
    )
    assert client.post(reverse("results:handover_add"), {"result": ours.pk}).status_code == 403
    assert client.get(reverse("results:replication")).status_code == 200
    assert not ApplicationReport.objects.exists() and Handover.objects.count() == 2


def test_a_specialist_records_results_handovers_and_reports(client, specialist, make_task, ba_che_commune):
    task = make_task("Nhiệm vụ mới", state="acceptance")
    client.force_login(specialist)
    created = client.post(
        reverse("results:taskresult_add"),
        {
            "task": task.pk,
            "kind": "technology",
            "name": "Công nghệ sấy",
            "certificate_number": "12/2025/ĐK",
            "certificate_date": "05/09/2025",
        },
    )
    assert created.status_code == 302, created.context["form"].errors
    result = TaskResult.objects.get(name="Công nghệ sấy")
    handed = client.post(
        reverse("results:handover_add"),
        {
            "result": result.pk,
            "receiving_unit": ba_che_commune.pk,
            "handed_over_on": "10/10/2025",
            "record_number": "BB-9",
        },
    )
    assert handed.status_code == 302 and handed["Location"] == reverse(
        "results:taskresult_detail", args=[result.pk]
    )
    reported = client.post(reverse("results:applicationreport_add"), application(result, ba_che_commune))
    assert reported.status_code == 302
    assert (result.handovers.count(), result.applications.count()) == (1, 1)


def test_a_result_needs_both_the_certificate_number_and_its_date(client, english, specialist, make_task):
    task = make_task(state="acceptance")
    client.force_login(specialist)
    response = client.post(
        reverse("results:taskresult_add"),
        {"task": task.pk, "kind": "process", "name": "Y", "certificate_number": "1/ĐK"},
    )
    assert response.status_code == 200
    assert (
        "Give both the registration certificate's number and its date, or neither."
        in response.context["form"].non_field_errors()
    )
    assert not TaskResult.objects.exists()


def test_a_handover_needs_a_receiver(client, english, specialist, received):
    ours, _ = received
    client.force_login(specialist)
    response = client.post(
        reverse("results:handover_add"), {"result": ours.pk, "handed_over_on": "01/01/2025"}
    )
    assert response.status_code == 200
    assert (
        "Choose the locality or the organization that receives the result."
        in response.context["form"].non_field_errors()
    )
    assert Handover.objects.count() == 2


def test_the_api_refuses_a_commune_officer_report_on_another_communes_result(
    client, ba_che_officer, received, ba_che_commune
):
    ours, theirs = received
    client.force_login(ba_che_officer)
    body = application(theirs, ba_che_commune)
    refused = client.post("/api/results/applications/", body, content_type="application/json")
    assert refused.status_code == 400 and "result" in refused.json()["errors"]
    assert not ApplicationReport.objects.exists()
    accepted = client.post(
        "/api/results/applications/", application(ours, ba_che_commune), content_type="application/json"
    )
    assert accepted.status_code == 201, accepted.json()
    assert ApplicationReport.objects.get().result == ours
    # Handovers and results are read-only for them.
    handover = {"result": ours.pk, "receiving_unit": ba_che_commune.pk, "handed_over_on": "2025-01-01"}
    assert (
        client.post("/api/results/handovers/", handover, content_type="application/json").status_code == 403
    )
    assert (
        client.patch(
            f"/api/results/results/{ours.pk}/",
            {"name": "x"},
            content_type="application/json",
            **if_match(ours),
        ).status_code
        == 403
    )
    assert client.get(f"/api/results/results/{theirs.pk}/").status_code == 404
    assert (
        Handover.objects.count() == 2 and TaskResult.objects.get(pk=ours.pk).name == "Quy trình trồng ba kích"
    )
