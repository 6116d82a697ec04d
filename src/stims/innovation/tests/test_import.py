"""Indicator values from Excel, as an officer uploads them: every row checked in a preview, then all
saved or none; a unit outside the officer's scope is refused without saying more."""

import pytest
from django.urls import reverse

from stims.innovation.models import IndicatorValue
from stims.testing import make_user, province, xlsx_upload

from .test_index import tiny_framework

pytestmark = pytest.mark.django_db

HEADERS = ["Mã chỉ số", "Đơn vị hành chính", "Giá trị", "Nguồn số liệu", "Ghi chú"]


@pytest.fixture(autouse=True)
def own_uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"


def preview(client, fw, rows):
    return client.post(
        reverse("innovation:import"), {"framework": fw.pk, "file": xlsx_upload(HEADERS, rows, "chi-so.xlsx")}
    )


def test_an_officer_imports_their_units_values_and_updates_the_one_on_record(client):
    fw = tiny_framework()
    qn = province("Quảng Ninh", legacy=True)
    client.force_login(make_user("local_officer", admin_unit=qn))
    response = preview(
        client, fw, [["1.1.1", qn.code, "14,5", "Cục Thống kê", ""], ["2.1.1", "Quảng Ninh", 7, "", ""]]
    )
    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert outcome.counts == {"new": 0, "update": 2, "error": 0, "skip": 0}
    assert IndicatorValue.objects.get(admin_unit=qn, indicator__code="1.1.1").value == 10  # nothing yet
    client.post(reverse("innovation:import_confirm"), {"token": response.context["token"]})
    assert IndicatorValue.objects.get(admin_unit=qn, indicator__code="1.1.1").value == 14.5
    assert IndicatorValue.objects.get(admin_unit=qn, indicator__code="2.1.1").value == 7


def test_a_workbook_with_a_bad_row_saves_nothing_and_names_each_problem(client):
    fw = tiny_framework()
    qn = province("Quảng Ninh", legacy=True)
    client.force_login(make_user("local_officer", admin_unit=qn))
    rows = [
        ["1.1.1", qn.code, 11, "", ""],
        ["9.9.9", qn.code, 1, "", ""],
        ["1.1.1", "Hà Nội", 5, "", ""],
        ["1.1.2", qn.code, "nhiều", "", ""],
    ]
    response = preview(client, fw, rows)
    errors = " ".join(e for row in response.context["outcome"].rows for e in row.errors)
    assert "no indicator “9.9.9” in this framework" in errors
    assert "You may only save records that belong to your own unit" in errors
    assert "is not a number" in errors
    assert response.context["outcome"].counts["error"] == 3
    assert IndicatorValue.objects.get(admin_unit=qn, indicator__code="1.1.1").value == 10


def test_the_template_workbook_lists_the_officers_own_rows(client):
    fw = tiny_framework()
    client.force_login(make_user("local_officer", admin_unit=province("Quảng Ninh", legacy=True)))
    response = client.get(reverse("innovation:import_template", args=[fw.pk]))
    assert response.status_code == 200
    client.force_login(make_user("viewer"))
    assert client.get(reverse("innovation:import_template", args=[fw.pk])).status_code == 403
