import django_filters
from django.utils.translation import gettext_lazy as _

from stims.core.filters import SearchFilterSet, YearFilter
from stims.core.forms import SearchSelect
from stims.geo.filters import UnitFilter
from stims.geo.models import AdminUnit

from .models import Framework, IndicatorValue


class FrameworkFilterSet(SearchFilterSet):
    year = YearFilter(field_name="year", label=_("Year"))

    class Meta:
        model = Framework
        fields = ["q", "year", "unit_level"]


class IndicatorValueFilterSet(django_filters.FilterSet):
    framework = django_filters.ModelChoiceFilter(
        field_name="indicator__group__pillar__framework",
        queryset=Framework.objects.all(),
        label=_("Framework"),
    )
    admin_unit = UnitFilter(
        field_name="admin_unit",
        queryset=AdminUnit.objects.all(),
        label=_("Administrative unit"),
        widget=SearchSelect("geo:unit_options"),
    )

    class Meta:
        model = IndicatorValue
        fields = ["framework", "admin_unit"]
