"""N+1 guards (issue #20): every list page and every API list endpoint runs the same number of SQL
queries whatever the number of rows it shows, and that number is pinned here.

Over the demo data (a record of every domain model), as a superuser (who sees every row): each page is
asked once to warm the process's caches, then with one row a page, then — after the rows of its model
have been copied so that there are several — with every row on one page. Both must run the number of
queries in `PINNED` (a change shows up in review: a page that needs one more query says so here).
"""

import copy
import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from stims.core import api_pagination
from stims.core.views import registered_views

pytestmark = pytest.mark.django_db

COPIES = 3  # copies of each row of a model with few rows (at most MODEL_ROWS of them are copied)
MODEL_ROWS = 4

# Queries per page (the session and the user included), whatever the rows shown.
PINNED: dict[str, int] = {
    "meetings:workingsession_list": 4,
    "meetings:localityrequest_list": 5,
    "meetings:directive_list": 5,
    "accounts:user_list": 12,
    "geo:adminunit_list": 6,  # 14,000+ units: past LATE_ROWS_ABOVE, the page's keys, then its rows
    "orgs:organization_list": 5,
    "orgs:person_list": 6,
    "orgs:localbody_list": 5,
    "products:product_list": 6,
    "ip:ipasset_list": 7,
    "enterprises:stenterprise_list": 4,
    "enterprises:startup_list": 3,
    "registries:target_list": 4,
    "sttasks:task_list": 8,
    "sttasks:call_list": 6,
    "councils:council_list": 4,
    "councils:criteriaset_list": 4,
    "funding:allocation_list": 6,
    "results:taskresult_list": 4,
    "iso:isorecord_list": 4,
    "initiatives:initiative_list": 5,
    "initiatives:councilround_list": 4,
    "reports:report_list": 6,
    "reports:reporttemplate_list": 3,
    "programmes:plan_list": 4,
    "programmes:legaldocument_list": 4,
    "programmes:agreement_list": 4,
    "programmes:activity_list": 4,
    "programmes:bodymeeting_list": 4,
    "programmes:localofficer_list": 4,
    "innovation:framework_list": 4,
    # Past LATE_ROWS_ABOVE (the demo's index values): the frameworks' indicators, the keys, then the rows.
    "innovation:indicatorvalue_list": 7,
    "inspections:establishment_list": 6,
    "inspections:inspectionplan_list": 5,
    "inspections:inspection_list": 6,
    "inspections:violation_list": 6,
    "inspections:measuringinstrument_list": 4,
    "inspections:radiationlicence_list": 4,
    "portal:newsarticle_list": 5,
    "portal:newscategory_list": 4,
    "portal:newstag_list": 4,
    "portal:publicsession_list": 4,
    "portal:portalproposal_list": 3,
    "api:adminunit-list": 4,
    "api:organization-list": 4,
    "api:person-list": 4,
    "api:position-list": 4,
    "api:localbody-list": 4,
    "api:localbodymember-list": 4,
    "api:productgroup-list": 4,
    "api:starband-list": 4,
    "api:product-list": 4,
    "api:ocopevaluation-list": 4,
    "api:traceability-list": 4,
    "api:labellingguidance-list": 4,
    "api:qualitydeclaration-list": 3,
    "api:iptype-list": 4,
    "api:ipstatus-list": 4,
    "api:ipasset-list": 5,
    "api:ipstatusevent-list": 4,
    "api:iprenewal-list": 4,
    "api:ipauthorizeduser-list": 4,
    "api:stenterprise-list": 4,
    "api:strevenueshare-list": 3,
    "api:stincentive-list": 3,
    "api:startup-list": 3,
    "api:startupfounder-list": 3,
    "api:startupsupport-list": 3,
    "api:target-list": 3,
    "api:figures-list": 14,
    "api:task-list": 4,
    "api:taskmember-list": 3,
    "api:document-list": 4,
    "api:progressreport-list": 4,
    "api:taskevent-list": 4,
    "api:workflowstate-list": 4,
    "api:workflowtransition-list": 5,
    "api:tasktype-list": 4,
    "api:programme-list": 4,
    "api:sciencefield-list": 4,
    "api:documentkind-list": 4,
    "api:call-list": 4,
    "api:ratinglevel-list": 4,
    "api:criteriaset-list": 5,
    "api:criterion-list": 4,
    "api:council-list": 4,
    "api:councilmember-list": 4,
    "api:councildossier-list": 4,
    "api:scoresheet-list": 5,
    "api:budgetline-list": 4,
    "api:tranche-list": 4,
    "api:disbursement-list": 4,
    "api:settlement-list": 4,
    "api:allocation-list": 4,
    "api:allocationspending-list": 4,
    "api:taskresult-list": 4,
    "api:handover-list": 4,
    "api:applicationreport-list": 4,
    "api:workingsession-list": 4,
    "api:participant-list": 4,
    "api:agendaitem-list": 3,
    "api:sessiondocument-list": 3,
    "api:sessionfigure-list": 4,
    "api:localityrequest-list": 4,
    "api:directive-list": 5,
    "api:directivereport-list": 4,
    "api:directiveevent-list": 4,
    "api:sector-list": 4,
    "api:violationtype-list": 4,
    "api:establishment-list": 4,
    "api:inspectionplan-list": 4,
    "api:inspectiondecision-list": 4,
    "api:inspection-list": 5,
    "api:inspectionevent-list": 4,
    "api:violation-list": 4,
    "api:sanction-list": 4,
    "api:followup-list": 4,
    "api:measuringinstrument-list": 4,
    "api:radiationsource-list": 4,
    "api:radiationlicence-list": 4,
    "api:isorecord-list": 4,
    "api:isoactivity-list": 4,
    "api:isocheck-list": 4,
    "api:initiative-list": 5,
    "api:initiativeauthor-list": 4,
    "api:councilround-list": 4,
    "api:roundmember-list": 4,
    "api:initiativesheet-list": 4,
    "api:report-list": 3,
    "api:report-figures-list": 42,
    "api:plan-list": 4,
    "api:plantarget-list": 4,
    "api:progressentry-list": 3,
    "api:planlink-list": 4,
    "api:legaldocument-list": 4,
    "api:documentlink-list": 3,
    "api:documentreview-list": 3,
    "api:agreement-list": 5,
    "api:commitment-list": 4,
    "api:agreementreview-list": 3,
    "api:activity-list": 4,
    "api:bodymeeting-list": 4,
    "api:localofficer-list": 4,
    "api:framework-list": 4,
    "api:indicator-list": 4,
    "api:indicatorvalue-list": 4,
}

