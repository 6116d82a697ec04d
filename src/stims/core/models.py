"""Base models shared by every domain: search column and audit history."""

import functools
from typing import Any

from django.db import models
from django.utils.hashable import make_hashable
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .reversing import record_url
from .text import fold


@functools.cache
def _choice_labels(field: models.Field, language: str | None) -> dict:
    return {make_hashable(value): str(label) for value, label in field.flatchoices}


class LinkedModel(models.Model):
    """A record with its own page, at the URL named `<app>:<model>_detail`."""

    # The relations its label (`__str__`) reads, joined when records are offered as the options of a
    # select (`core.choices.with_labels`); without them every option costs a query or two (a unit's
    # label names its province: 13,000 units, 26,000 queries).
    label_select_related: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        return record_url(f"{self._meta.app_label}:{self._meta.model_name}_detail", self.pk)

    def _get_FIELD_display(self, field):
        """`get_<field>_display()` from the field's labels translated once per language: Django's own
        hashes every choice's lazy label on every call (about 0.1 ms each, a list page calls it for
        every row and choice column). Choices given by a callable are read each time, as Django does."""
        if not isinstance(field.choices, list | tuple):
            return super()._get_FIELD_display(field)
        value = getattr(self, field.attname)
        return _choice_labels(field, get_language()).get(make_hashable(value), value)


class SearchableModel(LinkedModel):
    """A model with a stored, indexed, diacritic-free search column.

    The column is filled in Python (see `core.text.fold`) so "dinh hoa" finds "Định Hóa" the same
    way on SQLite and PostgreSQL. Subclasses list the fields that feed it in `search_fields`
    (dotted paths follow foreign keys).
    """

    # What the global search fetches with each hit (`core.search`): e.g. ("parent", "province").
    search_select_related: tuple[str, ...] = ()

    search_fields: tuple[str, ...] = ()
    # The field holding the record's own name; matches on it rank above matches elsewhere.
    search_name_field: str = "name"

    search_text = models.TextField(_("search text"), blank=True, default="", editable=False, db_index=True)
    # Indexed: lists sort on it and search ranks on it.
    search_name = models.CharField(
        _("search name"), max_length=255, blank=True, default="", editable=False, db_index=True
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        self.search_name = fold(self._resolve(self.search_name_field))[:255]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", "search_name"}
        super().save(*args, **kwargs)

    def build_search_text(self) -> str:
        return fold(" ".join(str(value) for value in map(self._resolve, self.search_fields) if value))

    def _resolve(self, path: str):
        """The value at a dotted path ("producer.name"), or None where a link is missing."""
        value: Any = self
        for attr in path.split("."):
            value = getattr(value, attr, None) if value is not None else None
        return value


class AuditedModel(LinkedModel):
    """Creation/update stamps plus a full history of every change (who, when, what).

    The history rows (django-simple-history) outlive a deletion, which is how a deleted record is
    found and restored from the "deleted records" page.
    """

    # Set on an instance before save() to name who made the change and why (django-simple-history).
    _history_user: Any
    _change_reason: str

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(inherit=True, excluded_fields=["search_text", "search_name", "updated_at"])

    class Meta:
        abstract = True


class DataVersion(models.Model):
    """How many committed changes each tracked table has seen (see `core.aggregates`): a database
    trigger on every table of the STIMS apps bumps it, whatever wrote the rows (a form, the API, a bulk
    `QuerySet.update()`, `bulk_create`, a delete, raw SQL). On PostgreSQL the triggers append to
    `DataChange` instead (no lock shared by writers) and the rows are folded in here from time to time."""

    table_name = models.CharField(max_length=100, primary_key=True)
    version = models.BigIntegerField(default=0)
    # Changes with every bump that is committed, never taking a value again after a rollback (SQLite: a
    # random number; PostgreSQL: the highest `DataChange.id` folded in).
    stamp = models.BigIntegerField(default=0)
    not_backed_up = True  # core.backup: a restore must move the versions, never put old ones back

    class Meta:
        db_table = "core_dataversion"

    def __str__(self) -> str:
        return f"{self.table_name} v{self.version}"


class DataChange(models.Model):
    """PostgreSQL only: one row per write statement, appended by the triggers."""

    id = models.BigAutoField(primary_key=True)
    table_name = models.CharField(max_length=100)
    not_backed_up = True

    class Meta:
        db_table = "core_datachange"
        indexes = [models.Index(fields=["table_name", "id"], name="core_datachange_table_id")]

    def __str__(self) -> str:
        return f"{self.table_name} #{self.id}"
