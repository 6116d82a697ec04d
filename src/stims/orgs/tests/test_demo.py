"""`stims demo`: the seed articles' directory and the demo users, loaded idempotently.

The first run is the process's demo build (`demo_data`: made by `stims demo` once, then copied); each
test runs the command again on top of it."""

import io

import pytest
from django.core.management import call_command

from stims.accounts.models import RoleAssignment, User
from stims.demo.accounts import DEFAULT_PASSWORD
from stims.orgs.models import LocalBody, LocalBodyMember, Organization, Person, Position

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]

MODELS = (Organization, Person, Position, LocalBody, LocalBodyMember, User, RoleAssignment)


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, int]:
    counts = {}
    for model in MODELS:
        counts[model._meta.label] = model.objects.count()
        counts[f"{model._meta.label} history"] = model.history.count()
    return counts


@pytest.mark.slow
def test_running_the_demo_twice_creates_and_changes_nothing_the_second_time(monkeypatch):
    monkeypatch.delenv("STIMS_DEMO_PASSWORD", raising=False)
    first = snapshot()
    passwords = dict(User.objects.values_list("username", "password"))
    run_demo()
    assert snapshot() == first
    # Not even the password hashes are rewritten.
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert first["orgs.Organization"] >= 25 and first["accounts.User"] == 9


@pytest.mark.slow
def test_the_sign_in_table_lists_every_user_with_the_default_password(monkeypatch):
    monkeypatch.delenv("STIMS_DEMO_PASSWORD", raising=False)
    monkeypatch.setenv("PORT", "8123")
    output = run_demo()
    assert "http://127.0.0.1:8123" in output
    for username in (
        "admin",
        "lanhdao",
        "chuyenvien",
        "thanhtra",
        "canbo.bache",
        "canbo.xabache",
        "canbo.binhlieu",
        "hoidong",
        "xem",
    ):
        user = User.objects.get(username=username)
        assert user.check_password(DEFAULT_PASSWORD), username
        assert username in output
    assert DEFAULT_PASSWORD in output
    assert User.objects.get(username="admin").is_superuser


@pytest.mark.slow
def test_a_password_from_the_environment_replaces_the_old_one_without_a_history_row(monkeypatch):
    monkeypatch.delenv("STIMS_DEMO_PASSWORD", raising=False)
    history_before = User.history.count()
    monkeypatch.setenv("STIMS_DEMO_PASSWORD", "a-chosen-demo-password")
    output = run_demo()
    assert User.history.count() == history_before
    user = User.objects.get(username="canbo.xabache")
    assert user.check_password("a-chosen-demo-password")
    assert not user.check_password(DEFAULT_PASSWORD)
    assert "a-chosen-demo-password" in output
