import django_filters
from django.utils.translation import gettext_lazy as _

from stims.core.filters import SearchFilterSet, YearFilter, folded_search_q
from stims.core.forms import SearchSelect
from stims.geo.filters import UnitFilter
from stims.geo.models import AdminUnit
from stims.orgs.filters import province_choices

from .models import (
    Establishment,
    Inspection,
    InspectionPlan,
    InspectionResult,
    InspectionState,
    MeasuringInstrument,
    RadiationLicence,
    Sector,
    Violation,
    ViolationType,
)


def _unit_filter(field_name):
    return UnitFilter(
        field_name=field_name,
        queryset=AdminUnit.objects.all(),
        label=_("Administrative unit"),
        widget=SearchSelect("geo:unit_options"),
    )


class EstablishmentFilterSet(SearchFilterSet):
    sector = django_filters.ModelChoiceFilter(queryset=Sector.objects.all(), label=_("Sector"))
    province = UnitFilter(field_name="admin_unit", queryset=province_choices, label=_("Province"))
    admin_unit = _unit_filter("admin_unit")

    class Meta:
        model = Establishment
        fields = ["q", "sector", "province", "admin_unit"]


class _EstablishmentSearchFilterSet(SearchFilterSet):
    """`q` searches the establishment's name, address, owner and unit."""

    search_column = "establishment__search_text"

    def filter_search(self, queryset, name, value):
        return queryset.filter(folded_search_q(value, self.search_column)) if value.strip() else queryset


class InspectionPlanFilterSet(django_filters.FilterSet):
    year = YearFilter(label=_("Year"))
    sector = django_filters.ModelChoiceFilter(queryset=Sector.objects.all(), label=_("Sector"))

    class Meta:
        model = InspectionPlan
        fields = ["year", "sector"]


class InspectionFilterSet(_EstablishmentSearchFilterSet):
    year = YearFilter(field_name="planned_on__year", label=_("Year"))
    sector = django_filters.ModelChoiceFilter(
        field_name="establishment__sector", queryset=Sector.objects.all(), label=_("Sector")
    )
    state = django_filters.ChoiceFilter(choices=InspectionState.choices, label=_("State"))
    result = django_filters.ChoiceFilter(choices=InspectionResult.choices, label=_("Result"))
    province = UnitFilter(
        field_name="establishment__admin_unit", queryset=province_choices, label=_("Province")
    )

    class Meta:
        model = Inspection
        fields = ["q", "year", "sector", "state", "result", "province"]


class ViolationFilterSet(django_filters.FilterSet):
    year = YearFilter(field_name="inspection__planned_on__year", label=_("Year"))
    violation_type = django_filters.ModelChoiceFilter(
        queryset=ViolationType.objects.all(), label=_("Violation type")
    )
    sector = django_filters.ModelChoiceFilter(
        field_name="inspection__establishment__sector", queryset=Sector.objects.all(), label=_("Sector")
    )

    class Meta:
        model = Violation
        fields = ["year", "violation_type", "sector"]


class DueFilter(django_filters.NumberFilter):
    """Rows due (or expiring) within this many days from today, overdue ones included."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("method", self.within)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 3650)  # ten years ahead at most: a date past year 9999 cannot be read
        super().__init__(*args, **kwargs)

    def within(self, queryset, name, value):
        import datetime

        from django.utils import timezone

        if value is None:
            return queryset
        limit = timezone.localdate() + datetime.timedelta(days=int(value))
        return queryset.filter(**{f"{self.field_name}__lte": limit})


class MeasuringInstrumentFilterSet(_EstablishmentSearchFilterSet):
    due_within = DueFilter(
        field_name="verification_due", label=_("Verification due within (days)"), min_value=0
    )

    class Meta:
        model = MeasuringInstrument
        fields = ["q", "due_within"]


class RadiationLicenceFilterSet(_EstablishmentSearchFilterSet):
    expiring_within = DueFilter(field_name="expires_on", label=_("Expiring within (days)"), min_value=0)

    class Meta:
        model = RadiationLicence
        fields = ["q", "expiring_within"]
