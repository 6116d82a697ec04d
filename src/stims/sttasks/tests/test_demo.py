"""`stims demo` for S&T tasks: the seed articles' figures, reached through the workflow, loaded once."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from stims.councils.models import Council, CouncilDossier
from stims.funding.models import Allocation, BudgetLine
from stims.results.models import Handover, TaskResult
from stims.sttasks import deadlines
from stims.sttasks.models import Level, Task, TaskEvent
from stims.testing import demo_snapshot

pytestmark = pytest.mark.django_db


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


@pytest.mark.slow
def test_the_demo_tells_the_seed_articles_through_the_workflow_and_a_second_run_changes_nothing(demo_data):
    # The first run is the process's demo build, copied (`demo_data`); its output is kept.
    first = demo_snapshot.output
    assert "S&T tasks: 63 created" in first
    counts = (
        Task.objects.count(),
        TaskEvent.objects.count(),
        Council.objects.count(),
        BudgetLine.objects.count(),
        Task.history.count(),
    )
    second = run_demo()
    assert "Demo S&T tasks" not in second
    assert counts == (
        Task.objects.count(),
        TaskEvent.objects.count(),
        Council.objects.count(),
        BudgetLine.objects.count(),
        Task.history.count(),
    )

    # Sơn La: 29 tasks carried over from 2021 — 24 provincial topics, 4 NTMN projects, 1 national topic.
    carried = Task.objects.filter(code__startswith="SL.", is_carried_over=True, carried_over_year=2022)
    assert carried.count() == 29
    assert dict(carried.values_list("level").annotate(n=Count("pk"))) == {
        Level.PROVINCIAL: 24,
        Level.NATIONAL: 5,
    }
    assert carried.filter(programme__code="ntmn").count() == 4
    # …three of whose research models were extended after the session of 05/6/2023 asked for it, each
    # with its decision and its reason, and none dated in a year the reason could not know.
    extensions = TaskEvent.objects.filter(transition__code="extend", task__in=carried)
    assert extensions.count() == 3 and all(e.reason and e.document_id and e.new_end_date for e in extensions)
    assert all(datetime.date(2023, 6, 5) < e.happened_on < e.new_end_date for e in extensions)
    assert not any("2025" in e.reason for e in extensions)
    # 12 results of accepted tasks handed over in January–May 2023, as the article reports.
    handed = TaskResult.objects.filter(
        task__code__endswith="-2019",
        handovers__handed_over_on__range=(datetime.date(2023, 1, 1), datetime.date(2023, 5, 31)),
    ).distinct()
    assert handed.count() == 12
    # Selection councils concluded for 9 of the 13 topics of 2023.
    topics = Task.objects.filter(code__startswith="SL.ĐT.", code__endswith="-2023")
    assert topics.count() == 13
    selected = CouncilDossier.objects.filter(
        task__in=topics, council__kind="selection", passed=True, council__concluded_on__isnull=False
    )
    assert selected.count() == 9 and topics.filter(state__code="selected").count() == 9
    assert set(topics.filter(state__code="identified").values_list("pk", flat=True)) == set()
    # Bình Liêu ordered 4 provincial tasks in 2022: 3 R&D, 1 under the IP development programme.
    binh_lieu = Task.objects.filter(ordering_unit__name="Huyện Bình Liêu", level=Level.PROVINCIAL)
    assert binh_lieu.count() == 4 and binh_lieu.filter(programme__code="sttt").count() == 1
    # …each with its ordering decision (the step approving the list of ordered tasks).
    assert all(task.events.filter(transition__code="identify", document__isnull=False) for task in binh_lieu)
    # Bao Thai: selected after its call opened.
    bao_thai = Task.objects.get(code="TN.ĐH.01-2024")
    opened = bao_thai.events.get(transition__code="open_call").happened_on
    assert bao_thai.events.get(transition__code="select").happened_on > opened
    # Thái Nguyên: Bao Thai and Nếp Vải rice restoration, ordered by Định Hóa.
    assert set(Task.objects.filter(ordering_unit__name="Huyện Định Hóa").values_list("title", flat=True)) == {
        "Phục tráng giống lúa Bao Thai Định Hóa",
        "Phục tráng giống lúa Nếp Vải Định Biên",
    }
    # Ba Chẽ put 550 million VND into S&T in 2022.
    assert Allocation.objects.get(year=2022, recipient_unit__name="Huyện Ba Chẽ").amount == 550_000_000
    # Every state was reached by steps: each task's events chain from its initial state to where it is.
    for task in Task.objects.prefetch_related("events__from_state", "events__to_state").select_related(
        "state"
    ):
        events = list(task.events.all())
        if events:
            assert events[0].from_state.code == "proposed" and events[-1].to_state == task.state
    assert Handover.objects.exists()
    # Something is overdue for the leaders to see.
    assert sum(deadlines.overdue_counts(Task.objects.all(), datetime.date(2026, 11, 27)).values()) > 0
