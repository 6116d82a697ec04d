"""Length limits on free text, on every page form and every API serializer, without migrations.

A model's `TextField` has no length in the database, so nothing stopped a 3 MB note (its record page
then weighed 6 MB). Every form field and serializer field for a `TextField`, and every multi-line text
field of a plain form, now accepts at most `DEFAULT_TEXT_LIMIT` characters (setting
`STIMS_TEXT_LIMIT`), with a clear message: "Tối đa 10.000 ký tự (đã nhập 12.345)." A model or a form
may set other limits by field name:

    class Task(...):
        text_limits = {"summary": 20_000}

Forms get it from `TextLimitFormMixin` (the base of `core.forms.ScopedModelForm`, and of the plain
forms with a note or reason), serializers from `TextLimitSerializerMixin` (in
`core.api.ScopedSerializerMixin`).
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

DEFAULT_TEXT_LIMIT = 10_000


def default_limit() -> int:
    return int(getattr(settings, "STIMS_TEXT_LIMIT", DEFAULT_TEXT_LIMIT))


def grouped(number: int) -> str:
    """10000 → "10.000" in Vietnamese, "10,000" in English."""
    return number_format(number, decimal_pos=0, use_l10n=True, force_grouping=True)


@deconstructible
class TextLimitValidator(MaxLengthValidator):
    """At most `limit` characters; the message says how many were typed, grouped by thousands. A
    MaxLengthValidator, so the API schema states the limit as `maxLength`."""

    message = _("At most %(limit)s characters (%(count)s typed).")
    code = "max_length"

    def __init__(self, limit: int):
        super().__init__(limit)
        self.limit = limit

    def __call__(self, value) -> None:
        if value is None:
            return
        count = len(str(value))
        if count > self.limit:
            raise ValidationError(
                self.message, code=self.code, params={"limit": grouped(self.limit), "count": grouped(count)}
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, TextLimitValidator) and other.limit == self.limit


def _model_text_field(model, name: str) -> bool:
    if model is None:
        return False
    try:
        return isinstance(model._meta.get_field(name), models.TextField)
    except FieldDoesNotExist:
        return False


def limit_for(owner, model, name: str) -> int:
    """The limit of field `name`: the form's or serializer's own `text_limits`, else the model's, else
    the default."""
    for source in (owner, model):
        limits = getattr(source, "text_limits", None) or {}
        if name in limits:
            return int(limits[name])
    return default_limit()


def _already_limited(validators, limit: int) -> bool:
    return any(isinstance(v, TextLimitValidator) and v.limit == limit for v in validators)


class TextLimitFormMixin:
    """Limits every form field for a model `TextField`, and every `CharField` shown as a text area
    without a `max_length` of its own."""

    text_limits: dict[str, int] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meta = getattr(self, "_meta", None)
        model = getattr(meta, "model", None)
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField):
                continue
            is_text = _model_text_field(model, name) or (
                isinstance(field.widget, forms.Textarea) and field.max_length is None
            )
            if not is_text:
                continue
            limit = limit_for(self, model, name)
            if not _already_limited(field.validators, limit):
                field.validators.append(TextLimitValidator(limit))
            field.widget.attrs.setdefault("data-max-chars", str(limit))


class TextLimitSerializerMixin:
    """Limits every serializer field for a model `TextField`, and, in a serializer of an action's
    inputs (no model), every text field without a `max_length` of its own (a reason, a note). The
    schema says `maxLength`."""

    text_limits: dict[str, int] = {}

    def get_fields(self):
        from rest_framework import serializers

        fields = super().get_fields()
        model = getattr(getattr(self, "Meta", None), "model", None)
        for name, field in fields.items():
            if not isinstance(field, serializers.CharField) or field.read_only:
                continue
            if model is None:
                if field.max_length is not None:
                    continue
            elif not _model_text_field(model, field.source or name):
                continue
            limit = limit_for(self, model, field.source or name)
            if not _already_limited(field.validators, limit):
                field.validators.append(TextLimitValidator(limit))
            field.max_length = limit
        return fields
