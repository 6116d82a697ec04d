"""The initiative's state machine: every move, and every refusal leaving the record as it was."""

import datetime

import pytest

from stims.core.transitions import Refused
from stims.initiatives import services
from stims.initiatives.models import InitiativeAuthor, InitiativeState, ScoreSheet
from stims.testing import make_user

from .conftest import make_initiative

pytestmark = pytest.mark.django_db
S = InitiativeState
DAY = datetime.date(2023, 12, 15)


def scored(initiative, council_round, staff, scores=((25, 27, 33), (26, 26, 34))):
    services.move(initiative, "start_review", staff, round=council_round)
    for member, (n, a, b) in zip(council_round.members.order_by("pk"), scores, strict=True):
        services.record_sheet(initiative, member, staff, novelty=n, applicability=a, benefit=b)
    services.move(initiative, "close_scoring", staff)
    return initiative


def reasons_of(call) -> list[str]:
    with pytest.raises(Refused) as refused:
        call()
    return refused.value.reasons


def test_an_initiative_goes_from_application_to_recognition(initiative, council_round, specialist, leader):
    scored(initiative, council_round, specialist)
    assert initiative.state == S.SCORED
    assert services.average_score(initiative) == 85.5
    services.move(
        initiative,
        "recognise",
        leader,
        decision_number="2011/QĐ-UBND",
        decision_date=DAY,
        effect_scope="locality",
        reward=2_500_000,
    )
    assert initiative.state == S.RECOGNISED
    assert (
        initiative.decision_number,
        initiative.decision_date,
        initiative.effect_scope,
        initiative.reward,
    ) == (
        "2011/QĐ-UBND",
        DAY,
        "locality",
        2_500_000,
    )
    last = initiative.history.first()
    assert last.history_user == leader and last.history_change_reason == "Recognised"


def test_a_scored_initiative_may_be_refused_recognition_with_a_reason(
    initiative, council_round, specialist, leader
):
    scored(initiative, council_round, specialist)
    services.move(
        initiative, "reject", leader, decision_number="12/QĐ", decision_date=DAY, note="Chưa có tính mới"
    )
    assert initiative.state == S.NOT_RECOGNISED and initiative.decision_note == "Chưa có tính mới"


def test_review_needs_a_round_with_members_and_authors_sharing_100_percent(
    committee, council_round, specialist
):
    initiative = make_initiative(committee, shares=(60, 30))
    assert reasons_of(lambda: services.move(initiative, "start_review", specialist)) == [
        "Choose the council round that reviews it.",
        "The authors' shares of contribution add up to 90 %, not 100 %.",
    ]
    InitiativeAuthor.objects.filter(initiative=initiative).delete()
    council_round.members.all().delete()
    assert reasons_of(lambda: services.move(initiative, "start_review", specialist, round=council_round)) == [
        "The council round has no members yet.",
        "Name the initiative's authors first.",
    ]
    initiative.refresh_from_db()
    assert initiative.state == S.SUBMITTED and initiative.round is None


def test_scoring_closes_only_when_every_member_has_a_sheet(initiative, council_round, specialist):
    services.move(initiative, "start_review", specialist, round=council_round)
    first = council_round.members.order_by("pk").first()
    services.record_sheet(initiative, first, specialist, novelty=20, applicability=20, benefit=30)
    assert reasons_of(lambda: services.move(initiative, "close_scoring", specialist)) == [
        "Score sheets still missing from: Ma Thị Hồng."
    ]
    assert initiative.state == S.UNDER_REVIEW


def test_recognition_is_refused_below_the_pass_mark_and_without_the_decision(
    initiative, council_round, specialist, leader
):
    scored(initiative, council_round, specialist, scores=((15, 15, 20), (20, 20, 20)))
    with pytest.raises(Refused) as refused:
        services.move(initiative, "recognise", leader, decision_date=datetime.date(2023, 1, 1), reward=-1)
    errors = refused.value.message_dict
    assert errors["decision_number"] == ["Give the decision's number."]
    assert errors["decision_date"] == ["The decision cannot be dated before the application."]
    assert errors["effect_scope"] == ["Choose the scope of effect."]
    assert errors["reward"] == ["The reward cannot be negative."]
    assert errors["__all__"] == ["Its average score 55.0 is below the council's pass mark 70."]
    initiative.refresh_from_db()
    assert initiative.state == S.SCORED and initiative.decision_number == ""


def test_a_refusal_without_a_reason_and_a_move_from_the_wrong_state(
    initiative, council_round, specialist, leader
):
    scored(initiative, council_round, specialist)
    with pytest.raises(Refused) as refused:
        services.move(initiative, "reject", leader, decision_number="1", decision_date=DAY)
    assert refused.value.message_dict == {"note": ["Give the reason it is not recognised."]}
    assert reasons_of(lambda: services.move(initiative, "close_scoring", specialist)) == [
        "This initiative is “Scored”; that move is made from “Under review”."
    ]


