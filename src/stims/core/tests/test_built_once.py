"""What does not depend on the request is built once per class (issue #20): a model serializer's fields
(`core.api.FieldsBuiltOnceMixin`) and a list's filter form class (`core.filters.FormClassOnceMixin`).

Each test compares what is kept with what DRF or django-filter would have built for that request,
for every class of the project, and checks that nothing one request does to its copies reaches the
next request's; the request's own narrowing (the user's scope) is still applied to every copy."""

from __future__ import annotations

import itertools

import django_filters
import pytest
from django.db.models import Manager, QuerySet
from django.test import RequestFactory
from django.utils import translation
from rest_framework import serializers
from rest_framework.fields import Field

from stims.core.api import FieldsBuiltOnceMixin, ScopedModelSerializer
from stims.core.filters import FormClassOnceMixin, SearchFilterSet
from stims.orgs.api import PositionSerializer
from stims.orgs.filters import PersonFilterSet
from stims.orgs.models import Organization
from stims.testing import make_user, unit


@pytest.fixture(autouse=True)
def _language_restored():
    language = translation.get_language()
    yield
    translation.activate(language)


def every_subclass(base) -> list[type]:
    """The project's subclasses of `base`, once every app's API and lists are imported (the URLs)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports every view, API and filter module)
    found, todo = [], [base]
    while todo:
        for cls in todo.pop().__subclasses__():
            found.append(cls)
            todo.append(cls)
    return sorted(set(found), key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def model_serializers() -> list[type]:
    return [
        cls
        for cls in every_subclass(ScopedModelSerializer)
        if getattr(getattr(cls, "Meta", None), "model", None) is not None
    ]


def shape(value):
    """A field (or an argument it was built with) as something `==` compares: its class and what it
    was constructed with, a queryset by its model and SQL (unevaluated), a validator by its class and
    its limit or queryset's SQL."""
    if isinstance(value, Field):
        return (
            type(value),
            tuple(shape(arg) for arg in value._args),
            {key: shape(arg) for key, arg in value._kwargs.items()},
        )
    if isinstance(value, (QuerySet, Manager)):
        queryset = value.all()
        return ("queryset", queryset.model, str(queryset.query))
    if isinstance(value, (list, tuple)):
        return [shape(item) for item in value]
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if callable(value) and hasattr(value, "__dict__") and not isinstance(value, type):
        # a validator instance: its class and what it checks
        queryset = getattr(value, "queryset", None)
        return (
            type(value),
            shape(queryset) if queryset is not None else None,
            getattr(value, "limit_value", None),
            str(getattr(value, "regex", "")),
        )
    if hasattr(value, "_meta") and hasattr(value, "attname"):  # a model field
        return ("model field", value.model, value.name)
    return str(value) if type(value).__name__ == "__proxy__" else value


@pytest.mark.django_db
def test_every_model_serializer_keeps_the_fields_drf_builds(monkeypatch):
    classes = model_serializers()
    assert len(classes) > 40  # every domain's serializers, not a handful
    builds = []
    drf_get_fields = serializers.ModelSerializer.get_fields

    def counted(self):
        builds.append(type(self))
        return drf_get_fields(self)

    # In both languages, one after the other: a label is given or not by the language (see the mixin).
    for language, cls in itertools.product(("en", "vi"), classes):
        translation.activate(language)
        FieldsBuiltOnceMixin.get_fields(cls())  # the first builds the prototypes (if none was before)
        with monkeypatch.context() as patch:
            patch.setattr(serializers.ModelSerializer, "get_fields", counted)
            kept = FieldsBuiltOnceMixin.get_fields(cls())  # the second copies them
        assert builds == [], cls
        built = serializers.ModelSerializer.get_fields(cls())  # DRF's own, built for this serializer
        assert list(kept) == list(built), cls
        for name in built:
            if shape(kept[name]) != shape(built[name]):
                import difflib

                diff = "\n".join(
                    difflib.unified_diff(
                        repr(shape(built[name])).replace(", ", ",\n").splitlines(),
                        repr(shape(kept[name])).replace(", ", ",\n").splitlines(),
                        lineterm="",
                    )
                )
                raise AssertionError(f"{cls.__name__}.{name}:\n{diff}")


@pytest.mark.django_db
def test_each_serializer_gets_fields_of_its_own():
    for cls in model_serializers():
        first, second = cls().fields, cls().fields
        for name, field in first.items():
            assert field is not second[name], (cls, name)
            assert field.parent is not second[name].parent
        # What one request does to its copy (a validator added, a limit changed) stays there.
        for name, field in first.items():
            if isinstance(field, serializers.CharField) and not field.read_only:
                before = list(second[name].validators)
                field.validators.append(lambda value: None)
                field.max_length = 1
                third = cls().fields[name]
                assert third.max_length != 1 and len(third.validators) == len(before), (cls, name)
                break


