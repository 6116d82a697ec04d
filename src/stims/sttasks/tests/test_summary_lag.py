"""The leader's summary may be served up to STIMS_FIGURES_STALE_SECONDS behind other people's writes
(core.aggregates), says so on the page, and never lags what the viewer wrote themselves — through a
form, the API with a token, or an import."""

import re

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from stims.accounts.models import ApiToken
from stims.core import aggregates
from stims.sttasks.models import TaskType

from .test_import import confirm, directory, preview, row  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
SUMMARY = reverse("sttasks:summary")
AS_OF = re.compile(
    r"Figures as of (\d\d:\d\d:\d\d): what others have changed since then shows within 30 seconds\."
)


@pytest.fixture
def lag(settings, monkeypatch):
    """The production lag, on a clock the test moves."""
    settings.STIMS_FIGURES_STALE_SECONDS = 30

    class Clock:
        now = 1_800_000_000.0  # 15/01/2027 08:00:00 UTC: 15:00:00 in Hà Nội

    monkeypatch.setattr(aggregates, "_now", lambda: Clock.now)
    return Clock


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def summary(client) -> tuple[int, str | None]:
    """The total on the page and the time the page says its figures are from (None: current)."""
    response = client.get(SUMMARY)
    assert response.status_code == 200
    found = AS_OF.search(response.content.decode())
    return response.context["total"], found and found.group(1)


def task_form(ba_che, code):
    return {
        "title": f"Mô hình trồng Ba kích tím {code}",
        "task_type": TaskType.objects.get(code="de-tai").pk,
        "level": "grassroots",
        "proposal_year": "2025",
        "progress_report_months": "6",
        "ordering_unit": ba_che.pk,
        "code": code,
    }


def test_another_users_form_shows_within_the_lag_and_the_page_says_when_its_figures_are_from(
    lag, specialist, leader, make_task, ba_che
):
    make_task()
    reader, writer = signed_in(leader), signed_in(specialist)
    assert summary(reader) == (1, None)
    lag.now += 10
    assert writer.post(reverse("sttasks:task_add"), task_form(ba_che, "CS.01/2025")).status_code == 302
    assert summary(writer) == (2, None)  # the writer sees their task at once, current figures
    lag.now += 19  # 29 s after the leader's figures were computed
    assert summary(reader) == (1, "15:00:00")
    lag.now += 1  # 30 s: no longer served behind the data
    assert summary(reader) == (2, None)


def test_a_write_through_the_api_with_a_token_is_in_the_writers_next_summary(lag, specialist, leader, ba_che):
    reader, page = signed_in(leader), signed_in(specialist)
    before, _ = summary(page)
    assert summary(reader) == (before, None)
    _token, key = ApiToken.issue(specialist, name="integration")
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    record = {**task_form(ba_che, "API.1"), "proposal_year": 2025, "progress_report_months": 6}
    assert api.post(reverse("api:task-list"), record, content_type="application/json").status_code == 201
    assert summary(page) == (before + 1, None)
    assert summary(reader) == (before, "15:00:00")


def test_an_import_is_in_the_importers_next_summary(lag, directory, specialist, leader):  # noqa: F811
    reader, importer = signed_in(leader), signed_in(specialist)
    before, _ = summary(importer)
    summary(reader)
    lag.now += 5
    response = preview(importer, [row("ĐTCS.2023.01"), row("ĐTCS.2023.02")])
    assert confirm(importer, response).status_code == 302
    assert summary(importer) == (before + 2, None)
    assert summary(reader) == (before, "15:00:00")


def test_a_local_officer_is_never_served_the_departments_figures_behind_the_data(
    lag, specialist, leader, make_task, ba_che, binh_lieu
):
    from stims.testing import make_user

    make_task()
    make_task(ordering_unit=binh_lieu)
    assert summary(signed_in(leader)) == (2, None)
    officer = signed_in(make_user("local_officer", admin_unit=binh_lieu))
    assert summary(officer) == (1, None)  # its own scope's figures, computed for it
