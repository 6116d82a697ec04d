"""The shell: Vietnamese first with English available, dd/mm/yyyy, production settings, API schema."""

import datetime
import os
import subprocess
import sys

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from stims.core.templatetags.stims import vnd
from stims.testing import make_user

pytestmark = pytest.mark.django_db


def test_the_interface_is_vietnamese_by_default(client):
    client.force_login(make_user("viewer"))
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng xuất" in html


def test_english_is_available_through_the_language_switch(client):
    client.force_login(make_user("viewer"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "Log out" in html


def test_dates_read_day_month_year_in_both_languages():
    day = datetime.date(2023, 3, 13)
    for language in ("vi", "en"):
        with translation.override(language):
            assert date_format(day, "SHORT_DATE_FORMAT") == "13/03/2023"
            assert date_format(day, "DATE_FORMAT") == "13/03/2023"


def test_vnd_amounts_group_thousands_with_dots():
    assert vnd(550_000_000) == "550.000.000 ₫"
    assert vnd(-1500) == "-1.500 ₫"
    assert vnd(None) == "—"


def test_the_openapi_schema_describes_the_directory():
    from django.test import Client

    schema = Client().get("/api/schema/").content.decode()
    assert "/api/orgs/organizations/" in schema
    assert "/api/geo/units/" in schema


def test_health_check_answers(client):
    assert client.get(reverse("health")).json() == {"status": "ok"}


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "stims.settings", "DEBUG": "0", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client):
    client.force_login(make_user("viewer"))
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in html


def test_a_refused_record_gets_the_sites_own_404_page_in_vietnamese(client):
    client.force_login(make_user("viewer"))
    response = client.get("/directory/organizations/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert reverse("home") in html


def test_a_refused_action_gets_the_sites_own_403_page(client):
    client.force_login(make_user("viewer"))
    response = client.get(reverse("orgs:organization_add"))
    assert response.status_code == 403
    assert 'data-testid="current-user"' in response.content.decode()
