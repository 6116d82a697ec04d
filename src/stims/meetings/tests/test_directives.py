"""Every directive move and every refusal, through `services.move`.

Lead-unit moves (start, report) are made by an officer of the lead unit; the assigner's moves (accept,
return, extend, cancel) by the specialist who assigned the directive.
"""

import datetime

import pytest

from stims.meetings import services
from stims.meetings.models import DirectiveEvent, DirectiveReport, DirectiveState, Recurrence
from stims.testing import make_user

S = DirectiveState
D = datetime.date
TODAY = D(2026, 5, 4)

pytestmark = pytest.mark.usefixtures("english")

ALL_STATES = [S.ASSIGNED, S.IN_PROGRESS, S.REPORTED, S.ACCEPTED, S.RETURNED, S.CANCELLED]
VALID = [(action, state) for action, (sources, _target, _who) in services.MOVES.items() for state in sources]
INVALID = [
    (action, state)
    for action, (sources, _t, _w) in services.MOVES.items()
    for state in ALL_STATES
    if state not in sources
]
# Complete inputs for each action, so only the state (or the user) can be the reason for a refusal.
INPUTS = {
    "start": {},
    "report": {"text": "Đã xây dựng mô hình phục tráng 5 ha lúa Bao Thai tại xã Phú Tiến"},
    "accept": {"note": "Đạt yêu cầu"},
    "return": {"note": "Thiếu số liệu năng suất"},
    "extend": {"note": "Chờ vụ mùa", "new_deadline": D(2026, 12, 31)},
    "cancel": {"note": "UBND tỉnh đã giao cho đơn vị khác"},
}


@pytest.fixture
def in_state(make_directive, lead_officer):
    """A directive in a given state; a reported one has the lead unit's pending report."""

    def make(state, **fields):
        directive = make_directive(state=state, **fields)
        if state == S.REPORTED:
            DirectiveReport.objects.create(
                directive=directive,
                reported_on=D(2026, 4, 20),
                text="Đã hoàn thành mô hình",
                reported_by=lead_officer,
            )
        return directive

    return make


def actor_for(action, lead_officer, specialist):
    return lead_officer if services.MOVES[action][2] == "lead" else specialist


def snapshot(directive):
    directive.refresh_from_db()
    return (
        directive.state,
        directive.deadline,
        directive.done_on,
        directive.events.count(),
        sorted(directive.reports.values_list("pk", "verdict")),
    )


@pytest.mark.parametrize(("action", "state"), VALID)
def test_each_move_succeeds_from_each_state_it_starts_from(action, state, in_state, lead_officer, specialist):
    directive = in_state(state)
    event = services.move(
        directive, action, actor_for(action, lead_officer, specialist), on=TODAY, **INPUTS[action]
    )
    target = services.MOVES[action][1] or state
    directive.refresh_from_db()
    assert directive.state == target
    assert (event.action, event.from_state, event.to_state, event.happened_on) == (
        action,
        state,
        target,
        TODAY,
    )
    assert list(directive.events.values_list("action", flat=True)) == [action]
    assert event.note == INPUTS[action].get("note", "")
    if action == "report":
        report = directive.reports.get()
        assert (report.text, report.verdict, report.reported_on, report.reported_by) == (
            INPUTS["report"]["text"],
            DirectiveReport.Verdict.PENDING,
            TODAY,
            lead_officer,
        )
        assert event.report == report
    if action in ("accept", "return"):
        report = directive.reports.get()
        verdict = DirectiveReport.Verdict.ACCEPTED if action == "accept" else DirectiveReport.Verdict.RETURNED
        assert (report.verdict, report.reviewed_by, report.reviewed_on, report.review_note) == (
            verdict,
            specialist,
            TODAY,
            INPUTS[action]["note"],
        )
        assert event.report == report
    assert directive.done_on == (D(2026, 4, 20) if action == "accept" else None)
    if action == "extend":
        assert directive.deadline == D(2026, 12, 31)
        assert directive.original_deadline == D(2026, 6, 30)
        assert (event.previous_deadline, event.new_deadline) == (D(2026, 6, 30), D(2026, 12, 31))
    else:
        assert directive.deadline == D(2026, 6, 30)


@pytest.mark.parametrize(("action", "state"), INVALID)
def test_each_move_is_refused_from_every_other_state_and_changes_nothing(
    action, state, in_state, lead_officer, specialist
):
    directive = in_state(state)
    before = snapshot(directive)
    with pytest.raises(services.MoveRefused) as refused:
        services.move(
            directive, action, actor_for(action, lead_officer, specialist), on=TODAY, **INPUTS[action]
        )
    assert refused.value.messages == [
        f"A directive that is “{directive.get_state_display()}” cannot be {services.ACTION_LABELS[action]}."
    ]
    assert snapshot(directive) == before
    assert action not in services.available_actions(actor_for(action, lead_officer, specialist), directive)


