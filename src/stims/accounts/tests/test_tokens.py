"""API tokens: a key acts as its user (roles and units), expires, is revoked, is stored only as a digest;
the "API tokens" page and the create_token/revoke_token commands; API rate limits."""

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from stims.accounts.models import ApiToken
from stims.orgs.models import Organization
from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db

ORGANIZATIONS = "/api/orgs/organizations/"


def english(client):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def token_client(key, **kwargs):
    """A client that sends no session cookie, only the key."""
    return english(Client(HTTP_AUTHORIZATION=f"Token {key}", **kwargs))


@pytest.fixture
def service_account(db):
    """A service account: an ordinary user whose one role limits it to Huyện Ba Chẽ."""
    return make_user("local_officer", admin_unit=unit("Huyện Ba Chẽ", legacy=True), username="svc.bache")


@pytest.fixture
def service_key(service_account):
    _token, key = ApiToken.issue(service_account, name="Ba Chẽ portal", expires_at=ApiToken.expiry_after(30))
    return key


# --- The key on the API --------------------------------------------------------------------------------


def test_a_token_sees_only_its_users_unit(service_key, ba_che_org, binh_lieu_org):
    api = token_client(service_key)
    response = api.get(ORGANIZATIONS)
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == ["UBND huyện Ba Chẽ"]
    assert api.get(f"{ORGANIZATIONS}{binh_lieu_org.pk}/").status_code == 404


def test_a_token_writes_what_its_users_role_allows_without_a_csrf_token(service_key, ba_che_org):
    api = token_client(service_key, enforce_csrf_checks=True)
    url = f"{ORGANIZATIONS}{ba_che_org.pk}/"
    version = api.get(url)["ETag"]
    response = api.patch(
        url, {"phone": "0203 3888"}, content_type="application/json", headers={"If-Match": version}
    )
    assert response.status_code == 200
    ba_che_org.refresh_from_db()
    assert ba_che_org.phone == "0203 3888"


def test_a_token_is_refused_a_write_its_users_role_does_not_allow(service_key, ba_che_org):
    # Local officers keep their organizations but do not delete them.
    response = token_client(service_key).delete(f"{ORGANIZATIONS}{ba_che_org.pk}/")
    assert response.status_code == 403
    assert Organization.objects.filter(pk=ba_che_org.pk).exists()


def test_a_token_is_refused_a_record_outside_its_users_unit(service_key):
    response = token_client(service_key).post(
        ORGANIZATIONS,
        {"name": "HTX lạ", "kind": "cooperative", "admin_unit": unit("Huyện Bình Liêu", legacy=True).pk},
        content_type="application/json",
    )
    # A unit the user may not attach records to is refused on its field, as the form refuses it.
    assert response.status_code == 400 and "admin_unit" in response.json()["errors"]
    assert not Organization.objects.filter(name="HTX lạ").exists()


def test_a_call_records_when_the_token_was_last_used(service_account):
    token, key = ApiToken.issue(service_account, name="portal")
    assert token.last_used_at is None
    assert token_client(key).get(ORGANIZATIONS).status_code == 200
    token.refresh_from_db()
    assert timezone.now() - token.last_used_at < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("expired", "This token has expired."),
        ("revoked", "This token has been revoked."),
        ("unknown", "Invalid token."),
    ],
)
def test_an_unusable_key_is_refused_with_401_and_says_why(service_account, state, message):
    token, key = ApiToken.issue(service_account, name="portal", expires_at=ApiToken.expiry_after(1))
    if state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif state == "revoked":
        token.revoke(by=service_account)
    else:
        key = key[: ApiToken.PREFIX_LENGTH] + "x" * 35  # the right prefix, the wrong key
    response = token_client(key).get(ORGANIZATIONS)
    assert response.status_code == 401
    assert response.json() == {"detail": message, "code": "authentication_failed", "errors": {}}
    assert response["WWW-Authenticate"] == "Token"


def test_the_key_of_an_inactive_user_is_refused(service_account, service_key):
    service_account.is_active = False
    service_account.save()
    response = token_client(service_key).get(ORGANIZATIONS)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "User inactive or deleted.",
        "code": "authentication_failed",
        "errors": {},
    }


