"""/api/reports/: the figures of a period (the same `figures.compute` as the files and the dashboard),
and the reports made, read-only (`reports/`), within the user's scope."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import routers, serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from stims.core import permissions
from stims.geo.models import AdminUnit
from stims.geo.services import home_province

from . import periods, services
from .figures import compute
from .models import Report


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "period_start",
            "period_end",
            "admin_unit",
            "format",
            "number",
            "summary",
            "template_version",
            "parameters",
            "figures",
            "figures_digest",
            "status",
            "progress",
            "message",
            "file",
            "created_at",
        ]


class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ReportSerializer
    permission_classes = [IsAuthenticated]
    queryset = Report.objects.none()

    def get_queryset(self):
        if not permissions.has_perm(self.request.user, permissions.VIEW, Report):
            raise PermissionDenied
        return permissions.restrict(Report.objects.all(), self.request.user).order_by("-pk")


class FiguresViewSet(viewsets.ViewSet):
    """`?kind=5m&period=2023&unit=<id>`: the report's figures and tables; a unit the user may not report
    on is not found."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "kind",
                OpenApiTypes.STR,
                description="Report type: month, quarter, 5m, 6m, 9m, year or range (default: year)",
            ),
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                description="3/2023 (month), 2/2023 (quarter), 2023, 01/02/2023-30/06/2023 (range); default: this year",
            ),
            OpenApiParameter(
                "unit",
                OpenApiTypes.INT,
                description="Administrative unit id (default: the home province, or the officer's own unit)",
            ),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request):
        if not permissions.has_perm(request.user, permissions.VIEW, Report):
            raise PermissionDenied
        kind = request.query_params.get("kind") or periods.YEAR
        # Without a period, this year (a year report) — as the registry figures default.
        text = request.query_params.get("period") or (
            str(timezone.localdate().year) if kind == periods.YEAR else ""
        )
        try:
            period = periods.parse(kind, text)
        except periods.PeriodError as exc:
            raise ValidationError({"period": [str(exc)]}) from exc
        raw = request.query_params.get("unit", "")
        if raw:
            unit = AdminUnit.objects.filter(pk=int(raw) if raw.isdigit() else 0).first()
        else:
            # Without a unit, the first the user may report on: the home province for the department's
            # staff, a local officer's own unit.
            province = home_province()
            unit = (
                province
                if province is not None and services.may_report_on(request.user, province)
                else permissions.assignable_units(request.user, Report, permissions.ADD)
                .order_by("pk")
                .first()
            )
        if unit is None or not services.may_report_on(request.user, unit):
            raise NotFound
        return Response(compute(unit, period, request.user).as_dict())


router = routers.DefaultRouter()
router.register("reports", ReportViewSet, basename="report")
router.register("figures", FiguresViewSet, basename="report-figures")
urlpatterns = router.urls
