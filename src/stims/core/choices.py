"""Which related records a user may pick for a field: one rule for the pages' forms
(`core.forms.ScopedModelForm`) and the API's serializers (`core.api.ScopedSerializerMixin`), so the two
cannot drift apart.

By default a field offers:
  * administrative units: those the user may attach a record of the model to
    (`permissions.assignable_units`);
  * any other model: the records the user may see (`permissions.restrict(..., VIEW)`).

An app narrows (or replaces) that default for one field of one of its models with `register_choices`,
from its `grants.py`, e.g. a task's officer in charge is one of the department's staff, a result is
recorded on a task the user may change. Choices that depend on the record being edited (the requests of
the directive's own session, the documents of the step's own task) stay with the form or serializer that
knows that record.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from . import permissions

# (model label, field name) → choices(user, queryset) → queryset; filled by the apps' grants.py.
ChoicesRule = Callable[[object, models.QuerySet], models.QuerySet]
FIELD_CHOICES: dict[tuple[str, str], ChoicesRule] = {}


def register_choices(model_label: str, field_name: str, rule: ChoicesRule) -> None:
    """The records `field_name` of `model_label` offers to a user: `rule(user, queryset)`, given the field's
    whole queryset; it replaces the default (see the module's docstring), so a rule that only narrows it
    starts from `default_choices`."""
    key = (model_label, field_name)
    if model_label != model_label.lower():
        raise ImproperlyConfigured(f"Choices for {model_label!r}: model labels are lower case.")
    if FIELD_CHOICES.get(key, rule) is not rule:
        raise ImproperlyConfigured(f"Choices for {model_label}.{field_name} registered twice.")
    FIELD_CHOICES[key] = rule


def default_choices(user, queryset: models.QuerySet, model=None) -> models.QuerySet:
    """The records of `queryset` the user may pick for a field of `model` (None: a form not tied to a
    model, where units are narrowed like any other record)."""
    related = queryset.model
    if model is not None and related is _unit_model():
        return permissions.assignable_units(user, model, permissions.ADD)
    return permissions.restrict(queryset, user, permissions.VIEW)


def related_choices(user, queryset: models.QuerySet, model=None, field_name: str | None = None):
    """The records of `queryset` that `user` may pick for `field_name` of `model`."""
    if model is not None and field_name is not None:
        rule = FIELD_CHOICES.get((permissions.label_of(model), field_name))
        if rule is not None:
            return with_labels(rule(user, queryset))
    return with_labels(default_choices(user, queryset, model))


def with_labels(queryset: models.QuerySet) -> models.QuerySet:
    """`queryset` fetching with each record what its label reads (the model's `label_select_related`),
    so that listing the records as options takes one query, not one or two per option."""
    related = getattr(queryset.model, "label_select_related", ())
    return queryset.select_related(*related) if related else queryset


def _unit_model():
    return permissions._provider("unit_model")
