import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from stims.core.filters import SearchFilterSet
from stims.core.forms import SearchSelect
from stims.geo.filters import UnitFilter
from stims.geo.models import AdminUnit

from . import services
from .models import AgencyLevel, IsoRecord, IsoStatus


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    """A year between 1900 and 2100: any other value is a 400 with the reason, never a 500."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class IsoRecordFilterSet(SearchFilterSet):
    year = YearFilter(field_name="year", label=_("Year"))
    level = django_filters.ChoiceFilter(choices=AgencyLevel.choices, label=_("Level of government"))
    status = django_filters.ChoiceFilter(choices=IsoStatus.choices, label=_("ISO 9001 status"))
    standing = django_filters.ChoiceFilter(
        choices=[
            ("applying", _("Applying the system")),
            ("compliant", _("Conformity announced")),
            ("not_yet", _("Not yet applied")),
        ],
        label=_("Standing"),
        method="filter_standing",
    )
    admin_unit = UnitFilter(
        field_name="agency__admin_unit",
        queryset=AdminUnit.objects.all(),
        label=_("Province or unit"),
        widget=SearchSelect("geo:unit_options"),
    )

    class Meta:
        model = IsoRecord
        fields = ["q", "year", "level", "status", "standing", "admin_unit"]

    def filter_standing(self, queryset, name, value):
        return services.with_standing(queryset, value)
