"""The quality API: the same rows, rules and refusals as the pages."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from stims.core.tests.versions import if_match
from stims.inspections.models import Inspection, InspectionState, Sanction
from stims.testing import make_user, unit

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def api(user):
    client = APIClient()
    client.cookies["django_language"] = "en"
    client.force_authenticate(user)
    return client


def test_the_team_head_moves_an_inspection_through_the_api(inspection, inspector):
    url = reverse("api:inspection-move", args=[inspection.pk])
    response = api(inspector).post(url, {"action": "start", "on": "2023-04-05"}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "in_progress"
    response = api(inspector).post(url, {"action": "close", "on": "2023-04-06"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "refused"
    assert body["errors"] == ["An inspection that is “In progress” cannot take the step “Close”."]


def test_someone_off_the_team_is_refused_by_the_api_and_nothing_changes(inspection, other_inspector):
    response = api(other_inspector).post(
        reverse("api:inspection-move", args=[inspection.pk]),
        {"action": "start", "on": "2023-04-05"},
        format="json",
    )
    assert response.status_code == 403
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.PLANNED and not inspection.events.exists()


def test_the_state_is_not_written_directly(inspection, inspector):
    response = api(inspector).patch(
        reverse("api:inspection-detail", args=[inspection.pk]),
        {"state": "closed"},
        format="json",
        **if_match(inspection),
    )
    assert response.status_code == 200
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.PLANNED


def test_a_negative_fine_and_a_record_of_a_closed_inspection_are_refused(inspection, inspector):
    url = reverse("api:sanction-list")
    data = {"inspection": inspection.pk, "issued_on": "2023-04-20", "fine_vnd": -1}
    response = api(inspector).post(url, data, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"fine_vnd": ["A fine cannot be negative."]}
    Inspection.objects.filter(pk=inspection.pk).update(state=InspectionState.CANCELLED)
    response = api(inspector).post(url, {**data, "fine_vnd": 1000}, format="json")
    assert response.status_code == 400
    assert not Sanction.objects.exists()


@pytest.mark.parametrize("role", ["local_officer", "council_member", None])
def test_local_officers_and_others_without_a_grant_cannot_reach_the_api(inspection, mai_son, role):
    user = make_user(role, admin_unit=mai_son if role == "local_officer" else None)
    for name in ("inspection-list", "establishment-list", "sanction-list", "radiationlicence-list"):
        assert api(user).get(reverse(f"api:{name}")).status_code == 403
    assert api(user).get(reverse("api:inspection-detail", args=[inspection.pk])).status_code == 403


def test_an_inspector_of_another_district_sees_no_row_and_gets_404(inspection):
    outsider = make_user("inspector", admin_unit=unit("Huyện Ba Chẽ", legacy=True))
    assert api(outsider).get(reverse("api:inspection-list")).json()["count"] == 0
    assert api(outsider).get(reverse("api:inspection-detail", args=[inspection.pk])).status_code == 404
    response = api(outsider).post(
        reverse("api:inspection-move", args=[inspection.pk]),
        {"action": "start", "on": "2023-04-05"},
        format="json",
    )
    assert response.status_code == 404


def test_a_viewer_reads_but_does_not_write(inspection, station):
    viewer = make_user("viewer")
    assert api(viewer).get(reverse("api:inspection-list")).json()["count"] == 1
    response = api(viewer).post(
        reverse("api:measuringinstrument-list"),
        {"establishment": station.pk, "kind": "Cột đo", "verification_due": "2027-03-31"},
        format="json",
    )
    assert response.status_code == 403


def test_the_violation_catalogue_is_reference_data(db):
    officer = make_user("local_officer", admin_unit=unit("Huyện Ba Chẽ", legacy=True))
    rows = api(officer).get(reverse("api:violationtype-list")).json()["results"]
    assert {"fuel-pump-unverified", "radiation-no-licence"} <= {row["code"] for row in rows}
