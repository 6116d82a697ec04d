"""The whole API under a property-based fuzzer (schemathesis), in-process, over the demo data.

Every operation of the app's own OpenAPI schema (/api/schema/) gets a few generated requests — valid
ones aimed at real records (so detail, update and delete reach a row, not only a 404) and invalid
ones (wrong types, missing fields, odd query strings) — each sent twice: with a department leader's
API token (full rights, so writes go through) and anonymously. No answer may be a server error, and
every answer must match what the schema says (body and content type). Derandomized, so CI sends the
same requests every run. The long run against a live server is `bench/fuzz_api.sh`.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.throttling import SimpleRateThrottle
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from stims.accounts.models import ApiToken, User
from stims.wsgi import application

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
EXAMPLES_PER_OPERATION = 3
ENGLISH = {"Cookie": "django_language=en"}

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def first_id(path: str):
    """The smallest id of the records behind an operation `/…/{id}/…`, or None."""
    try:
        view = resolve(path.replace("{id}", "0")).func
    except Resolver404:
        return None
    queryset = getattr(getattr(view, "cls", None), "queryset", None)
    return (
        queryset.model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        if queryset is not None
        else None
    )


def cases(operation):
    """Valid requests (on a real record when the path names one, half of them with `If-Match: *` so
    that updates go through) and invalid ones."""
    record = first_id(operation.path) if "{id}" in operation.path else None
    fixed = {"path_parameters": {"id": record}} if record is not None else {}
    return st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE, **fixed),
        operation.as_strategy(GenerationMode.POSITIVE, headers={"If-Match": "*"}, **fixed),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )


@pytest.fixture
def connection_kept_between_requests():
    """Requests go straight to the WSGI application, whose request signals would close the database
    connection — and with it the test's transaction — after each one (Django's test client turns
    them off the same way)."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


def test_no_api_operation_answers_a_server_error_or_breaks_its_schema(
    demo_data, monkeypatch, connection_kept_between_requests
):
    # The demo (`demo_data`): every domain's records and the demo users, among them the department leader.
    # The fuzzer sends hundreds of requests a second; the rate limits have their own tests.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": None, "user": None})
    _, key = ApiToken.issue(User.objects.get(username="lanhdao"), name="fuzz")
    leader = {"Authorization": f"Token {key}", **ENGLISH}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application, headers=ENGLISH)

    failures, tested = {}, 0
    for result in schema.get_all_operations():
        operation = result.ok()
        tested += 1

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=cases(operation))
        def fuzz(case):
            case.call_and_validate(headers=leader, checks=CHECKS)
            case.call_and_validate(headers=ENGLISH, checks=CHECKS)

        try:
            fuzz()
        except (
            Exception,
            BaseExceptionGroup,
        ) as failure:  # every operation is fuzzed, then all failures reported
            failures[operation.label] = str(failure)[:1500]

    assert tested > 300
    assert not failures, f"{len(failures)} of {tested} operations failed:\n\n" + "\n\n".join(
        f"== {label}\n{text}" for label, text in failures.items()
    )
