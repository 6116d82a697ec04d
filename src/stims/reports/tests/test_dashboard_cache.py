"""The leaders' dashboard and the figures API: one rule for the unit they are about
(`services.figures_unit`), figures kept in the cache under the version of what the sections read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stims.funding.models import Allocation
from stims.geo.services import home_province
from stims.sttasks.models import Task
from stims.testing import make_user

from .test_pages import ba_che, binh_lieu, data  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
API = "/api/reports/figures/"


def allocated(client, unit) -> int:
    body = client.get(API, {"kind": "year", "period": "2022", "unit": unit.pk}).json()
    funding = next(s for s in body["sections"] if s["key"] == "funding")
    return {f["key"]: f["value"] for f in funding["figures"]}["allocated"]


def test_a_deployment_wide_reader_reads_any_unit_on_the_page_and_from_the_api(client, data, ba_che):  # noqa: F811
    client.force_login(make_user("viewer"))  # reads reports everywhere, makes none
    page = client.get(reverse("reports:dashboard"), {"unit": ba_che.pk, "year": 2022})
    assert page.status_code == 200 and page.context["unit"] == ba_che
    assert allocated(client, ba_che) == 550_000_000
    assert client.get(reverse("reports:dashboard")).context["unit"] == home_province()
    assert client.get(API, {"kind": "year", "period": "2022"}).json()["unit"]["id"] == home_province().pk
    assert client.get(API, {"kind": "year", "period": "2022", "unit": 10**9}).status_code == 404


def test_a_local_officer_reads_their_own_unit_only_on_the_page_and_from_the_api(
    client,
    data,  # noqa: F811
    ba_che,  # noqa: F811
    binh_lieu,  # noqa: F811
):
    client.force_login(make_user("local_officer", admin_unit=binh_lieu))
    assert client.get(reverse("reports:dashboard")).context["unit"] == binh_lieu
    assert client.get(API, {"kind": "year", "period": "2022"}).json()["unit"]["id"] == binh_lieu.pk
    for other in (ba_che.pk, binh_lieu.province_id, 10**9):
        assert client.get(reverse("reports:dashboard"), {"unit": other}).status_code == 404
        assert client.get(API, {"kind": "year", "period": "2022", "unit": other}).status_code == 404


def test_cold_and_warm_query_counts(client, data, ba_che):  # noqa: F811
    client.force_login(make_user("specialist"))

    def count(url, params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, params).status_code == 200
        return len(captured.captured_queries)

    page = {"unit": ba_che.pk, "year": 2022}
    api = {"kind": "year", "period": "2020", "unit": ba_che.pk}  # not among the page's two years
    assert (count(reverse("reports:dashboard"), page), count(reverse("reports:dashboard"), page)) == PAGE
    assert (count(API, api), count(API, api)) == FIGURES


PAGE, FIGURES = (60, 9), (31, 5)


def test_figures_follow_every_write(client, data, ba_che, binh_lieu):  # noqa: F811
    client.force_login(make_user("specialist"))
    assert allocated(client, ba_che) == 550_000_000
    Allocation.objects.filter(recipient_unit=ba_che).update(amount=1)  # no signal
    assert allocated(client, ba_che) == 1
    Allocation.objects.filter(recipient_unit=ba_che).delete()
    assert allocated(client, ba_che) == 0

    def ordered():
        page = client.get(reverse("reports:dashboard"), {"unit": binh_lieu.pk, "year": 2022})
        return next(r["now"] for r in page.context["rows"] if r["key"] == "tasks.ordered")

    assert ordered() == 4
    Task.objects.filter(ordering_unit=binh_lieu).first().delete()
    assert ordered() == 3


def test_scopes_do_not_share_figures(client, data, ba_che, binh_lieu):  # noqa: F811
    officer = make_user("local_officer", admin_unit=binh_lieu)
    specialist = make_user("specialist")
    client.force_login(specialist)
    client.get(reverse("reports:dashboard"), {"unit": binh_lieu.pk, "year": 2022})
    client.force_login(officer)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("reports:dashboard"), {"unit": binh_lieu.pk, "year": 2022})
    # Computed for the officer's own scope, not read from the specialist's entry.
    assert len(captured.captured_queries) > 20


def test_the_cached_figures_follow_the_tables_of_other_apps_a_section_reads():
    """The registries section reads products, IP assets and S&T enterprises: a change to them must
    move the figures' version (a section that says nothing follows every table)."""
    from stims.core import aggregates
    from stims.reports import sections

    depends_on = [d for r in sections.registered() for d in (r.depends_on or ["*"])]
    tables = set(aggregates.tables_of(depends_on))
    assert {"products_product", "ip_ipasset", "enterprises_stenterprise", "sttasks_task"} <= tables
