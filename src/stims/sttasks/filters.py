import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stims.core.filters import SearchFilterSet
from stims.core.forms import SearchSelect
from stims.geo.filters import UnitFilter
from stims.geo.models import AdminUnit
from stims.orgs.models import Organization

from . import deadlines
from .models import Call, Level, Phase, Programme, ScienceField, Task, TaskType, WorkflowState


class TaskFilterSet(SearchFilterSet):
    state = django_filters.ModelChoiceFilter(queryset=WorkflowState.objects.all(), label=_("State"))
    phase = django_filters.ChoiceFilter(field_name="state__phase", choices=Phase.choices, label=_("Phase"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"))
    task_type = django_filters.ModelChoiceFilter(queryset=TaskType.objects.all(), label=_("Type"))
    programme = django_filters.ModelChoiceFilter(queryset=Programme.objects.all(), label=_("Programme"))
    field = django_filters.ModelChoiceFilter(queryset=ScienceField.objects.all(), label=_("Field"))
    proposal_year = django_filters.NumberFilter(label=_("Plan year"), min_value=1990, max_value=2100)
    is_carried_over = django_filters.BooleanFilter(label=_("Carried over"))
    carried_over_year = django_filters.NumberFilter(
        label=_("Carried over into year"), min_value=1990, max_value=2100
    )
    ordering_unit = UnitFilter(
        queryset=AdminUnit.objects.all(),
        label=_("Ordering locality"),
        widget=SearchSelect("geo:unit_options"),
    )
    lead_organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.all(),
        label=_("Lead organization"),
        widget=SearchSelect("orgs:organization_options"),
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    ends_within = django_filters.NumberFilter(
        label=_("Running, ending within (days)"), method="filter_ends_within", min_value=0, max_value=3660
    )
    submitted = django_filters.BooleanFilter(
        label=_("Proposal sent to the department"), method="filter_submitted"
    )
    mine = django_filters.BooleanFilter(label=_("I am the officer in charge"), method="filter_mine")

    class Meta:
        model = Task
        fields = [
            "q",
            "state",
            "phase",
            "level",
            "task_type",
            "programme",
            "field",
            "proposal_year",
            "is_carried_over",
            "carried_over_year",
            "ordering_unit",
            "lead_organization",
            "overdue",
            "ends_within",
            "submitted",
            "mine",
        ]

    def filter_ends_within(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(
            state__is_running=True,
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=int(value)),
        )

    def filter_submitted(self, queryset, name, value):
        """Sent: proposals the locality sent and the department has not taken on yet (awaiting a decision)."""
        if value is None:
            return queryset
        waiting = Q(state__is_initial=True, submitted_at__isnull=False)
        return queryset.filter(waiting) if value else queryset.exclude(waiting)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value is None or user is None or not user.is_authenticated:
            return queryset
        return queryset.filter(officer=user) if value else queryset.exclude(officer=user)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        condition = deadlines.overdue_q(timezone.localdate())
        return queryset.filter(condition) if value else queryset.exclude(condition)


class CallFilterSet(SearchFilterSet):
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"))
    task_type = django_filters.ModelChoiceFilter(queryset=TaskType.objects.all(), label=_("Type"))
    programme = django_filters.ModelChoiceFilter(queryset=Programme.objects.all(), label=_("Programme"))
    is_open = django_filters.BooleanFilter(label=_("Open today"), method="filter_is_open")
    publish_on_portal = django_filters.BooleanFilter(label=_("Published on the portal"))

    class Meta:
        model = Call
        fields = ["q", "level", "task_type", "programme", "is_open", "publish_on_portal"]

    def filter_is_open(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        condition = Q(open_from__lte=today, open_until__gte=today)
        return queryset.filter(condition) if value else queryset.exclude(condition)
