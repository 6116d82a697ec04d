import django_filters
from django.utils.translation import gettext_lazy as _

from stims.core.filters import SearchFilterSet
from stims.orgs.filters import UnitFilter, province_choices

from .models import Indicator, Target


class TargetFilterSet(SearchFilterSet):
    """Targets have no search column: `q` matches the unit's folded name instead."""

    year = django_filters.NumberFilter(label=_("Year"))
    indicator = django_filters.ChoiceFilter(choices=Indicator.choices, label=_("Indicator"))
    admin_unit = UnitFilter(queryset=province_choices, label=_("Province"))

    def filter_search(self, queryset, name, value):
        from stims.core.filters import folded_search_q

        return (
            queryset.filter(folded_search_q(value, "admin_unit__search_text")) if value.strip() else queryset
        )

    class Meta:
        model = Target
        fields = ["q", "year", "indicator", "admin_unit"]