def test_accepting_an_annual_directive_starts_next_years_cycle(in_state, specialist):
    directive = in_state(S.REPORTED, recurrence=Recurrence.ANNUALLY, deadline=D(2026, 12, 15))
    services.move(directive, "accept", specialist, on=TODAY)
    directive.refresh_from_db()
    assert (directive.state, directive.deadline, directive.done_on) == (S.IN_PROGRESS, D(2027, 12, 15), None)
    assert directive.reports.get().verdict == DirectiveReport.Verdict.ACCEPTED
    accepted, renewed = directive.events.order_by("pk")
    assert (accepted.action, accepted.to_state) == ("accept", S.ACCEPTED)
    assert (renewed.action, renewed.from_state, renewed.to_state) == ("renew", S.ACCEPTED, S.IN_PROGRESS)
    assert (renewed.previous_deadline, renewed.new_deadline) == (D(2026, 12, 15), D(2027, 12, 15))


def test_an_annual_deadline_on_29_february_renews_on_28_february(in_state, specialist):
    directive = in_state(S.REPORTED, recurrence=Recurrence.ANNUALLY, deadline=D(2028, 2, 29))
    services.move(directive, "accept", specialist, on=TODAY)
    directive.refresh_from_db()
    assert directive.deadline == D(2029, 2, 28)


def test_a_directive_done_once_is_accepted_and_stays_done(in_state, specialist):
    directive = in_state(S.REPORTED)
    services.move(directive, "accept", specialist, on=TODAY)
    directive.refresh_from_db()
    assert (directive.state, directive.done_on) == (S.ACCEPTED, D(2026, 4, 20))
    assert services.available_actions(specialist, directive) == []


@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("accept", S.REPORTED),
        ("return", S.REPORTED),
        ("extend", S.IN_PROGRESS),
        ("cancel", S.ASSIGNED),
    ],
)
def test_a_lead_unit_officer_may_not_take_the_assigners_moves(action, state, in_state, lead_officer):
    directive = in_state(state)
    before = snapshot(directive)
    with pytest.raises(services.MoveRefused) as refused:
        services.move(directive, action, lead_officer, on=TODAY, **INPUTS[action])
    assert refused.value.messages == [
        "Only whoever assigned this directive, or a department leader, may do that."
    ]
    assert snapshot(directive) == before


def test_a_lead_unit_officer_may_start_and_report(in_state, lead_officer):
    directive = in_state(S.ASSIGNED)
    assert services.available_actions(lead_officer, directive) == ["start", "report"]
    services.move(directive, "start", lead_officer, on=TODAY)
    services.move(directive, "report", lead_officer, on=TODAY, text=INPUTS["report"]["text"])
    directive.refresh_from_db()
    assert directive.state == S.REPORTED
    assert services.available_actions(lead_officer, directive) == []


@pytest.mark.parametrize("action", ["start", "report"])
def test_an_officer_of_another_unit_may_not_report_or_start(
    action, in_state, neighbour_officer, agriculture_office
):
    directive = in_state(S.IN_PROGRESS if action == "report" else S.ASSIGNED)
    before = snapshot(directive)
    with pytest.raises(services.MoveRefused) as refused:
        services.move(directive, action, neighbour_officer, on=TODAY, **INPUTS[action])
    assert refused.value.messages == [f"Only the lead unit ({agriculture_office}) reports on this directive."]
    assert snapshot(directive) == before
    assert services.available_actions(neighbour_officer, directive) == []


def test_an_officer_of_another_district_may_not_report_on_a_directive_they_cannot_see(in_state, outsider):
    directive = in_state(S.IN_PROGRESS)
    with pytest.raises(services.MoveRefused):
        services.move(directive, "report", outsider, on=TODAY, **INPUTS["report"])
    assert directive.reports.count() == 0


def test_the_department_above_the_lead_unit_may_report_for_it(in_state, district_committee, dinh_hoa):
    # A user of the district People's Committee belongs to an organization above the lead office.
    committee_officer = make_user("local_officer", admin_unit=dinh_hoa, organization_id=district_committee.pk)
    directive = in_state(S.ASSIGNED)
    services.move(directive, "report", committee_officer, on=TODAY, **INPUTS["report"])
    directive.refresh_from_db()
    assert directive.state == S.REPORTED


@pytest.mark.parametrize("action", ["accept", "return", "extend", "cancel"])
def test_the_assigner_and_a_department_leader_may_accept_return_extend_and_cancel(
    action, in_state, specialist, leader
):
    for user in (specialist, leader):
        directive = in_state(S.REPORTED)
        assert action in services.available_actions(user, directive)
        services.move(directive, action, user, on=TODAY, **INPUTS[action])
        assert directive.events.get().actor == user


