"""The leader's summary is kept in the cache (core.aggregates) and is computed again after any write to
what it counts, whatever the write path; a local officer never gets the department's figures."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stims.sttasks.models import Task, TaskType
from stims.testing import make_user

from .conftest import state
from .test_import import confirm, directory, preview, row  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def client_for(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def total(client) -> int:
    return client.get(reverse("sttasks:summary")).context["total"]


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("sttasks:summary")).status_code == 200
    return len(captured.captured_queries)


def test_cold_and_warm_query_counts(client, leader, make_task):
    client = client_for(client, leader)
    make_task(state_code="in_progress")
    cold = queries(client)
    warm = queries(client)
    # Warm: session, user, assignments, the data versions of the counts and of the names; no aggregate.
    # PostgreSQL: one GROUPING SETS scan for seven GROUP BYs. The names of the values shown are read
    # apart (and kept under their own tables' version).
    assert (cold, warm) == (COLD_PG if connection.vendor == "postgresql" else COLD, WARM)
    make_task()  # a task of the same type and locality: counted again, the names kept
    assert queries(client) == cold - 3  # the states, the type's and the locality's names


COLD, COLD_PG, WARM = 26, 20, 5


def test_a_form_save_is_counted(client, specialist, ba_che):
    client = client_for(client, specialist)
    before = total(client)
    data = {
        "title": "Mô hình trồng Ba kích tím dưới tán rừng",
        "task_type": TaskType.objects.get(code="de-tai").pk,
        "level": "grassroots",
        "proposal_year": "2025",
        "progress_report_months": "6",
        "ordering_unit": ba_che.pk,
        "code": "CS.01/2025",
    }
    assert client.post(reverse("sttasks:task_add"), data).status_code == 302
    assert total(client) == before + 1


def test_the_api_and_its_bulk_create_are_counted(client, specialist, ba_che):
    client = client_for(client, specialist)
    before = total(client)
    record = {
        "title": "Mô hình nuôi cá song",
        "task_type": TaskType.objects.get(code="de-tai").pk,
        "level": "grassroots",
        "proposal_year": 2026,
        "ordering_unit": ba_che.pk,
    }
    batch = [{**record, "code": f"API.{n}"} for n in (1, 2)]
    assert client.post(reverse("api:task-list"), batch, content_type="application/json").status_code == 201
    assert total(client) == before + 2
    one = Task.objects.get(code="API.1")
    url = reverse("api:task-detail", args=[one.pk])
    etag = client.get(url)["ETag"]
    response = client.patch(url, {"level": "provincial"}, content_type="application/json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    levels = client.get(reverse("sttasks:summary")).context["groups"][0][1]
    assert any(value == "provincial" and n == 1 for _label, value, n in levels)


def test_a_queryset_update_sends_no_signal_and_is_counted_all_the_same(client, leader, make_task):
    client = client_for(client, leader)
    make_task(state_code="in_progress")
    by_state = dict((s.code, n) for s, n in client.get(reverse("sttasks:summary")).context["by_state"])
    assert by_state["in_progress"] == 1
    Task.objects.update(state=state("approved"))
    by_state = dict((s.code, n) for s, n in client.get(reverse("sttasks:summary")).context["by_state"])
    assert by_state["in_progress"] == 0 and by_state["approved"] == 1


def test_an_import_is_counted(client, directory, specialist):  # noqa: F811 (fixture)
    client = client_for(client, specialist)
    before = total(client)
    response = preview(client, [row("ĐTCS.2023.01"), row("ĐTCS.2023.02")])
    assert confirm(client, response).status_code == 302
    assert total(client) == before + 2


def test_a_delete_is_counted(client, leader, make_task):
    client = client_for(client, leader)
    doomed = make_task()
    make_task()
    assert total(client) == 2
    doomed.delete()
    assert total(client) == 1


def test_a_local_officer_never_gets_the_department_figures(client, leader, make_task, binh_lieu, ba_che):
    make_task()
    make_task(ordering_unit=binh_lieu)
    assert total(client_for(client, leader)) == 2
    officer = make_user("local_officer", admin_unit=binh_lieu)
    assert total(client_for(client, officer)) == 1
    other = make_user("local_officer", admin_unit=ba_che)
    assert total(client_for(client, other)) == 1
    # The officer's figures were not kept for the leader's scope either.
    assert total(client_for(client, leader)) == 2


def test_one_grouping_sets_scan_gives_the_same_breakdowns_as_the_group_bys(leader, make_task, binh_lieu):
    """PostgreSQL counts every breakdown in one scan; the figures are those of one GROUP BY each."""
    from django.test import RequestFactory

    from stims.sttasks.views import SummaryView

    if connection.vendor != "postgresql":
        pytest.skip("GROUPING SETS: PostgreSQL only (SQLite runs the GROUP BYs)")
    for n in range(7):
        make_task(
            state_code=["in_progress", "proposed", "approved"][n % 3],
            ordering_unit=binh_lieu if n % 2 else None,
            level=["provincial", "grassroots"][n % 2],
        )
    view = SummaryView()
    view.request = RequestFactory().get("/")
    view.request.user = leader
    tasks = view.visible_tasks()
    by_state, grouped = view._grouping_sets(tasks)
    assert by_state == dict(tasks.order_by().values_list("state").annotate(n=Count("pk")))
    for key, _name, _top in view.BREAKDOWNS:
        assert grouped[key] == dict(tasks.order_by().values_list(key).annotate(n=Count("pk"))), key


def test_the_breakdowns_named_apart_are_those_of_a_group_by_with_the_names(
    leader, make_task, binh_lieu, ba_che
):
    """The counts by key, named afterwards (`_named_figures`), give the rows a GROUP BY over the key and
    its name gives, largest first, the first TOP of the long ones."""
    from django.test import RequestFactory

    from stims.orgs.models import Organization, OrganizationKind
    from stims.sttasks.views import SummaryView

    organizations = [
        Organization.objects.create(name=name, kind=OrganizationKind.CENTRE, admin_unit=binh_lieu)
        for name in ("Viện Cây trồng", "Trung tâm Ứng dụng", "Hợp tác xã Ba Chẽ")
    ]
    for n in range(11):
        make_task(
            state_code=["in_progress", "proposed", "approved"][n % 3],
            ordering_unit=[binh_lieu, ba_che][n % 2],
            level=["provincial", "grassroots"][n % 2],
            lead_organization=organizations[n % 3] if n % 4 else None,
        )
    view = SummaryView()
    # The first two of the lead organizations: two tied at 3 with "(not set)" (settled by name), one at 2.
    view.BREAKDOWNS = [(k, n, 2 if k == "lead_organization" else t) for k, n, t in SummaryView.BREAKDOWNS]
    view.request = RequestFactory().get("/")
    view.request.user = leader
    tasks = view.visible_tasks()
    figures = view._named_figures(view._counts(tasks, datetime.date(2026, 12, 7), view.request))
    levels = dict(Task._meta.get_field("level").choices)
    for (_title, rows, key), (_key, name, top) in zip(figures["groups"], view.BREAKDOWNS, strict=True):
        path = key if name is None else f"{key}__{name}"
        expected = [
            ((levels.get(row[path]) if name is None else row[path]) or "(not set)", row[key], row["n"])
            for row in tasks.order_by().values(key, path).annotate(n=Count("pk"))
        ]
        expected.sort(key=lambda r: (-r[2], r[0] == "(not set)", r[0]))
        assert [(str(label), value, n) for label, value, n in rows] == (
            expected[:top] if top else expected
        ), key
    assert figures["total"] == tasks.count()
