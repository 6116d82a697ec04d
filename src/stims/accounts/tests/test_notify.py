"""The one notify helper every reminder job uses: once per user and key, in the app and by e-mail."""

import pytest
from django.core import mail

from stims.accounts.models import Notification
from stims.accounts.notify import notify
from stims.testing import make_user


@pytest.mark.django_db
def test_a_user_is_told_once_per_key_in_the_app_and_by_email(settings):
    settings.STIMS_BASE_URL = "https://stims.example/"
    with_mail, without_mail = make_user(email="a@example.org"), make_user(email="")

    assert notify([with_mail, without_mail], "Hạn nộp báo cáo", "/tasks/1/", dedupe_key="test:1") == 2
    assert notify([with_mail, without_mail], "Hạn nộp báo cáo", "/tasks/1/", dedupe_key="test:1") == 0

    assert Notification.objects.filter(key="test:1").count() == 2
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert mail.outbox[0].subject == "[STIMS] Hạn nộp báo cáo"
    assert mail.outbox[0].body == "Hạn nộp báo cáo\n\nhttps://stims.example/tasks/1/"
    assert Notification.objects.get(user=with_mail).emailed
    assert not Notification.objects.get(user=without_mail).emailed
    assert notify([with_mail], "Hạn mới", "/tasks/1/", dedupe_key="test:2") == 1