# Lists that still run a query per row, each for a reason; pinned above with one row shown.
PER_ROW = {
    "api:initiative-list": "average_score: one aggregate over the initiative's score sheets per row",
    "api:plantarget-list": "achieved: counted per target from the records its measure names",
}

# Lists the guard cannot show several rows of: the demo data has no row of them (or one, that the copy
# cannot repeat). Their count is pinned all the same.
FEW_ROWS = {
    "enterprises:stenterprise_list": "one certificate per organization (a one-to-one key)",
    "api:stenterprise-list": "one certificate per organization (a one-to-one key)",
    "enterprises:startup_list": "no demo row",
    "registries:target_list": "no demo row",
    "reports:report_list": "a form page listing the reports made, not a table",
    "reports:reporttemplate_list": "a form page listing the templates, not a table",
    "portal:portalproposal_list": "no demo row",
    "api:qualitydeclaration-list": "no demo row",
    "api:strevenueshare-list": "no demo row",
    "api:stincentive-list": "no demo row",
    "api:startup-list": "no demo row",
    "api:startupfounder-list": "no demo row",
    "api:startupsupport-list": "no demo row",
    "api:target-list": "no demo row",
    "api:taskmember-list": "no demo row",
    "api:agendaitem-list": "no demo row",
    "api:sessiondocument-list": "no demo row",
    "api:report-list": "no demo row",
    "api:progressentry-list": "no demo row",
    "api:documentlink-list": "no demo row",
    "api:documentreview-list": "no demo row",
    "api:agreementreview-list": "no demo row",
}


def list_pages() -> list[tuple[str, str, type]]:
    """(name, URL, model) of every registered list page."""
    get_resolver().url_patterns  # noqa: B018 (imports every views module: the registry fills)
    pages = []
    for registered in registered_views():
        if registered.name != "list":
            continue
        opts = registered.model._meta
        name = f"{opts.app_label}:{registered.url_name}"
        pages.append((name, reverse(name), registered.model))
    return pages


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", pattern


def api_lists() -> list[tuple[str, str, type]]:
    """(name, URL, model) of every list endpoint of the API's router."""
    found = []
    for name, pattern in _walk(get_resolver().url_patterns):
        view = getattr(pattern.callback, "cls", None)
        actions = getattr(pattern.callback, "actions", None) or {}
        if not name.startswith("api:") or not name.endswith("-list") or actions.get("get") != "list":
            continue
        queryset = getattr(view, "queryset", None)
        model = queryset.model if queryset is not None else None
        found.append((name, reverse(name), model))
    return found


# --- More rows of a model -------------------------------------------------------------------------------


def _unique_names(model) -> set[str]:
    meta = model._meta
    names = {f.name for f in meta.concrete_fields if f.unique and not f.primary_key}
    for together in meta.unique_together:
        names.update(together)
    for constraint in meta.constraints:
        names.update(getattr(constraint, "fields", ()) or ())
    return names


def _changed(field, value, n: int):
    """A value of `field` unlike `value`, for copy number `n`."""
    if value is None:
        return None
    if isinstance(field, (models.CharField, models.TextField)):
        suffix = f" ({n})"
        limit = getattr(field, "max_length", None) or 10_000
        return f"{value[: limit - len(suffix)]}{suffix}"
    if isinstance(field, models.DateTimeField):
        return value + datetime.timedelta(days=n)
    if isinstance(field, models.DateField):
        return value + datetime.timedelta(days=n)
    if isinstance(field, models.DecimalField):
        return value + Decimal(n)
    if isinstance(field, (models.IntegerField, models.FloatField)):
        return value + 1000 * n
    return value


