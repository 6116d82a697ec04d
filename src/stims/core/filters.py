"""Filter helpers shared by every list page and API endpoint."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .text import fold


def folded_search_q(value: str, column: str = "search_text") -> Q:
    """Every word of the query must start a word of the folded search column ("dinh hoa" → "Định
    Hóa", but "ba" does not match "Pa Cheo … Bát Xát")."""
    q = Q()
    for word in fold(value).split():
        q &= Q(**{f"{column}__startswith": word}) | Q(**{f"{column}__contains": f" {word}"})
    return q


class SearchFilterSet(django_filters.FilterSet):
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
