import django_filters
from django.utils.translation import gettext_lazy as _

from stims.core.filters import SearchFilterSet, YearFilter, folded_search_q
from stims.core.forms import SearchSelect
from stims.geo.filters import UnitFilter
from stims.geo.models import AdminUnit

from .models import (
    Activity,
    ActivityKind,
    Agreement,
    BodyMeeting,
    DocumentRole,
    DocumentStatus,
    DocumentType,
    LegalDocument,
    LocalOfficer,
    OfficerStatus,
    Plan,
    PlanKind,
)


def unit_filter(path: str):
    return UnitFilter(
        field_name=path,
        queryset=AdminUnit.objects.all(),
        label=_("Province or unit"),
        widget=SearchSelect("geo:unit_options"),
    )


class PlanFilterSet(SearchFilterSet):
    kind = django_filters.ChoiceFilter(choices=PlanKind.choices, label=_("Kind"))
    year = YearFilter(method="running_in", label=_("Running in year"))
    admin_unit = unit_filter("admin_unit")
    owner = django_filters.NumberFilter(field_name="owner", label=_("Owner organization"))
    # By key (a link from a plan's page), never a select of every plan.
    parent = django_filters.NumberFilter(field_name="parent", label=_("Parent plan"))

    class Meta:
        model = Plan
        fields = ["q", "kind", "year", "admin_unit", "owner", "parent"]

    def running_in(self, queryset, name, value):
        return queryset.filter(start_year__lte=value, end_year__gte=value)


class LegalDocumentFilterSet(SearchFilterSet):
    plan = django_filters.NumberFilter(field_name="plan", label=_("Plan or programme"))
    doc_type = django_filters.ChoiceFilter(choices=DocumentType.choices, label=_("Document type"))
    role = django_filters.ChoiceFilter(choices=DocumentRole.choices, label=_("The department's role"))
    status = django_filters.ChoiceFilter(choices=DocumentStatus.choices, label=_("Status"))
    year = YearFilter(field_name="issued_on__year", label=_("Year issued"))
    admin_unit = unit_filter("admin_unit")

    class Meta:
        model = LegalDocument
        fields = ["q", "doc_type", "role", "status", "year", "admin_unit", "plan"]


class AgreementFilterSet(SearchFilterSet):
    plan = django_filters.NumberFilter(field_name="plan", label=_("Plan or programme"))
    year = YearFilter(field_name="signed_on__year", label=_("Year signed"))
    admin_unit = unit_filter("admin_unit")

    class Meta:
        model = Agreement
        fields = ["q", "year", "admin_unit", "plan"]


class ActivityFilterSet(SearchFilterSet):
    plan = django_filters.NumberFilter(field_name="plan", label=_("Plan or programme"))
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label=_("Kind"))
    year = YearFilter(field_name="held_on__year", label=_("Year"))
    admin_unit = unit_filter("admin_unit")

    class Meta:
        model = Activity
        fields = ["q", "kind", "year", "admin_unit", "plan"]


class BodyMeetingFilterSet(SearchFilterSet):
    body = django_filters.NumberFilter(field_name="body", label=_("Local S&T body"))
    year = YearFilter(field_name="held_on__year", label=_("Year"))
    admin_unit = unit_filter("body__admin_unit")

    class Meta:
        model = BodyMeeting
        fields = ["q", "year", "admin_unit", "body"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(folded_search_q(value, "body__search_text")) if value.strip() else queryset


class LocalOfficerFilterSet(SearchFilterSet):
    status = django_filters.ChoiceFilter(choices=OfficerStatus.choices, label=_("Status"))
    admin_unit = unit_filter("admin_unit")

    class Meta:
        model = LocalOfficer
        fields = ["q", "status", "admin_unit"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(folded_search_q(value, "person__search_text")) if value.strip() else queryset
