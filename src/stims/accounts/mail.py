"""E-mail of notifications as a background job, with retries.

`notify_each` marks the notifications to be e-mailed (`email_wanted`) and queues `deliver_emails`
once its transaction commits; the worker (`stims worker`) sends them. A mail the server refuses (down,
unreachable, rejecting) is not lost and not reported as sent: its attempt is counted, the reason kept
(`email_error`, one log line), and it is tried again after 1, 5, 15 and 60 minutes. After
`MAX_ATTEMPTS` it stays unsent and is listed on the administrator's page "E-mails not sent"
(`accounts:failed_emails`), where it can be sent again once the mail server is back. Check the mail
settings with `stims sendtestemail you@example.vn`.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from .models import Notification

logger = logging.getLogger("stims.mail")

MAX_ATTEMPTS = 5
BACKOFF_MINUTES = (1, 5, 15, 60)
LEASE = datetime.timedelta(minutes=10)  # how long a claimed mail waits for the worker that claimed it


def due(now: datetime.datetime | None = None):
    """Notifications to e-mail now: wanted, not sent, tries left, their next try come."""
    now = now or timezone.now()
    return (
        Notification.objects.filter(email_wanted=True, emailed=False, email_attempts__lt=MAX_ATTEMPTS)
        .exclude(user__email="")
        .filter(Q(email_next_try__isnull=True) | Q(email_next_try__lte=now))
    )


def failed():
    """Notifications whose e-mail was refused MAX_ATTEMPTS times: the administrator's list."""
    return Notification.objects.filter(email_wanted=True, emailed=False, email_attempts__gte=MAX_ATTEMPTS)


def send_due(now: datetime.datetime | None = None) -> tuple[int, int]:
    """Sends every notification due; returns (sent, refused). Each refusal is counted and logged on
    one line, with the next try set."""
    now = now or timezone.now()
    base_url = getattr(settings, "STIMS_BASE_URL", "").rstrip("/")
    sent = refused = 0
    with transaction.atomic():
        # Claimed for a while (skipping rows another worker holds): two workers never send the same mail,
        # and a worker that dies mid-way leaves its claims to be tried again when the lease ends.
        claimed = list(
            due(now)
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("pk")
            .values_list("pk", flat=True)[:500]
        )
        if not claimed:
            return 0, 0
        Notification.objects.filter(pk__in=claimed).update(email_next_try=now + LEASE)
    for note in Notification.objects.filter(pk__in=claimed).select_related("user").order_by("pk"):
        ok, reason = _send(note, base_url)
        if ok:
            Notification.objects.filter(pk=note.pk).update(emailed=True, email_error="", email_next_try=None)
            sent += 1
            continue
        attempts = note.email_attempts + 1
        wait = BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1]
        Notification.objects.filter(pk=note.pk).update(
            email_attempts=attempts,
            email_error=reason,
            email_next_try=now + datetime.timedelta(minutes=wait) if attempts < MAX_ATTEMPTS else None,
        )
        logger.error(
            "e-mail not sent (attempt %s of %s) to user %s: %s", attempts, MAX_ATTEMPTS, note.user_id, reason
        )
        refused += 1
    return sent, refused


def _send(note, base_url: str) -> tuple[bool, str]:
    """(sent, why not): any refusal of the mail server is a reason, never an exception."""
    try:
        send_mail(
            subject=f"[STIMS] {note.message[:120]}",
            message=f"{note.message}\n\n{base_url}{note.link}",
            from_email=None,
            recipient_list=[note.user.email],
            fail_silently=False,
        )
    except Exception as error:  # the mail server down, unreachable or refusing: tried again later
        return False, f"{type(error).__name__}: {error}"[:300]
    return True, ""


@task()
def deliver_emails() -> dict:
    """The job: send what is due, then queue itself for the earliest retry still pending."""
    sent, refused = send_due()
    pending = (
        Notification.objects.filter(email_wanted=True, emailed=False, email_attempts__lt=MAX_ATTEMPTS)
        .exclude(email_next_try__isnull=True)
        .order_by("email_next_try")
        .values_list("email_next_try", flat=True)
        .first()
    )
    if pending is not None and refused:
        deliver_emails.using(run_after=pending).enqueue()
    return {"sent": sent, "refused": refused}


def queue_delivery() -> None:
    """Queue a delivery. The job is a row written in the current transaction (django-tasks-db), so it
    exists only if the notifications it sends are committed, and no worker sees it before."""
    deliver_emails.enqueue()


def retry(notifications) -> int:
    """Gives the chosen unsent e-mails their tries back and queues a delivery; returns how many."""
    count = notifications.filter(emailed=False).update(email_attempts=0, email_next_try=None, email_error="")
    if count:
        queue_delivery()
    return count
