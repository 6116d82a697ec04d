"""Initiatives in the browser's pages and the API: scope, refusals, the moves, the report and its export."""

import csv
import io

import pytest
from django.urls import reverse

from stims.initiatives import services
from stims.initiatives.models import Initiative, InitiativeState, ScoreSheet

from .conftest import make_initiative

pytestmark = pytest.mark.django_db
S = InitiativeState


def signed_in(client, user):
    client.force_login(user)
    return client


def test_a_local_officer_submits_an_initiative_of_their_agency_and_names_its_authors(
    client, ba_che_officer, committee, other_committee
):
    signed_in(client, ba_che_officer)
    form = {
        "title": "Sổ tay điện tử ghi nhãn hàng hoá",
        "agency": committee.pk,
        "field": "Tiêu chuẩn, đo lường, chất lượng",
        "submitted_on": "02/10/2023",
        "first_applied_on": "01/06/2023",
        "description": "Mô tả",
        "benefits": "Lợi ích",
    }
    response = client.post(reverse("initiatives:initiative_add"), form)
    assert response.status_code == 302
    initiative = Initiative.objects.get(title=form["title"])
    assert initiative.state == S.SUBMITTED and initiative.history.first().history_user == ba_che_officer
    response = client.post(
        reverse("initiatives:initiativeauthor_add") + f"?initiative={initiative.pk}",
        {
            "initiative": initiative.pk,
            "name": "Đặng Thị Thuý",
            "position": "Chuyên viên",
            "contribution": 100,
        },
    )
    assert response.status_code == 302 and initiative.authors.get().contribution == 100
    # Another locality's agency is not offered, and a date first applied after submission is refused.
    other = client.post(
        reverse("initiatives:initiative_add"), {**form, "title": "X", "agency": other_committee.pk}
    )
    assert other.status_code == 200 and "agency" in other.context["form"].errors
    late = client.post(
        reverse("initiatives:initiative_add"), {**form, "title": "Y", "first_applied_on": "03/10/2023"}
    )
    assert late.context["form"].errors["first_applied_on"] == [
        "An initiative cannot be first applied after it was submitted."
    ]
    assert not Initiative.objects.filter(title__in=["X", "Y"]).exists()


def test_a_local_officer_sees_only_their_localitys_initiatives_and_cannot_move_them(
    client, ba_che_officer, committee, other_committee, council_round
):
    own, other = make_initiative(committee, "Của Ba Chẽ"), make_initiative(other_committee, "Của Bình Liêu")
    signed_in(client, ba_che_officer)
    listed = client.get(reverse("initiatives:initiative_list"))
    assert [i.pk for i in listed.context["table"].data] == [own.pk]
    assert client.get(reverse("initiatives:initiative_detail", args=[other.pk])).status_code == 404
    page = client.get(reverse("initiatives:initiative_detail", args=[own.pk]))
    assert page.status_code == 200 and page.context["moves"] == []
    move = reverse("initiatives:initiative_move", args=[own.pk, "start_review"])
    assert client.post(move, {"round": council_round.pk}).status_code == 403
    assert (
        client.post(reverse("initiatives:initiative_move", args=[other.pk, "start_review"])).status_code
        == 404
    )
    own.refresh_from_db()
    assert own.state == S.SUBMITTED
    # The API: the same rows, the same refusals.
    api = client.get(reverse("api:initiative-list"))
    assert [row["id"] for row in api.json()["results"]] == [own.pk]
    assert client.get(reverse("api:initiative-detail", args=[other.pk])).status_code == 404
    refused = client.post(
        reverse("api:initiative-move", args=[own.pk]),
        {"move": "start_review", "round": council_round.pk},
        content_type="application/json",
    )
    assert refused.status_code == 403
    created = client.post(
        reverse("api:initiative-list"),
        {
            "title": "Qua API",
            "agency": other_committee.pk,
            "field": "X",
            "submitted_on": "2023-10-02",
            "description": "M",
            "benefits": "L",
        },
        content_type="application/json",
    )
    assert created.status_code == 400 and not Initiative.objects.filter(title="Qua API").exists()


