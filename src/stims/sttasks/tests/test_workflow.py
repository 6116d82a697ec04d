"""Every step of the default workflow: taken from each state it starts from, refused from every
other state, refused while any condition it names is missing, and refused to roles that may not take
it. A refusal changes nothing."""

import datetime

import pytest
from django.utils import translation

from stims.sttasks import workflow
from stims.sttasks.models import ProgressReport, Task, TaskEvent, WorkflowState
from stims.testing import make_user

from .conftest import attach, state, step
from .prerequisites import satisfy

TRANSITIONS = [row[0] for row in workflow.DEFAULT_TRANSITIONS]
SOURCES = {row[0]: row[3] for row in workflow.DEFAULT_TRANSITIONS}
ALL_STATES = [row[0] for row in workflow.DEFAULT_STATES]
DAY = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def ready(task, transition, *, institute, investigator, unit, skip=None):
    """Satisfy every condition of `transition` except `skip`; return the inputs the step needs."""
    for guard in transition.guard_names:
        if guard != skip:
            satisfy(task, guard, institute=institute, investigator=investigator, unit=unit)
    task.refresh_from_db()
    inputs = {"happened_on": DAY}
    if transition.requires_document_kind_id:
        inputs["document"] = attach(task, transition.requires_document_kind.code)
    if transition.requires_reason:
        inputs["reason"] = "Theo đề nghị của tổ chức chủ trì"
    if transition.kind == "extension":
        inputs["new_end_date"] = (task.end_date or datetime.date(2027, 12, 31)) + datetime.timedelta(days=180)
    return inputs


@pytest.mark.parametrize("code", TRANSITIONS)
def test_each_step_is_taken_from_each_state_it_starts_from(
    code, make_task, specialist, institute, investigator, ba_che
):
    transition = step(code)
    for source in SOURCES[code]:
        task = make_task(
            state_code=source, start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2027, 12, 31)
        )
        inputs = ready(task, transition, institute=institute, investigator=investigator, unit=ba_che)
        event = workflow.perform(task, transition, specialist, **inputs)
        task.refresh_from_db()
        expected = transition.target.code if transition.target else source
        assert task.state.code == expected
        assert (event.from_state.code, event.to_state.code, event.actor) == (source, expected, specialist)
        assert event.happened_on == DAY and event.document == inputs.get("document")
        if transition.target:
            assert task.state_since == DAY
        if transition.kind == "extension":
            assert task.end_date == inputs["new_end_date"] and event.previous_end_date == datetime.date(
                2027, 12, 31
            )
            assert task.original_end_date == datetime.date(2027, 12, 31)


@pytest.mark.parametrize("code", TRANSITIONS)
def test_each_step_is_refused_from_every_other_state_and_changes_nothing(
    code, make_task, specialist, institute, investigator, ba_che
):
    transition = step(code)
    for source in sorted(set(ALL_STATES) - set(SOURCES[code])):
        task = make_task(
            state_code=source, start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2027, 12, 31)
        )
        inputs = ready(task, transition, institute=institute, investigator=investigator, unit=ba_che)
        with pytest.raises(workflow.StepRefused) as refused:
            workflow.perform(task, transition, specialist, **inputs)
        assert f"cannot be taken from the state “{state(source).name}”" in " ".join(refused.value.messages)
        task.refresh_from_db()
        assert task.state.code == source and task.end_date == datetime.date(2027, 12, 31)
        assert not TaskEvent.objects.filter(task=task).exists()


GUARDED = [(row[0], guard) for row in workflow.DEFAULT_TRANSITIONS for guard in row[7].split(",") if guard]


@pytest.mark.parametrize(("code", "guard"), GUARDED)
def test_a_step_is_refused_while_one_of_its_conditions_is_missing(
    code, guard, make_task, specialist, institute, investigator, ba_che
):
    transition = step(code)
    task = make_task(state_code=SOURCES[code][0])
    if guard != "dates_set":
        task.start_date, task.end_date = datetime.date(2026, 1, 1), datetime.date(2027, 12, 31)
        task.save()
    if guard == "code_assigned":  # a locality's proposal, sent without a code
        task.code = None
        task.save()
    inputs = ready(task, transition, institute=institute, investigator=investigator, unit=ba_che, skip=guard)
    with pytest.raises(workflow.StepRefused) as refused:
        workflow.perform(task, transition, specialist, **inputs)
    assert refused.value.messages == [str(workflow.GUARDS[guard].refusal)]
    task.refresh_from_db()
    assert task.state.code == SOURCES[code][0] and not task.events.exists()


def test_a_step_needing_a_document_is_refused_without_it_or_with_another_tasks(
    make_task, specialist, institute, investigator
):
    task = make_task(
        state_code="appraised",
        lead_organization=institute,
        principal_investigator=investigator,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 6, 30),
    )
    other = make_task()
    for document, message in [
        (None, "Cite the document (Quyết định) this step is based on"),
        (attach(other, "decision"), "must be of kind “Quyết định” and belong to this task."),
        (attach(task, "contract"), "must be of kind “Quyết định” and belong to this task."),
    ]:
        with pytest.raises(workflow.StepRefused) as refused:
            workflow.perform(task, step("approve"), specialist, happened_on=DAY, document=document)
        assert message in " ".join(refused.value.messages)
    task.refresh_from_db()
    assert task.state.code == "appraised"


