"""Logging in and out, changing one's password, and seeing one's roles."""

import pytest
from django.urls import reverse

from stims.testing import make_user, unit

pytestmark = pytest.mark.django_db


def test_logging_in_with_the_right_password_lands_on_home(client):
    make_user("viewer", username="xem")
    response = client.post(reverse("login"), {"username": "xem", "password": "pw-for-tests-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_password_is_refused_with_a_message(client):
    make_user("viewer", username="xem")
    response = client.post(reverse("login"), {"username": "xem", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors()


def test_logging_out_ends_the_session(client):
    client.force_login(make_user("viewer"))
    client.post(reverse("logout"))
    # The front page is the public portal again, not the home page; a staff page asks to sign in.
    assert "portal/index.html" in [t.name for t in client.get(reverse("home")).templates]
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_changing_the_password(client):
    user = make_user("viewer")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-for-tests-123",
            "new_password1": "Tra-hoa-vang-2026",
            "new_password2": "Tra-hoa-vang-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Tra-hoa-vang-2026")


def test_a_weak_new_password_is_refused(client):
    user = make_user("viewer")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw-for-tests-123", "new_password1": "123", "new_password2": "123"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password("pw-for-tests-123")


def test_my_account_lists_my_roles_and_their_scope(client):
    user = make_user("local_officer", admin_unit=unit("Huyện Ba Chẽ", legacy=True))
    client.force_login(user)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Huyện Ba Chẽ" in page


def test_a_local_officer_role_without_a_unit_is_invalid():
    from django.core.exceptions import ValidationError

    from stims.accounts.models import RoleAssignment

    user = make_user(None)
    with pytest.raises(ValidationError):
        RoleAssignment(user=user, role="local_officer").full_clean()
