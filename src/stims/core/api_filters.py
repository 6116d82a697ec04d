"""The API's filter backend, named by the settings (REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]); a module
of its own, so that loading DRF's views does not import the API's bases."""

from django.forms import ModelChoiceField
from django_filters.rest_framework import DjangoFilterBackend

from . import choices


class ScopedFilterBackend(DjangoFilterBackend):
    """The pages' filters, with every choice of a related record narrowed to what the user may see: the
    browsable API's filter form lists nothing else, and filtering by any other record is the standard
    "not one of the available choices" 400."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for field in filterset.form.fields.values():
                if isinstance(field, ModelChoiceField):
                    field.queryset = choices.related_choices(request.user, field.queryset)
        return filterset
