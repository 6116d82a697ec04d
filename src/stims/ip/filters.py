import django_filters
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stims.core.dates import add_months
from stims.core.filters import SearchFilterSet
from stims.core.forms import SearchSelect
from stims.geo.filters import UnitFilter
from stims.geo.models import AdminUnit
from stims.orgs.filters import province_choices
from stims.orgs.models import Organization

from .models import IpAsset, IpStatus, IpType


class IpAssetFilterSet(SearchFilterSet):
    ip_type = django_filters.ModelChoiceFilter(queryset=IpType.objects.all(), label=_("Type"))
    status = django_filters.ModelChoiceFilter(queryset=IpStatus.objects.all(), label=_("Status"))
    province = UnitFilter(field_name="admin_unit", queryset=province_choices, label=_("Province"))
    # Any unit (district, commune…), with the units under it; a search box, not 13,000 options.
    admin_unit = UnitFilter(
        queryset=AdminUnit.objects.all(), label=_("Unit"), widget=SearchSelect("geo:unit_options")
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.all(),
        label=_("Owner"),
        widget=SearchSelect("orgs:organization_options"),
    )
    expires_within = django_filters.NumberFilter(
        label=_("Expires within (months)"), method="filter_expires_within", min_value=0, max_value=600
    )
    has_products = django_filters.BooleanFilter(label=_("Has linked products"), method="filter_has_products")

    class Meta:
        model = IpAsset
        fields = [
            "q",
            "ip_type",
            "status",
            "province",
            "admin_unit",
            "owner",
            "expires_within",
            "has_products",
        ]

    def filter_expires_within(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        return queryset.filter(expiry_date__gte=today, expiry_date__lte=add_months(today, int(value)))

    def filter_has_products(self, queryset, name, value):
        if value is None:
            return queryset
        linked = Exists(IpAsset.products.through.objects.filter(ipasset_id=OuterRef("pk")))
        return queryset.filter(linked) if value else queryset.exclude(linked)
