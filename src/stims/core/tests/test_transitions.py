"""The one shape of the four state machines (`stims.core.transitions`): what would stop a move is the
refusal the move raises, one refusal type carries every reason, and a move is applied with its row
locked, all or nothing (issue #12)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stims.core import events, transitions
from stims.councils import services as council_services
from stims.councils.models import Council
from stims.ip import services as ip_services
from stims.ip.models import IpAsset, IpStatus
from stims.meetings import services as meeting_services
from stims.meetings.models import Directive, DirectiveState
from stims.sttasks import workflow
from stims.sttasks.models import Task

from .test_rule_matrix import World, sheet_scores, step

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


@pytest.fixture
def world():
    return World()


@pytest.fixture
def emitted(monkeypatch):
    seen: list[str] = []
    monkeypatch.setattr(events, "emit", lambda name, **data: seen.append(name))
    return seen


def test_one_refusal_type_carries_every_reason_as_a_list_or_by_field():
    listed = transitions.Refused(["one", "two"])
    assert isinstance(listed, ValidationError) and listed.reasons == ["one", "two"]
    by_field = transitions.Refused({"date": "too early", "title_number": "missing"})
    assert by_field.message_dict == {"date": ["too early"], "title_number": ["missing"]}
    assert sorted(by_field.reasons) == ["missing", "too early"]
    assert issubclass(workflow.StepRefused, transitions.Refused)
    assert issubclass(meeting_services.MoveRefused, transitions.Refused)
    transitions.refuse([])  # no reason: nothing raised
    transitions.refuse({})
    with pytest.raises(workflow.StepRefused):
        transitions.refuse(["no"], workflow.StepRefused)


def test_apply_locked_reads_the_row_for_update_and_changes_nothing_when_refused(world, emitted):
    task = world.task("proposed")
    applied = []
    with pytest.raises(transitions.Refused) as refused:
        transitions.apply_locked(
            Task.objects.all(),
            task.pk,
            problems=lambda row: [f"“{row.code}” may not move"],
            apply=applied.append,
        )
    assert refused.value.reasons == [f"“{task.code}” may not move"] and applied == []

    def rename(row):
        row.title = "Tên mới"
        row.save(update_fields=["title"])
        raise ValidationError("the save after it failed")

    with pytest.raises(ValidationError):
        transitions.apply_locked(Task.objects.all(), task.pk, problems=lambda row: [], apply=rename)
    assert Task.objects.get(pk=task.pk).title == task.title  # rolled back with the failure

    with CaptureQueriesContext(connection) as queries:
        done = transitions.apply_locked(
            Task.objects.all(), task.pk, problems=lambda row: [], apply=lambda row: row
        )
    assert done.pk == task.pk
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in query["sql"] for query in queries.captured_queries)


def test_a_task_steps_problems_are_its_refusal(world, emitted):
    specialist, officer = world.users["specialist"], world.users["officer_in_scope"]
    task = world.task("proposed")
    identify = step("identify")
    found = workflow.problems(task, identify, officer)
    assert found
    with pytest.raises(workflow.StepRefused) as refused:
        workflow.perform(task, identify, officer, happened_on=DAY)
    assert refused.value.reasons == found and emitted == []
    assert Task.objects.get(pk=task.pk).state.code == "proposed"
    assert workflow.problems(task, identify, specialist, check_inputs=False) != []  # its council first


def test_a_directive_moves_problems_are_its_refusal_and_a_move_emits_once(world, emitted):
    directive = world.directive()
    specialist, leader = world.users["specialist"], world.users["leader"]
    found = meeting_services.problems(specialist, directive, "cancel", on=DAY, note="Lý do")
    assert found
    with pytest.raises(meeting_services.MoveRefused) as refused:
        meeting_services.move(directive, "cancel", specialist, on=DAY, note="Lý do")
    assert refused.value.reasons == found and emitted == []
    assert meeting_services.problems(leader, directive, "cancel", on=DAY, note="Lý do") == []
    meeting_services.move(directive, "cancel", leader, on=DAY, note="Lý do")
    assert Directive.objects.get(pk=directive.pk).state == DirectiveState.CANCELLED
    assert emitted == ["meetings.directive_moved"]


def test_an_ip_status_moves_problems_are_its_refusal(world):
    asset = world.asset()
    protected = IpStatus.objects.filter(is_protected=True).order_by("sort_order").first()
    found = ip_services.status_move_problems(asset, protected, datetime.date(2019, 1, 1))
    assert set(found) == {"date"}  # before the application date, by field
    with pytest.raises(transitions.Refused) as refused:
        ip_services.record_status(asset, protected, datetime.date(2019, 1, 1))
    assert refused.value.message_dict == {"date": [found["date"]]}
    assert set(ip_services.status_move_problems(asset, protected, DAY)) == {"title_number", "grant_date"}
    assert IpAsset.objects.get(pk=asset.pk).status_id == asset.status_id
    assert ip_services.renewal_problems(asset, DAY, datetime.date(2040, 1, 1))  # not protected yet


def test_a_councils_conclusion_problems_are_its_refusal(world):
    council = world.council()
    assert council_services.conclusion_problems(council, datetime.date(2025, 3, 1))  # before it meets
    assert council_services.conclusion_problems(
        council, datetime.date(2025, 3, 10), user=world.users["council_member"]
    ) == [str(council_services.council_rules.REFUSALS[council_services.council_rules.CONCLUDE_COUNCIL])]
    dossier = council.dossiers.get()
    for member, total in zip(council.members.order_by("pk"), (80, 82, 84), strict=True):
        council_services.record_score_sheet(dossier, member, sheet_scores(council, total))
    day = datetime.date(2025, 3, 10)
    assert council_services.conclusion_problems(council, day, user=world.users["specialist"]) == []
    council_services.conclude(council, world.users["specialist"], day, "Đạt")
    assert Council.objects.get(pk=council.pk).concluded_on == day
    again = council_services.conclusion_problems(council, day)
    with pytest.raises(transitions.Refused) as refused:
        council_services.conclude(council, world.users["specialist"], day, "Đạt")
    assert refused.value.reasons == again
