import django_filters
from django.utils.translation import gettext_lazy as _

from stims.core.filters import SearchFilterSet
from stims.core.forms import SearchSelect
from stims.geo.filters import UnitFilter
from stims.geo.models import AdminUnit

from .models import LocalBody, LocalBodyKind, Organization, OrganizationKind, Person


def province_choices(request=None):
    return AdminUnit.objects.provinces().order_by("generation", "name")


class OrganizationFilterSet(SearchFilterSet):
    kind = django_filters.ChoiceFilter(choices=OrganizationKind.choices, label=_("Kind"))
    admin_unit = UnitFilter(queryset=province_choices, label=_("Province"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Organization
        fields = ["q", "kind", "admin_unit", "is_active"]


class PersonFilterSet(SearchFilterSet):
    admin_unit = UnitFilter(queryset=province_choices, label=_("Province"))
    # A search box, not a <select> of every organization (there can be tens of thousands).
    organization = django_filters.ModelChoiceFilter(
        field_name="positions__organization",
        queryset=Organization.objects.all(),
        label=_("Organization"),
        distinct=True,
        widget=SearchSelect("orgs:organization_options"),
    )

    class Meta:
        model = Person
        fields = ["q", "admin_unit", "organization"]


class LocalBodyFilterSet(SearchFilterSet):
    kind = django_filters.ChoiceFilter(choices=LocalBodyKind.choices, label=_("Kind"))
    admin_unit = UnitFilter(queryset=province_choices, label=_("Province"))

    class Meta:
        model = LocalBody
        fields = ["q", "kind", "admin_unit"]
