"""The councils section of the task page."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from stims.councils import services
from stims.councils.panels import council_context
from stims.sttasks.panels import PANELS
from stims.testing import make_user

from .conftest import score_all

pytestmark = pytest.mark.django_db


def panel_for(user, task):
    request = RequestFactory().get("/")
    request.user = user
    return request, council_context(request, task)


def test_the_panel_is_registered_for_the_task_page():
    panel = next(p for p in PANELS if p.key == "councils")
    assert (panel.order, panel.template, panel.context) == (20, "councils/_task_panel.html", council_context)


def test_the_panel_lists_each_council_with_its_outcome_average_and_rank(
    make_council, make_task, specialist, acceptance_set
):
    task = make_task()
    selection = make_council(members=3, tasks=[make_task(), task, make_task()])
    rival, ours, weak = selection.dossiers.order_by("pk")
    score_all(selection, {rival: [90, 90, 90], ours: [80, 82, 84], weak: [50, 52, 54]})
    services.conclude(selection, specialist, datetime.date(2025, 3, 10), "")
    acceptance = make_council(
        kind="acceptance", criteria_set=acceptance_set, tasks=[task], meeting_date=datetime.date(2027, 5, 4)
    )
    request, data = panel_for(specialist, task)
    rows = data["rows"]
    assert [
        (r["council"].kind, r["dossier"].passed, r["result"].average, r["result"].rank) for r in rows
    ] == [("selection", True, 82, 2), ("acceptance", None, None, None)]
    with translation.override("en"):
        html = render_to_string("councils/_task_panel.html", {"data": data, "task": task, "request": request})
    assert "2 of 3" in html and selection.get_absolute_url() in html and acceptance.name in html
    assert "Put before a council" in html


def test_the_panel_runs_the_same_queries_however_many_councils_and_sheets(
    make_council, make_task, specialist, django_assert_num_queries
):
    lonely, busy = make_task(), make_task()
    council = make_council(members=1, tasks=[lonely])
    score_all(council, {council.dossiers.get(): [80]})
    for _ in range(4):
        council = make_council(members=5, tasks=[busy, make_task(), make_task()])
        score_all(council, {d: [70, 75, 80, 85, 40] for d in council.dossiers.all()})
    specialist = type(specialist).objects.get(pk=specialist.pk)
    panel_for(specialist, lonely)  # the user's role assignments, fetched once per request
    with django_assert_num_queries(3):
        assert len(panel_for(specialist, lonely)[1]["rows"]) == 1
    with django_assert_num_queries(3):
        assert len(panel_for(specialist, busy)[1]["rows"]) == 4


def test_a_local_officer_sees_no_council_rows_and_no_add_link(make_council, make_task, quang_ninh):
    task = make_task()
    make_council(tasks=[task])
    officer = make_user("local_officer", admin_unit=quang_ninh)
    request, data = panel_for(officer, task)
    assert data["rows"] == [] and not data["can_add_dossier"] and not data["can_view_councils"]
    html = render_to_string("councils/_task_panel.html", {"data": data, "task": task, "request": request})
    from django.urls import reverse

    assert (
        reverse("councils:councildossier_add") not in html
        and reverse("councils:council_list") + '"' not in html
    )
    assert not any(
        reverse("councils:council_detail", args=[d.council_id]) in html for d in task.council_dossiers.all()
    )


def test_the_panels_standing_is_the_councils_own_with_outliers_and_conflicts_left_out(
    make_council, make_task, specialist, selection_set
):
    """The panel reads the council's other dossiers and its sheets with only keys, totals and conflicts
    (services.results_by_dossier); its average, rank and pass mark are those of the council's page
    (services.dossier_results), which reads them whole."""
    selection_set.outlier_tolerance = 10
    selection_set.save()
    ours, theirs = make_task(), make_task()
    council = make_council(members=5, tasks=[ours, theirs, make_task()])
    first, second, third = council.dossiers.order_by("pk")
    # One sheet far from the others (flagged), one member who declared a conflict (left out).
    score_all(
        council, {first: [80, 82, 84, 40, 99], second: [85, 85, 86, 60, 70], third: [50, 55, 52, 51, 53]}
    )
    conflicted = council.members.order_by("pk").last()
    conflicted.has_conflict = True
    conflicted.save()
    whole = {result.dossier.pk: result for result in services.dossier_results(council)}
    for task in (ours, theirs):
        row = next(r for r in panel_for(specialist, task)[1]["rows"] if r["council"].pk == council.pk)
        expected = whole[row["dossier"].pk]
        assert expected.flagged and expected.conflicted  # the case is the one described
        assert (row["result"].average, row["result"].rank, row["result"].ranked_count) == (
            expected.average,
            expected.rank,
            expected.ranked_count,
        )
        assert row["result"].meets_pass_mark == expected.meets_pass_mark
        assert row["result"].dossier is row["dossier"]  # the panel's own dossier, with its council
