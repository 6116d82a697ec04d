"""The accounts' gauge on /metrics (stims.core.metrics): e-mails that did not go out."""

from django.contrib.auth import get_user_model

from stims.core.metrics import register_gauge

from .models import Notification


def unsent_emails() -> int:
    """Notifications to be e-mailed whose e-mail has not gone out (waiting for a retry, or given up)."""
    users_with_mail = get_user_model().objects.exclude(email="").values("pk")
    return Notification.objects.filter(email_wanted=True, emailed=False, user__in=users_with_mail).count()


register_gauge("stims_emails_unsent", "Notifications whose e-mail did not go out", unsent_emails)
register_gauge(
    "stims_emails_failed",
    "E-mails given up after every retry (the administrator's list)",
    lambda: __import__("stims.accounts.mail", fromlist=["failed"]).failed().count(),
)
