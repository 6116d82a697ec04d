"""Every list's filter form can be submitted untouched: each single-choice filter offers an empty choice
(the products' Stars filter had none, so pressing Filter filtered to 5 stars), and the active filters
are named in the form's own words."""

from importlib import import_module

import pytest
from django import forms
from django.apps import apps
from django.http import QueryDict

from stims.core.filters import SearchFilterSet, active_filters

pytestmark = pytest.mark.django_db


def all_filtersets():
    for app_config in apps.get_app_configs():
        if app_config.name.startswith("stims."):
            try:
                import_module(f"{app_config.name}.filters")
            except ModuleNotFoundError:
                pass
    seen, stack = [], list(SearchFilterSet.__subclasses__())
    while stack:
        cls = stack.pop()
        seen.append(cls)
        stack.extend(cls.__subclasses__())
    return seen


def test_every_single_choice_filter_has_an_empty_choice():
    filtersets = all_filtersets()
    assert len(filtersets) >= 15
    missing = []
    for filterset_class in filtersets:
        if filterset_class._meta.model is None:
            continue  # an app's shared base (e.g. a search over a related record), not a list's filters
        form = filterset_class(QueryDict("")).form
        for name, field in form.fields.items():
            if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
                continue
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label is None:
                    missing.append(f"{filterset_class.__name__}.{name}")
            elif isinstance(field, forms.ChoiceField) and not any(v in ("", None) for v, _ in field.choices):
                missing.append(f"{filterset_class.__name__}.{name}")
    assert missing == []


def test_the_active_filters_are_named_as_the_form_shows_them():
    from django.utils import translation

    from stims.products.filters import ProductFilterSet

    # In the deployment's language, whatever an earlier test of the process left active.
    with translation.override("vi"):
        filterset = ProductFilterSet(QueryDict("q=bao+thai&stars=5&is_ocop=true&group="))
        assert active_filters(filterset) == [
            ("Tìm kiếm", "“bao thai”"),
            (str(filterset.form.fields["is_ocop"].label), "Có"),
            (str(filterset.form.fields["stars"].label), "★★★★★"),
        ]
        assert active_filters(ProductFilterSet(QueryDict("q=&stars=&is_ocop=unknown"))) == []
