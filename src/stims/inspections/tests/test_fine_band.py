"""The named rule `inspections.fine_within_band`: a fine outside the violation catalogue's band is
refused, on the page and through the API, with the band named; nothing is saved."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from stims.inspections.models import Sanction, Violation, ViolationType

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def banded(pump_violation):
    ViolationType.objects.filter(pk=pump_violation.pk).update(fine_min=5_000_000, fine_max=10_000_000)
    return ViolationType.objects.get(pk=pump_violation.pk)


def sanction(inspection, fine):
    return {
        "inspection": inspection.pk,
        "issued_on": "2023-04-20",
        "fine_vnd": fine,
        "remedies": "Kiểm định lại",
    }


def test_a_fine_outside_the_band_is_refused_on_the_page(client, inspection, inspector, banded):
    Violation.objects.create(inspection=inspection, violation_type=banded)
    client.cookies["django_language"] = "en"
    client.force_login(inspector)
    response = client.post(
        reverse("inspections:sanction_add"), {**sanction(inspection, "12000000"), "issued_on": "20/04/2023"}
    )
    page = response.content.decode()
    assert "outside the band the violation catalogue gives" in page
    assert "12.000.000" in page and "5.000.000–10.000.000" in page
    assert not Sanction.objects.exists()
    response = client.post(
        reverse("inspections:sanction_add"), {**sanction(inspection, "7500000"), "issued_on": "20/04/2023"}
    )
    assert response.status_code == 302 and Sanction.objects.get().fine_vnd == 7_500_000


def test_a_fine_outside_the_band_is_refused_by_the_api_counting_the_other_sanctions(
    inspection, inspector, banded
):
    Violation.objects.create(inspection=inspection, violation_type=banded)
    api = APIClient()
    api.cookies["django_language"] = "en"
    api.force_authenticate(inspector)
    url = reverse("api:sanction-list")
    assert api.post(url, sanction(inspection, 1_000_000), format="json").status_code == 400  # below 5.000.000
    assert api.post(url, sanction(inspection, 6_000_000), format="json").status_code == 201
    response = api.post(url, sanction(inspection, 5_000_000), format="json")  # 11.000.000 together
    assert response.status_code == 400
    assert "11.000.000" in response.json()["errors"]["fine_vnd"][0]
    assert api.post(url, sanction(inspection, 0), format="json").status_code == 201  # a warning: no fine
    assert Sanction.objects.count() == 2


def test_no_band_is_enforced_where_the_catalogue_gives_none(inspection, inspector, pump_violation, banded):
    unbanded = ViolationType.objects.get(code="fuel-quality")
    assert unbanded.fine_min is None  # the seeded catalogue gives no band it could not confirm
    Violation.objects.create(inspection=inspection, violation_type=banded)
    Violation.objects.create(inspection=inspection, violation_type=unbanded)
    Sanction(inspection=inspection, issued_on=D(2023, 4, 20), fine_vnd=90_000_000).full_clean()
