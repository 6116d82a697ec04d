import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stims.core.filters import SearchFilterSet, folded_search_q
from stims.core.text import fold
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
        # A council's name and decision number, without regard to diacritics or case ("thuy san" finds
        # "Thủy sản"), as every other list's search: matched on the folded text in Python, since the
        # councils table has no folded search column (a few hundred rows at most).
        wanted = fold(value)
        named = [
            pk
            for pk, name, number in Council.objects.values_list("pk", "name", "decision_number")
            if wanted in fold(name) or wanted in fold(number)
        ]
        return queryset.filter(
            Q(pk__in=named) | Q(pk__in=Council.objects.filter(dossiers__task__in=tasks).values("pk"))
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
