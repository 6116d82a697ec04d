import django_filters
from django.utils.translation import gettext_lazy as _

from stims.core.filters import SearchFilterSet, YearFilter
from stims.core.forms import SearchSelect
from stims.geo.filters import UnitFilter
from stims.geo.models import AdminUnit

from . import services
from .models import AgencyLevel, IsoRecord, IsoStatus


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
