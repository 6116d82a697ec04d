"""Telling users something: an in-app `Notification`, and the same words by e-mail.

Every reminder job (S&T task deadlines, directive deadlines…) goes through here. A notification is
sent once per user and key (`dedupe_key`): however often a job runs, nobody hears twice about the same
thing. Each new notification is also e-mailed to users who have an address ("[STIMS] <message>", the
message and the link); `emailed` records which went out, so a failed e-mail is not retried as a
duplicate in-app message.

    notify(users, message, link, dedupe_key="meetings:directive:12:2026-05-01:soon")
    notify_each([(user, key, message, link), ...])   # a batch with a message per user and key
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from .models import Notification


def notify(users: Iterable, message: str, link: str = "", *, dedupe_key: str) -> int:
    """Tell each of `users` `message` (with `link`), unless told before under `dedupe_key`; returns
    how many notifications were new."""
    return notify_each((user, dedupe_key, message, link) for user in users)


def notify_each(items: Iterable[tuple]) -> int:
    """Create the notifications (user, key, message, link) not sent before and e-mail them; returns
    how many were new."""
    items = list(items)
    if not items:
        return 0
    existing = set(
        Notification.objects.filter(key__in={key for _, key, _, _ in items}).values_list("user_id", "key")
    )
    new = []
    for user, key, message, link in items:
        if (user.pk, key) in existing:
            continue
        existing.add((user.pk, key))
        new.append(Notification(user=user, key=key, message=message[:500], link=link))
    if not new:
        return 0
    with transaction.atomic():
        # ignore_conflicts: a second run at the same moment cannot make a duplicate or fail.
        Notification.objects.bulk_create(new, ignore_conflicts=True)
    send_emails({n.key for n in new})
    return len(new)


def send_emails(keys: set[str]) -> None:
    """E-mail the notifications under `keys` not e-mailed yet, to users who have an address."""
    base_url = getattr(settings, "STIMS_BASE_URL", "").rstrip("/")
    unsent = Notification.objects.filter(emailed=False, key__in=keys).exclude(user__email="")
    for note in unsent.select_related("user"):
        if send_mail(
            subject=f"[STIMS] {note.message[:120]}",
            message=f"{note.message}\n\n{base_url}{note.link}",
            from_email=None,
            recipient_list=[note.user.email],
            fail_silently=True,
        ):
            Notification.objects.filter(pk=note.pk).update(emailed=True)