def test_the_state_and_decision_are_not_written_by_a_plain_api_save(client, specialist, initiative):
    from stims.core.tests.versions import if_match

    signed_in(client, specialist)
    response = client.patch(
        reverse("api:initiative-detail", args=[initiative.pk]),
        {"state": "recognised", "decision_number": "1", "title": "Tên mới"},
        content_type="application/json",
        **if_match(initiative),
    )
    assert response.status_code == 200
    initiative.refresh_from_db()
    assert (initiative.state, initiative.decision_number, initiative.title) == (S.SUBMITTED, "", "Tên mới")


def test_the_department_moves_an_initiative_through_the_pages_and_shows_the_reasons_of_a_refusal(
    client, specialist, leader, member_user, initiative, council_round
):
    signed_in(client, specialist)
    detail = reverse("initiatives:initiative_detail", args=[initiative.pk])
    assert client.get(detail).context["moves"] == ["start_review"]
    missing = client.post(reverse("initiatives:initiative_move", args=[initiative.pk, "start_review"]), {})
    assert missing.status_code == 400
    assert "Choose the council round that reviews it." in missing.content.decode()
    ok = client.post(
        reverse("initiatives:initiative_move", args=[initiative.pk, "start_review"]),
        {"round": council_round.pk},
    )
    assert ok.status_code == 302
    own, other = council_round.members.order_by("pk")
    # The council member scores their own sheet on the page; the secretariat enters the other one.
    signed_in(client, member_user)
    page = client.get(detail)
    assert list(page.context["sheet_form"].fields["member"].queryset) == [own]
    score = reverse("initiatives:initiative_score", args=[initiative.pk])
    assert (
        client.post(score, {"member": other.pk, "novelty": 1, "applicability": 1, "benefit": 1}).status_code
        == 400
    )
    assert (
        client.post(score, {"member": own.pk, "novelty": 26, "applicability": 27, "benefit": 35}).status_code
        == 302
    )
    signed_in(client, specialist)
    assert (
        client.post(
            score, {"member": other.pk, "novelty": 25, "applicability": 26, "benefit": 34}
        ).status_code
        == 302
    )
    assert (
        client.post(reverse("initiatives:initiative_move", args=[initiative.pk, "close_scoring"])).status_code
        == 302
    )
    # Only the leader decides.
    recognise = reverse("initiatives:initiative_move", args=[initiative.pk, "recognise"])
    values = {
        "decision_number": "2011/QĐ-UBND",
        "decision_date": "15/12/2023",
        "effect_scope": "locality",
        "reward": "2.500.000",
    }
    assert client.post(recognise, values).status_code == 403
    signed_in(client, leader)
    assert client.post(recognise, {**values, "decision_date": "15/12/2099"}).status_code == 400
    assert client.post(recognise, values).status_code == 302
    initiative.refresh_from_db()
    assert (initiative.state, initiative.reward, initiative.effect_scope) == (
        S.RECOGNISED,
        2_500_000,
        "locality",
    )
    shown = client.get(detail).content.decode()
    assert "2011/QĐ-UBND" in shown and "15/12/2023" in shown and "2.500.000" in shown


def test_a_council_member_enters_their_sheet_through_the_api_and_no_one_elses(
    client, specialist, member_user, initiative, council_round, ba_che_officer
):
    services.move(initiative, "start_review", specialist, round=council_round)
    own, other = council_round.members.order_by("pk")
    enter = reverse("api:initiativesheet-enter")
    values = {"initiative": initiative.pk, "novelty": 20, "applicability": 20, "benefit": 30}
    signed_in(client, member_user)
    assert (
        client.post(enter, {**values, "member": other.pk}, content_type="application/json").status_code == 403
    )
    assert (
        client.post(enter, {**values, "member": own.pk}, content_type="application/json").status_code == 200
    )
    assert (
        client.post(
            enter, {**values, "member": own.pk, "benefit": 41}, content_type="application/json"
        ).status_code
        == 400
    )
    assert ScoreSheet.objects.get(member=own).benefit == 30
    signed_in(client, ba_che_officer)  # reads the sheets, enters none
    assert (
        client.post(enter, {**values, "member": own.pk}, content_type="application/json").status_code == 403
    )


