"""The result rules (`results/rules.py`), one table per rule: each user asks the rule itself, the page and
the API (and its bulk create), and gets the same answer; a refusal changes nothing."""

import pytest
import rules
from django.urls import reverse

from stims.results import rules as result_rules
from stims.results.models import ApplicationReport
from stims.testing import make_user

from .conftest import hand_over

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(make_task, make_result, ba_che_commune, binh_lieu_commune):
    """One result handed over to Xã Ba Chẽ, another to Xã Bình Liêu (both from a provincial task)."""
    task = make_task("Phát triển cây ba kích", state="handed_over")
    ours = make_result(task, "Quy trình trồng ba kích")
    theirs = make_result(task, "Quy trình làm miến dong")
    hand_over(ours, ba_che_commune)
    hand_over(theirs, binh_lieu_commune)
    return ours, theirs


def user_for(who, ba_che_commune):
    if who == "ba_che_officer":
        return make_user("local_officer", admin_unit=ba_che_commune)
    if who == "unrelated_officer":
        from stims.testing import unit

        return make_user("local_officer", admin_unit=unit("Xã Tiên Yên", province="Quảng Ninh"))
    return make_user(who)


# (who, the result handed over to Xã Ba Chẽ, the one handed over to Xã Bình Liêu)
VIEW = [
    ("ba_che_officer", True, False),
    ("unrelated_officer", False, False),
    ("specialist", True, True),
    ("viewer", True, True),
    ("council_member", False, False),
]


@pytest.mark.parametrize(("who", "ours_allowed", "theirs_allowed"), VIEW)
@pytest.mark.parametrize("path", ["rule", "page", "api"])
def test_view_a_result(client, received, ba_che_commune, who, ours_allowed, theirs_allowed, path):
    user = user_for(who, ba_che_commune)
    client.force_login(user)
    for result, allowed in zip(received, (ours_allowed, theirs_allowed), strict=True):
        if path == "rule":
            assert rules.has_perm(result_rules.VIEW_RESULT, user, result) is allowed
        elif path == "page":
            status = client.get(reverse("results:taskresult_detail", args=[result.pk])).status_code
            assert (status == 200) is allowed, status
        else:
            status = client.get(f"/api/results/results/{result.pk}/").status_code
            assert (status == 200) is allowed, status


# (who, may report on the result handed over to Xã Ba Chẽ)
REPORT = [
    ("ba_che_officer", True),
    ("unrelated_officer", False),
    ("specialist", True),
    ("viewer", False),
    ("council_member", False),
]


def application(result, unit):
    return {
        "result": result.pk,
        "year": 2025,
        "admin_unit": unit.pk,
        "status": "applied",
        "place": "Thôn Khe Mằn",
    }


@pytest.mark.parametrize(("who", "allowed"), REPORT)
@pytest.mark.parametrize("path", ["rule", "page", "api", "api-bulk"])
def test_report_the_application_of_a_result(client, received, ba_che_commune, who, allowed, path):
    ours, theirs = received
    user = user_for(who, ba_che_commune)
    if path == "rule":
        assert rules.has_perm(result_rules.REPORT_APPLICATION, user, ours) is allowed
        # Xã Bình Liêu's result is not the Ba Chẽ officer's to report on, whoever else may.
        assert rules.has_perm(result_rules.REPORT_APPLICATION, user, theirs) is (who == "specialist")
        return
    client.force_login(user)
    if path == "page":
        response = client.post(reverse("results:applicationreport_add"), application(ours, ba_che_commune))
        assert (response.status_code == 302) is allowed, response.status_code
    else:
        item = application(ours, ba_che_commune)
        body = item if path == "api" else [item]
        response = client.post("/api/results/applications/", body, content_type="application/json")
        assert (response.status_code == 201) is allowed, response.content
    assert ApplicationReport.objects.filter(result=ours).exists() is allowed
