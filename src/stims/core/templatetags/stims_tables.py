"""The rows of a django-tables2 table, written in Python (see `core.tables.table_rows`)."""

from django import template

from stims.core.tables import table_rows as render_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    return render_rows(table, context)
