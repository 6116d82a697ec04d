"""Column helpers shared by every table."""

import django_tables2 as tables
from django.utils.formats import date_format


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
