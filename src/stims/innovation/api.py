from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import routers
from rest_framework.decorators import action
from rest_framework.response import Response

from stims.core.api import ScopedModelViewSet, ValidatedModelSerializer

from . import filters, services
from .models import Framework, Indicator, IndicatorValue


class FrameworkSerializer(ValidatedModelSerializer):
    class Meta:
        model = Framework
        fields = [
            "id",
            "code",
            "name",
            "year",
            "unit_level",
            "legacy_units",
            "province",
            "missing_values",
            "deadline",
            "synthetic",
            "description",
        ]


class IndicatorSerializer(ValidatedModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "group",
            "code",
            "name",
            "unit",
            "direction",
            "source",
            "weight",
            "transformation",
            "lower_bound",
            "upper_bound",
            "placeholder",
        ]


class IndicatorValueSerializer(ValidatedModelSerializer):
    class Meta:
        model = IndicatorValue
        fields = ["id", "indicator", "admin_unit", "value", "source", "note"]


class FrameworkViewSet(ScopedModelViewSet):
    queryset = Framework.objects.order_by("pk")
    serializer_class = FrameworkSerializer
    filterset_class = filters.FrameworkFilterSet

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        """The computed index (the same figures as the results page and `stims index compute`): each unit's
        rank, overall, input and output sub-indices, efficiency ratio, pillar scores and published score."""
        framework = self.get_object()
        return Response(services.results(framework).as_json())


class IndicatorViewSet(ScopedModelViewSet):
    queryset = Indicator.objects.order_by("pk")
    serializer_class = IndicatorSerializer
    filterset_fields = ["group"]


class IndicatorValueViewSet(ScopedModelViewSet):
    queryset = IndicatorValue.objects.order_by("pk")
    serializer_class = IndicatorValueSerializer
    filterset_class = filters.IndicatorValueFilterSet


router = routers.DefaultRouter()
router.register("frameworks", FrameworkViewSet)
router.register("indicators", IndicatorViewSet)
router.register("values", IndicatorValueViewSet)
