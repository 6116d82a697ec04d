"""Every move of an inspection and every refusal (`services.move`, `rules.py`)."""

import datetime

import pytest

from stims.core import rules as core_rules
from stims.inspections import rules, services
from stims.inspections.models import (
    FollowUp,
    InspectionEvent,
    InspectionResult,
    InspectionState,
    Sanction,
    Violation,
)
from stims.testing import make_user, unit

D = datetime.date
S = InspectionState
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def walk(inspection, user, *moves):
    for action, on in moves:
        services.move(inspection, action, user, on=on)


def record_visit(inspection):
    inspection.inspected_on = D(2023, 4, 5)
    inspection.findings = "Cột đo số 2 hết hạn kiểm định"
    inspection.save()


def test_an_inspection_walks_from_planned_to_closed_through_the_follow_up(
    inspection, inspector, pump_violation
):
    walk(inspection, inspector, ("start", D(2023, 4, 5)))
    assert inspection.state == S.IN_PROGRESS
    record_visit(inspection)
    Violation.objects.create(inspection=inspection, violation_type=pump_violation)
    walk(inspection, inspector, ("conclude", D(2023, 4, 12)))
    assert (inspection.state, inspection.result) == (S.CONCLUDED, InspectionResult.VIOLATIONS)
    sanction = Sanction.objects.create(
        inspection=inspection, issued_on=D(2023, 4, 20), fine_vnd=7_500_000, remedies="Kiểm định lại cột đo"
    )
    walk(inspection, inspector, ("follow_up", D(2023, 4, 21)))
    assert inspection.state == S.FOLLOW_UP
    follow_up = FollowUp.objects.create(inspection=inspection, due_on=D(2023, 5, 20))
    with pytest.raises(services.MoveRefused) as refused:
        services.move(inspection, "close", inspector, on=D(2023, 5, 20))
    assert refused.value.reasons == ["A fine is not paid yet.", "A follow-up is not done yet."]
    sanction.paid_on = D(2023, 5, 2)
    sanction.save()
    follow_up.done_on, follow_up.outcome = D(2023, 5, 18), "Đã kiểm định lại"
    follow_up.save()
    walk(inspection, inspector, ("close", D(2023, 5, 20)))
    assert inspection.state == S.CLOSED
    events = list(
        InspectionEvent.objects.filter(inspection=inspection).values_list("action", "from_state", "to_state")
    )
    assert events == [
        ("start", S.PLANNED, S.IN_PROGRESS),
        ("conclude", S.IN_PROGRESS, S.CONCLUDED),
        ("follow_up", S.CONCLUDED, S.FOLLOW_UP),
        ("close", S.FOLLOW_UP, S.CLOSED),
    ]
    assert inspection.history.first().history_user == inspector


def test_an_inspection_without_violations_concludes_compliant_and_closes_at_once(inspection, inspector):
    walk(inspection, inspector, ("start", D(2023, 4, 5)))
    record_visit(inspection)
    walk(inspection, inspector, ("conclude", D(2023, 4, 6)), ("close", D(2023, 4, 7)))
    assert (inspection.state, inspection.result) == (S.CLOSED, InspectionResult.COMPLIANT)


@pytest.mark.parametrize("state", [S.PLANNED, S.IN_PROGRESS])
def test_a_planned_or_running_inspection_is_cancelled_with_a_reason(inspection, inspector, state):
    if state == S.IN_PROGRESS:
        walk(inspection, inspector, ("start", D(2023, 4, 5)))
    with pytest.raises(services.MoveRefused) as refused:
        services.move(inspection, "cancel", inspector, on=D(2023, 4, 6))
    assert refused.value.reasons == ["Give the reason."]
    services.move(inspection, "cancel", inspector, on=D(2023, 4, 6), note="Cơ sở ngừng kinh doanh")
    assert inspection.state == S.CANCELLED
    assert inspection.events.last().note == "Cơ sở ngừng kinh doanh"


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (S.PLANNED, "conclude"),
        (S.PLANNED, "follow_up"),
        (S.PLANNED, "close"),
        (S.IN_PROGRESS, "start"),
        (S.IN_PROGRESS, "close"),
        (S.CONCLUDED, "cancel"),
        (S.FOLLOW_UP, "start"),
        (S.CLOSED, "cancel"),
        (S.CANCELLED, "start"),
    ],
)
def test_a_move_from_the_wrong_state_is_refused_and_changes_nothing(inspection, inspector, state, action):
    type(inspection).objects.filter(pk=inspection.pk).update(state=state)
    inspection.refresh_from_db()
    with pytest.raises(services.MoveRefused) as refused:
        services.move(inspection, action, inspector, on=D(2023, 4, 10), note="x")
    assert "cannot take the step" in refused.value.reasons[0]
    inspection.refresh_from_db()
    assert inspection.state == state and not inspection.events.exists()


