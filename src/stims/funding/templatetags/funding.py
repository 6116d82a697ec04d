"""Funding records on their generic pages: amounts shown as VND with dots, not as bare integers."""

from django import template
from django.db import models

from stims.core.templatetags.stims import HIDDEN, record_fields, vnd

register = template.Library()


@register.simple_tag
def funding_fields(obj) -> list[dict]:
    """`record_fields`, with every BigIntegerField (all amounts are VND) formatted by `vnd`."""
    rows = record_fields(obj)
    shown = [f for f in obj._meta.concrete_fields if f.name not in HIDDEN]
    for row, field in zip(rows, shown, strict=True):
        if isinstance(field, models.BigIntegerField):
            row["value"] = vnd(getattr(obj, field.name))
    return rows