def test_each_move_asks_its_rule(initiative, council_round, specialist, leader, ba_che_officer, member_user):
    assert reasons_of(
        lambda: services.move(initiative, "start_review", ba_che_officer, round=council_round)
    ) == ["Only the department's staff put an initiative before the council and close its scoring."]
    scored(initiative, council_round, specialist)
    assert reasons_of(
        lambda: services.move(
            initiative, "recognise", specialist, decision_number="1", decision_date=DAY, effect_scope="unit"
        )
    ) == ["Only a department leader decides whether an initiative is recognised."]
    assert initiative.state == S.SCORED


def test_a_council_member_enters_only_their_own_sheet_and_only_under_review(
    initiative, council_round, specialist, member_user
):
    own, other = council_round.members.order_by("pk")
    scores = {"novelty": 20, "applicability": 25, "benefit": 30}
    assert reasons_of(lambda: services.record_sheet(initiative, own, member_user, **scores)) == [
        "Score sheets are entered while the council reviews the initiative."
    ]
    services.move(initiative, "start_review", specialist, round=council_round)
    sheet = services.record_sheet(initiative, own, member_user, **scores)
    assert sheet.total == 75 and sheet.history.first().history_user == member_user
    assert reasons_of(lambda: services.record_sheet(initiative, other, member_user, **scores)) == [
        "Only the council member themself, or the department's staff, enter a member's score sheet."
    ]
    with pytest.raises(Refused) as refused:
        services.record_sheet(initiative, own, member_user, novelty=31, applicability=25, benefit=30)
    assert refused.value.message_dict == {"novelty": ["Give a score from 0 to 30."]}
    assert ScoreSheet.objects.get(pk=sheet.pk).novelty == 20
    stranger = make_user("council_member")
    assert reasons_of(lambda: services.record_sheet(initiative, own, stranger, **scores))


def test_the_report_counts_recognised_initiatives_by_agency_and_year(
    committee, other_committee, council_round, specialist, leader
):
    from stims.initiatives.models import Initiative

    first = make_initiative(committee, "Một")
    make_initiative(committee, "Hai")
    make_initiative(other_committee, "Ba")
    scored(first, council_round, specialist)
    services.move(
        first,
        "recognise",
        leader,
        decision_number="1",
        decision_date=DAY,
        effect_scope="unit",
        reward=1_000_000,
    )
    rows = services.recognised_by_agency(Initiative.objects.all())
    assert [(r.agency, r.year, r.submitted, r.recognised, r.reward) for r in rows] == [
        ("UBND huyện Ba Chẽ", 2023, 2, 1, 1_000_000),
        ("UBND huyện Bình Liêu", 2023, 1, 0, 0),
    ]
    assert services.recognised_by_agency(Initiative.objects.all(), 2022) == []


def test_a_council_reviews_only_initiatives_of_the_units_it_covers(
    other_committee, council_round, specialist
):
    initiative = make_initiative(other_committee, shares=(100,))
    assert reasons_of(lambda: services.move(initiative, "start_review", specialist, round=council_round)) == [
        "The council of Huyện Ba Chẽ does not review initiatives of UBND huyện Bình Liêu."
    ]
    initiative.refresh_from_db()
    assert initiative.state == S.SUBMITTED


def test_closing_and_deciding_refuse_the_wrong_people_the_wrong_state_and_an_unknown_move(
    initiative, council_round, specialist, leader, ba_che_officer, member_user
):
    services.move(initiative, "start_review", specialist, round=council_round)
    assert reasons_of(lambda: services.move(initiative, "close_scoring", member_user)) == [
        "Only the department's staff put an initiative before the council and close its scoring."
    ]
    assert reasons_of(
        lambda: services.move(initiative, "reject", leader, decision_number="1", decision_date=DAY, note="x")
    ) == ["This initiative is “Under review”; that move is made from “Scored”."]
    assert reasons_of(lambda: services.move(initiative, "start_review", specialist, round=council_round)) == [
        "This initiative is “Under review”; that move is made from “Submitted”."
    ]
    assert reasons_of(lambda: services.move(initiative, "approve", leader)) == ["There is no such move."]
    assert services.available_moves(initiative, specialist) == ["close_scoring"]
    assert services.available_moves(initiative, leader) == ["close_scoring"]
    assert services.available_moves(initiative, ba_che_officer) == []
    initiative.refresh_from_db()
    assert initiative.state == S.UNDER_REVIEW and initiative.history.count() == 2