def test_concluding_needs_the_day_of_the_visit_and_the_findings(inspection, inspector):
    walk(inspection, inspector, ("start", D(2023, 4, 5)))
    with pytest.raises(services.MoveRefused) as refused:
        services.move(inspection, "conclude", inspector, on=D(2023, 4, 6))
    assert refused.value.reasons == [
        "Record the day the establishment was inspected first.",
        "Record the findings first.",
    ]
    assert inspection.state == S.IN_PROGRESS


def test_the_follow_up_needs_remedies_or_a_follow_up_planned(inspection, inspector):
    walk(inspection, inspector, ("start", D(2023, 4, 5)))
    record_visit(inspection)
    walk(inspection, inspector, ("conclude", D(2023, 4, 6)))
    with pytest.raises(services.MoveRefused) as refused:
        services.move(inspection, "follow_up", inspector, on=D(2023, 4, 7))
    assert refused.value.reasons == ["Record the remedies demanded (a sanction) or plan a follow-up first."]


@pytest.mark.parametrize(
    ("on", "reason"),
    [
        (None, "Give the date."),
        (D(2999, 1, 1), "The date cannot be after today"),
        (D(2023, 2, 1), "The date cannot be before the decision was signed (01/03/2023)."),
    ],
)
def test_a_move_is_dated_honestly(inspection, inspector, on, reason):
    with pytest.raises(services.MoveRefused) as refused:
        services.move(inspection, "start", inspector, on=on)
    assert refused.value.reasons[0].startswith(reason)


def test_a_move_cannot_be_dated_before_the_previous_one(inspection, inspector):
    walk(inspection, inspector, ("start", D(2023, 4, 5)))
    with pytest.raises(services.MoveRefused) as refused:
        services.move(inspection, "cancel", inspector, on=D(2023, 4, 4), note="x")
    assert refused.value.reasons == ["The date cannot be before the previous move (05/04/2023)."]


# --- Who moves an inspection ----------------------------------------------------------------------------


def test_a_member_of_the_team_moves_but_only_the_head_or_a_leader_closes_or_cancels(
    inspection, inspector, other_inspector, leader
):
    assert not services.allowed(other_inspector, inspection, "start")
    inspection.team.add(other_inspector)
    assert services.allowed(other_inspector, inspection, "start")
    assert not services.allowed(other_inspector, inspection, "cancel")
    assert services.allowed(inspector, inspection, "cancel")
    assert services.allowed(leader, inspection, "cancel")
    with pytest.raises(services.MoveRefused) as refused:
        services.move(inspection, "cancel", other_inspector, on=D(2023, 4, 5), note="x")
    assert refused.value.reasons == [core_rules.refusal(rules.CLOSE_INSPECTION)]


@pytest.mark.parametrize("role", ["specialist", "viewer", "council_member", None])
def test_no_one_else_moves_an_inspection(inspection, role):
    user = make_user(role)
    inspection.team.add(user)  # even named on the team
    assert services.offered_moves(user, inspection) == []
    with pytest.raises(services.MoveRefused) as refused:
        services.move(inspection, "start", user, on=D(2023, 4, 5))
    assert refused.value.reasons == [core_rules.refusal(rules.MOVE_INSPECTION)]
    assert not inspection.events.exists()


def test_a_local_officer_cannot_move_even_an_inspection_of_their_district(inspection, mai_son):
    officer = make_user("local_officer", admin_unit=mai_son)
    assert not core_rules.has(rules.MOVE_INSPECTION, officer, inspection)
    assert not core_rules.has(rules.CLOSE_INSPECTION, officer, inspection)


def test_an_inspector_limited_to_another_province_does_not_move_this_one(inspection):
    outsider = make_user("inspector", admin_unit=unit("Huyện Ba Chẽ", legacy=True))
    inspection.lead_inspector = outsider
    inspection.save()
    assert not services.allowed(outsider, inspection, "start")


def test_a_closed_inspection_and_its_records_are_not_changed_any_more(inspection, inspector):
    assert services.record_problems(inspection) == []
    services.move(inspection, "cancel", inspector, on=D(2023, 4, 5), note="Cơ sở ngừng kinh doanh")
    assert services.record_problems(inspection) == [
        "A closed or cancelled inspection is not changed any more."
    ]
