"""Filter helpers shared by every list page and API endpoint."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .text import fold


def folded_search_q(value: str, column: str = "search_text") -> Q:
    """Every word of the query must start a word of the folded search column ("dinh hoa" → "Định
    Hóa", but "ba" does not match "Pa Cheo … Bát Xát")."""
    q = Q()
    for word in fold(value).split():
        q &= Q(**{f"{column}__startswith": word}) | Q(**{f"{column}__contains": f" {word}"})
    return q


# --- Yes/no filters (wording) ----------------------------------------------------------------------


class YesNoAnySelect(forms.NullBooleanSelect):
    """A yes/no filter's three choices: "Tất cả", "Có", "Không". Django's own widget says "Chưa xác
    định" (unknown) for the first, which reads as a value of the record, not as "any"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [
            ("unknown", pgettext_lazy("yes/no filter", "Any")),
            ("true", _("Yes")),
            ("false", _("No")),
        ]


class YesNoAnyMixin:
    """Every yes/no filter of the filter set (declared, or made for a model's BooleanField) offers
    "Tất cả / Có / Không"."""

    def get_form_class(self):
        form_class = super().get_form_class()
        for field in form_class.base_fields.values():
            if isinstance(field.widget, forms.NullBooleanSelect) and not isinstance(
                field.widget, YesNoAnySelect
            ):
                field.widget = YesNoAnySelect(attrs=field.widget.attrs)
        return form_class


# ---------------------------------------------------------------------------------------------------


class SearchFilterSet(YesNoAnyMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_search")

    def filter_search(self, queryset, name, value):
        return queryset.filter(folded_search_q(value)) if value.strip() else queryset

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            css = (
                "form-select form-select-sm" if hasattr(field, "choices") else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)
