"""The whole permission matrix, end to end: every role × every model with pages or an API endpoint ×
every action, on the pages and on the API, against one table written out from docs/roles.md ("Roles
and permissions").

The table below is held here on purpose, not read from `ROLE_MATRIX`: a change to `ROLE_MATRIX` that
the documentation does not follow fails `test_the_documented_table_is_role_matrix`, and a page or an
endpoint that does not apply the table fails the end-to-end tests, which report every mismatching cell
at once (role / model / action / channel).

The records are the demo data (`stims demo`: every domain, in Quảng Ninh and four other provinces),
built once for the module inside a transaction that is rolled back at the end. A unit-scoped local
officer of Huyện Ba Chẽ gets one record of their own district (in scope) and one of another province
(out of scope) for each model, picked by the record's unit, independently of the permission layer.

The actions beyond view/add/change/delete — each a named rule (`stims.core.rules`) — have their own
table, one column per role, in `test_rule_matrix.py`, which drives every path of each rule the same way.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from stims.core import permissions
from stims.demo.home import HANDOVER_RECORD as HOME_HANDOVER
from stims.geo.models import AdminUnit
from stims.testing import make_user, unit

V, A, C, D = "view", "add", "change", "delete"
READ, WRITE, FULL = {V}, {V, A, C}, {V, A, C, D}
ACTIONS = (V, A, C, D)

# --- The documented table (docs/roles.md, "Roles and permissions") ------------------------------------
# role -> (default for every model not named, {model label: actions}).
DOCUMENTED: dict[str, tuple[set[str], dict[str, set[str]]]] = {
    # "everything in scope | adds, edits, deletes"; units and users are reference data, read only.
    "leader": (FULL, {"geo.adminunit": READ, "accounts.user": READ}),
    # "everything in scope | adds and edits"
    # (inspections, their decisions, violations, sanctions and follow-ups: reads only)
    "specialist": (
        WRITE,
        {
            "geo.adminunit": READ,
            "accounts.user": READ,
            "inspections.inspectionplan": READ,
            "inspections.inspectiondecision": READ,
            "inspections.inspection": READ,
            "inspections.inspectionevent": READ,
            "inspections.violation": READ,
            "inspections.sanction": READ,
            "inspections.followup": READ,
            "reports.reporttemplate": READ,
        },
    ),
    # "everything in scope | records labelling guidance; records establishments, inspection plans, decisions,
    # inspections, violations, sanctions, follow-ups, measuring instruments and radiation sources and licences"
    "inspector": (
        READ,
        {
            "products.labellingguidance": WRITE,
            "inspections.establishment": WRITE,
            "inspections.inspectionplan": WRITE,
            "inspections.inspectiondecision": WRITE,
            "inspections.inspection": WRITE,
            "inspections.inspectionevent": READ,
            "inspections.violation": WRITE,
            "inspections.sanction": WRITE,
            "inspections.followup": WRITE,
            "inspections.measuringinstrument": WRITE,
            "inspections.radiationsource": WRITE,
            "inspections.radiationlicence": WRITE,
            "reports.report": WRITE,
        },
    ),
    # "the directory, registries and S&T tasks of their unit, and the results handed over to it | adds
    # and edits organizations, people, local bodies, products, IP assets, startups; proposes tasks and
    # attaches their papers; reports where results are applied and what the locality spent of its S&T
    # allocation; reads S&T enterprise certificates and targets; keeps its agencies' ISO 9001 records
    # (reads the department's checks) and submits initiatives with their authors; reads the plans, documents
    # and agreements covering it, enters progress on their targets with evidence, and keeps its outreach and
    # training activities, its S&T bodies' meetings and its S&T officers"
    # (reads the department's checks) and submits initiatives with their authors; enters its unit's
    # innovation-index indicator values with their evidence"
    "local_officer": (
        set(),
        {
            "geo.adminunit": READ,
            "orgs.organization": WRITE,
            "orgs.person": WRITE,
            "orgs.position": WRITE,
            "orgs.localbody": WRITE,
            "orgs.localbodymember": WRITE,
            "products.product": WRITE,
            "products.ocopevaluation": WRITE,
            "products.traceability": WRITE,
            "products.labellingguidance": READ,
            "products.qualitydeclaration": WRITE,
            "ip.ipasset": WRITE,
            "ip.ipstatusevent": WRITE,
            "ip.iprenewal": WRITE,
            "ip.ipauthorizeduser": WRITE,
            "enterprises.stenterprise": READ,
            "enterprises.strevenueshare": READ,
            "enterprises.stincentive": READ,
            "enterprises.startup": WRITE,
            "enterprises.startupfounder": WRITE,
            "enterprises.startupsupport": WRITE,
            "registries.target": READ,
            "sttasks.task": WRITE,
            "sttasks.taskmember": WRITE,
            "sttasks.document": WRITE,
            "sttasks.taskevent": READ,
            "sttasks.progressreport": READ,
            "sttasks.call": READ,
            "funding.budgetline": READ,
            "funding.tranche": READ,
            "funding.disbursement": READ,
            "funding.settlement": READ,
            "funding.allocation": READ,
            "funding.allocationspending": WRITE,
            "results.taskresult": READ,
            "results.handover": READ,
            "results.applicationreport": WRITE,
            "meetings.workingsession": READ,
            "meetings.participant": READ,
            "meetings.agendaitem": READ,
            "meetings.sessiondocument": READ,
            "meetings.sessionfigure": READ,
            "meetings.localityrequest": READ,
            "meetings.directive": READ,
            "meetings.directivegroup": READ,
            "meetings.directivereport": WRITE,
            "meetings.directiveevent": READ,
            "iso.isorecord": WRITE,
            "iso.isoactivity": WRITE,
            "iso.isocheck": READ,
            "initiatives.initiative": WRITE,
            "initiatives.initiativeauthor": WRITE,
            "initiatives.councilround": READ,
            "initiatives.roundmember": READ,
            "initiatives.scoresheet": READ,
            "reports.report": WRITE,
            "programmes.plan": READ,
            "programmes.target": READ,
            "programmes.progressentry": WRITE,
            "programmes.planlink": READ,
            "programmes.legaldocument": READ,
            "programmes.documentlink": READ,
            "programmes.documentreview": READ,
            "programmes.agreement": READ,
            "programmes.commitment": READ,
            "programmes.agreementreview": READ,
            "programmes.activity": WRITE,
            "programmes.bodymeeting": WRITE,
            "programmes.localofficer": WRITE,
            "innovation.indicatorvalue": WRITE,
        },
    ),
    # "organizations, people, tasks, councils and initiatives | enters their own score sheets"
    "council_member": (
        set(),
        {
            "geo.adminunit": READ,
            "orgs.organization": READ,
            "orgs.person": READ,
            "sttasks.task": READ,
            "sttasks.document": READ,
            "sttasks.call": READ,
            "councils.council": READ,
            "councils.councilmember": READ,
            "councils.councildossier": READ,
            "councils.criteriaset": READ,
            "councils.criterion": READ,
            "councils.scoresheet": WRITE,
            "initiatives.initiative": READ,
            "initiatives.initiativeauthor": READ,
            "initiatives.councilround": READ,
            "initiatives.roundmember": READ,
            "initiatives.scoresheet": WRITE,
        },
    ),
    # "everything in scope | —"
    "viewer": (READ, {}),
}
ROLES = tuple(DOCUMENTED)
DOMAIN_APPS = (
    "geo",
    "orgs",
    "products",
    "ip",
    "enterprises",
    "registries",
    "sttasks",
    "councils",
    "funding",
    "results",
    "meetings",
    "inspections",
    "iso",
    "initiatives",
    "programmes",
    "innovation",
)

pytestmark = pytest.mark.slow


def written(role: str, label: str) -> set[str]:
    default, named = DOCUMENTED[role]
    return set(named.get(label, default))


def documented(role: str, label: str) -> set[str]:
    # Reference data every signed-in user with a role may read (docs/roles.md: "Administrative units are
    # reference data every signed-in user can read"; the other reference lists are of the same kind).
    return written(role, label) | (READ if label in permissions.REFERENCE_MODELS else set())


def test_the_documented_table_is_role_matrix():
    from stims.accounts.models import Role

    assert set(DOCUMENTED) == set(Role.values) == set(permissions.ROLE_MATRIX)
    labels = [
        m._meta.label_lower
        for app in (*DOMAIN_APPS, "accounts")
        for m in apps.get_app_config(app).get_models()
    ]
    differences = [
        f"{role} {label}: docs/roles.md {sorted(written(role, label))} ≠ ROLE_MATRIX {sorted(permissions.actions_for(role, label))}"
        for role in ROLES
        for label in labels
        if written(role, label) != set(permissions.actions_for(role, label))
    ]
    assert not differences, "\n".join(differences)


# --- What exists: pages and endpoints per model --------------------------------------------------------


def page_urls() -> dict[str, dict[str, str]]:
    """model label -> {"list"|"detail"|"add"|"edit"|"delete": URL name} for every model with pages."""
    found: dict[str, dict[str, str]] = {}
    for app in DOMAIN_APPS:
        for model in apps.get_app_config(app).get_models():
            for kind in ("list", "detail", "add", "edit", "delete"):
                name = f"{app}:{model._meta.model_name}_{kind}"
                try:
                    reverse(name, args=[] if kind in {"list", "add"} else [1])
                except NoReverseMatch:
                    continue
                found.setdefault(model._meta.label_lower, {})[kind] = name
    return found


def api_endpoints() -> dict[str, dict]:
    """model label -> {"list": name, "detail": name, "methods": {HTTP methods offered}}."""
    from stims import urls as root

    found: dict[str, dict] = {}
    for resolver in root.api_patterns:
        for pattern in getattr(resolver, "url_patterns", ()):
            view = getattr(pattern.callback, "cls", None)
            queryset = getattr(view, "queryset", None)
            if queryset is None or not pattern.name or pattern.name.endswith(("-root",)):
                continue
            kind = pattern.name.rsplit("-", 1)[-1]
            if kind not in {"list", "detail"} or "format" in str(pattern.pattern):
                continue
            entry = found.setdefault(queryset.model._meta.label_lower, {"methods": set()})
            entry[kind] = f"api:{pattern.name}"
            entry["methods"] |= {method.upper() for method in pattern.callback.actions}
    return found


# --- The records ---------------------------------------------------------------------------------------


def _scope_path_filter(model, units_q: Q) -> Q | None:
    path = getattr(model, "scope_unit_path", None)
    if path is None:
        return None
    from stims.geo.models import AdminUnit

    targets = AdminUnit.objects.filter(units_q).values("pk")
    return Q(pk__in=targets) if path == "pk" else Q(**{f"{path}__in": targets})


def records(models: list) -> dict[str, dict[str, object]]:
    """label -> {"any": a record, "mine": one of Huyện Ba Chẽ's, "other": one outside Quảng Ninh}."""
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    own_units = Q(pk=ba_che.pk) | Q(parent=ba_che) | Q(name="Xã Ba Chẽ", generation="current")
    elsewhere = ~Q(province__short_name="Quảng Ninh") & ~Q(short_name="Quảng Ninh")
    found = {}
    for model in models:
        rows = model._default_manager.order_by("pk")
        entry = {"any": rows.first()}
        mine, other = _scope_path_filter(model, own_units), _scope_path_filter(model, elsewhere)
        if mine is not None:
            entry["mine"] = rows.filter(mine).first()
            outside = rows.filter(other).exclude(mine)
            if model._meta.label_lower == "results.taskresult":
                # A result is also the business of the units it was handed over to or applied in (the demo
                # hands one over to Xã Ba Chẽ): "other" is one with no tie to the officer's units at all.
                outside = outside.exclude(handovers__receiving_unit__in=AdminUnit.objects.filter(own_units))
                outside = outside.exclude(
                    applications__admin_unit__in=AdminUnit.objects.filter(own_units)
                ).exclude(handovers__record_number=HOME_HANDOVER)
            entry["other"] = outside.first()
        found[model._meta.label_lower] = entry
    return found


@pytest.fixture(scope="module")
def world(demo_data, django_db_blocker):
    with django_db_blocker.unblock():
        pages, api = page_urls(), api_endpoints()
        models = [apps.get_model(label) for label in sorted(set(pages) | set(api))]
        return {"pages": pages, "api": api, "records": records(models)}


def user_for(role: str | None):
    if role == "anonymous":
        return None
    if role == "local_officer":
        return make_user(role, admin_unit=unit("Huyện Ba Chẽ", legacy=True))
    return make_user(role)


# --- Expectations --------------------------------------------------------------------------------------

ALL_PRINCIPALS = (*ROLES, "no_role", "anonymous")


def granted(principal: str, label: str, action: str, model) -> bool:
    if principal in {"no_role", "anonymous"}:
        return False
    actions = documented(principal, label)
    # A unit-scoped officer reaches only models that say how their rows reach a unit.
    if principal == "local_officer" and getattr(model, "scope_unit_path", None) is None:
        if not (action == V and label in permissions.REFERENCE_MODELS):
            return False
    return action in actions


def record_for(principal: str, entry: dict, which: str):
    if which == "other":
        return entry.get("other")
    if principal == "local_officer":
        return entry.get("mine")
    return entry.get("mine") or entry["any"]


PAGE_KIND = {"list": V, "detail": V, "add": A, "edit": C, "delete": D}


def expected_page_status(principal, label, kind, model, which):
    action = PAGE_KIND[kind]
    if principal == "anonymous":
        return 302
    model_level = granted(principal, label, action, model)
    if not model_level:
        return 403
    if (
        which == "other"
        and kind in {"detail", "edit", "delete"}
        and label not in permissions.REFERENCE_MODELS
    ):
        return 404  # outside the officer's scope: not even its existence is told
    return 200


def parents_of(obj, model) -> dict[str, int]:
    """The record's parents (or, with no record of the model, the first row of each parent model)."""
    found = {}
    for field in model._meta.concrete_fields:
        if not (field.many_to_one or field.one_to_one):
            continue
        if obj is not None:
            value = getattr(obj, field.attname)
        else:
            value = field.related_model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if value is not None:
            found[field.name] = value
    return found


def page_mismatches(client, principal, world) -> list[str]:
    mismatches = []
    for label, names in world["pages"].items():
        model = apps.get_model(label)
        entry = world["records"][label]
        for which in ("in", "other") if principal == "local_officer" else ("in",):
            for kind, name in names.items():
                if kind in {"list", "add"}:
                    if which == "other":
                        continue
                    url = reverse(name)
                    if kind == "add":
                        # Child records are added from their parent's page (…/add/?task=12).
                        url += "?" + urlencode(parents_of(record_for(principal, entry, "in"), model))
                else:
                    obj = record_for(principal, entry, which)
                    if obj is None:
                        continue
                    url = reverse(name, args=[obj.pk])
                response = client.get(url)
                expected = expected_page_status(principal, label, kind, model, which)
                to_login = response.status_code == 302 and response.url.startswith(
                    reverse(settings.LOGIN_URL)
                )
                if expected == 200 and response.status_code == 302 and not to_login:
                    # e.g. "this council has concluded, it cannot be deleted": a rule past the permission check
                    continue
                if response.status_code != expected or (expected == 302 and not to_login):
                    mismatches.append(
                        f"{principal} {label} {kind} page ({which} scope) {url}: expected {expected}, got {response.status_code}"
                    )
    return mismatches


def api_mismatches(client, principal, world) -> list[str]:
    mismatches = []

    def check(label, action, method, url, which, outcome_ok, describe, **kwargs):
        cache.clear()  # rate limits are not what this test is about
        with transaction.atomic():
            response = getattr(client, method)(url, content_type="application/json", **kwargs)
            transaction.set_rollback(True)  # a granted write or delete must not change the shared records
        if not outcome_ok(response.status_code):
            mismatches.append(
                f"{principal} {label} {action} API {method.upper()} ({which} scope) {url}: expected {describe}, "
                f"got {response.status_code}"
            )
        return response

    for label, endpoint in world["api"].items():
        model = apps.get_model(label)
        entry = world["records"][label]
        for which in ("in", "other") if principal == "local_officer" else ("in",):
            if which == "in" and "list" in endpoint:
                url = reverse(endpoint["list"])
                if granted(principal, label, V, model):
                    check(label, V, "get", url, which, lambda s: s == 200, "200")
                else:
                    check(label, V, "get", url, which, refused(principal), refusal(principal))
                if "POST" in endpoint["methods"]:
                    if granted(principal, label, A, model):
                        check(label, A, "post", url, which, passed, "2xx or 400", data={})
                    else:
                        check(label, A, "post", url, which, refused(principal), refusal(principal))
            obj = record_for(principal, entry, which)
            if obj is None or "detail" not in endpoint:
                continue
            url = reverse(endpoint["detail"], args=[obj.pk])
            hidden = which == "other"
            for action, method in ((V, "get"), (C, "patch"), (D, "delete")):
                if method.upper() not in endpoint["methods"]:
                    continue
                headers = {}
                if method == "patch":
                    etag = client.get(url).headers.get("ETag")
                    if etag:
                        headers["HTTP_IF_MATCH"] = etag
                if not granted(principal, label, action, model):
                    check(
                        label, action, method, url, which, refused(principal), refusal(principal), **headers
                    )
                elif hidden and label not in permissions.REFERENCE_MODELS:
                    check(label, action, method, url, which, lambda s: s == 404, "404", **headers)
                else:
                    check(
                        label,
                        action,
                        method,
                        url,
                        which,
                        passed,
                        "2xx or 400",
                        **({"data": {}} if method == "patch" else {}),
                        **headers,
                    )
    return mismatches


def passed(status: int) -> bool:
    """Got through the permission layer: success, a validation refusal of the (empty) payload, or a
    refusal by a rule past it (409: other records refer to it; 428: the change must say which version
    it read). A 5xx is a crash, never a pass."""
    return 200 <= status < 300 or status in {400, 409, 428}


def refused(principal):
    if principal == "anonymous":
        return lambda status: status in {401, 403}
    return lambda status: status == 403


def refusal(principal):
    return "401/403" if principal == "anonymous" else "403"


@pytest.fixture
def client_as(client, world):
    def sign_in(principal):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.raise_request_exception = False  # a crash is a mismatch to report, not the end of the run
        user = user_for(None if principal == "no_role" else principal)
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.mark.django_db
@pytest.mark.parametrize("principal", ALL_PRINCIPALS)
def test_pages_follow_the_documented_table(client_as, world, principal):
    mismatches = page_mismatches(client_as(principal), principal, world)
    assert not mismatches, f"{len(mismatches)} cells differ:\n" + "\n".join(mismatches)


@pytest.mark.django_db
@pytest.mark.parametrize("principal", ALL_PRINCIPALS)
def test_the_api_follows_the_documented_table(client_as, world, principal):
    mismatches = api_mismatches(client_as(principal), principal, world)
    assert not mismatches, f"{len(mismatches)} cells differ:\n" + "\n".join(mismatches)


@pytest.mark.django_db
def test_the_local_officer_has_records_on_both_sides_of_their_scope(world):
    """The scoped checks above are only as good as the records: the officer's district and another
    province both have rows of the main registries, tasks and sessions."""
    for label in (
        "orgs.organization",
        "products.product",
        "ip.ipasset",
        "sttasks.task",
        "meetings.directive",
    ):
        entry = world["records"][label]
        assert entry.get("mine") is not None and entry.get("other") is not None, label
