"""Every record a form, a serializer or an API filter can offer as an option of a select reads its label
without a query once fetched through `core.choices.with_labels`: a model whose `__str__` reads a
relation names it in `label_select_related` (a unit's label names its province; an allocation's, its
recipient). Over the demo data, every model some field points to."""

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stims.core.choices import with_labels

pytestmark = pytest.mark.django_db


def offered_models() -> list:
    """Every model of ours that a foreign key, one-to-one or many-to-many field of ours points to."""
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("stims.") or model._meta.label_lower.split(".")[1].startswith(
            "historical"
        ):
            continue
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model.__module__.startswith("stims."):
                found.add(field.related_model)
    return sorted(found, key=lambda model: model._meta.label_lower)


def test_every_offered_records_label_is_read_without_a_query(demo_data):
    models = offered_models()
    assert {"geo.adminunit", "funding.allocation", "orgs.person", "sttasks.task"} <= {
        model._meta.label_lower for model in models
    }
    querying, checked = {}, 0
    for model in models:
        records = list(with_labels(model._default_manager.all())[:25])
        if not records:
            continue
        checked += 1
        with CaptureQueriesContext(connection) as queries:
            for record in records:
                str(record)
        if queries:
            querying[model._meta.label_lower] = f"{len(queries)} queries for {len(records)} labels"
    assert checked > 40
    assert not querying, "\n".join(f"{k}: {v}" for k, v in querying.items())
