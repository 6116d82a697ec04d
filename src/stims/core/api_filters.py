"""The API's filter backend, named by the settings (REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]); a module
of its own, so that loading DRF's views does not import the API's bases."""

from django import forms
from django_filters.rest_framework import DjangoFilterBackend

from . import choices, permissions
from .forms import SEARCH_WIDGETS


def lists_its_choices(model) -> bool:
    """Whether the browsable API's filter form offers a related record of `model` from a list: only
    reference lists (types, sectors, fields…) that are not large (units are reference data, but 13,000
    of them). Every other record — organizations, people, tasks, products, IP assets, sessions… — is
    chosen by its id: a list would hold every record the user may see (a million IP assets nationally),
    each option a query for its label, and the pages' search box needs the pages' scripts."""
    label = permissions.label_of(model)
    return label in permissions.REFERENCE_MODELS and label not in SEARCH_WIDGETS


class RecordIdInput(forms.TextInput):
    """A related record's id, typed (the JSON API's filters take ids as well)."""

    def __init__(self):
        super().__init__(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def format_value(self, value):
        # The bound form's value is the id as typed; an unbound one has none.
        return None if value in (None, "") else str(getattr(value, "pk", value))


class ScopedFilterBackend(DjangoFilterBackend):
    """The pages' filters, with every choice of a related record narrowed to what the user may see: the
    browsable API's filter form lists nothing else, and filtering by any other record is the standard
    "not one of the available choices" 400. In that form, records that are not small reference lists are
    typed as ids (`lists_its_choices`)."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            for field in filterset.form.fields.values():
                if isinstance(field, forms.ModelChoiceField):
                    field.queryset = choices.related_choices(request.user, field.queryset)
                    if not isinstance(field, forms.ModelMultipleChoiceField) and not lists_its_choices(
                        field.queryset.model
                    ):
                        field.widget = RecordIdInput()
        return filterset
