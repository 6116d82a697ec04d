import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from stims.core.filters import SearchFilterSet
from stims.core.forms import SearchSelect
from stims.geo.filters import UnitFilter
from stims.geo.models import AdminUnit
from stims.orgs.filters import province_choices

from . import services
from .models import Product, ProductGroup, Traceability

STAR_CHOICES = [(n, "★" * n) for n in range(5, 0, -1)]


class ProductFilterSet(SearchFilterSet):
    group = django_filters.ModelChoiceFilter(queryset=ProductGroup.objects.all(), label=_("Product group"))
    province = UnitFilter(field_name="admin_unit", queryset=province_choices, label=_("Province"))
    # Any unit (district, commune…), old or new, with the units under it; a search box, not 14,000 options.
    admin_unit = UnitFilter(
        queryset=AdminUnit.objects.all(),
        label=_("Administrative unit"),
        widget=SearchSelect("geo:unit_options"),
    )
    is_key_product = django_filters.BooleanFilter(label=_("Key product"))
    is_ocop = django_filters.BooleanFilter(label=_("OCOP"))
    stars = django_filters.TypedChoiceFilter(
        choices=STAR_CHOICES, coerce=int, method="filter_stars", label=_("Stars (latest evaluation)")
    )
    has_traceability = django_filters.BooleanFilter(method="filter_traceability", label=_("Traceability"))

    class Meta:
        model = Product
        fields = [
            "q",
            "group",
            "province",
            "admin_unit",
            "is_key_product",
            "is_ocop",
            "stars",
            "has_traceability",
        ]

    @extend_schema_field(OpenApiTypes.INT)  # a computed filter: tell the OpenAPI schema its type
    def filter_stars(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        if "latest_stars" not in queryset.query.annotations:
            queryset = services.with_latest_stars(queryset)
        return queryset.filter(latest_stars=value)

    def filter_traceability(self, queryset, name, value):
        if value is None:
            return queryset
        traced = Q(pk__in=Traceability.objects.values("product_id"))
        return queryset.filter(traced if value else ~traced)
