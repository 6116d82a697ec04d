import django_filters
from django.utils.translation import gettext_lazy as _

from stims.core.filters import SearchFilterSet, YearFilter
from stims.core.forms import SearchSelect
from stims.geo.filters import UnitFilter
from stims.geo.models import AdminUnit

from .models import CouncilRound, EffectScope, Initiative, InitiativeState


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
