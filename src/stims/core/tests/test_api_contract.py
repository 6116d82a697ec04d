"""The API as an integrator's generated client sees it: one error shape, versions and rate limits in
headers, conditional reads, idempotent creates, and a schema a generator can use as it is."""

import uuid

import pytest
from django.conf import settings

from stims import __version__
from stims.orgs.models import Organization
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db

URL = "/api/orgs/organizations/"


@pytest.fixture
def ba_che(db):
    return unit("Huyện Ba Chẽ", legacy=True)


@pytest.fixture
def specialist_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(make_user("specialist"))
    return client


def shape(response) -> set:
    return set(response.json())


def organization(ba_che, name="HTX Trà hoa vàng"):
    return {"name": name, "kind": "cooperative", "admin_unit": ba_che.pk}


# --- One error shape ---------------------------------------------------------------------------------------


def test_every_error_has_detail_code_and_errors(client, specialist_client, ba_che):
    anonymous = type(client)()
    assert anonymous.get(URL).status_code == 401
    assert shape(anonymous.get(URL)) == {"detail", "code", "errors"}
    assert anonymous.get(URL).json()["code"] == "not_authenticated"

    invalid = specialist_client.post(
        URL, {"name": "", "kind": "cooperative"}, content_type="application/json"
    )
    assert invalid.status_code == 400
    body = invalid.json()
    assert body["code"] == "invalid" and "name" in body["errors"] and body["detail"].startswith("name: ")

    missing = specialist_client.get(f"{URL}999999/")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"

    org = Organization.objects.create(**{**organization(ba_che), "admin_unit": ba_che})
    no_version = specialist_client.patch(f"{URL}{org.pk}/", {"name": "x"}, content_type="application/json")
    assert no_version.status_code == 428 and no_version.json()["code"] == "precondition_required"
    stale = specialist_client.patch(
        f"{URL}{org.pk}/", {"name": "x"}, content_type="application/json", HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 412
    assert {"detail", "code", "errors", "current_version", "changes"} <= shape(stale)

    viewer = type(client)()
    viewer.force_login(make_user("viewer"))
    forbidden = viewer.post(URL, organization(ba_che), content_type="application/json")
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "permission_denied"


def test_a_form_body_is_refused_where_json_is_the_only_body(specialist_client, ba_che):
    response = specialist_client.post(URL, organization(ba_che))  # multipart, as a browser form sends
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert not Organization.objects.exists()


def test_null_is_sent_as_null(specialist_client, ba_che):
    response = specialist_client.post(
        URL, {**organization(ba_che), "parent": None}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    assert Organization.objects.get().parent is None and Organization.objects.get().is_active is True


def test_rate_limit_headers_and_a_429_with_retry_after(specialist_client, monkeypatch):
    from django.core.cache import cache

    from stims.core.api_throttles import StimsAnonRateThrottle, StimsUserRateThrottle

    for throttle in (StimsAnonRateThrottle, StimsUserRateThrottle):
        monkeypatch.setattr(throttle, "THROTTLE_RATES", {"anon": "2/minute", "user": "3/minute"})
    cache.clear()
    answers = [specialist_client.get(URL) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a["X-RateLimit-Remaining"] for a in answers[:3]] == ["2", "1", "0"]
    assert answers[0]["X-RateLimit-Limit"] == "3"
    assert int(answers[3]["Retry-After"]) > 0 and answers[3].json()["code"] == "throttled"
    cache.clear()


# --- Headers, conditional reads, idempotency -----------------------------------------------------------------


def test_every_api_answer_carries_the_release(specialist_client):
    assert specialist_client.get(URL)["API-Version"] == __version__
    assert specialist_client.get(f"{URL}999999/")["API-Version"] == __version__


def test_a_current_etag_reads_as_304_with_no_body(specialist_client, ba_che):
    org = Organization.objects.create(name="HTX A", kind="cooperative", admin_unit=ba_che)
    first = specialist_client.get(f"{URL}{org.pk}/")
    tag = first["ETag"]
    again = specialist_client.get(f"{URL}{org.pk}/", HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == tag
    org.name = "HTX A đổi tên"
    org.save()
    changed = specialist_client.get(f"{URL}{org.pk}/", HTTP_IF_NONE_MATCH=tag)
    assert changed.status_code == 200 and changed.json()["name"] == "HTX A đổi tên"


def test_a_retried_create_with_the_same_key_creates_once(specialist_client, ba_che):
    key = str(uuid.uuid4())
    first = specialist_client.post(
        URL, organization(ba_che), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )
    retry = specialist_client.post(
        URL, organization(ba_che), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"
    assert Organization.objects.count() == 1

    batch = [organization(ba_che, f"HTX {n}") for n in range(3)]
    key = str(uuid.uuid4())
    for _ in range(2):
        assert (
            specialist_client.post(
                URL, batch, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
            ).status_code
            == 201
        )
    assert Organization.objects.count() == 4

    other = specialist_client.post(
        URL, organization(ba_che, "Khác"), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert Organization.objects.count() == 4


def test_a_refused_create_is_replayed_as_refused(specialist_client, ba_che):
    key = str(uuid.uuid4())
    bad = {"name": "", "kind": "cooperative", "admin_unit": ba_che.pk}
    first = specialist_client.post(URL, bad, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    retry = specialist_client.post(URL, bad, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == retry.status_code == 400 and retry.json() == first.json()


# --- The schema ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    """The schema as /api/schema/ answers it, asked in Vietnamese (it must come out in English), by an
    unsaved user: nothing is written to the test database (a module fixture's rows would outlive it)."""
    from django.utils import translation
    from rest_framework.test import APIRequestFactory, force_authenticate

    from stims.accounts.models import User
    from stims.core.api import SchemaView

    request = APIRequestFactory().get("/api/schema/", HTTP_ACCEPT="application/json")
    force_authenticate(request, user=User(username="schema-reader", is_active=True, is_superuser=True))
    with django_db_blocker.unblock(), translation.override("vi"):
        response = SchemaView.as_view()(request)
        response.render()
    import json

    return json.loads(response.content)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                yield path, method, operation


def test_operation_ids_are_readable_and_unique(schema):
    ids = [op["operationId"] for _, _, op in operations(schema)]
    assert len(ids) == len(set(ids)) > 250
    assert {
        "list_tasks",
        "get_task",
        "create_task",
        "partial_update_task",
        "delete_task",
        "step_task",
    } <= set(ids)
    assert not [i for i in ids if "api_" in i or i.startswith("tasks_tasks")]


def test_every_operation_has_a_summary_and_no_internal_docstring(schema):
    for path, method, op in operations(schema):
        assert op.get("summary"), (path, method)
        text = op.get("description", "")
        assert "Rows restricted like the pages" not in text and "guard(instance)" not in text, (path, method)


def test_every_operation_documents_its_errors_in_one_shape(schema):
    for path, method, op in operations(schema):
        codes = set(op["responses"])
        assert {"401", "403", "429"} <= codes, (path, method)
        if "{" in path:
            assert "404" in codes, (path, method)
        if method in ("post", "put", "patch"):
            assert "400" in codes, (path, method)
        if method == "delete":
            assert "409" in codes, (path, method)
        if method in ("put", "patch") and "{id}" in path and "412" in codes:
            assert "428" in codes
        for code in codes & {"400", "401", "403", "404", "409", "428", "429"}:
            ref = op["responses"][code]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/Error", (path, method, code)
        assert "API-Version" in op["responses"][sorted(codes)[0]]["headers"]
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"detail", "code", "errors"}


def test_request_bodies_are_json_and_multipart_only_for_files(schema):
    multipart = []
    for path, method, op in operations(schema):
        content = op.get("requestBody", {}).get("content", {})
        assert "application/x-www-form-urlencoded" not in content, (path, method)
        assert len(content) <= 1, (path, method)  # one body per operation
        if "multipart/form-data" in content:
            multipart.append(op["operationId"])
    # The operations that carry a file: documents, reports, moves and handovers with their papers, an
    # outreach or training activity's materials, a progress entry's evidence, a call for proposals' notice.
    with_files = (
        "document", "report", "move", "handover", "training_activity", "progress_entry", "call_for_proposals",
    )  # fmt: skip
    assert multipart and all(any(part in i for part in with_files) for i in multipart), multipart


def test_bulk_create_page_last_etag_and_english_names(schema):
    create = schema["paths"]["/api/orgs/organizations/"]["post"]
    body = create["requestBody"]["content"]["application/json"]["schema"]
    assert body["oneOf"][1]["type"] == "array" and body["oneOf"][1]["maxItems"] == 500
    assert body["oneOf"][0]["$ref"] == "#/components/schemas/OrganizationRequest"  # no read-only fields asked
    assert "id" not in schema["components"]["schemas"]["OrganizationRequest"]["properties"]
    assert "Idempotency-Key" in [p["name"] for p in create["parameters"]]
    page = next(p for p in schema["paths"]["/api/tasks/tasks/"]["get"]["parameters"] if p["name"] == "page")
    assert {"type": "string", "enum": ["last"]} in page["schema"]["oneOf"]
    get = schema["paths"]["/api/tasks/tasks/{id}/"]["get"]
    assert "ETag" in get["responses"]["200"]["headers"] and "304" in get["responses"]
    names = " ".join(schema["components"]["schemas"])
    assert not any(ord(ch) > 127 for ch in names), "component names must not depend on the language"
    assert schema["info"]["version"] == __version__ and schema["servers"] and schema["info"]["license"]