@pytest.mark.parametrize("action", ["accept", "return", "extend", "cancel"])
def test_another_specialist_who_did_not_assign_it_may_not(action, in_state):
    someone_else = make_user("specialist")
    directive = in_state(S.REPORTED)
    before = snapshot(directive)
    with pytest.raises(services.MoveRefused) as refused:
        services.move(directive, action, someone_else, on=TODAY, **INPUTS[action])
    assert refused.value.messages == [
        "Only whoever assigned this directive, or a department leader, may do that."
    ]
    assert snapshot(directive) == before


def test_the_assigner_does_not_report_for_the_lead_unit(in_state, specialist, agriculture_office):
    directive = in_state(S.IN_PROGRESS)
    with pytest.raises(services.MoveRefused) as refused:
        services.move(directive, "report", specialist, on=TODAY, **INPUTS["report"])
    assert refused.value.messages == [f"Only the lead unit ({agriculture_office}) reports on this directive."]


def test_a_viewer_may_make_no_move(in_state, viewer):
    for state in ALL_STATES:
        assert services.available_actions(viewer, in_state(state)) == []


@pytest.mark.parametrize(
    ("action", "inputs", "reason"),
    [
        ("return", {"note": "  "}, "Give the reason."),
        ("cancel", {}, "Give the reason."),
        ("extend", {"note": "Chờ vụ mùa"}, "Give the new deadline."),
        ("extend", {"new_deadline": D(2026, 12, 31)}, "Give the reason."),
        (
            "extend",
            {"note": "Chờ vụ mùa", "new_deadline": D(2026, 6, 30)},
            "The new deadline must be after the current one (30/06/2026).",
        ),
    ],
)
def test_missing_reason_or_new_deadline_is_refused_and_changes_nothing(
    action, inputs, reason, in_state, specialist
):
    directive = in_state(S.REPORTED)
    before = snapshot(directive)
    with pytest.raises(services.MoveRefused) as refused:
        services.move(directive, action, specialist, on=TODAY, **inputs)
    assert reason in refused.value.messages
    assert snapshot(directive) == before


def test_a_report_without_saying_what_was_done_is_refused(in_state, lead_officer):
    directive = in_state(S.IN_PROGRESS)
    with pytest.raises(services.MoveRefused) as refused:
        services.move(directive, "report", lead_officer, on=TODAY, text=" ")
    assert refused.value.messages == ["Say what was done."]
    assert directive.reports.count() == 0 and DirectiveEvent.objects.filter(directive=directive).count() == 0


def test_an_unknown_action_is_refused(in_state, specialist):
    directive = in_state(S.ASSIGNED)
    with pytest.raises(services.MoveRefused) as refused:
        services.move(directive, "archive", specialist, on=TODAY)
    assert refused.value.messages == ["Unknown action “archive”."]


def test_a_returned_directive_goes_round_again_until_accepted(in_state, lead_officer, specialist):
    directive = in_state(S.ASSIGNED)
    services.move(directive, "report", lead_officer, on=D(2026, 4, 1), text="Lần 1")
    services.move(directive, "return", specialist, on=D(2026, 4, 3), note="Thiếu minh chứng")
    services.move(directive, "start", lead_officer, on=D(2026, 4, 4))
    services.move(directive, "report", lead_officer, on=D(2026, 4, 10), text="Lần 2, kèm biên bản nghiệm thu")
    services.move(directive, "accept", specialist, on=D(2026, 4, 12))
    directive.refresh_from_db()
    assert (directive.state, directive.done_on) == (S.ACCEPTED, D(2026, 4, 10))
    assert list(directive.reports.order_by("pk").values_list("verdict", flat=True)) == [
        "returned",
        "accepted",
    ]
    assert list(directive.events.order_by("pk").values_list("action", flat=True)) == [
        "report",
        "return",
        "start",
        "report",
        "accept",
    ]


def test_overdue_finds_open_directives_past_their_deadline_only(make_directive):
    late = make_directive(deadline=D(2026, 5, 3))
    make_directive(deadline=D(2026, 5, 4))  # due today: not late yet
    make_directive(deadline=D(2026, 5, 1), state=S.REPORTED)  # reported: waiting on the assigner
    make_directive(deadline=D(2026, 5, 1), state=S.CANCELLED)
    make_directive(recurrence=Recurrence.REGULARLY, deadline=None)
    from stims.meetings.models import Directive

    assert list(services.overdue(Directive.objects.all(), TODAY)) == [late]


# --- Moves cannot be forged (issue #12, finding 5) ---------------------------------------------------------------