def test_the_database_holds_only_the_keys_digest(service_account):
    token, key = ApiToken.issue(service_account, name="portal")
    assert token.key_digest == ApiToken.digest(key) != key
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        stored = [str(value) for row in cursor.fetchall() for value in row]
    assert key[: ApiToken.PREFIX_LENGTH] in stored
    assert not any(key in value for value in stored)


def test_the_schema_declares_the_token_scheme(client):
    client.force_login(make_user("viewer"))
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": 'Token-based authentication with required prefix "Token"',
    }
    assert {"tokenAuth": []} in schema["paths"][ORGANIZATIONS]["get"]["security"]


# --- The "API tokens" page -----------------------------------------------------------------------------


@pytest.fixture
def officer_client(client, service_account):
    client.force_login(service_account)
    return english(client)


def test_my_account_links_to_the_api_tokens_page(officer_client):
    page = officer_client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:api_tokens") in page


def test_the_page_needs_a_signed_in_user(client):
    response = client.get(reverse("accounts:api_tokens"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_creating_a_token_shows_its_key_once(officer_client, service_account):
    response = officer_client.post(reverse("accounts:api_tokens"), {"name": "Ba Chẽ portal", "days": "90"})
    assert response.status_code == 200
    key = response.context["new_key"]
    token = ApiToken.objects.get(user=service_account)
    assert token.key_digest == ApiToken.digest(key)
    assert (token.name, token.created_by) == ("Ba Chẽ portal", service_account)
    assert abs(token.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    page = response.content.decode()
    assert key in page
    assert "cannot be shown again" in page
    assert "no-store" in response["Cache-Control"]
    # Neither a redirect nor the session carries the key: the next visit shows only its prefix.
    assert not any(key in str(value) for value in officer_client.session.values())
    page = officer_client.get(reverse("accounts:api_tokens")).content.decode()
    assert key not in page
    assert f"{token.prefix}…" in page
    assert token_client(key).get(ORGANIZATIONS).status_code == 200


def test_the_page_lists_only_my_tokens_with_their_status(officer_client, service_account):
    ApiToken.issue(service_account, name="active one", expires_at=ApiToken.expiry_after(5))
    ApiToken.issue(service_account, name="expired one", expires_at=timezone.now() - timedelta(days=1))
    revoked, _key = ApiToken.issue(service_account, name="revoked one")
    revoked.revoke(by=service_account)
    ApiToken.issue(make_user("viewer"), name="someone else's")
    response = officer_client.get(reverse("accounts:api_tokens"))
    statuses = {t.name: t.status for t in response.context["tokens"]}
    assert statuses == {"active one": "active", "expired one": "expired", "revoked one": "revoked"}
    assert "someone else" not in response.content.decode()


@pytest.mark.parametrize("days", ["0", "366", "", "abc"])
def test_an_expiry_outside_1_to_365_days_is_refused(officer_client, days):
    response = officer_client.post(reverse("accounts:api_tokens"), {"name": "portal", "days": days})
    assert response.status_code == 200
    assert response.context["form"].errors["days"]
    assert "new_key" not in response.context
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_name(officer_client):
    response = officer_client.post(reverse("accounts:api_tokens"), {"name": " ", "days": "90"})
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_only_a_superuser_may_create_a_key_that_never_expires(officer_client, service_account):
    assert "no_expiry" not in officer_client.get(reverse("accounts:api_tokens")).context["form"].fields
    officer_client.post(reverse("accounts:api_tokens"), {"name": "forever?", "days": "30", "no_expiry": "on"})
    assert ApiToken.objects.get(user=service_account).expires_at is not None

    admin = make_user(None, is_superuser=True)
    client = english(Client())
    client.force_login(admin)
    client.post(reverse("accounts:api_tokens"), {"name": "forever", "days": "", "no_expiry": "on"})
    assert ApiToken.objects.get(user=admin).expires_at is None


def test_revoking_my_token_asks_first_then_records_who_and_when(officer_client, service_account):
    token, key = ApiToken.issue(service_account, name="portal")
    url = reverse("accounts:api_token_revoke", args=[token.pk])
    page = officer_client.get(reverse("accounts:api_tokens")).content.decode()
    assert url in page
    confirm = officer_client.get(url)
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # asking is not revoking

    response = officer_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:api_tokens")
    token.refresh_from_db()
    assert token.revoked_by == service_account
    assert timezone.now() - token.revoked_at < timedelta(minutes=1)
    assert token_client(key).get(ORGANIZATIONS).status_code == 401
    page = officer_client.get(reverse("accounts:api_tokens")).content.decode()
    assert url not in page  # a revoked token has no Revoke button


def test_revoking_needs_the_csrf_token(service_account):
    token, _key = ApiToken.issue(service_account, name="portal")
    client = english(Client(enforce_csrf_checks=True))
    client.force_login(service_account)
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


def test_another_users_token_is_not_found(officer_client):
    other, key = ApiToken.issue(make_user("viewer"), name="not mine")
    url = reverse("accounts:api_token_revoke", args=[other.pk])
    assert officer_client.get(url).status_code == 404
    assert officer_client.post(url).status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None
    assert token_client(key).get(ORGANIZATIONS).status_code == 200


# --- The commands --------------------------------------------------------------------------------------


def run(command, *args):
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def test_create_token_prints_the_key_alone_on_the_last_line(service_account, ba_che_org):
    admin = make_user(None, username="quantri", is_superuser=True)
    output = run("create_token", "svc.bache", "--name", "Ba Chẽ portal", "--days", "7", "--by", "quantri")
    key = output.splitlines()[-1]
    token = ApiToken.objects.get(key_digest=ApiToken.digest(key))
    assert (token.user, token.name, token.created_by) == (service_account, "Ba Chẽ portal", admin)
    assert abs(token.expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    assert key not in "\n".join(output.splitlines()[:-1])
    assert [r["name"] for r in token_client(key).get(ORGANIZATIONS).json()["results"]] == [
        "UBND huyện Ba Chẽ"
    ]


def test_create_token_defaults_to_90_days_and_may_never_expire(service_account):
    run("create_token", "svc.bache")
    run("create_token", "svc.bache", "--no-expiry")
    default, forever = ApiToken.objects.order_by("pk")
    assert abs(default.expires_at - (default.created_at + timedelta(days=90))) < timedelta(minutes=1)
    assert forever.expires_at is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody"], "No user named 'nobody'"),
        (["svc.bache", "--days", "0"], "between 1 and 365"),
        (["svc.bache", "--days", "366"], "between 1 and 365"),
        (["svc.bache", "--days", "many"], "invalid int value"),
        (["svc.bache", "--days", "5", "--no-expiry"], "not allowed with argument"),
        (["svc.bache", "--name", " "], "--name cannot be empty"),
        (["svc.bache", "--by", "nobody"], "No user named 'nobody'"),
    ],
)
def test_create_token_refuses_bad_input(service_account, args, message):
    with pytest.raises(CommandError, match=message):
        run("create_token", *args)
    assert not ApiToken.objects.exists()


def test_create_token_refuses_an_inactive_user(service_account):
    service_account.is_active = False
    service_account.save()
    with pytest.raises(CommandError, match="inactive"):
        run("create_token", "svc.bache")
    assert not ApiToken.objects.exists()


def test_revoke_token_by_prefix_or_by_whole_key(service_account):
    first, first_key = ApiToken.issue(service_account, name="first")
    second, second_key = ApiToken.issue(service_account, name="second")
    output = run("revoke_token", f"{first.prefix}…")
    assert "Revoked 'first'" in output
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None
    run("revoke_token", second_key)
    second.refresh_from_db()
    assert second.revoked_at is not None
    assert token_client(second_key).get(ORGANIZATIONS).status_code == 401


def test_revoke_token_refuses_a_prefix_shared_by_several_users_unless_one_is_named(service_account):
    mine, _key = ApiToken.issue(service_account, name="mine")
    theirs, _key = ApiToken.issue(make_user("viewer", username="xem"), name="theirs")
    ApiToken.objects.filter(pk=theirs.pk).update(prefix=mine.prefix)  # a collision, made on purpose
    with pytest.raises(CommandError, match="svc.bache, xem"):
        run("revoke_token", mine.prefix)
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()
    run("revoke_token", mine.prefix, "--user", "xem", "--by", "svc.bache")
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.revoked_by == service_account
    assert mine.revoked_at is None


@pytest.mark.parametrize("prefix", ["abc", "zzzzzzzz"])
def test_revoke_token_refuses_an_unknown_or_short_prefix(service_account, prefix):
    ApiToken.issue(service_account, name="portal")
    with pytest.raises(CommandError):
        run("revoke_token", prefix)
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()


# --- Rate limits ---------------------------------------------------------------------------------------


@pytest.fixture
def low_rates(settings, monkeypatch):
    # Changing the setting makes DRF reload `api_settings` (it listens to setting_changed), but the
    # throttles copied the rates into a class attribute when they were defined: point it at the new ones.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute"},
    }
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", api_settings.DEFAULT_THROTTLE_RATES)


def test_a_token_past_its_rate_gets_429_with_retry_after(low_rates, service_key, service_account):
    api = token_client(service_key)
    assert [api.get(ORGANIZATIONS).status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get(ORGANIZATIONS)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    # The limit is per user: another user's key is still served.
    _token, other_key = ApiToken.issue(make_user("viewer"), name="other")
    assert token_client(other_key).get(ORGANIZATIONS).status_code == 200


def test_anonymous_calls_have_their_own_limit(low_rates, service_key):
    # Every data view refuses anonymous callers (401) before counting them; the API docs page is open to
    # them, so it is the one their limit reaches.
    anonymous = english(Client())
    assert [anonymous.get("/api/docs/").status_code for _ in range(2)] == [200, 200]
    refused = anonymous.get("/api/docs/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert token_client(service_key).get(ORGANIZATIONS).status_code == 200


# --- Admin ---------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client_en(client):
    admin = make_user(None, username="quantri", is_superuser=True, is_staff=True)
    client.force_login(admin)
    client.admin = admin
    return english(client)


def test_the_admin_lists_and_filters_tokens_by_status(admin_client_en, service_account):
    ApiToken.issue(service_account, name="active one", expires_at=ApiToken.expiry_after(5))
    ApiToken.issue(service_account, name="expired one", expires_at=timezone.now() - timedelta(days=1))
    ApiToken.issue(service_account, name="revoked one")[0].revoke()
    url = reverse("admin:accounts_apitoken_changelist")
    names = {
        status: {t.name for t in admin_client_en.get(url, {"status": status}).context["cl"].result_list}
        for status in ("active", "expired", "revoked")
    }
    assert names == {"active": {"active one"}, "expired": {"expired one"}, "revoked": {"revoked one"}}


def test_the_admin_revokes_selected_tokens_as_the_signed_in_administrator(admin_client_en, service_account):
    token, key = ApiToken.issue(service_account, name="portal")
    response = admin_client_en.post(
        reverse("admin:accounts_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == admin_client_en.admin
    assert token_client(key).get(ORGANIZATIONS).status_code == 401


def test_the_admin_neither_adds_tokens_nor_shows_or_edits_the_digest(admin_client_en, service_account):
    token, _key = ApiToken.issue(service_account, name="portal")
    digest = token.key_digest
    assert admin_client_en.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    change_url = reverse("admin:accounts_apitoken_change", args=[token.pk])
    assert digest not in admin_client_en.get(change_url).content.decode()
    admin_client_en.post(change_url, {"name": "renamed", "key_digest": "0" * 64, "expires_at": ""})
    token.refresh_from_db()
    assert (token.name, token.key_digest) == ("renamed", digest)
    assert admin_client_en.post(reverse("admin:accounts_apitoken_delete", args=[token.pk])).status_code == 403


def test_no_key_begins_with_a_dash_so_its_prefix_can_be_typed_after_revoke_token(
    service_account, monkeypatch
):
    """`stims revoke_token -AbC…` would read the prefix as an option (it failed 1 run in 64)."""
    import secrets

    drawn = iter(["-" + "a" * 42, "_" + "b" * 42])
    monkeypatch.setattr(secrets, "token_urlsafe", lambda nbytes: next(drawn))
    token, key = ApiToken.issue(service_account, name="dash")
    assert key == "_" + "b" * 42 and token.prefix == key[:8]
    run("revoke_token", token.prefix)
    token.refresh_from_db()
    assert token.revoked_at is not None
