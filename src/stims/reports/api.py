"""/api/reports/: the figures of a period (the same `figures.compute` as the files and the dashboard),
and the reports made, read-only (`reports/`), within the user's scope."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import routers, serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from stims.core import permissions

from . import periods, services
from .figures import cached_compute
from .models import Report


class ReportSerializer(serializers.ModelSerializer):
    # The file is served by the report's download page (permission-checked), never from MEDIA_URL.
    file = serializers.SerializerMethodField()

    def get_file(self, report) -> str | None:
        if not report.file:
            return None
        return self.context["request"].build_absolute_uri(
            reverse("reports:report_download", args=[report.pk])
        )

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
            OpenApiParameter("kind", OpenApiTypes.STR, description="month, quarter, 5m, 6m, 9m, year, range"),
            OpenApiParameter(
                "period",
                OpenApiTypes.STR,
                description="2023 (default: this year); 3/2023; 01/02/2023-30/06/2023",
            ),
            OpenApiParameter(
                "unit", OpenApiTypes.INT, description="Administrative unit id (default: home province)"
            ),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request):
        if not permissions.has_perm(request.user, permissions.VIEW, Report):
            raise PermissionDenied
        try:
            kind = request.query_params.get("kind") or periods.YEAR
            # The year reports default to this year; a month, quarter or range must be given.
            yearly = kind in periods.FIRST_MONTHS or kind == periods.YEAR
            default = str(timezone.localdate().year) if yearly else ""
            period = periods.parse(kind, request.query_params.get("period") or default)
        except periods.PeriodError as exc:
            raise ValidationError({"period": [str(exc)]}) from exc
        # The dashboard's rule: a deployment-wide reader any unit, anyone else the units they report on.
        try:
            unit = services.figures_unit(request.user, request.query_params.get("unit", ""))
        except Http404:
            unit = None
        if unit is None:
            raise NotFound
        return Response(cached_compute(unit, period, request.user).as_dict())


router = routers.DefaultRouter()
router.register("reports", ReportViewSet, basename="report")
router.register("figures", FiguresViewSet, basename="report-figures")
urlpatterns = router.urls
