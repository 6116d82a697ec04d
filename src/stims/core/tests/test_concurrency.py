"""Two people editing one record at once: the second save is refused with what the first changed,
on the pages and on the API; nothing of the refused save is written; saving again overwrites."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from stims.core import concurrency
from stims.core.tests.versions import form_data
from stims.orgs.models import Organization, OrganizationKind
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization(db):
    return Organization.objects.create(
        name="Viện Khoa học Quảng Ninh",
        kind=OrganizationKind.PEOPLES_COMMITTEE,
        phone="0203 111 222",
        admin_unit=unit("Huyện Ba Chẽ", legacy=True),
    )


def signed_in(client_class, user):
    client = client_class()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def alice(client):
    return signed_in(
        type(client), make_user("specialist", username="alice", first_name="Alice", last_name="Nguyễn")
    )


@pytest.fixture
def bob(client):
    return signed_in(type(client), make_user("specialist", username="bob"))


def opened(client, obj):
    """The edit form as the user's browser got it: what it would post back untouched."""
    url = reverse("orgs:organization_edit", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    return url, form_data(response.context["form"])


def test_a_version_keeps_microseconds_through_the_database(organization):
    saved = Organization.objects.get(pk=organization.pk)
    assert saved.updated_at == organization.updated_at
    assert concurrency.version_of(saved) == concurrency.version_of(organization)
    organization.save()
    assert concurrency.version_of(Organization.objects.get(pk=organization.pk)) != concurrency.version_of(
        saved
    )
    assert concurrency.stamp_of(concurrency.version_of(saved)) == saved.updated_at


def test_the_second_of_two_simultaneous_saves_is_refused_with_what_the_first_changed(
    alice, bob, organization
):
    url, alices_form = opened(alice, organization)
    _, bobs_form = opened(bob, organization)

    response = alice.post(url, {**alices_form, "name": "Viện KH&CN Quảng Ninh", "phone": "0203 999 000"})
    assert response.status_code == 302
    after_alice = Organization.objects.get(pk=organization.pk)

    response = bob.post(url, {**bobs_form, "address": "Số 1 đường Hạ Long", "notes": "Bob's note"})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "Someone else saved this record after you opened it. Your changes were not saved." in errors
    assert "Alice Nguyễn saved it on" in errors
    assert "Name: Viện Khoa học Quảng Ninh → Viện KH&CN Quảng Ninh" in errors
    assert "Phone: 0203 111 222 → 0203 999 000" in errors
    assert "Address" not in errors  # only what Alice changed is listed
    page = response.content.decode()
    assert "Bob&#x27;s note" in page and "Số 1 đường Hạ Long" in page  # what Bob typed is kept

    # Nothing of Bob's save was written.
    now = Organization.objects.get(pk=organization.pk)
    assert (now.name, now.address, now.notes, now.updated_at) == (
        "Viện KH&CN Quảng Ninh",
        "",
        "",
        after_alice.updated_at,
    )
    assert now.history.count() == 2

    # The refused form now carries the current version: Bob saving it again overwrites, deliberately.
    resubmitted = form_data(response.context["form"])
    assert resubmitted[concurrency.FORM_FIELD] == concurrency.version_of(after_alice)
    assert bob.post(url, resubmitted).status_code == 302
    now = Organization.objects.get(pk=organization.pk)
    assert (now.address, now.notes) == ("Số 1 đường Hạ Long", "Bob's note")
    assert now.name == "Viện Khoa học Quảng Ninh"  # Bob's form still held the old name; he chose to keep it


def test_an_edit_form_posted_without_its_version_is_refused(alice, organization):
    url, data = opened(alice, organization)
    del data[concurrency.FORM_FIELD]
    response = alice.post(url, {**data, "name": "Không có phiên bản"})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "the form did not say which version of the record it was editing" in errors
    assert Organization.objects.get(pk=organization.pk).name == "Viện Khoa học Quảng Ninh"
    # The form shown again holds the version, so the user can check and save.
    assert alice.post(url, form_data(response.context["form"])).status_code == 302
    assert Organization.objects.get(pk=organization.pk).name == "Không có phiên bản"


def test_an_unchanged_version_saves_normally_and_adding_needs_no_version(alice):
    response = alice.post(
        reverse("orgs:organization_add"),
        {
            "name": "HTX chè",
            "kind": OrganizationKind.COOPERATIVE,
            "admin_unit": unit("Huyện Ba Chẽ", legacy=True).pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = Organization.objects.get(name="HTX chè")
    url, data = opened(alice, created)
    assert data[concurrency.FORM_FIELD] == concurrency.version_of(created)
    assert alice.post(url, {**data, "phone": "0123"}).status_code == 302
    assert Organization.objects.get(pk=created.pk).phone == "0123"


def test_changes_since_lists_each_later_save_with_its_author(organization):
    version = concurrency.version_of(organization)
    editor = make_user("specialist", username="editor")
    organization._history_user = editor
    organization.name = "Tên mới"
    organization.save()
    organization.is_active = False
    organization.save()
    entries = concurrency.changes_since(organization, version)
    assert [[(c.field, c.old, c.new) for c in e.changes] for e in entries] == [
        [("Active", "Yes", "No")],
        [("Name", "Viện Khoa học Quảng Ninh", "Tên mới")],
    ]
    assert entries[1].user == editor
    assert concurrency.changes_since(organization, concurrency.version_of(organization)) == []


# --- API -------------------------------------------------------------------------------------------------


def api_url(obj):
    return reverse("api:organization-detail", args=[obj.pk])


def test_the_api_gives_the_version_as_etag_and_refuses_a_stale_if_match_with_the_changes(
    alice, bob, organization
):
    etag = alice.get(api_url(organization)).headers["ETag"]
    assert etag == f'"{concurrency.version_of(organization)}"'
    # The page's hidden version and the API's ETag are the same token.
    assert f'"{opened(alice, organization)[1][concurrency.FORM_FIELD]}"' == etag

    first = alice.patch(
        api_url(organization), {"name": "Tên của Alice"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert first.status_code == 200
    new_etag = first.headers["ETag"]
    assert (
        new_etag != etag
        and new_etag == f'"{concurrency.version_of(Organization.objects.get(pk=organization.pk))}"'
    )

    stale = bob.patch(
        api_url(organization), {"phone": "0999"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    assert stale.headers["ETag"] == new_etag
    body = stale.json()
    assert body["current_version"] == new_etag.strip('"')
    assert body["changes"] == [
        {
            "user": "Alice Nguyễn",
            "date": body["changes"][0]["date"],
            "action": "Changed",
            "fields": [{"field": "Name", "old": "Viện Khoa học Quảng Ninh", "new": "Tên của Alice"}],
        }
    ]
    assert datetime.datetime.fromisoformat(body["changes"][0]["date"])
    assert Organization.objects.get(pk=organization.pk).phone == "0203 111 222"

    again = bob.patch(
        api_url(organization), {"phone": "0999"}, content_type="application/json", HTTP_IF_MATCH=new_etag
    )
    assert again.status_code == 200
    assert Organization.objects.get(pk=organization.pk).phone == "0999"


def test_the_api_requires_if_match_on_put_and_patch(alice, organization):
    for method in (alice.patch, alice.put):
        response = method(api_url(organization), {"name": "X"}, content_type="application/json")
        assert response.status_code == 428
        assert "If-Match" in response.json()["detail"]
    assert Organization.objects.get(pk=organization.pk).name == "Viện Khoa học Quảng Ninh"
    # A weak tag never matches: it is as good as none.
    weak = alice.patch(
        api_url(organization),
        {"name": "X"},
        content_type="application/json",
        HTTP_IF_MATCH=f'W/"{concurrency.version_of(organization)}"',
    )
    assert weak.status_code == 428


def test_if_match_star_overwrites_whatever_version_is_saved(alice, organization):
    response = alice.patch(
        api_url(organization), {"name": "Ghi đè"}, content_type="application/json", HTTP_IF_MATCH="*"
    )
    assert response.status_code == 200
    assert Organization.objects.get(pk=organization.pk).name == "Ghi đè"


def test_a_stale_put_changes_nothing(alice, organization):
    etag = alice.get(api_url(organization)).headers["ETag"]
    organization.save()
    body = alice.get(api_url(organization)).json()
    response = alice.put(
        api_url(organization), {**body, "name": "PUT cũ"}, content_type="application/json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 412
    assert Organization.objects.get(pk=organization.pk).name == "Viện Khoa học Quảng Ninh"


def test_a_created_record_comes_back_with_its_etag(alice):
    response = alice.post(
        reverse("api:organization-list"),
        {
            "name": "Mới",
            "kind": OrganizationKind.COOPERATIVE,
            "admin_unit": unit("Huyện Ba Chẽ", legacy=True).pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.headers["ETag"] == f'"{concurrency.version_of(Organization.objects.get(name="Mới"))}"'


def test_list_pages_and_api_lists_make_no_extra_queries_for_versions(alice, organization):
    """Versions are read only when one record is shown or saved: lists stay as they were."""
    for url in (reverse("orgs:organization_list"), reverse("api:organization-list")):
        with CaptureQueriesContext(connection) as one:
            assert alice.get(url).status_code == 200
        for index in range(5):
            Organization.objects.create(
                name=f"Thêm {index}",
                kind=OrganizationKind.COOPERATIVE,
                admin_unit=unit("Huyện Ba Chẽ", legacy=True),
            )
        with CaptureQueriesContext(connection) as six:
            assert alice.get(url).status_code == 200
        assert len(six) == len(one)
        assert "ETag" not in alice.get(url).headers


# --- Every editable record -------------------------------------------------------------------------------


def edit_pages() -> dict:
    """model -> URL name of its edit page, for every model of every app with one (`model_urls`)."""
    from django.apps import apps
    from django.urls import NoReverseMatch

    found = {}
    for model in apps.get_models():
        name = f"{model._meta.app_label}:{model._meta.model_name}_edit"
        try:
            reverse(name, args=[1])
        except NoReverseMatch:
            continue
        found[model] = name
    return found


def test_every_edit_page_is_a_versioned_form(client):
    """Every edit page of every app saves through `ScopedFormMixin` with a `ScopedModelForm` (which
    carry and check the version), on a model that has a version."""
    from stims.core.forms import ScopedModelForm
    from stims.core.views import ScopedFormMixin

    pages = edit_pages()
    assert len(pages) >= 30  # every domain's records, not a handful
    for model, name in pages.items():
        view = resolve(reverse(name, args=[1])).func.view_class
        assert issubclass(view, ScopedFormMixin), name
        assert issubclass(view.form_class, ScopedModelForm), name
        assert concurrency.is_versioned(model), f"{name}: {model.__name__} has no version (updated_at)"


def stale_save_refused(client, model, name, record) -> str | None:
    """Open the record's form, someone else saves the record, post the form: None when refused with
    the conflict and nothing written (then saved on a second post), else what went wrong."""
    url = reverse(name, args=[record.pk])
    opened_page = client.get(url)
    if opened_page.status_code != 200:
        return f"the edit page answered {opened_page.status_code}"
    data = form_data(opened_page.context["form"])
    if data.get(concurrency.FORM_FIELD) != concurrency.version_of(record):
        return "the form does not carry the record's version"
    model._base_manager.get(pk=record.pk).save()  # someone else saves meanwhile
    saved_meanwhile = concurrency.version_of(model._base_manager.get(pk=record.pk))
    response = client.post(url, data)
    form = response.context["form"] if response.status_code == 200 else None
    if form is None or "Someone else saved this record" not in " ".join(form.non_field_errors()):
        return f"a stale save answered {response.status_code} {form.errors if form else ''}"
    if concurrency.version_of(model._base_manager.get(pk=record.pk)) != saved_meanwhile:
        return "the refused save was written"
    again = client.post(url, form_data(form))
    if again.status_code == 200 and "Someone else saved this record" in " ".join(
        again.context["form"].non_field_errors()
    ):
        return "saving again was refused as stale"
    return None


@pytest.mark.slow
def test_every_edit_page_refuses_a_stale_version_and_writes_nothing(demo_data, client):
    """Walks every edit page with a demo record. A record whose untouched form its own rules refuse
    (a criterion of a set in use, a settled task's money) cannot reach the version check: the next
    record of the model is tried."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(make_user(username="walker", is_superuser=True))
    problems, walked = [], []
    for model, name in sorted(edit_pages().items(), key=lambda item: item[1]):
        # Newest first: the demo's earliest records are the settled ones (closed inspections, initiatives
        # already before their council), whose forms refuse any change before the version is compared.
        records = list(model._default_manager.order_by("-pk")[:8])
        if not records:
            continue  # no demo record: covered by test_every_edit_page_is_a_versioned_form
        found = []
        for record in records:
            found.append(stale_save_refused(client, model, name, record))
            if found[-1] is None:
                walked.append(name)
                break
        else:
            problems.append(f"{name}: {found[0]}")
    assert not problems, "\n".join(problems)
    assert len(walked) >= 25
