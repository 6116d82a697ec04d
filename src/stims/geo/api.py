from rest_framework import routers

from stims.core.api import ScopedModelSerializer, ScopedReadOnlyViewSet

from .filters import AdminUnitFilterSet
from .models import AdminUnit


class AdminUnitSerializer(ScopedModelSerializer):
    class Meta:
        model = AdminUnit
        fields = [
            "id",
            "generation",
            "level",
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "province",
            "valid_from",
            "valid_to",
            "latitude",
            "longitude",
        ]


class AdminUnitViewSet(ScopedReadOnlyViewSet):
    """Administrative units (read-only: they come from the official packages)."""

    queryset = AdminUnit.objects.order_by("generation", "code")
    serializer_class = AdminUnitSerializer
    filterset_class = AdminUnitFilterSet


router = routers.DefaultRouter()
router.register("units", AdminUnitViewSet)