@pytest.mark.django_db
def test_related_choices_are_narrowed_for_the_user_when_first_used(django_assert_num_queries):
    ba_che, binh_lieu = unit("Huyện Ba Chẽ", legacy=True), unit("Huyện Bình Liêu", legacy=True)
    ours = Organization.objects.create(name="HTX Ba Chẽ", admin_unit=ba_che)
    theirs = Organization.objects.create(name="HTX Bình Liêu", admin_unit=binh_lieu)
    request = RequestFactory().get("/api/orgs/positions/")

    request.user = make_user("local_officer", admin_unit=ba_che)
    from stims.core import permissions

    permissions.active_assignments(request.user)  # the roles, read once per request anyway
    with django_assert_num_queries(0):  # building the fields asks the database nothing
        officers = PositionSerializer(context={"request": request}).fields
    offered = set(officers["organization"].get_queryset())
    assert ours in offered and theirs not in offered
    with pytest.raises(serializers.ValidationError):  # a write naming another district's record
        officers["organization"].run_validation(theirs.pk)
    assert officers["organization"].run_validation(ours.pk) == ours

    # The next request, a department specialist's: the whole table, nothing left from the officer's.
    request.user = make_user("specialist")
    specialists = PositionSerializer(context={"request": request}).fields
    offered = set(specialists["organization"].get_queryset())
    assert {ours, theirs} <= offered


def filter_sets() -> list[type]:
    return [cls for cls in every_subclass(SearchFilterSet) if getattr(cls._meta, "model", None)]


def form_shape(form_class) -> dict:
    shaped = {}
    for name, field in form_class.base_fields.items():
        queryset = getattr(field, "queryset", None)
        shaped[name] = (
            type(field),
            type(field.widget),
            str(field.label),
            field.required,
            [(value, str(label)) for value, label in getattr(field, "choices", [])]
            if queryset is None
            else None,
            None if queryset is None else (queryset.model, str(queryset.query)),
        )
    return shaped


@pytest.mark.django_db
def test_every_filter_set_keeps_the_form_class_django_filter_builds():
    classes = filter_sets()
    assert len(classes) > 25
    for language, cls in itertools.product(("en", "vi"), classes):
        translation.activate(language)
        request = RequestFactory().get("/")
        request.user = make_user("specialist")
        kept = cls(request=request).get_form_class()
        assert cls(request=request).get_form_class() is kept  # once per class
        fresh = cls(request=request)
        for (
            filter_
        ) in fresh.filters.values():  # as django-filter builds it for filters that made no field yet
            filter_.__dict__.pop("_field", None)
        built = super(FormClassOnceMixin, fresh).get_form_class()
        assert built is not kept
        assert form_shape(kept) == form_shape(built), cls


@pytest.mark.django_db
def test_each_filter_form_gets_fields_of_its_own(client):
    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    ours = Organization.objects.create(name="HTX Ba Chẽ", admin_unit=ba_che)
    theirs = Organization.objects.create(
        name="HTX Bình Liêu", admin_unit=unit("Huyện Bình Liêu", legacy=True)
    )
    first, second = PersonFilterSet(data={}), PersonFilterSet(data={})
    assert first.form.fields["organization"] is not second.form.fields["organization"]
    first.form.fields["organization"].queryset = Organization.objects.filter(pk=ours.pk)
    first.form.fields["q"].widget.attrs["class"] = "changed"
    third = PersonFilterSet(data={})
    assert set(third.form.fields["organization"].queryset) >= {ours, theirs}
    assert third.form.fields["q"].widget.attrs["class"] != "changed"

    # Through the API, a local officer's filter narrowed to the officer's scope, then a specialist's not.
    client.force_login(make_user("local_officer", admin_unit=ba_che))
    assert client.get(f"/api/orgs/people/?organization={theirs.pk}").status_code == 400
    assert client.get(f"/api/orgs/people/?organization={ours.pk}").status_code == 200
    client.force_login(make_user("specialist"))
    assert client.get(f"/api/orgs/people/?organization={theirs.pk}").status_code == 200


@pytest.mark.parametrize("per_request", [False, True])
def test_a_field_made_on_the_class_filter_does_not_reach_the_form(monkeypatch, per_request):
    """drf-spectacular makes the class's own filters' fields when it writes the API schema, before a
    filter knows its model: a label from the model field was missing from every form made after."""
    from django.utils.text import capfirst

    from stims.innovation.filters import FrameworkFilterSet
    from stims.innovation.models import Framework

    monkeypatch.delattr(FrameworkFilterSet, "_form_classes", raising=False)  # none kept yet
    monkeypatch.setattr(FrameworkFilterSet, "form_class_per_request", per_request)
    monkeypatch.delitem(FrameworkFilterSet.base_filters["unit_level"].__dict__, "_field", raising=False)
    FrameworkFilterSet.base_filters["unit_level"].field  # noqa: B018  (as the schema generator does)
    try:
        translation.activate("vi")
        label = FrameworkFilterSet().form.fields["unit_level"].label
        assert label == capfirst(Framework._meta.get_field("unit_level").verbose_name)
        assert label == "Đơn vị được xếp hạng"
    finally:
        del FrameworkFilterSet.base_filters["unit_level"].__dict__["_field"]


def test_a_filter_set_may_build_its_form_for_each_request():
    class PerRequest(SearchFilterSet):
        form_class_per_request = True

        class Meta:
            model = Organization
            fields = ["q"]

    assert PerRequest().get_form_class() is not PerRequest().get_form_class()
    assert issubclass(PerRequest, django_filters.FilterSet)
