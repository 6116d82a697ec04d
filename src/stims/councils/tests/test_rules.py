"""The council rules (`councils/rules.py`), one table per rule: each role asks the rule itself, the page
and the API, and gets the same answer; a refusal changes nothing."""

import datetime

import pytest
import rules
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stims.councils import rules as council_rules
from stims.councils import services
from stims.councils.models import Council, CouncilMember, ScoreSheet
from stims.testing import make_user

from .conftest import score_all, sheet_scores

pytestmark = pytest.mark.django_db

FULL = {"1": 14, "2": 27, "3": 22, "4": 13, "5": 12}  # 88


@pytest.fixture
def council(make_council, make_task):
    return make_council(members=3, tasks=[make_task()])


def user_for(who: str, council, quang_ninh):
    """`member`: a council member who is the council's first member; `other_member`: a council member
    not on this council; otherwise a user holding the role `who` (a local officer in the province)."""
    if who in ("member", "other_member"):
        user = make_user("council_member")
        if who == "member":
            CouncilMember.objects.filter(pk=council.members.order_by("pk").first().pk).update(user=user)
        return user
    return make_user(who, admin_unit=quang_ninh if who == "local_officer" else None)


def sheet_post(criteria_set, scores: dict) -> dict:
    criteria = {c.code: c for c in criteria_set.criteria.all()}
    return {
        **{services.score_field_name(criteria[code]): str(value) for code, value in scores.items()},
        "comments": "",
        "record_version": "new",
    }


def sheet_api(criteria_set, scores: dict) -> list:
    criteria = {c.code: c.pk for c in criteria_set.criteria.all()}
    return [{"criterion": criteria[code], "score": str(value)} for code, value in scores.items()]


ENTER_SHEET = [("member", True), ("other_member", False), ("specialist", True), ("local_officer", False)]


@pytest.mark.parametrize(("who", "allowed"), ENTER_SHEET)
@pytest.mark.parametrize("path", ["rule", "page", "api", "api-bulk"])
def test_enter_a_score_sheet(client, council, quang_ninh, selection_set, who, allowed, path):
    user = user_for(who, council, quang_ninh)
    dossier, member = council.dossiers.get(), council.members.order_by("pk").first()
    if path == "rule":
        assert rules.has_perm(council_rules.ENTER_SHEET, user, member) is allowed
        return
    client.force_login(user)
    if path == "page":
        url = reverse("councils:scoresheet_enter", args=[dossier.pk, member.pk])
        response = client.post(url, sheet_post(selection_set, FULL))
        assert response.status_code == (302 if allowed else 403)
    else:
        item = {"dossier": dossier.pk, "member": member.pk, "scores": sheet_api(selection_set, FULL)}
        body = item if path == "api" else [item]
        response = client.post("/api/councils/score-sheets/", body, content_type="application/json")
        assert response.status_code == (201 if allowed else 403), response.content
    assert ScoreSheet.objects.filter(member=member).exists() is allowed


# Deleting a sheet needs the role matrix's "delete" (a leader), as the API always asked: a specialist or a
# council member enters sheets but does not delete them. The page deleted them before the rule.
DELETE_SHEET = [
    ("member", False),
    ("other_member", False),
    ("specialist", False),
    ("leader", True),
    ("local_officer", False),
]


@pytest.mark.parametrize(("who", "allowed"), DELETE_SHEET)
@pytest.mark.parametrize("path", ["rule", "page", "api"])
def test_delete_a_score_sheet(client, council, quang_ninh, who, allowed, path):
    user = user_for(who, council, quang_ninh)
    dossier, member = council.dossiers.get(), council.members.order_by("pk").first()
    sheet = services.record_score_sheet(dossier, member, sheet_scores(80))
    if path == "rule":
        assert rules.has_perm(council_rules.DELETE_SHEET, user, member) is allowed
        return
    client.force_login(user)
    if path == "page":
        response = client.post(reverse("councils:scoresheet_delete", args=[dossier.pk, member.pk]))
        assert response.status_code == (302 if allowed else 403)
    else:
        response = client.delete(f"/api/councils/score-sheets/{sheet.pk}/")
        assert response.status_code in ((204,) if allowed else (403, 404))
    assert ScoreSheet.objects.filter(pk=sheet.pk).exists() is not allowed


CONCLUDE = [("member", False), ("other_member", False), ("specialist", True), ("local_officer", False)]


@pytest.mark.parametrize(("who", "allowed"), CONCLUDE)
@pytest.mark.parametrize("path", ["rule", "page", "api"])
def test_conclude_a_council(client, council, quang_ninh, who, allowed, path):
    user = user_for(who, council, quang_ninh)
    dossier = council.dossiers.get()
    score_all(council, {dossier: [80, 82, 84]})
    if path == "rule":
        assert rules.has_perm(council_rules.CONCLUDE_COUNCIL, user, council) is allowed
        return
    client.force_login(user)
    if path == "page":
        response = client.post(
            reverse("councils:council_conclude", args=[council.pk]),
            {"concluded_on": "10/03/2025", f"outcome_{dossier.pk}": "yes"},
        )
        assert response.status_code == (302 if allowed else 403)
    else:
        response = client.post(
            f"/api/councils/councils/{council.pk}/conclude/",
            {"concluded_on": "2025-03-10"},
            content_type="application/json",
        )
        assert response.status_code in ((200,) if allowed else (403, 404))
    concluded_on = Council.objects.get(pk=council.pk).concluded_on
    assert concluded_on == (datetime.date(2025, 3, 10) if allowed else None)


def test_the_service_refuses_a_conclusion_with_the_rules_reason(council):
    from django.core.exceptions import PermissionDenied

    member = make_user("council_member")
    with pytest.raises(PermissionDenied) as refused:
        services.conclude(council, member, datetime.date(2025, 3, 10), "")
    assert str(refused.value) == str(council_rules.REFUSALS[council_rules.CONCLUDE_COUNCIL])
    assert Council.objects.get(pk=council.pk).concluded_on is None


@pytest.mark.parametrize(("who", "allowed"), CONCLUDE)
@pytest.mark.parametrize("path", ["rule", "page"])
def test_upload_the_minutes(client, council, quang_ninh, who, allowed, path):
    """The minutes are uploaded on the council's page only (the API reads `has_minutes`)."""
    user = user_for(who, council, quang_ninh)
    if path == "rule":
        assert rules.has_perm(council_rules.UPLOAD_MINUTES, user, council) is allowed
        return
    client.force_login(user)
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    response = client.post(reverse("councils:council_minutes", args=[council.pk]), {"minutes": pdf})
    assert response.status_code == (302 if allowed else 403)
    assert bool(Council.objects.get(pk=council.pk).minutes) is allowed


def test_the_admin_neither_concludes_by_hand_nor_deletes_a_closed_sheet(admin_client, council):
    """The admin (superusers) asks DELETE_SHEET and the council's closing, and leaves the conclusion to
    `services.conclude`: before, it deleted a concluded council's sheets and took any date typed."""
    dossier = council.dossiers.get()
    score_all(council, {dossier: [80, 82, 84]})
    services.conclude(council, None, datetime.date(2025, 3, 10), "")
    sheet = ScoreSheet.objects.filter(dossier=dossier).first()
    response = admin_client.post(
        reverse("admin:councils_scoresheet_delete", args=[sheet.pk]), {"post": "yes"}
    )
    assert response.status_code == 403 and ScoreSheet.objects.filter(pk=sheet.pk).exists()
    page = admin_client.get(reverse("admin:councils_council_change", args=[council.pk]))
    assert page.status_code == 200 and 'name="concluded_on"' not in page.content.decode()
