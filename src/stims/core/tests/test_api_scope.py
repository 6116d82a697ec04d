"""Related fields in the API offer and accept only what the user may pick, as the pages' forms do
(issue #12, findings 1 and 4): the browsable API lists nothing out of scope, and a write naming a record
the user may not pick is refused with a 400 that changes nothing and names nothing.

Over the demo data, as the local officer of old Huyện Bình Liêu (`canbo.binhlieu`)."""

from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.urls import URLResolver
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.views import APIView

from stims.accounts.models import User, department_staff
from stims.core import permissions
from stims.core.tests.versions import if_match
from stims.ip.models import IpAsset
from stims.orgs.models import Organization, Person, Position
from stims.products.models import Product
from stims.sttasks.models import Task, WorkflowState

pytestmark = pytest.mark.django_db

OFFICER = "canbo.binhlieu"


@pytest.fixture
def officer(demo_data):
    return User.objects.get(username=OFFICER)


@pytest.fixture
def api(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def browsable(monkeypatch):
    """The browsable API on, as with DEBUG or STIMS_BROWSABLE_API. (The views took their renderers
    from the settings when their classes were built, so the class attribute is what is switched.)"""
    monkeypatch.setattr(APIView, "renderer_classes", [JSONRenderer, BrowsableAPIRenderer])


def list_endpoints() -> list[str]:
    """Every list URL of the API: each router's collection routes."""
    from stims.urls import api_patterns

    paths = []
    for entry in api_patterns:
        if not isinstance(entry, URLResolver):
            continue
        prefix = str(entry.pattern)
        for route in entry.url_patterns:
            actions = getattr(route.callback, "actions", None) or {}
            regex = route.pattern.regex.pattern
            if actions.get("get") == "list" and "(?P<format>" not in regex:
                paths.append(f"/api/{prefix}{regex.lstrip('^').rstrip('$')}")
    return paths


def hidden(model, user, *fields) -> set[str]:
    """The names (`fields`) of the records of `model` that `user` may not see."""
    visible = permissions.restrict(model._default_manager.all(), user, permissions.VIEW)
    out = model._default_manager.exclude(pk__in=visible.values("pk"))
    return {value for name in fields for value in out.values_list(name, flat=True) if value}


SCOPED_APPS = tuple(
    f"{app}."
    for app in (
        "accounts",
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
        "drafting",
    )
)


def visible_texts(user) -> list[str]:
    """How every record the user may see or pick is shown: a name out of scope that one of them
    mentions (a session held with two districts) tells nothing by appearing in the page."""
    texts = [str(staff) for staff in department_staff()]
    for model in apps.get_models():
        label = permissions.label_of(model)
        if label.startswith(SCOPED_APPS) and not label.split(".")[1].startswith("historical"):
            visible = permissions.restrict(model._default_manager.all(), user, permissions.VIEW)
            texts += [str(obj) for obj in visible]
    return texts


def out_of_scope_names(user) -> set[str]:
    names = (
        hidden(Person, user, "full_name")
        | hidden(Organization, user, "name")
        | hidden(Task, user, "code", "title")
        | hidden(Product, user, "name")
        | hidden(IpAsset, user, "name")
    )
    # Users: the department's staff are offered as a task's officer in charge (as on the task form).
    visible = permissions.restrict(User.objects.all(), user, permissions.VIEW).values("pk")
    others = User.objects.exclude(pk__in=visible).exclude(pk__in=department_staff()).exclude(pk=user.pk)
    names |= {str(other) for other in others}
    texts = visible_texts(user)
    return {name for name in names if len(name) > 3 and not any(name in text for text in texts)}


def leaked(content: str, names: set[str]) -> set[str]:
    """The `names` in the page outside the response it shows (the visible records, whose free text may
    well mention a record of another district): in its forms, filters and links."""
    content = re.sub(r'<div class="response-info".*?</pre>', "", content, count=1, flags=re.DOTALL)
    return {name for name in names if name in content or html.escape(name) in content}


@pytest.mark.slow  # every browsable API list as a local officer (6 s): a proof for CI's slow tier
def test_the_browsable_api_lists_nothing_out_of_scope(api, officer, browsable):
    names = out_of_scope_names(officer)
    # The demo data holds records of other districts of every kind checked.
    assert len(names) > 100 and "Triệu Văn Long" in names  # canbo.bache, the officer of Ba Chẽ
    endpoints = list_endpoints()
    assert len(endpoints) > 50 and "/api/orgs/positions/" in endpoints
    leaks = {}
    for path in endpoints:
        response = api.get(path, HTTP_ACCEPT="text/html")
        assert response.status_code in (200, 403), path
        assert response["Content-Type"].startswith("text/html"), path
        found = leaked(response.content.decode(), names)
        if found:
            leaks[path] = sorted(found)[:5]
    assert not leaks


def filter_form(page: str) -> str:
    """The browsable API's filter form (DRF's "Filters" dialog)."""
    start = page.index('id="filtersModal"')
    return page[start : page.index("</form>", start)]


def test_the_browsable_apis_filter_form_asks_for_the_id_of_a_record_and_lists_only_reference_choices(
    client, officer, browsable, django_assert_max_num_queries
):
    """A filter by a unit (13,000 of them, each label naming its province) or by any record that is not a
    small reference list is an id box: listed, they made the application reports' page 12 s of CPU and
    1.2 MB. Reference lists (sectors) and a field's own choices (statuses) stay selects."""
    client.force_login(officer)
    with django_assert_max_num_queries(30):
        page = client.get("/api/results/applications/", HTTP_ACCEPT="text/html").content.decode()
    form = filter_form(page)
    for name in ("unit", "result"):
        assert f'<input type="text" name="{name}"' in form and f'<select name="{name}"' not in form
    assert '<select name="status"' in form
    client.force_login(User.objects.get(username="lanhdao"))
    form = filter_form(client.get("/api/inspections/plans/", HTTP_ACCEPT="text/html").content.decode())
    assert '<select name="sector"' in form and '<input type="text" name="admin_unit"' in form


def test_a_browsable_api_form_lists_units_with_their_provinces_in_one_query(
    client, browsable, django_assert_max_num_queries
):
    """The leader's form to add a handover offers 1,000 units (DRF's cut-off), each label naming the
    unit's province: fetched with the units (`label_select_related`), not two queries per option."""
    client.force_login(User.objects.get(username="lanhdao"))
    with django_assert_max_num_queries(40):
        page = client.get("/api/results/handovers/", HTTP_ACCEPT="text/html").content.decode()
    assert page.count("<option") > 1000


def test_an_api_filter_takes_the_officers_own_record_and_refuses_one_outside(api, officer):
    """The filter form's id boxes (above) accept what the officer may pick, as the lists of choices did:
    positions by a person of the officer's district; a person elsewhere is the standard "not one of the
    available choices" 400, which names nobody."""
    own = permissions.restrict(Person.objects.filter(positions__isnull=False), officer).first()
    answer = api.get(f"/api/orgs/positions/?person={own.pk}")
    assert answer.status_code == 200 and answer.json()["count"] >= 1
    assert {row["person"] for row in answer.json()["results"]} == {own.pk}
    outside = elsewhere(Person, officer)
    refused = api.get(f"/api/orgs/positions/?person={outside.pk}")
    assert refused.status_code == 400 and "person" in refused.json()["errors"]
    assert outside.full_name not in refused.content.decode()


def elsewhere(model, user, **filters):
    visible = permissions.restrict(model._default_manager.all(), user, permissions.VIEW)
    return model._default_manager.filter(**filters).exclude(pk__in=visible.values("pk")).first()


def own(model, user, **filters):
    return permissions.restrict(model._default_manager.filter(**filters), user, permissions.CHANGE).first()


def test_a_position_for_a_person_out_of_scope_is_refused(api, officer):
    person = elsewhere(Person, officer)
    organization = own(Organization, officer)
    before = Position.objects.count()
    response = api.post(
        "/api/orgs/positions/",
        {"person": person.pk, "organization": organization.pk, "title": "Thành viên"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "person" in response.json()["errors"]
    assert Position.objects.count() == before
    assert person.full_name not in response.content.decode()


def test_a_bulk_of_positions_with_one_person_out_of_scope_creates_none(api, officer):
    person = elsewhere(Person, officer)
    mine = permissions.restrict(Person.objects.all(), officer, permissions.CHANGE).first()
    organization = own(Organization, officer)
    before = Position.objects.count()
    batch = [
        {"person": mine.pk, "organization": organization.pk, "title": "Thành viên"},
        {"person": person.pk, "organization": organization.pk, "title": "Thành viên"},
    ]
    response = api.post("/api/orgs/positions/", batch, content_type="application/json")
    assert response.status_code == 400
    assert [sorted(errors) for errors in response.json()["errors"]] == [[], ["person"]]
    assert Position.objects.count() == before
    assert person.full_name not in response.content.decode()


def test_a_product_cannot_name_a_producer_out_of_scope(api, officer):
    product = own(Product, officer, producer__isnull=False)
    producer = elsewhere(Organization, officer)
    response = api.patch(
        f"/api/products/products/{product.pk}/",
        {"producer": producer.pk},
        content_type="application/json",
        **if_match(product),
    )
    assert response.status_code == 400 and "producer" in response.json()["errors"]
    assert Product.objects.get(pk=product.pk).producer_id == product.producer_id
    assert producer.name not in response.content.decode()


def test_a_tasks_officer_in_charge_is_one_of_the_department_staff(api, client, officer):
    # The officer's own proposal, not yet sent: the demo's Bình Liêu tasks have all been ordered by now,
    # so one of them is copied back to a fresh proposal.
    task = own(Task, officer, state__phase="preparation")
    task.pk, task.code, task.submitted_at = None, None, None
    task.state = WorkflowState.objects.get(code="proposed")
    task.save()
    other_district = User.objects.get(username="canbo.bache")
    response = api.patch(
        f"/api/tasks/tasks/{task.pk}/",
        {"officer": other_district.pk},
        content_type="application/json",
        **if_match(task),
    )
    assert response.status_code == 400 and "officer" in response.json()["errors"], (
        task,
        task.state,
        response.content,
    )
    assert Task.objects.get(pk=task.pk).officer_id == task.officer_id
    assert str(other_district) not in response.content.decode()
    # Not even the department names someone off its staff (as on the task form); one of them it does.
    client.force_login(User.objects.get(username="chuyenvien"))
    response = client.patch(
        f"/api/tasks/tasks/{task.pk}/",
        {"officer": other_district.pk},
        content_type="application/json",
        **if_match(task),
    )
    assert response.status_code == 400 and "officer" in response.json()["errors"]
    assert Task.objects.get(pk=task.pk).officer_id == task.officer_id
    staff = department_staff().exclude(pk=task.officer_id).first()
    response = client.patch(
        f"/api/tasks/tasks/{task.pk}/",
        {"officer": staff.pk},
        content_type="application/json",
        **if_match(task),
    )
    assert response.status_code == 200, response.content
    assert Task.objects.get(pk=task.pk).officer_id == staff.pk


# (form, serializer) pairs over the same model; the fields both have are compared.
def pairs():
    from stims.ip.api import IpAuthorizedUserSerializer
    from stims.ip.forms import IpAuthorizedUserForm
    from stims.meetings.api import DirectiveSerializer
    from stims.meetings.forms import DirectiveForm
    from stims.orgs.api import OrganizationSerializer, PositionSerializer
    from stims.orgs.forms import OrganizationForm, PositionForm
    from stims.products.api import ProductSerializer
    from stims.products.forms import ProductForm
    from stims.results.api import ApplicationReportSerializer, HandoverSerializer, TaskResultSerializer
    from stims.results.forms import ApplicationReportForm, HandoverForm, TaskResultForm
    from stims.sttasks.api import TaskMemberSerializer, TaskSerializer
    from stims.sttasks.forms import TaskForm, TaskMemberForm

    return [
        (OrganizationForm, OrganizationSerializer),
        (PositionForm, PositionSerializer),
        (ProductForm, ProductSerializer),
        (TaskForm, TaskSerializer),
        (TaskMemberForm, TaskMemberSerializer),
        (TaskResultForm, TaskResultSerializer),
        (HandoverForm, HandoverSerializer),
        (ApplicationReportForm, ApplicationReportSerializer),
        (IpAuthorizedUserForm, IpAuthorizedUserSerializer),
        (DirectiveForm, DirectiveSerializer),
    ]


# Choices that depend on the record being edited, which only the form knows: the product's own group
# stays on offer once retired; a directive's request is one of its own session's. A directive's
# assigner is checked by the meetings rules, which refuse anyone off the staff with their own reason.
CONTEXTUAL = {
    ("products.product", "group"),
    ("meetings.directive", "request"),
    ("meetings.directive", "assigned_by"),
}


def serializer_queryset(field):
    relation = getattr(field, "child_relation", field)
    return getattr(relation, "queryset", None) if not field.read_only else None


@pytest.mark.parametrize("username", ["canbo.binhlieu", "chuyenvien"])
def test_forms_and_serializers_offer_the_same_related_records(demo_data, username):
    user = User.objects.get(username=username)
    request = SimpleNamespace(user=user)
    compared = set()
    for form_class, serializer_class in pairs():
        form = form_class(user=user)
        serializer = serializer_class(context={"request": request})
        label = permissions.label_of(form_class._meta.model)
        for name, form_field in form.fields.items():
            queryset = serializer_queryset(serializer.fields[name]) if name in serializer.fields else None
            if queryset is None or not hasattr(form_field, "queryset") or (label, name) in CONTEXTUAL:
                continue
            assert set(form_field.queryset.values_list("pk", flat=True)) == set(
                queryset.values_list("pk", flat=True)
            ), f"{label}.{name}"
            compared.add((label, name))
    expected = {
        ("orgs.position", "person"),
        ("orgs.organization", "admin_unit"),
        ("products.product", "producer"),
        ("sttasks.task", "officer"),
        ("results.taskresult", "task"),
        ("results.applicationreport", "result"),
        ("ip.ipauthorizeduser", "asset"),
    }
    if username == "canbo.binhlieu":  # the officer in charge is a department field, not on a locality's form
        expected.discard(("sttasks.task", "officer"))
    assert expected <= compared