def test_the_report_counts_per_agency_and_year_and_exports_the_same_figures(
    client, specialist, leader, committee, other_committee, council_round, ba_che_officer
):
    first = make_initiative(committee, "Một")
    make_initiative(other_committee, "Hai")
    services.move(first, "start_review", specialist, round=council_round)
    for member in council_round.members.all():
        services.record_sheet(first, member, specialist, novelty=25, applicability=25, benefit=30)
    services.move(first, "close_scoring", specialist)
    services.move(
        first,
        "recognise",
        leader,
        decision_number="1",
        decision_date=first.submitted_on,
        effect_scope="unit",
        reward=1_000_000,
    )
    signed_in(client, specialist)
    page = client.get(reverse("initiatives:report"), {"year": 2023})
    assert [(r.agency, r.submitted, r.recognised) for r in page.context["rows"]] == [
        ("UBND huyện Ba Chẽ", 1, 1),
        ("UBND huyện Bình Liêu", 1, 0),
    ]
    assert f"agency={committee.pk}" in page.content.decode()
    exported = client.get(reverse("initiatives:report"), {"year": 2023, "_export": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[1:] == [
        ["2023", "UBND huyện Ba Chẽ", "1", "1", "0", "1000000"],
        ["2023", "UBND huyện Bình Liêu", "1", "0", "0", "0"],
    ]
    # A local officer's report counts only their locality's initiatives.
    signed_in(client, ba_che_officer)
    assert [r.agency for r in client.get(reverse("initiatives:report")).context["rows"]] == [
        "UBND huyện Ba Chẽ"
    ]


def test_the_application_and_its_authors_are_frozen_once_before_the_council(
    client, ba_che_officer, specialist, initiative, council_round
):
    from stims.core.tests.versions import if_match, versioned

    services.move(initiative, "start_review", specialist, round=council_round)
    signed_in(client, ba_che_officer)
    edit = client.post(
        reverse("initiatives:initiative_edit", args=[initiative.pk]),
        versioned(
            initiative,
            {
                "title": "Tên khác",
                "agency": initiative.agency_id,
                "field": initiative.field,
                "submitted_on": "05/09/2023",
                "description": "M",
                "benefits": "L",
            },
        ),
    )
    assert edit.status_code == 200
    assert "The application can be changed only until it is put before the council." in edit.content.decode()
    author = initiative.authors.first()
    api = client.patch(
        reverse("api:initiativeauthor-detail", args=[author.pk]),
        {"contribution": 50},
        content_type="application/json",
        **if_match(author),
    )
    assert api.status_code == 400
    added = client.post(
        reverse("initiatives:initiativeauthor_add"),
        {"initiative": initiative.pk, "name": "Thêm", "contribution": 5},
    )
    assert added.status_code == 200
    initiative.refresh_from_db()
    assert initiative.title == "Số hoá bộ phận một cửa" and initiative.authors.count() == 2


def test_a_local_officer_cannot_file_an_iso_record_or_initiative_for_another_locality_through_the_api(
    client, ba_che_officer, other_committee
):
    signed_in(client, ba_che_officer)
    response = client.post(
        reverse("api:isorecord-list"),
        {"agency": other_committee.pk, "year": 2023, "status": "applying", "scope": "TTHC"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "agency" in response.json()["errors"]


def test_the_initiative_list_takes_the_same_queries_for_one_row_or_many(client, specialist, committee):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signed_in(client, specialist)
    make_initiative(committee, "Một")
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("initiatives:initiative_list")).status_code == 200
    for n in range(10):
        make_initiative(committee, f"Thêm {n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("initiatives:initiative_list")).status_code == 200
    assert len(many) == len(one)