def copy_rows(model) -> int:
    """Copies of the first rows of `model` (their many-to-many links too), saved one by one as the pages
    would save them; a row that cannot be copied (another unique key) is left. Returns how many were
    added."""
    manager = model._default_manager
    if manager.count() >= MODEL_ROWS * 2:
        return 0
    unique = _unique_names(model)
    added = 0
    for row in list(manager.order_by("pk")[:MODEL_ROWS]):
        links = {
            field.name: list(getattr(row, field.name).all())
            for field in model._meta.many_to_many
            if field.remote_field.through._meta.auto_created
        }
        for n in range(1, COPIES + 1):
            twin = copy.copy(row)
            twin.pk = None
            twin._state = copy.copy(row._state)
            twin._state.adding = True
            for field in model._meta.concrete_fields:
                if field.primary_key:
                    continue
                if field.name in unique and not field.is_relation:
                    setattr(twin, field.attname, _changed(field, getattr(row, field.attname), n))
            try:
                with transaction.atomic():
                    twin.save()
                    for name, targets in links.items():
                        getattr(twin, name).set(targets)
            except (IntegrityError, ValueError, TypeError):
                continue
            added += 1
    return added


# --- Counting -------------------------------------------------------------------------------------------


def _rows_shown(response) -> int:
    """How many records the response shows: the rows of its table, else of its page of records (HTML),
    else of its `results` (JSON)."""
    if not response["Content-Type"].startswith("application/json"):
        context = response.context
        table = context.get("table") if context is not None else None
        if table is not None:
            return len(table.page.object_list) if hasattr(table, "page") else len(table.rows)
        for name in ("page_obj", "object_list"):
            rows = context.get(name) if context is not None else None
            if rows is not None:
                return len(getattr(rows, "object_list", rows))
        return -1
    data = response.json()
    return len(data["results"]) if isinstance(data, dict) and "results" in data else len(data)


def count_queries(client, url: str, **params) -> tuple[int, int, int]:
    """(queries, rows shown, HTTP status) of one GET."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    sql = [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))
    ]
    return len(sql), _rows_shown(response) if response.status_code == 200 else 0, response.status_code


def walk(client, pages, few: dict, many: dict):
    """{name: ((queries, rows, status) with one row a page, (…) with every row on one page after the
    rows of its model were copied)}."""
    found = {}
    for name, url, model in pages:
        client.get(url, few)  # warm the process's caches (content types, permissions, templates)
        cache.clear()  # cached figures (core.aggregates) are counted cold: as computed
        one = count_queries(client, url, **few)
        if model is not None:
            copy_rows(model)
        cache.clear()
        more = count_queries(client, url, **many)
        found[name] = (one, more)
    return found


def check(found: dict, kind: str):
    problems = []
    for name, ((q_one, rows_one, status_one), (q_more, rows_more, status_more)) in found.items():
        if status_one != 200 or status_more != 200:
            problems.append(f"{name}: HTTP {status_one}/{status_more}")
            continue
        if name in PER_ROW:
            if PINNED.get(name) != q_one:
                problems.append(f"{name}: {q_one} queries for one row, pinned {PINNED.get(name)}")
            continue
        if q_one != q_more:
            problems.append(f"{name}: {q_one} queries for {rows_one} row(s), {q_more} for {rows_more}")
        if PINNED.get(name) != q_more:
            problems.append(f"{name}: {q_more} queries, pinned {PINNED.get(name)}")
        if rows_more < 2 and name not in FEW_ROWS:
            problems.append(f"{name}: only {rows_more} row(s) shown with more rows: the guard proves nothing")
    missing = {name for name in PINNED if name.startswith("api:") == kind.startswith("API")} - set(found)
    problems += [f"{name}: pinned but not found" for name in sorted(missing)]
    assert not problems, f"{kind}:\n" + "\n".join(problems)


def test_every_list_page_runs_a_fixed_number_of_queries(superuser_client):
    pages = list_pages()
    assert len(pages) > 40
    found = walk(superuser_client, pages, {"per_page": "1"}, {"per_page": "500"})
    check(found, "list pages")


def test_every_api_list_runs_a_fixed_number_of_queries(superuser_client, monkeypatch):
    pages = api_lists()
    assert len(pages) > 50
    found = {}
    for page in pages:
        monkeypatch.setattr(api_pagination.Pagination, "page_size", 1)
        name, url, model = page
        superuser_client.get(url)
        cache.clear()  # cached figures (core.aggregates) are counted cold: as computed
        one = count_queries(superuser_client, url)
        if model is not None:
            copy_rows(model)
        monkeypatch.setattr(api_pagination.Pagination, "page_size", 500)
        cache.clear()
        more = count_queries(superuser_client, url)
        found[name] = (one, more)
    check(found, "API lists")
