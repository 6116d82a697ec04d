"""API of the registries app: targets (same rows and refusals as the pages) and the dashboard's
figures, from the same query layer as the page (`figures.figures_for`)."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import routers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from stims.core import permissions
from stims.core.api import ScopedModelSerializer, ScopedModelViewSet
from stims.geo.models import AdminUnit
from stims.products.models import Product

from . import figures as registry_figures
from . import filters
from .models import Target


class TargetSerializer(ScopedModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "year", "admin_unit", "indicator", "value", "legal_basis"]


class TargetViewSet(ScopedModelViewSet):
    queryset = Target.objects.order_by("pk")
    serializer_class = TargetSerializer
    filterset_class = filters.TargetFilterSet


class FiguresViewSet(viewsets.ViewSet):
    """`GET /api/registries/figures/?unit=<id>&year=<yyyy>`: the dashboard's figures of a locality.

    `unit` defaults to the home province, `year` to this year. Counts cover only the records the user
    may see (a locality outside the user's scope reads as zeros); unknown unit: 404; malformed: 400.
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unit", OpenApiTypes.INT, description="Administrative unit id (default: home province)"
            ),
            OpenApiParameter("year", OpenApiTypes.INT, description="Year (default: this year)"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request):
        if not permissions.has_perm(request.user, permissions.VIEW, Product):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied
        try:
            unit, year = registry_figures.parse_params(request.query_params)
        except AdminUnit.DoesNotExist as exc:
            raise Http404 from exc
        except registry_figures.BadParameter as exc:
            field = str(exc)
            message = (
                _("A year between 1990 and 2100.") if field == "year" else _("An administrative unit's id.")
            )
            raise ValidationError({field: [message]}) from exc
        figures, rows = registry_figures.cached_figures_for(unit, year, request.user)
        return Response(figures.as_dict(rows))


router = routers.DefaultRouter()
router.register("targets", TargetViewSet)
router.register("figures", FiguresViewSet, basename="figures")
