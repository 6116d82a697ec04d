"""The accounts' gauge on /metrics (stims.core.metrics): e-mails that did not go out."""

from django.contrib.auth import get_user_model

from stims.core.metrics import register_gauge

from .models import Notification


def unsent_emails() -> int:
    """Notifications for users with an e-mail address whose e-mail was not sent."""
    users_with_mail = get_user_model().objects.exclude(email="").values("pk")
    return Notification.objects.filter(emailed=False, user__in=users_with_mail).count()


register_gauge("stims_emails_unsent", "Notifications whose e-mail did not go out", unsent_emails)
