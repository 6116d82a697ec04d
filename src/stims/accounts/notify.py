"""Telling users something: an in-app `Notification`, and the same words by e-mail.

Every reminder job (S&T task deadlines, directive deadlines…) and every event listener (a proposal
sent to the department, a directive assigned… see `stims.site.notifications`) goes through here. A
notification is sent once per user and key (`dedupe_key`): however often a job runs, nobody hears twice
about the same thing. Each new notification is also e-mailed to users who have an address
("[STIMS] <message>", the message and the link); `emailed` records which went out, so a failed e-mail
is not retried as a duplicate in-app message.

Each notification is of a kind (`KINDS`), read from its key: "event:<kind>:…" for an event,
anything else is a deadline reminder (`DEADLINES`). A user chooses per kind whether to be told in the
app, by e-mail, both or neither (`NotificationSetting`, the page "Notification settings"); a kind
with no setting is on both ways.

    notify(users, message, link, dedupe_key="meetings:directive:12:2026-05-01:soon")
    notify_each([(user, key, message, link), ...])   # a batch with a message per user and key
    notify(users, message, link, dedupe_key=event_key("sttasks.proposal_submitted", task.pk))
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import Notification, NotificationSetting

DEADLINES = "deadlines"

# kind → what the user reads on the settings page, in the order shown. Apps add theirs with
# `register_kind` (the listeners of `stims.site.notifications`).
KINDS: dict[str, object] = {DEADLINES: _("Deadline reminders (tasks, directives)")}


_quiet = threading.local()


@contextmanager
def muted() -> Iterator[None]:
    """Tell nobody anything inside the block (loading past records, e.g. the demo's history: its steps
    and directives happened years ago). Callbacks run at the commit of a transaction opened inside the
    block are muted too."""
    previous = getattr(_quiet, "on", False)
    _quiet.on = True
    try:
        yield
    finally:
        _quiet.on = previous


def register_kind(kind: str, label) -> None:
    KINDS.setdefault(kind, label)


def event_key(kind: str, *parts) -> str:
    """The dedupe key of a notification about event `kind` (its kind is read back from the key)."""
    return ":".join(["event", kind, *(str(part) for part in parts)])[:200]


def kind_of(key: str) -> str:
    if key.startswith("event:"):
        return key.split(":", 2)[1]
    return DEADLINES


def settings_of(user_ids: Iterable[int]) -> dict[tuple[int, str], tuple[bool, bool]]:
    """(user id, kind) → (in the app, by e-mail), for the settings these users changed."""
    rows = NotificationSetting.objects.filter(user_id__in=set(user_ids)).values_list(
        "user_id", "kind", "in_app", "by_email"
    )
    return {(user_id, kind): (in_app, by_email) for user_id, kind, in_app, by_email in rows}


def notify(users: Iterable, message: str, link: str = "", *, dedupe_key: str) -> int:
    """Tell each of `users` `message` (with `link`), unless told before under `dedupe_key`; returns
    how many notifications were new."""
    return notify_each((user, dedupe_key, message, link) for user in users)


def notify_each(items: Iterable[tuple]) -> int:
    """Create the notifications (user, key, message, link) not sent before and e-mail them, as each
    user's settings say; returns how many were new."""
    if getattr(_quiet, "on", False):
        return 0
    items = [item for item in items if item[0] is not None and item[0].is_active]
    if not items:
        return 0
    existing = set(
        Notification.objects.filter(key__in={key for _, key, _, _ in items}).values_list("user_id", "key")
    )
    choices = settings_of(user.pk for user, _, _, _ in items)
    new, to_email = [], set()
    for user, key, message, link in items:
        if (user.pk, key) in existing:
            continue
        existing.add((user.pk, key))
        in_app, by_email = choices.get((user.pk, kind_of(key)), (True, True))
        if not (in_app or by_email):
            continue
        wants_email = bool(by_email and user.email)
        new.append(
            Notification(
                user=user,
                key=key,
                message=message[:500],
                link=link[:300],
                shown=in_app,
                email_wanted=wants_email,
            )
        )
        if wants_email:
            to_email.add((user.pk, key))
    if not new:
        return 0
    with transaction.atomic():
        # ignore_conflicts: a second run at the same moment cannot make a duplicate or fail.
        Notification.objects.bulk_create(new, ignore_conflicts=True)
    if to_email:
        # Sent by the background worker, with retries (stims.accounts.mail), never inside the request.
        from .mail import queue_delivery

        queue_delivery()
    return len(new)


def send_emails(keys: set[str] | None = None, only: set[tuple[int, str]] | None = None) -> int:
    """Sends the e-mails due now (stims.accounts.mail.send_due); kept for callers of the old name."""
    from .mail import send_due

    return send_due()[0]
