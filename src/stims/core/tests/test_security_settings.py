"""Production security settings, on real responses: login lockout (django-axes), the headers a browser
gets (HSTS, CSP, COOP, …), secure cookies, `check --deploy`, and the deployment files agreeing with the
settings they depend on."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from stims.testing import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-123"  # make_user's
REPOSITORY = Path(settings.SOURCE_ROOT)
PRODUCTION = {
    "DEBUG": False,
    "SECURE_SSL_REDIRECT": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_HSTS_SECONDS": 300,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "ALLOWED_HOSTS": ["stims.example.gov.vn"],
}


def log_in(client, username, password, address="203.0.113.10", **headers):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def fail(client, username, times, address="203.0.113.10", **headers):
    """`times` wrong passwords; the one that reaches the limit is answered with the lockout page."""
    for attempt in range(1, times + 1):
        response = log_in(client, username, "not-the-password", address, **headers)
        assert response.status_code == (429 if attempt >= settings.AXES_FAILURE_LIMIT else 200)


# --- Login lockout ------------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_username_even_with_the_right_password(client):
    make_user("viewer", username="lan")
    fail(client, "lan", settings.AXES_FAILURE_LIMIT)
    assert "_auth_user_id" not in client.session

    response = log_in(client, "lan", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "Too many failed logins" in page
    assert "Try again after 30 minutes" in page
    assert "administrator" in page


def test_the_lockout_page_is_vietnamese_by_default(client):
    make_user("viewer", username="lan")
    fail(client, "lan", settings.AXES_FAILURE_LIMIT)
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    response = client.post(
        reverse("login"), {"username": "lan", "password": PASSWORD}, REMOTE_ADDR="203.0.113.10"
    )
    assert response.status_code == 429
    assert '<html lang="vi">' in response.content.decode()


def test_a_lock_holds_only_that_username_from_that_address(client):
    make_user("viewer", username="lan")
    make_user("viewer", username="minh")
    fail(client, "lan", settings.AXES_FAILURE_LIMIT)

    assert log_in(client, "minh", PASSWORD).status_code == 302  # another user, same address
    client.logout()
    assert log_in(client, "lan", PASSWORD, address="198.51.100.7").status_code == 302  # same user, elsewhere


def test_a_successful_login_clears_the_failures(client):
    make_user("viewer", username="lan")
    fail(client, "lan", settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, "lan", PASSWORD).status_code == 302
    client.logout()
    fail(client, "lan", settings.AXES_FAILURE_LIMIT - 1)
    assert log_in(client, "lan", PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off_or_when_an_administrator_lifts_it(client):
    make_user("viewer", username="lan")
    fail(client, "lan", settings.AXES_FAILURE_LIMIT)
    assert log_in(client, "lan", PASSWORD).status_code == 429

    call_command("axes_reset_username", "lan")
    assert log_in(client, "lan", PASSWORD).status_code == 302
    client.logout()

    fail(client, "lan", settings.AXES_FAILURE_LIMIT)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    assert log_in(client, "lan", PASSWORD).status_code == 302


def test_one_address_trying_passwords_across_usernames_is_locked_out_for_every_username(client):
    limit = settings.STIMS_LOGIN_ADDRESS_LIMIT
    per_user = settings.AXES_FAILURE_LIMIT - 1  # never enough to lock any one username
    usernames = [f"staff{n}" for n in range(limit // per_user + 1)]
    for username in usernames:
        make_user("viewer", username=username)
    failures = 0
    for username in usernames:
        for _ in range(per_user):
            if failures < limit:
                response = log_in(client, username, "not-the-password")
                failures += 1
                assert response.status_code == (429 if failures >= limit else 200), failures
    # The ceiling is reached: even the right password of a username never tried is refused from there…
    make_user("viewer", username="untried")
    assert log_in(client, "untried", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # …while the same username signs in from another address.
    assert log_in(client, "untried", PASSWORD, address="198.51.100.7").status_code == 302


def test_the_address_ceiling_ends_with_the_cool_off(client):
    make_user("viewer", username="lan")
    for n in range(settings.STIMS_LOGIN_ADDRESS_LIMIT):
        log_in(client, f"nobody{n}", "not-the-password")
    assert log_in(client, "lan", PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    assert log_in(client, "lan", PASSWORD).status_code == 302


@override_settings(AXES_IPWARE_META_PRECEDENCE_ORDER=["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"])
def test_behind_the_proxy_the_lock_follows_the_forwarded_client_address(client):
    make_user("viewer", username="lan")
    proxy = "127.0.0.1"
    fail(client, "lan", settings.AXES_FAILURE_LIMIT, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.10")

    assert log_in(client, "lan", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.10").status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.10"
    # Another client behind the same proxy is not locked out with the first.
    assert log_in(client, "lan", PASSWORD, proxy, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302


def test_without_a_proxy_configured_a_forged_forwarded_address_changes_nothing(client):
    make_user("viewer", username="lan")
    for forged in range(1, settings.AXES_FAILURE_LIMIT + 1):
        log_in(client, "lan", "not-the-password", HTTP_X_FORWARDED_FOR=f"192.0.2.{forged}")
    assert log_in(client, "lan", PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


# --- Headers and cookies ------------------------------------------------------------------------------


@override_settings(**PRODUCTION)
def test_production_responses_carry_the_security_headers(client):
    response = client.get(reverse("login"), secure=True, HTTP_HOST="stims.example.gov.vn")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=300; includeSubDomains"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"

    policy = dict(
        (directive.split(" ", 1) + [""])[:2] for directive in response["Content-Security-Policy"].split("; ")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"
    page = response.content.decode()
    assert not re.search(r"<script(?![^>]*\ssrc=)", page), "an inline script"
    assert not re.search(r"\son[a-z]+=", page), "an inline event handler"

    csrf = response.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"]


@override_settings(**PRODUCTION)
def test_plain_http_is_redirected_to_https(client):
    response = client.get(reverse("login"), HTTP_HOST="stims.example.gov.vn")
    assert response.status_code == 301
    assert response["Location"] == "https://stims.example.gov.vn" + reverse("login")
    # The proxy says the client used HTTPS: no redirect.
    proxied = client.get(reverse("login"), HTTP_HOST="stims.example.gov.vn", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200


@override_settings(**PRODUCTION)
def test_the_session_cookie_is_secure_http_only_and_ends_with_the_browser(client):
    make_user("viewer", username="lan")
    response = client.post(
        reverse("login"),
        {"username": "lan", "password": PASSWORD},
        secure=True,
        HTTP_HOST="stims.example.gov.vn",
    )
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert client.session.get_expiry_age() == 8 * 3600


@override_settings(**PRODUCTION)
def test_swagger_ui_runs_without_inline_script(client):
    client.force_login(make_user("viewer"))
    page = client.get("/api/docs/", secure=True, HTTP_HOST="stims.example.gov.vn")
    assert page.status_code == 200
    html = page.content.decode()
    assert not re.search(r"<script(?![^>]*\ssrc=)", html) and "<style" not in html
    init = re.search(r'<script src="(/api/docs/\?[^"]*script=[^"]*)"', html).group(1).replace("&amp;", "&")
    script = client.get(init, secure=True, HTTP_HOST="stims.example.gov.vn")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content


# --- `check --deploy` and the deployment files --------------------------------------------------------


# A subprocess running `check --deploy` with the production settings (12 s): a proof for CI's slow tier.
@pytest.mark.slow
def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DEBUG", "SECURE_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="stims.settings",
        DEBUG="0",
        SECRET_KEY="k" * 10 + "9f3Qx-LmZ2pR8vT1wY6bN4cD7hJ0sA5eG_uK3iO8qW2zX",
        ALLOWED_HOSTS="stims.example.gov.vn",
        STIMS_DATA_DIR=str(tmp_path),
        STIMS_CLIENT_IP_HEADERS="HTTP_X_FORWARDED_FOR,REMOTE_ADDR",
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "DEBUG"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The one silenced check is HSTS preload (security.W021), opt-in with SECURE_HSTS_PRELOAD.
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_the_proxy_admits_the_largest_upload_the_application_accepts():
    nginx = (REPOSITORY / "deploy" / "nginx" / "stims.conf").read_text()
    body_mb = int(re.search(r"^\s*client_max_body_size (\d+)m;", nginx, re.M).group(1))
    assert body_mb == settings.STIMS_MAX_UPLOAD_MB + 5
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= body_mb * 1024 * 1024
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.STIMS_MAX_UPLOAD_MB * 1024 * 1024
    assert "location /media" not in nginx  # uploads only through the permission-checked downloads


def test_the_environment_file_template_lists_every_setting():
    source = (REPOSITORY / "src" / "stims" / "settings.py").read_text()
    read = set(re.findall(r'(?:environ\.get|env_bool|env_list|env_int)\("([A-Z_]+)"', source))
    template = (REPOSITORY / "deploy" / "stims.env.example").read_text()
    listed = set(re.findall(r"^#?([A-Z_]+)=", template, re.M))
    assert read and read <= listed, sorted(read - listed)


def test_the_api_answers_json_even_to_a_browser_and_offers_no_browsable_forms(client):
    """The browsable API would render POST forms listing related records beyond the user's scope."""
    client.force_login(make_user("specialist"))
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/api/orgs/positions/", HTTP_ACCEPT=browser_accept)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert b"<form" not in response.content
    assert client.get("/api/orgs/positions/", {"format": "api"}).status_code == 404


def test_no_template_has_an_inline_script_or_event_handler():
    """The content security policy allows scripts from our own files only: an inline `<script>` or an
    `onchange=` in any app's template would silently do nothing in the browser."""
    from pathlib import Path

    import stims

    found = []
    for path in Path(stims.__file__).parent.rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\ssrc=)[^>]*>", text) or re.search(r"\son[a-z]+=\"", text):
            found.append(str(path))
    assert found == []
