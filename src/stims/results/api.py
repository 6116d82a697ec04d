"""The results API: the same rows, refusals and rules as the pages (`rules.VIEW_RESULT` and
`rules.REPORT_APPLICATION`, as querysets `visible_results` and `reportable_results`). Handover records are uploaded as multipart and downloaded through
`/api/results/handovers/{id}/record/` (the permission layer decides, never a public media URL)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions as drf_permissions
from rest_framework import routers, serializers
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser

from stims.core import permissions
from stims.core.api import ScopedModelSerializer, ScopedModelViewSet
from stims.core.api_permissions import ScopedPermission
from stims.core.files import protected_download, validate_document_file
from stims.sttasks.models import Task

from . import filters, services
from . import rules as result_rules
from .forms import NOT_RECEIVED
from .models import ApplicationReport, Handover, TaskResult


class TaskResultSerializer(ScopedModelSerializer):
    class Meta:
        model = TaskResult
        fields = [
            "id",
            "task",
            "kind",
            "name",
            "description",
            "certificate_number",
            "certificate_date",
            "ip_asset",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "task" in self.fields:
            self.fields["task"].queryset = permissions.restrict(
                Task.objects.all(), request.user, permissions.CHANGE
            )

    def validate(self, attrs):
        number = attrs.get("certificate_number", getattr(self.instance, "certificate_number", ""))
        date = attrs.get("certificate_date", getattr(self.instance, "certificate_date", None))
        if bool(number) != bool(date):
            raise serializers.ValidationError(
                _("Give both the registration certificate's number and its date, or neither.")
            )
        return attrs


class HandoverSerializer(ScopedModelSerializer):
    record_file = serializers.FileField(write_only=True, required=False, allow_empty_file=False)
    has_record_file = serializers.SerializerMethodField()

    class Meta:
        model = Handover
        fields = [
            "id",
            "result",
            "receiving_unit",
            "receiving_organization",
            "handed_over_on",
            "record_number",
            "record_file",
            "has_record_file",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "result" in self.fields:
            self.fields["result"].queryset = permissions.restrict(
                TaskResult.objects.all(), request.user, permissions.CHANGE
            )

    def get_has_record_file(self, obj) -> bool:
        return bool(obj.record_file)

    def validate_record_file(self, value):
        if value:
            validate_document_file(value)
        return value

    def validate(self, attrs):
        unit = attrs.get("receiving_unit", getattr(self.instance, "receiving_unit", None))
        organization = attrs.get(
            "receiving_organization", getattr(self.instance, "receiving_organization", None)
        )
        if not unit and not organization:
            raise serializers.ValidationError(
                _("Choose the locality or the organization that receives the result.")
            )
        return attrs


class ApplicationReportSerializer(ScopedModelSerializer):
    class Meta:
        model = ApplicationReport
        fields = ["id", "result", "year", "admin_unit", "place", "status", "scale", "effect", "reported_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "result" in self.fields:
            self.fields["result"].queryset = services.reportable_results(request.user)
            # Whether the result is out of sight or merely handed over elsewhere, the same reason.
            self.fields["result"].error_messages["does_not_exist"] = NOT_RECEIVED


class ResultPermission(ScopedPermission):
    """A result is read by whoever passes `VIEW_RESULT` (the unit it was handed over to as well), as on
    its page; it is written by the role matrix."""

    def has_object_permission(self, request, view, obj):
        if request.method in drf_permissions.SAFE_METHODS:
            return result_rules.has(result_rules.VIEW_RESULT, request.user, obj)
        return super().has_object_permission(request, view, obj)


class TaskResultViewSet(ScopedModelViewSet):
    queryset = TaskResult.objects.select_related("task").order_by("pk")
    serializer_class = TaskResultSerializer
    permission_classes = [ResultPermission]
    filterset_class = filters.TaskResultFilterSet

    def get_queryset(self):
        return services.visible_results(
            self.request.user, TaskResult.objects.select_related("task").order_by("pk")
        )


class HandoverViewSet(ScopedModelViewSet):
    queryset = Handover.objects.order_by("pk")
    serializer_class = HandoverSerializer
    parser_classes = [JSONParser, MultiPartParser]
    filterset_fields = ["result", "receiving_unit", "receiving_organization"]

    @action(detail=True, methods=["get"])
    def record(self, request, pk=None):
        """The handover record's file (404 when there is none)."""
        return protected_download(request, self.get_object(), "record_file")


class ApplicationReportViewSet(ScopedModelViewSet):
    queryset = ApplicationReport.objects.order_by("pk")
    serializer_class = ApplicationReportSerializer
    filterset_class = filters.ApplicationReportFilterSet


router = routers.DefaultRouter()
router.register("results", TaskResultViewSet)
router.register("handovers", HandoverViewSet)
router.register("applications", ApplicationReportViewSet)
