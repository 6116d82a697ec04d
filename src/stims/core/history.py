"""Readable change history (who, when, which fields from what to what) from django-simple-history."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import localize
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

HISTORY_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
HIDDEN_FIELDS = {"id", "search_text", "search_name", "created_at", "updated_at"}


@dataclass
class FieldChange:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    record: Any
    action: str
    user: Any
    date: datetime.datetime
    reason: str
    changes: list[FieldChange] = field(default_factory=list)


def _display(model: type[models.Model], field_name: str, value, related_cache: dict) -> str:
    if value is None or value == "":
        return "—"
    try:
        model_field: Any = model._meta.get_field(field_name)
    except FieldDoesNotExist:
        return str(value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        key = (model_field.related_model, value)
        if key not in related_cache:
            related = model_field.related_model._default_manager.filter(pk=value).first()
            related_cache[key] = str(related) if related else f"#{value}"
        return related_cache[key]
    if isinstance(model_field, models.FileField):
        # The uploaded file's name, not its storage path ("documents/sttasks/2026/3f9c…-bao_cao.pdf").
        return str(value).rsplit("/", 1)[-1].split("-", 1)[-1]
    if isinstance(model_field, models.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(model_field, models.DateField) and hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    if isinstance(model_field, (models.DecimalField, models.FloatField)):
        return localize(value)  # "30,0" as on the page, not "30.0"
    return str(value)


def _label(model: type[models.Model], field_name: str) -> str:
    try:
        field: Any = model._meta.get_field(field_name)
        return str(capfirst(field.verbose_name))  # keeps "OCOP" upper-case
    except FieldDoesNotExist:
        return field_name


def history_entries(records) -> list[HistoryEntry]:
    """Entries newest first, each with its field-by-field differences from the version before it."""
    records = list(records)
    entries: list[HistoryEntry] = []
    related_cache: dict[tuple, str] = {}
    # Records arrive newest first; each is compared with the next (older) one in the list.
    for index, record in enumerate(records):
        model = record.instance_type
        previous = records[index + 1] if index + 1 < len(records) else None
        entry = HistoryEntry(
            record=record,
            action=str(HISTORY_TYPES.get(record.history_type, record.history_type)),
            user=record.history_user,
            date=record.history_date,
            reason=record.history_change_reason or "",
        )
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                entry.changes.append(
                    FieldChange(
                        field=_label(model, change.field),
                        old=_display(model, change.field, change.old, related_cache),
                        new=_display(model, change.field, change.new, related_cache),
                    )
                )
        elif record.history_type == "+":
            for model_field in model._meta.concrete_fields:
                if model_field.attname in HIDDEN_FIELDS:
                    continue
                value = getattr(record, model_field.attname, None)
                if value in (None, "", False):
                    continue
                name = model_field.name
                entry.changes.append(
                    FieldChange(
                        field=_label(model, name), old="", new=_display(model, name, value, related_cache)
                    )
                )
        entries.append(entry)
    return entries
