"""Notification e-mails are sent by the worker, retried when the mail server refuses them, and listed
for the administrator when every try failed; nothing is reported as sent that was not."""

import datetime
import logging
import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from stims.accounts import mail as delivery
from stims.accounts.models import Notification
from stims.accounts.notify import notify
from stims.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return make_user("viewer", username="nguoi.nhan", email="nguoi.nhan@example.vn")


@pytest.fixture
def server_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(delivery, "send_mail", refuse)


def test_an_email_goes_out_through_the_job(reader):
    notify([reader], "Chỉ đạo mới", "/meetings/directives/1/", dedupe_key="event:x:1")
    note = Notification.objects.get()
    assert note.email_wanted and note.emailed  # the immediate task backend of the tests ran the job
    assert mail.outbox[0].to == ["nguoi.nhan@example.vn"] and "[STIMS] Chỉ đạo mới" in mail.outbox[0].subject


def test_a_refused_email_is_not_reported_as_sent_and_is_tried_again(reader, server_down, caplog, monkeypatch):
    with caplog.at_level(logging.ERROR, logger="stims.mail"):
        notify([reader], "Báo cáo chờ duyệt", "/x/", dedupe_key="event:x:2")
    note = Notification.objects.get()
    assert not note.emailed and note.email_attempts == 1
    assert note.email_error.startswith("SMTPServerDisconnected")
    assert note.email_next_try > timezone.now()
    assert "e-mail not sent (attempt 1 of 5)" in caplog.text
    # The server is back; the retry time comes.
    monkeypatch.setattr(delivery, "send_mail", lambda **kwargs: 1)
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert delivery.send_due(later) == (1, 0)
    note.refresh_from_db()
    assert note.emailed and note.email_error == "" and note.email_next_try is None


def test_after_every_try_it_is_listed_for_the_administrator_who_sends_it_again(
    reader, server_down, client, monkeypatch
):
    notify([reader], "Hạn chót sắp đến", "/x/", dedupe_key="event:x:3")
    now = timezone.now()
    for minutes in (2, 10, 30, 120):
        delivery.send_due(now + datetime.timedelta(minutes=minutes))
    note = Notification.objects.get()
    assert note.email_attempts == delivery.MAX_ATTEMPTS and note.email_next_try is None
    assert list(delivery.failed()) == [note]
    assert delivery.send_due(now + datetime.timedelta(days=1)) == (0, 0)  # given up: no endless retries

    make_user("leader", username="lanh.dao")
    client.force_login(make_user("leader", username="lanh.dao2"))
    assert client.get(reverse("accounts:failed_emails")).status_code == 403
    admin = make_user(None, username="quan.tri", is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(reverse("accounts:failed_emails"))
    assert page.status_code == 200 and "Hạn chót sắp đến" in page.content.decode()
    monkeypatch.setattr(delivery, "send_mail", lambda **kwargs: 1)
    client.post(reverse("accounts:failed_emails"), {"notification": [note.pk]})
    note.refresh_from_db()
    assert note.emailed and not delivery.failed().exists()


def test_a_user_without_an_address_or_who_turned_email_off_gets_no_email_job(reader):
    nobody = make_user("viewer", username="khong.thu", email="")
    notify([nobody], "Tin", "/x/", dedupe_key="event:x:4")
    assert not Notification.objects.get(user=nobody).email_wanted and not mail.outbox
