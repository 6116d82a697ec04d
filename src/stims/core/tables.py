"""Column helpers shared by every table."""

import django_tables2 as tables
from django.db import models
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tables2.columns.base import library


class DateColumn(tables.Column):
    """dd/mm/yyyy on the page; in exports the date itself, which `core.exports` writes as a real Excel
    date shown dd/mm/yyyy (and as dd/mm/yyyy text in CSV)."""

    def render(self, value):
        return date_format(value, "SHORT_DATE_FORMAT") if value else "—"

    def value(self, value):
        return value if value else ""


class LinkedColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("linkify", True)
        super().__init__(*args, **kwargs)


@library.register
class YesNoColumn(tables.BooleanColumn):
    """Yes/no in words ("Có"/"Không") beside the tick, not a bare ✓/✗: the symbol alone says nothing to
    a screen reader. Registered first in django-tables2's column library, so a table's boolean model
    fields get it without naming it."""

    def render(self, value, record, bound_column):
        value = self._get_bool_value(record, value, bound_column)
        return format_html(
            '<span class="{}"><span aria-hidden="true">{}</span> {}</span>',
            "true" if value else "false",
            "✓" if value else "✗",
            _("Yes") if value else _("No"),
        )

    @classmethod
    def from_field(cls, field, **kwargs):
        if isinstance(field, models.BooleanField):
            return cls(null=getattr(field, "null", False), **kwargs)
        return None
