import django_filters
from django.utils.translation import gettext_lazy as _

from stims.core.filters import SearchFilterSet

from .models import AdminUnit, Generation, Level
from .services import covered_units_q


class UnitFilter(django_filters.ModelChoiceFilter):
    """Records of a unit (province, district or commune), of the units under it, and across the 2025
    reform of the units it came from or became — the same reach as a unit-scoped role, so today's
    Quảng Ninh lists records filed under legacy Huyện Ba Chẽ. Every list's unit filter is this one."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(
            **{f"{self.field_name}__in": AdminUnit.objects.filter(covered_units_q(value)).values("pk")}
        )


class AdminUnitFilterSet(SearchFilterSet):
    generation = django_filters.ChoiceFilter(choices=Generation.choices, label=_("Generation"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"))
    province = django_filters.ModelChoiceFilter(
        queryset=AdminUnit.objects.provinces().order_by("generation", "name"), label=_("Province")
    )

    class Meta:
        model = AdminUnit
        fields = ["q", "generation", "level", "province"]
