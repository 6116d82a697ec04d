"""Optimistic concurrency: a record's version, and what changed since a version someone edited.

A record's version is its `updated_at` (`AuditedModel`, `auto_now`), written as whole microseconds
since the epoch: both SQLite and PostgreSQL keep microseconds, so two saves give two versions. A
page keeps the version it showed in a hidden field and the API hands it out as the `ETag`; a save is
taken only if the row, locked in the saving transaction, still has that version.

What changed is read from the simple-history trail. A save stamps `updated_at` before it writes
and its history row after, and saves of one row are serialised by the row lock, so the history rows
of a record interleave with its versions: v1 ≤ h1 < v2 ≤ h2 < …  The first history row at or after
version v is therefore the state that version showed, and every later row is a change made since.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .history import HistoryEntry, history_entries

FORM_FIELD = "record_version"
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)


def is_versioned(obj_or_model) -> bool:
    """Whether the model carries a version (an `updated_at` stamp)."""
    return any(f.name == "updated_at" for f in obj_or_model._meta.concrete_fields)


def version_of(instance) -> str:
    """The version token of a saved record ("" for a model without `updated_at` or an unsaved one)."""
    stamp = getattr(instance, "updated_at", None)
    if stamp is None:
        return ""
    if timezone.is_naive(stamp):
        stamp = timezone.make_aware(stamp, datetime.UTC)
    return str((stamp - _EPOCH) // _MICROSECOND)


def stamp_of(token: str) -> datetime.datetime | None:
    """The moment a version token stands for, or None for something that is not a token."""
    token = (token or "").strip()
    if not token.isdigit():
        return None
    try:
        return _EPOCH + int(token) * _MICROSECOND
    except OverflowError:
        return None


def is_current(instance, token: str | None) -> bool:
    return (token or "").strip() == version_of(instance)


def lock(instance):
    """The record's row as it is now, locked until the end of the transaction (None once deleted).

    Locked through the base manager and by primary key only: list querysets carry joins and
    aggregates that PostgreSQL will not lock.
    """
    return type(instance)._base_manager.select_for_update().filter(pk=instance.pk).first()


@dataclass
class Conflict:
    """Why a save was refused: the record's current version and the saves made since the edited one."""

    current: Any  # the record as saved now (None when it was deleted)
    version: str
    entries: list[HistoryEntry] = field(default_factory=list)

    @property
    def deleted(self) -> bool:
        return self.current is None

    def summary(self) -> str:
        if self.deleted:
            return _(
                "This record was deleted by someone else after you opened it. Your changes were not saved."
            )
        if not self.version:
            return _(
                "Your changes were not saved: the form did not say which version of the record it was editing. "
                "Check the values below against the record as it is now and save again to keep yours."
            )
        if not self.entries:
            return _(
                "Someone else saved this record on %(date)s, after you opened it. Your changes were not saved. "
                "Check the values below and save again to overwrite theirs with yours."
            ) % {"date": _when(self.current.updated_at)}
        return _(
            "Someone else saved this record after you opened it. Your changes were not saved. "
            "Their changes are listed below; check the values and save again to overwrite them with yours."
        )

    def lines(self) -> list[str]:
        """One line per save since the edited version, oldest first: who, when, each field old → new."""
        lines = []
        for entry in reversed(self.entries):
            changes = "; ".join(f"{c.field}: {c.old or '—'} → {c.new}" for c in entry.changes)
            lines.append(
                _("%(user)s saved it on %(date)s: %(changes)s")
                % {
                    "user": _who(entry.user),
                    "date": _when(entry.date),
                    "changes": changes or _("no field that the form shows changed"),
                }
            )
        return lines

    def as_data(self) -> dict:
        """The refusal as API data (strings only)."""
        return {
            "detail": self.summary(),
            "current_version": version_of(self.current) if self.current is not None else "",
            "changes": [
                {
                    "user": _who(entry.user),
                    "date": entry.date.isoformat(),
                    "action": entry.action,
                    "fields": [{"field": c.field, "old": c.old, "new": c.new} for c in entry.changes],
                }
                for entry in reversed(self.entries)
            ],
        }


def _who(user) -> str:
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def changes_since(instance, token: str) -> list[HistoryEntry]:
    """The saves of `instance` made after version `token`, newest first, each with its changed fields."""
    stamp = stamp_of(token)
    history = getattr(instance, "history", None)
    if stamp is None or history is None:
        return []
    records = list(
        history.filter(history_date__gte=stamp)
        .select_related("history_user")
        .order_by("-history_date", "-pk")
    )
    # The oldest of them is the state `token` showed: the base the first change is compared with.
    return history_entries(records)[:-1]


def check(instance, token: str | None) -> Conflict | None:
    """Lock `instance`'s row and compare its version with `token`; a Conflict when they differ.

    Call inside the transaction that saves the record, so nobody can save between check and save.
    """
    current = lock(instance)
    token = (token or "").strip()
    if current is not None and token and is_current(current, token):
        return None
    entries = changes_since(current, token) if current is not None and token else []
    return Conflict(current=current, version=token, entries=entries)