def test_an_extension_needs_a_reason_and_a_later_end_date(make_task, specialist):
    task = make_task(
        state_code="in_progress", start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2026, 12, 31)
    )
    decision = attach(task, "decision")
    with pytest.raises(workflow.StepRefused) as refused:
        workflow.perform(
            task,
            step("extend"),
            specialist,
            happened_on=DAY,
            document=decision,
            reason=" ",
            new_end_date=datetime.date(2026, 6, 30),
        )
    assert refused.value.messages == [
        "Give the reason for this step.",
        "The new end date must be after the current end date (31/12/2026).",
    ]
    workflow.perform(
        task,
        step("extend"),
        specialist,
        happened_on=DAY,
        document=decision,
        reason="Thời tiết bất thường làm chậm vụ gieo cấy",
        new_end_date=datetime.date(2027, 6, 30),
    )
    task.refresh_from_db()
    assert (task.end_date, task.original_end_date, task.state.code) == (
        datetime.date(2027, 6, 30),
        datetime.date(2026, 12, 31),
        "in_progress",
    )


@pytest.mark.parametrize("role", ["local_officer", "inspector", "viewer", "council_member", None])
def test_roles_that_may_not_take_department_steps_are_refused(role, make_task, ba_che):
    user = make_user(role, admin_unit=ba_che if role == "local_officer" else None)
    task = make_task(state_code="call_open")
    with pytest.raises(workflow.StepRefused) as refused:
        workflow.perform(task, step("not_select"), user, happened_on=DAY, reason="Trùng lặp")
    assert "Your role does not allow you" in refused.value.messages[0]
    assert Task.objects.get(pk=task.pk).state.code == "call_open"


def test_a_local_officer_reports_application_on_their_own_localitys_task_only(
    make_task, ba_che, binh_lieu, institute, investigator
):
    officer = make_user("local_officer", admin_unit=ba_che)
    own, other = (
        make_task(state_code="handed_over"),
        make_task(state_code="handed_over", ordering_unit=binh_lieu),
    )
    for task in (own, other):
        satisfy(
            task,
            "application_reported",
            institute=institute,
            investigator=investigator,
            unit=task.ordering_unit,
        )
    workflow.perform(own, step("report_application"), officer, happened_on=DAY)
    assert Task.objects.get(pk=own.pk).state.code == "applied"
    with pytest.raises(workflow.StepRefused):
        workflow.perform(other, step("report_application"), officer, happened_on=DAY)
    assert Task.objects.get(pk=other.pk).state.code == "handed_over"


def test_a_retired_step_is_refused(make_task, specialist):
    transition = step("open_call")
    transition.is_active = False
    transition.save()
    task = make_task(state_code="identified")
    with pytest.raises(workflow.StepRefused) as refused:
        workflow.perform(task, transition, specialist, happened_on=DAY)
    assert "no longer in use" in refused.value.messages[0]


def test_renamed_states_are_shown_with_their_new_names(make_task, specialist):
    WorkflowState.objects.filter(code="identified").update(name="Đã phê duyệt danh mục đặt hàng")
    task = make_task(state_code="identified")
    with pytest.raises(workflow.StepRefused) as refused:
        workflow.perform(task, step("select"), specialist, happened_on=DAY)
    assert "“Đã phê duyệt danh mục đặt hàng”" in refused.value.messages[0]


def test_starting_a_task_schedules_its_progress_reports(make_task, specialist):
    task = make_task(
        state_code="contracted", start_date=datetime.date(2026, 1, 15), end_date=datetime.date(2027, 7, 14)
    )
    workflow.perform(task, step("start"), specialist, happened_on=datetime.date(2026, 1, 15))
    assert list(ProgressReport.objects.filter(task=task).values_list("due_on", flat=True)) == [
        datetime.date(2026, 7, 15),
        datetime.date(2027, 1, 15),
    ]


def test_a_new_task_starts_in_the_initial_state(make_task):
    assert make_task().state.code == "proposed"


def test_the_whole_life_of_a_task_from_proposal_to_application(
    make_task, specialist, institute, investigator, ba_che
):
    task = make_task(start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2027, 12, 31))
    path = [
        "identify",
        "open_call",
        "select",
        "appraise",
        "approve",
        "sign_contract",
        "start",
        "adjust",
        "extend",
        "suspend",
        "resume",
        "submit_acceptance",
        "register_results",
        "liquidate",
        "hand_over",
        "report_application",
    ]
    for code in path:
        transition = step(code)
        workflow.perform(
            task,
            transition,
            specialist,
            **ready(task, transition, institute=institute, investigator=investigator, unit=ba_che),
        )
    task.refresh_from_db()
    assert task.state.code == "applied"
    assert list(task.events.values_list("transition__code", flat=True)) == path