@pytest.fixture
def leader_of_lead_unit(agriculture_office):
    """A department leader whose own organization is the lead unit: on both sides at once."""
    return make_user("leader", username="truongphong", organization_id=agriculture_office.pk)


def test_the_lead_unit_does_not_accept_its_own_report(in_state, leader_of_lead_unit, agriculture_office):
    directive = in_state(S.ASSIGNED, assigned_by=leader_of_lead_unit)
    services.move(directive, "start", leader_of_lead_unit, on=D(2026, 3, 20))
    services.move(directive, "report", leader_of_lead_unit, on=D(2026, 4, 1), text="Đã xong")
    before = snapshot(directive)
    assert "accept" not in services.available_actions(leader_of_lead_unit, directive)
    for action in ("accept", "return"):
        with pytest.raises(services.MoveRefused) as refused:
            services.move(directive, action, leader_of_lead_unit, on=D(2026, 4, 2), **INPUTS[action])
        assert refused.value.messages == [
            f"A user of the lead unit ({agriculture_office}) does not accept, return, extend or cancel its "
            "own directive: whoever assigned it does."
        ]
    assert snapshot(directive) == before


@pytest.mark.parametrize("action", ["extend", "cancel"])
def test_the_lead_unit_does_not_extend_or_cancel_its_own_directive(action, in_state, leader_of_lead_unit):
    directive = in_state(S.IN_PROGRESS, assigned_by=leader_of_lead_unit)
    before = snapshot(directive)
    with pytest.raises(services.MoveRefused):
        services.move(directive, action, leader_of_lead_unit, on=TODAY, **INPUTS[action])
    assert snapshot(directive) == before


def test_whoever_made_the_report_does_not_judge_it(in_state):
    admin = make_user(None, username="quantri", is_superuser=True)
    directive = in_state(S.IN_PROGRESS)
    services.move(directive, "report", admin, on=D(2026, 4, 1), text="Đã xong")
    before = snapshot(directive)
    with pytest.raises(services.MoveRefused) as refused:
        services.move(directive, "accept", admin, on=D(2026, 4, 2))
    assert refused.value.messages == ["Whoever made the report does not accept or return it."]
    assert snapshot(directive) == before
    # Someone else on the assigner's side may.
    services.move(directive, "accept", make_user(None, is_superuser=True), on=D(2026, 4, 2))
    directive.refresh_from_db()
    assert directive.state == S.ACCEPTED


@pytest.mark.parametrize(("action", "state"), VALID)
def test_no_move_is_dated_before_the_directive_was_assigned(
    action, state, in_state, lead_officer, specialist
):
    directive = in_state(state)
    before = snapshot(directive)
    with pytest.raises(services.MoveRefused) as refused:
        services.move(
            directive, action, actor_for(action, lead_officer, specialist), on=D(1990, 1, 1), **INPUTS[action]
        )
    assert refused.value.messages == ["The date cannot be before the directive was assigned (10/03/2026)."]
    assert snapshot(directive) == before


@pytest.mark.parametrize(("action", "state"), VALID)
def test_no_move_is_dated_in_the_future(action, state, in_state, lead_officer, specialist):
    from django.utils import timezone

    today = timezone.localdate()
    directive = in_state(state)
    before = snapshot(directive)
    with pytest.raises(services.MoveRefused) as refused:
        services.move(
            directive,
            action,
            actor_for(action, lead_officer, specialist),
            on=today + datetime.timedelta(days=1),
            **INPUTS[action],
        )
    assert refused.value.messages == [f"The date cannot be after today ({today:%d/%m/%Y})."]
    assert snapshot(directive) == before


def test_no_move_is_dated_before_the_previous_one(in_state, lead_officer, specialist):
    directive = in_state(S.ASSIGNED)
    services.move(directive, "start", lead_officer, on=D(2026, 4, 10))
    before = snapshot(directive)
    with pytest.raises(services.MoveRefused) as refused:
        services.move(directive, "report", lead_officer, on=D(2026, 4, 9), **INPUTS["report"])
    assert refused.value.messages == ["The date cannot be before the previous move (10/04/2026)."]
    assert snapshot(directive) == before
    services.move(directive, "report", lead_officer, on=D(2026, 4, 10), **INPUTS["report"])


def test_a_report_is_not_judged_before_it_was_made(in_state, specialist):
    directive = in_state(S.REPORTED)  # reported on 20/04/2026
    before = snapshot(directive)
    with pytest.raises(services.MoveRefused) as refused:
        services.move(directive, "accept", specialist, on=D(2026, 4, 19))
    assert refused.value.messages == ["The date cannot be before the previous move (20/04/2026)."]
    assert snapshot(directive) == before
