import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from stims.core.filters import SearchFilterSet
from stims.core.forms import SearchSelect
from stims.geo.filters import UnitFilter
from stims.geo.models import AdminUnit

from .models import Startup, StartupStage, StEnterprise, SupportKind


class CoveredUnitFilter(UnitFilter):
    """The shared unit filter, offered as one search box for province, district or commune."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", AdminUnit.objects.all())
        kwargs.setdefault("label", _("Province or unit"))
        kwargs.setdefault("widget", SearchSelect("geo:unit_options"))
        super().__init__(*args, **kwargs)


class StatusFilter(django_filters.ChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("active", _("Active")), ("revoked", _("Revoked"))])
        kwargs.setdefault("label", _("Status"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value == "active":
            return qs.filter(revoked_on__isnull=True)
        if value == "revoked":
            return qs.filter(revoked_on__isnull=False)
        return qs


@extend_schema_field(OpenApiTypes.INT)  # the API schema: an integer, not a guess from the field path
class YearFilter(django_filters.TypedChoiceFilter):
    pass


def certificate_years():
    return [(year, str(year)) for year in range(timezone.localdate().year, 1999, -1)]


class StEnterpriseFilterSet(SearchFilterSet):
    admin_unit = CoveredUnitFilter(field_name="organization__admin_unit")
    year = YearFilter(
        field_name="certificate_date__year", choices=certificate_years, coerce=int, label=_("Year certified")
    )
    status = StatusFilter()
    field = django_filters.CharFilter(lookup_expr="icontains", label=_("Field"))

    class Meta:
        model = StEnterprise
        fields = ["q", "admin_unit", "year", "status", "field"]


class StartupFilterSet(SearchFilterSet):
    admin_unit = CoveredUnitFilter(field_name="admin_unit")
    stage = django_filters.ChoiceFilter(choices=StartupStage.choices, label=_("Stage"))
    field = django_filters.CharFilter(lookup_expr="icontains", label=_("Field"))
    support_kind = django_filters.ChoiceFilter(
        choices=SupportKind.choices, label=_("Support received"), method="filter_support_kind"
    )

    class Meta:
        model = Startup
        fields = ["q", "admin_unit", "stage", "field", "support_kind"]

    def filter_support_kind(self, queryset, name, value):
        # A subquery, not a join: a startup coached twice is listed once.
        from .models import StartupSupport

        return (
            queryset.filter(pk__in=StartupSupport.objects.filter(kind=value).values("startup"))
            if value
            else queryset
        )
