"""Password reset by e-mail, the whole way: the login page's link, the request, the mail (locmem), the
link, the new password, the login. The same answer whether or not the address has an account, a limit
per hour, and a login lockout (django-axes) lifted by the new password."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from stims.testing import make_user

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s]+(/accounts/password/reset/[^\s]+/)")


@pytest.fixture
def member():
    return make_user("specialist", username="nguyen.an", email="an@so-khcn.example", first_name="An")


def reset_link(message) -> str:
    return LINK.search(message.body).group(1)


def test_the_login_page_offers_forgot_password_in_vietnamese(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in page and "Quên mật khẩu?" in page
    assert "Quên mật khẩu?" in client.get(reverse("password_reset")).content.decode()


def test_the_whole_flow_request_mail_link_new_password_login(client, member, settings):
    settings.STIMS_BASE_URL = "https://stims.so-khcn.example"
    response = client.post(reverse("password_reset"), {"email": "AN@so-khcn.example"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["an@so-khcn.example"] and "STIMS" in message.subject
    assert (
        "nguyen.an" in message.body
        and "https://stims.so-khcn.example/accounts/password/reset/" in message.body
    )
    assert "Xin chào" in message.body  # Vietnamese

    form = client.get(reset_link(message), follow=True)
    assert form.status_code == 200 and 'name="new_password1"' in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "123", "new_password2": "123"})
    assert weak.status_code == 200 and "errorlist" in weak.content.decode()
    done = client.post(set_url, {"new_password1": "Chè-hoa-vàng-2026", "new_password2": "Chè-hoa-vàng-2026"})
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")

    assert (
        client.post(reverse("login"), {"username": "nguyen.an", "password": "Chè-hoa-vàng-2026"}).status_code
        == 302
    )
    # The link works once.
    client.logout()
    again = client.get(reset_link(message), follow=True).content.decode()
    assert 'data-testid="invalid-link"' in again


def test_the_answer_is_the_same_for_an_unknown_address_and_nothing_is_sent(client, member):
    known = client.post(reverse("password_reset"), {"email": "an@so-khcn.example"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@so-khcn.example"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [["an@so-khcn.example"]]
    # An inactive account gets nothing either, with the same answer.
    member.is_active = False
    member.save()
    inactive = client.post(reverse("password_reset"), {"email": "an@so-khcn.example"})
    assert inactive["Location"] == known["Location"] and len(mail.outbox) == 1


def test_requests_are_limited_per_address_typed_whether_or_not_it_exists(client, member, settings):
    settings.STIMS_PASSWORD_RESET_PER_EMAIL = 2
    for email in ("an@so-khcn.example", "ghost@so-khcn.example"):
        answers = [client.post(reverse("password_reset"), {"email": email}).status_code for _ in range(3)]
        assert answers == [302, 302, 429]
    assert len(mail.outbox) == 2
    page = client.post(reverse("password_reset"), {"email": "ghost@so-khcn.example"}).content.decode()
    assert "Quá nhiều yêu cầu" in page


def test_requests_are_limited_per_client_address(client, settings):
    settings.STIMS_PASSWORD_RESET_PER_ADDRESS = 3
    answers = [
        client.post(reverse("password_reset"), {"email": f"x{i}@example.org"}).status_code for i in range(4)
    ]
    assert answers == [302, 302, 302, 429]


def test_a_new_password_lifts_the_login_lockout(client, member, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "nguyen.an", "password": "wrong-password"})
    assert AccessAttempt.objects.filter(username="nguyen.an").exists()
    locked = client.post(reverse("login"), {"username": "nguyen.an", "password": "pw-for-tests-123"})
    assert locked.status_code != 302  # locked out even with the right password

    client.post(reverse("password_reset"), {"email": "an@so-khcn.example"})
    form = client.get(reset_link(mail.outbox[-1]), follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": "Ba-kích-tím-2026", "new_password2": "Ba-kích-tím-2026"}
    )
    assert not AccessAttempt.objects.filter(username="nguyen.an").exists()
    assert (
        client.post(reverse("login"), {"username": "nguyen.an", "password": "Ba-kích-tím-2026"}).status_code
        == 302
    )
