import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from stims.core.filters import SearchFilterSet
from stims.core.forms import SearchSelect
from stims.geo.filters import UnitFilter
from stims.geo.models import AdminUnit
from stims.sttasks.models import Level

from .models import ApplicationReport, ApplicationStatus, Handover, ResultKind, TaskResult
from .services import IN_USE


class TaskResultFilterSet(SearchFilterSet):
    kind = django_filters.ChoiceFilter(choices=ResultKind.choices, label=_("Kind"))
    registered = django_filters.BooleanFilter(label=_("Registered"), method="filter_registered")
    handed_over = django_filters.BooleanFilter(label=_("Handed over"), method="filter_handed_over")
    applied = django_filters.BooleanFilter(label=_("Applied"), method="filter_applied")
    level = django_filters.ChoiceFilter(
        field_name="task__level", choices=Level.choices, label=_("Task level")
    )
    year = django_filters.NumberFilter(
        field_name="task__proposal_year", label=_("Task's plan year"), min_value=1990, max_value=2100
    )

    class Meta:
        model = TaskResult
        fields = ["q", "kind", "registered", "handed_over", "applied", "level", "year"]

    def filter_registered(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(certificate_number="") if value else queryset.filter(certificate_number="")

    def filter_handed_over(self, queryset, name, value):
        if value is None:
            return queryset
        handed = Exists(Handover.objects.filter(result=OuterRef("pk")))
        return queryset.filter(handed) if value else queryset.exclude(handed)

    def filter_applied(self, queryset, name, value):
        """Applied: a report with status applied or replicated, in any year."""
        if value is None:
            return queryset
        applied = Exists(ApplicationReport.objects.filter(result=OuterRef("pk"), status__in=IN_USE))
        return queryset.filter(applied) if value else queryset.exclude(applied)


class ReplicationReportFilterSet(django_filters.FilterSet):
    """The replication page's filters, over application reports: the years reported and the unit
    (with the units under it and across the 2025 reform, like every unit filter)."""

    year_from = django_filters.NumberFilter(
        field_name="year", lookup_expr="gte", label=_("From year"), min_value=1990, max_value=2100
    )
    year_to = django_filters.NumberFilter(
        field_name="year", lookup_expr="lte", label=_("To year"), min_value=1990, max_value=2100
    )
    unit = UnitFilter(
        field_name="admin_unit",
        queryset=AdminUnit.objects.all(),
        label=_("Unit"),
        widget=SearchSelect("geo:unit_options"),
    )

    class Meta:
        model = ApplicationReport
        fields = ["year_from", "year_to", "unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if hasattr(field, "queryset")
                else "form-control form-control-sm",
            )


class ReplicationHandoverFilterSet(django_filters.FilterSet):
    """The same parameters over handovers: handed over in those years, to that unit."""

    # Bounded: a year lookup turns into dates, and a year past 9999 is no date (a 500, not a 400).
    year_from = django_filters.NumberFilter(
        field_name="handed_over_on__year", lookup_expr="gte", min_value=1990, max_value=2100
    )
    year_to = django_filters.NumberFilter(
        field_name="handed_over_on__year", lookup_expr="lte", min_value=1990, max_value=2100
    )
    unit = UnitFilter(field_name="receiving_unit", queryset=AdminUnit.objects.all())

    class Meta:
        model = Handover
        fields = ["year_from", "year_to", "unit"]


class ApplicationReportFilterSet(django_filters.FilterSet):
    """For the API's application reports."""

    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices, label=_("Status"))
    year = django_filters.NumberFilter(label=_("Year"))
    unit = UnitFilter(field_name="admin_unit", queryset=AdminUnit.objects.all(), label=_("Unit"))

    class Meta:
        model = ApplicationReport
        fields = ["result", "status", "year", "unit"]
