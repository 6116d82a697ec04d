from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "stims.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django import forms as django_forms
        from django_filters import fields as filter_fields

        from . import fulltext
        from .aggregates import install_after_migrate
        from .filters import FetchedFilterModelChoiceIterator
        from .forms import FetchedModelChoiceIterator

        # Model selects read their options with one query, not a server-side cursor (core.forms), in
        # forms and in filter forms alike.
        django_forms.ModelChoiceField.iterator = FetchedModelChoiceIterator  # type: ignore[misc] # django-stubs: a generic class
        filter_fields.ModelChoiceField.iterator = FetchedFilterModelChoiceIterator
        filter_fields.ModelMultipleChoiceField.iterator = FetchedFilterModelChoiceIterator

        # The full-text index of every searchable model, after each migrate (core.fulltext).
        post_migrate.connect(fulltext.ensure_after_migrate, sender=self, dispatch_uid="stims.core.fulltext")
        # The data-version triggers of the cached dashboard aggregates, on every table (core.aggregates).
        post_migrate.connect(install_after_migrate, dispatch_uid="stims.core.aggregates")
