"""The browsable API's record pages as a local officer (issue #12, finding 1): every endpoint's detail
page (and every GET action on a record) for a record the officer may see, with its edit form, names
nothing outside the officer's scope. `test_api_scope.py` does the same for every list endpoint and its
create form. Over the demo data, as the local officer of old Huyện Bình Liêu."""

from __future__ import annotations

import json

import pytest
from django.urls import URLResolver

from stims.core import permissions

from .test_api_scope import api, browsable, leaked, officer, out_of_scope_names  # noqa: F401 (fixtures)

# The demo data is built for this module alone: a heavy proof (`make test-slow`).
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def record_endpoints() -> list[tuple[str, type, str]]:
    """(URL pattern's prefix, viewset class, route regex) of every GET route on one record."""
    from stims.urls import api_patterns

    found = []
    for entry in api_patterns:
        if not isinstance(entry, URLResolver):
            continue
        prefix = str(entry.pattern)
        for route in entry.url_patterns:
            actions = getattr(route.callback, "actions", None) or {}
            regex = route.pattern.regex.pattern
            if "get" in actions and "(?P<format>" not in regex and "(?P<" in regex:
                found.append((prefix, route.callback.cls, regex))
    return found


def url_for(prefix: str, regex: str, value) -> str:
    import re

    path = re.sub(r"\(\?P<[^>]+>[^)]*\)", str(value), regex.lstrip("^").rstrip("$"))
    return f"/api/{prefix}{path}"


def test_every_record_page_of_the_browsable_api_names_nothing_out_of_scope(api, officer, browsable):  # noqa: F811
    names = out_of_scope_names(officer)
    assert len(names) > 100
    endpoints = record_endpoints()
    assert len(endpoints) > 50
    leaks, shown, with_edit_form, skipped = {}, 0, 0, []
    for prefix, viewset, regex in endpoints:
        queryset = getattr(viewset, "queryset", None)
        if queryset is None:
            skipped.append(regex)
            continue
        every = queryset.model._default_manager.all()
        # A record the officer may change where there is one (its page shows the edit form), else one
        # they may see.
        record = (
            permissions.restrict(every, officer, permissions.CHANGE).order_by("pk").first()
            or permissions.restrict(every, officer, permissions.VIEW).order_by("pk").first()
        )
        if record is None:
            continue
        lookup = getattr(viewset, "lookup_field", "pk")
        url = url_for(prefix, regex, getattr(record, lookup))
        response = api.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code in (200, 403, 404, 405), (url, response.status_code)
        if response.status_code != 200:
            continue
        shown += 1
        with_edit_form += 'data-method="PUT"' in response.content.decode()
        # The record's own free text (a note citing its source) is the record's, which the officer may
        # see: its edit form shows it again. A name is a leak only where the record's data has it not.
        own = json.dumps(api.get(url, HTTP_ACCEPT="application/json").json(), ensure_ascii=False)
        found = {name for name in leaked(response.content.decode(), names) if name not in own}
        if found:
            leaks[url] = sorted(found)[:5]
    assert not skipped
    assert shown >= 25, shown  # the officer sees records of many kinds in the demo data
    assert with_edit_form >= 8, with_edit_form  # edit forms, with their related selects, were shown
    assert not leaks
