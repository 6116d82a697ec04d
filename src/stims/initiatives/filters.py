import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from stims.core.filters import SearchFilterSet
from stims.core.forms import SearchSelect
from stims.geo.filters import UnitFilter
from stims.geo.models import AdminUnit

from .models import CouncilRound, EffectScope, Initiative, InitiativeState


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    """A year between 1900 and 2100: any other value is a 400 with the reason, never a 500."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


class InitiativeFilterSet(SearchFilterSet):
    state = django_filters.ChoiceFilter(choices=InitiativeState.choices, label=_("State"))
    year = YearFilter(field_name="submitted_on__year", label=_("Year submitted"))
    effect_scope = django_filters.ChoiceFilter(choices=EffectScope.choices, label=_("Scope of effect"))
    agency = django_filters.NumberFilter(field_name="agency", label=_("Agency"))
    admin_unit = UnitFilter(
        field_name="agency__admin_unit",
        queryset=AdminUnit.objects.all(),
        label=_("Province or unit"),
        widget=SearchSelect("geo:unit_options"),
    )

    class Meta:
        model = Initiative
        fields = ["q", "state", "year", "effect_scope", "agency", "admin_unit", "round"]


class CouncilRoundFilterSet(SearchFilterSet):
    year = YearFilter(field_name="year", label=_("Year"))

    class Meta:
        model = CouncilRound
        fields = ["q", "year"]
