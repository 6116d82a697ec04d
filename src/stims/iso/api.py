from django.utils.translation import gettext as _
from rest_framework import routers, serializers
from rest_framework.exceptions import PermissionDenied

from stims.core.api import ScopedModelViewSet, ValidatedModelSerializer

from . import filters
from . import rules as iso_rules
from .models import AGENCY_KINDS, IsoActivity, IsoCheck, IsoRecord


class IsoRecordSerializer(ValidatedModelSerializer):
    class Meta:
        model = IsoRecord
        fields = [
            "id",
            "agency",
            "year",
            "level",
            "status",
            "scope",
            "announcement_number",
            "announcement_date",
            "notes",
        ]
        read_only_fields = ["level"]

    def validate_agency(self, agency):
        if agency.kind not in AGENCY_KINDS:
            raise serializers.ValidationError(
                _("Choose a state agency: a department or a People's Committee.")
            )
        return agency


class IsoActivitySerializer(ValidatedModelSerializer):
    class Meta:
        model = IsoActivity
        fields = ["id", "record", "kind", "date", "nonconformities", "summary"]


class IsoCheckSerializer(ValidatedModelSerializer):
    class Meta:
        model = IsoCheck
        fields = ["id", "record", "date", "team", "result", "findings", "remedies", "remedy_deadline"]


class IsoRecordViewSet(ScopedModelViewSet):
    queryset = IsoRecord.objects.select_related("agency").order_by("pk")
    serializer_class = IsoRecordSerializer
    filterset_class = filters.IsoRecordFilterSet


class IsoActivityViewSet(ScopedModelViewSet):
    queryset = IsoActivity.objects.order_by("pk")
    serializer_class = IsoActivitySerializer
    filterset_fields = ["record", "kind"]


class IsoCheckViewSet(ScopedModelViewSet):
    queryset = IsoCheck.objects.order_by("pk")
    serializer_class = IsoCheckSerializer
    filterset_fields = ["record", "result"]

    def _require_rule(self, record):
        if not iso_rules.has(iso_rules.RECORD_CHECK, self.request.user, record):
            raise PermissionDenied(iso_rules.core_rules.refusal(iso_rules.RECORD_CHECK))

    def perform_create(self, serializer):
        self._require_rule(serializer.validated_data["record"])
        super().perform_create(serializer)

    def perform_update(self, serializer):
        self._require_rule(serializer.validated_data.get("record", serializer.instance.record))
        super().perform_update(serializer)


router = routers.DefaultRouter()
router.register("records", IsoRecordViewSet)
router.register("activities", IsoActivityViewSet)
router.register("checks", IsoCheckViewSet)
