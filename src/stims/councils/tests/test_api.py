"""The councils API: the same rows, rules and refusals as the pages."""

import pytest

from stims.core.tests.versions import if_match
from stims.councils.models import Council, CouncilDossier, CouncilMember, Criterion, ScoreSheet
from stims.testing import make_user

from .conftest import score_all

pytestmark = pytest.mark.django_db


def scores_payload(criteria_set, values: dict) -> list:
    criteria = {c.code: c.pk for c in criteria_set.criteria.all()}
    return [{"criterion": criteria[code], "score": str(value)} for code, value in values.items()]


FULL = {"1": 14, "2": 27, "3": 22, "4": 13, "5": 12}  # 88


def test_a_specialist_records_a_sheet_and_reads_the_computed_total(
    client, specialist, make_council, make_task, selection_set
):
    client.force_login(specialist)
    council = make_council(tasks=[make_task()])
    dossier, member = council.dossiers.get(), council.members.first()
    payload = {
        "dossier": dossier.pk,
        "member": member.pk,
        "scores": scores_payload(selection_set, FULL),
        "total": "1",
    }
    created = client.post("/api/councils/score-sheets/", payload, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["total"] == "88.00"
    changed = client.patch(
        f"/api/councils/score-sheets/{created.json()['id']}/",
        {"scores": scores_payload(selection_set, {**FULL, "2": 30})},
        content_type="application/json",
        **if_match(ScoreSheet.objects.get()),
    )
    assert changed.status_code == 200 and changed.json()["total"] == "91.00"
    assert ScoreSheet.objects.get().total == 91


def test_the_api_refuses_bad_sheets_like_the_page(client, specialist, make_council, make_task, selection_set):
    client.force_login(specialist)
    council = make_council(tasks=[make_task()])
    dossier, member = council.dossiers.get(), council.members.first()
    over = client.post(
        "/api/councils/score-sheets/",
        {
            "dossier": dossier.pk,
            "member": member.pk,
            "scores": scores_payload(selection_set, {**FULL, "1": 20}),
        },
        content_type="application/json",
    )
    assert over.status_code == 400
    partial = client.post(
        "/api/councils/score-sheets/",
        {"dossier": dossier.pk, "member": member.pk, "scores": scores_payload(selection_set, {"1": 10})},
        content_type="application/json",
    )
    assert partial.status_code == 400
    CouncilMember.objects.filter(pk=member.pk).update(has_conflict=True, conflict_note="Người thân")
    conflicted = client.post(
        "/api/councils/score-sheets/",
        {"dossier": dossier.pk, "member": member.pk, "scores": scores_payload(selection_set, FULL)},
        content_type="application/json",
    )
    assert conflicted.status_code == 400 and "member" in conflicted.json()["errors"]
    assert not ScoreSheet.objects.exists()


def test_a_council_member_writes_only_their_own_sheets_through_the_api(
    client, make_council, make_task, selection_set
):
    council = make_council(tasks=[make_task()])
    dossier = council.dossiers.get()
    mine, theirs = council.members.order_by("pk")[:2]
    expert = make_user("council_member")
    CouncilMember.objects.filter(pk=mine.pk).update(user=expert)
    client.force_login(expert)
    refused = client.post(
        "/api/councils/score-sheets/",
        {"dossier": dossier.pk, "member": theirs.pk, "scores": scores_payload(selection_set, FULL)},
        content_type="application/json",
    )
    assert refused.status_code == 403
    accepted = client.post(
        "/api/councils/score-sheets/",
        {"dossier": dossier.pk, "member": mine.pk, "scores": scores_payload(selection_set, FULL)},
        content_type="application/json",
    )
    assert accepted.status_code == 201
    assert (
        client.post(
            "/api/councils/councils/", {"kind": "selection", "name": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
    assert [s.member_id for s in ScoreSheet.objects.all()] == [mine.pk]


def test_results_and_conclusion_through_the_api(client, specialist, make_council, make_task):
    client.force_login(specialist)
    council = make_council(members=3, tasks=[make_task(), make_task()])
    good, weak = council.dossiers.order_by("pk")
    score_all(council, {good: [80, 82, 50], weak: [60, 61, 62]})
    results = client.get(f"/api/councils/councils/{council.pk}/results/").json()
    assert [
        (r["dossier"], r["rank"], r["average"], len(r["flagged_sheets"]), r["meets_pass_mark"])
        for r in results
    ] == [(good.pk, 1, "81.00", 1, True), (weak.pk, 2, "61.00", 0, False)]
    url = f"/api/councils/councils/{council.pk}/conclude/"
    refused = client.post(
        url,
        {"concluded_on": "2025-03-10", "outcomes": [{"dossier": weak.pk, "passed": True}]},
        content_type="application/json",
    )
    assert refused.status_code == 400 and Council.objects.get().concluded_on is None
    done = client.post(
        url, {"concluded_on": "2025-03-10", "conclusion": "Chọn 1/2"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["concluded_on"] == "2025-03-10"
    assert list(council.dossiers.order_by("pk").values_list("passed", flat=True)) == [True, False]
    # The conclusion is read-only in the council itself, and closed sheets stay closed.
    client.patch(
        f"/api/councils/councils/{council.pk}/",
        {"concluded_on": None, "conclusion": "x"},
        content_type="application/json",
        **if_match(council),
    )
    assert Council.objects.get().concluded_on is not None
    sheet = ScoreSheet.objects.filter(dossier=good).first()
    assert client.delete(f"/api/councils/score-sheets/{sheet.pk}/").status_code in (400, 403)
    assert ScoreSheet.objects.filter(pk=sheet.pk).exists()


def test_model_rules_apply_to_councils_dossiers_and_criteria(
    client, specialist, make_council, make_task, acceptance_set, selection_set
):
    client.force_login(specialist)
    mismatched = client.post(
        "/api/councils/councils/",
        {"kind": "selection", "name": "Hội đồng", "criteria_set": acceptance_set.pk},
        content_type="application/json",
    )
    assert mismatched.status_code == 400 and "criteria_set" in mismatched.json()["errors"]
    council = make_council(members=1, tasks=[make_task()])
    twice = client.post(
        "/api/councils/dossiers/",
        {"council": council.pk, "task": council.dossiers.get().task_id},
        content_type="application/json",
    )
    assert twice.status_code == 400
    passed_set = client.patch(
        f"/api/councils/dossiers/{council.dossiers.get().pk}/",
        {"passed": True},
        content_type="application/json",
        **if_match(council.dossiers.get()),
    )
    assert passed_set.status_code == 200 and CouncilDossier.objects.get().passed is None
    score_all(council, {council.dossiers.get(): [80]})
    added = client.post(
        "/api/councils/criteria/",
        {"criteria_set": selection_set.pk, "code": "6", "name": "Khác", "max_score": "5"},
        content_type="application/json",
    )
    assert added.status_code == 400 and not Criterion.objects.filter(code="6").exists()
    kind = client.patch(
        f"/api/councils/councils/{council.pk}/",
        {"kind": "appraisal", "criteria_set": None},
        content_type="application/json",
        **if_match(council),
    )
    assert kind.status_code == 400 and Council.objects.get(pk=council.pk).kind == "selection"


def test_a_local_officer_reads_no_council_and_everyone_reads_the_rating_scale(
    client, make_council, quang_ninh
):
    make_council()
    client.force_login(make_user("local_officer", admin_unit=quang_ninh))
    assert client.get("/api/councils/councils/").status_code == 403
    assert client.get("/api/councils/score-sheets/").status_code == 403
    assert [r["code"] for r in client.get("/api/councils/ratings/").json()["results"]] == [
        "xuat-sac",
        "dat",
        "khong-dat",
    ]
    client.force_login(make_user("viewer"))
    assert client.get("/api/councils/councils/").json()["count"] == 1
    assert client.get("/api/councils/criteria-sets/").json()["count"] == 2
    assert (
        client.post(
            "/api/councils/councils/", {"kind": "selection", "name": "x"}, content_type="application/json"
        ).status_code
        == 403
    )
