"""The Excel import of a plan's targets: preview, then all rows or none; a plan outside the user's reach
is refused."""

import pytest
from django.urls import reverse

from stims.programmes.models import Target
from stims.testing import xlsx_upload

pytestmark = pytest.mark.django_db
HEADERS = ["STT", "Tên chỉ tiêu", "ĐVT", "Năm", "Hiện trạng", "Chỉ tiêu giao"]


def preview(client, plan, rows):
    return client.post(reverse("programmes:import"), {"plan": plan.pk, "file": xlsx_upload(HEADERS, rows)})


def test_targets_in_an_annex_layout_are_previewed_then_imported(client, specialist, ba_che_plan):
    client.force_login(specialist)
    rows = [
        [1, "Doanh nghiệp KH&CN phát triển thêm", "doanh nghiệp", 2024, 1, 2],
        [2, "Tỷ lệ hướng dẫn SHTT", "%", 2023, 0, 90],  # already a target of 2023: updated
    ]
    response = preview(client, ba_che_plan, rows)
    assert response.status_code == 200, response.content[:400]
    assert (
        response.context["outcome"].counts["new"] == 1 and response.context["outcome"].counts["update"] == 1
    )
    assert Target.objects.count() == 1  # nothing saved yet
    done = client.post(reverse("programmes:import_confirm"), {"token": response.context["token"]})
    assert done.status_code == 302
    assert Target.objects.filter(plan=ba_che_plan).count() == 2
    assert Target.objects.get(year=2023).value == 90
    assert Target.objects.get(year=2024).history.first().history_user == specialist


def test_a_bad_row_saves_nothing(client, specialist, ba_che_plan):
    client.force_login(specialist)
    rows = [
        [1, "Doanh nghiệp KH&CN", "doanh nghiệp", 2024, 0, 2],
        [2, "Lớp tập huấn", "lớp", 2040, 0, "nhiều"],  # outside the period, not a number
    ]
    response = preview(client, ba_che_plan, rows)
    assert response.context["outcome"].has_errors
    client.post(reverse("programmes:import_confirm"), {"token": response.context["token"]})
    assert Target.objects.count() == 1


def test_a_local_officer_may_not_import_targets(client, ba_che_officer, ba_che_plan):
    client.force_login(ba_che_officer)
    assert client.get(reverse("programmes:import")).status_code == 403
    assert preview(client, ba_che_plan, [[1, "X", "%", 2023, 0, 1]]).status_code == 403
