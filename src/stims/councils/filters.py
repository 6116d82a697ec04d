import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stims.core.filters import SearchFilterSet, folded_search_q
from stims.sttasks.models import Task

from .models import Council, CouncilKind, CriteriaSet


class CouncilFilterSet(SearchFilterSet):
    """Councils by kind, year of meeting and whether they have concluded; the search box finds the
    council's name or decision number, or a task it considered (code, title, lead organization…)."""

    kind = django_filters.ChoiceFilter(choices=CouncilKind.choices, label=_("Kind"))
    year = django_filters.NumberFilter(
        field_name="meeting_date__year", label=_("Year of meeting"), min_value=1990, max_value=2100
    )
    concluded = django_filters.BooleanFilter(
        field_name="concluded_on", lookup_expr="isnull", exclude=True, label=_("Concluded")
    )

    class Meta:
        model = Council
        fields = ["q", "kind", "year", "concluded"]

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        tasks = Task.objects.filter(folded_search_q(value)).values("pk")
        return queryset.filter(
            Q(name__icontains=value.strip())
            | Q(decision_number__icontains=value.strip())
            | Q(pk__in=Council.objects.filter(dossiers__task__in=tasks).values("pk"))
        )


class CriteriaSetFilterSet(SearchFilterSet):
    council_kind = django_filters.ChoiceFilter(choices=CouncilKind.choices, label=_("Council kind"))

    class Meta:
        model = CriteriaSet
        fields = ["q", "council_kind"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(name__icontains=value) | Q(legal_basis__icontains=value)) if value else queryset
        )
