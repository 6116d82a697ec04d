import django_filters
from django.utils.translation import gettext_lazy as _

from stims.core.filters import SearchFilterSet

from .models import AdminUnit, Generation, Level


class AdminUnitFilterSet(SearchFilterSet):
    generation = django_filters.ChoiceFilter(choices=Generation.choices, label=_("Generation"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"))
    province = django_filters.ModelChoiceFilter(
        queryset=AdminUnit.objects.provinces().order_by("generation", "name"), label=_("Province")
    )

    class Meta:
        model = AdminUnit
        fields = ["q", "generation", "level", "province"]
