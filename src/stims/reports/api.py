"""/api/reports/: the figures of a period (the same `figures.compute` as the files and the dashboard),
and the reports made, read-only (`reports/`), within the user's scope."""

from django.core.exceptions import PermissionDenied
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

    def list(self, request):
        if not permissions.has_perm(request.user, permissions.VIEW, Report):
            raise PermissionDenied
        try:
            period = periods.parse(
                request.query_params.get("kind", periods.YEAR), request.query_params.get("period", "")
            )
        except periods.PeriodError as exc:
            raise ValidationError({"period": [str(exc)]}) from exc
        raw = request.query_params.get("unit", "")
        unit = (
            home_province()
            if not raw
            else AdminUnit.objects.filter(pk=int(raw) if raw.isdigit() else 0).first()
        )
        if unit is None or not services.may_report_on(request.user, unit):
            raise NotFound
        return Response(compute(unit, period, request.user).as_dict())


router = routers.DefaultRouter()
router.register("reports", ReportViewSet, basename="report")
router.register("figures", FiguresViewSet, basename="report-figures")
urlpatterns = router.urls
