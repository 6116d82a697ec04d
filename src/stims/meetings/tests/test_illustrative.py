"""A deadline the source does not give is flagged illustrative: marked "(minh họa)" on the pages that
show it, given in the API, cleared when the deadline is extended by a decision."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from stims.meetings import services

pytestmark = pytest.mark.django_db
D = datetime.date


def test_an_illustrative_deadline_is_marked_on_the_pages_and_in_the_api(client, specialist, make_directive):
    flagged = make_directive(deadline_is_illustrative=True, deadline=D(2026, 4, 9))
    given = make_directive(deadline=D(2026, 6, 30))
    client.force_login(specialist)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    detail = client.get(flagged.get_absolute_url()).content.decode()
    assert "09/04/2026 (minh họa)" in detail
    assert "(minh họa)" not in client.get(given.get_absolute_url()).content.decode()
    session_page = client.get(flagged.session.get_absolute_url()).content.decode()
    assert "09/04/2026 (minh họa)" in session_page and "30/06/2026 (minh họa)" not in session_page
    listed = client.get(reverse("meetings:directive_list")).content.decode()
    assert "09/04/2026 (minh họa)" in listed
    rows = {row["id"]: row for row in client.get("/api/meetings/directives/").json()["results"]}
    assert rows[flagged.pk]["deadline_is_illustrative"] is True
    assert rows[given.pk]["deadline_is_illustrative"] is False


def test_an_extension_decided_later_is_no_longer_illustrative(specialist, make_directive, english):
    directive = make_directive(deadline_is_illustrative=True, deadline=D(2026, 4, 9))
    services.move(
        directive,
        "extend",
        specialist,
        on=D(2026, 4, 1),
        note="Theo văn bản số 12",
        new_deadline=D(2026, 5, 30),
    )
    directive.refresh_from_db()
    assert directive.deadline == D(2026, 5, 30) and not directive.deadline_is_illustrative
