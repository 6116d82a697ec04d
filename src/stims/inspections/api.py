"""The API of standards, metrology and quality: the same rows and refusals as the pages
(`ScopedModelViewSet`); an inspection moves only through its `move` action (`services.move`)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import routers, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from stims.core import rules as core_rules
from stims.core.api import (
    ScopedModelSerializer,
    ScopedModelViewSet,
    ScopedReadOnlyViewSet,
    ValidatedModelSerializer,
)

from . import filters, services
from .models import (
    Establishment,
    FollowUp,
    Inspection,
    InspectionDecision,
    InspectionEvent,
    InspectionPlan,
    MeasuringInstrument,
    RadiationLicence,
    RadiationSource,
    Sanction,
    Sector,
    Violation,
    ViolationType,
)


class SectorSerializer(ScopedModelSerializer):
    class Meta:
        model = Sector
        fields = ["id", "code", "name", "sort_order", "is_active"]


class ViolationTypeSerializer(ScopedModelSerializer):
    class Meta:
        model = ViolationType
        fields = ["id", "code", "name", "sector", "legal_basis", "fine_min", "fine_max", "is_active"]


class EstablishmentSerializer(ValidatedModelSerializer):
    class Meta:
        model = Establishment
        fields = [
            "id",
            "name",
            "sector",
            "organization",
            "admin_unit",
            "address",
            "owner_name",
            "phone",
            "note",
        ]


class InspectionPlanSerializer(ValidatedModelSerializer):
    class Meta:
        model = InspectionPlan
        fields = ["id", "year", "sector", "admin_unit", "title", "planned_count", "approved_on", "note"]


class InspectionDecisionSerializer(ValidatedModelSerializer):
    class Meta:
        model = InspectionDecision
        fields = ["id", "plan", "kind", "number", "signed_on", "signer", "subject"]


class _FrozenInspectionSerializer(ValidatedModelSerializer):
    """The model's own rules, and: a closed or cancelled inspection's records do not change
    (`services.record_problems`)."""

    def check(self, instance, previous) -> None:
        inspection = instance if isinstance(instance, Inspection) else getattr(instance, "inspection", None)
        if previous is not None and not isinstance(previous, Inspection):
            inspection = previous.inspection  # the inspection it was recorded on, as saved
        if inspection is not None:
            problems = services.record_problems(inspection)
            if problems:
                raise DjangoValidationError(problems)


class InspectionSerializer(_FrozenInspectionSerializer):
    class Meta:
        model = Inspection
        fields = [
            "id",
            "decision",
            "establishment",
            "planned_on",
            "inspected_on",
            "lead_inspector",
            "team",
            "samples_taken",
            "instruments_checked",
            "findings",
            "conclusion",
            "state",
            "result",
        ]
        read_only_fields = ["state", "result"]


class InspectionEventSerializer(ScopedModelSerializer):
    class Meta:
        model = InspectionEvent
        fields = ["id", "inspection", "action", "from_state", "to_state", "happened_on", "note", "actor"]


class ViolationSerializer(_FrozenInspectionSerializer):
    class Meta:
        model = Violation
        fields = ["id", "inspection", "violation_type", "description"]


class SanctionSerializer(_FrozenInspectionSerializer):
    class Meta:
        model = Sanction
        fields = ["id", "inspection", "decision_number", "issued_on", "fine_vnd", "remedies", "paid_on"]


class FollowUpSerializer(_FrozenInspectionSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "inspection", "due_on", "done_on", "outcome"]


class MeasuringInstrumentSerializer(ValidatedModelSerializer):
    class Meta:
        model = MeasuringInstrument
        fields = [
            "id",
            "establishment",
            "kind",
            "serial_number",
            "last_verified_on",
            "verification_due",
            "certificate_number",
        ]


class RadiationSourceSerializer(ValidatedModelSerializer):
    class Meta:
        model = RadiationSource
        fields = ["id", "establishment", "kind", "model_name", "serial_number", "purpose"]


class RadiationLicenceSerializer(ValidatedModelSerializer):
    class Meta:
        model = RadiationLicence
        fields = ["id", "establishment", "number", "issued_on", "expires_on", "work_scope"]


class MoveRefusedError(APIException):
    """A refused move: 400, code `refused`, every reason in `errors` (`core.api_errors`)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "refused"


class InspectionMoveSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(services.MOVES))
    on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SectorViewSet(ScopedReadOnlyViewSet):
    """Reference data, edited in the admin."""

    queryset = Sector.objects.order_by("sort_order", "pk")
    serializer_class = SectorSerializer


class ViolationTypeViewSet(ScopedReadOnlyViewSet):
    """The catalogue of violations with their legal basis; edited in the admin."""

    queryset = ViolationType.objects.order_by("code")
    serializer_class = ViolationTypeSerializer
    filterset_fields = ["sector", "is_active"]


class EstablishmentViewSet(ScopedModelViewSet):
    queryset = Establishment.objects.order_by("pk")
    serializer_class = EstablishmentSerializer
    filterset_class = filters.EstablishmentFilterSet


class InspectionPlanViewSet(ScopedModelViewSet):
    queryset = InspectionPlan.objects.order_by("pk")
    serializer_class = InspectionPlanSerializer
    filterset_fields = ["year", "sector", "admin_unit"]


class InspectionDecisionViewSet(ScopedModelViewSet):
    queryset = InspectionDecision.objects.order_by("pk")
    serializer_class = InspectionDecisionSerializer
    filterset_fields = ["plan", "kind"]


class InspectionViewSet(ScopedModelViewSet):
    # The teams in one query for the page, not one per inspection (core/tests/test_list_queries.py).
    queryset = Inspection.objects.prefetch_related("team").order_by("pk")
    serializer_class = InspectionSerializer
    filterset_class = filters.InspectionFilterSet

    @extend_schema(request=InspectionMoveSerializer, responses=InspectionSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Make one move (start, conclude, follow_up, close, cancel); a refusal says every reason."""
        inspection = self.get_object()  # 404 outside the user's scope
        data = InspectionMoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        name = data.validated_data["action"]
        core_rules.require(services.MOVES[name][2], request.user, inspection)
        try:
            services.move(
                inspection,
                name,
                request.user,
                on=data.validated_data["on"],
                note=data.validated_data["note"],
            )
        except DjangoValidationError as refused:  # MoveRefused: every reason
            raise MoveRefusedError(refused.messages) from refused
        return Response(InspectionSerializer(inspection, context=self.get_serializer_context()).data)


class InspectionEventViewSet(ScopedReadOnlyViewSet):
    """Every move of an inspection, made by the inspection's `move` action."""

    queryset = InspectionEvent.objects.order_by("pk")
    serializer_class = InspectionEventSerializer
    filterset_fields = ["inspection", "action"]


class ViolationViewSet(ScopedModelViewSet):
    queryset = Violation.objects.order_by("pk")
    serializer_class = ViolationSerializer
    filterset_fields = ["inspection", "violation_type"]


class SanctionViewSet(ScopedModelViewSet):
    queryset = Sanction.objects.order_by("pk")
    serializer_class = SanctionSerializer
    filterset_fields = ["inspection"]


class FollowUpViewSet(ScopedModelViewSet):
    queryset = FollowUp.objects.order_by("pk")
    serializer_class = FollowUpSerializer
    filterset_fields = ["inspection"]


class MeasuringInstrumentViewSet(ScopedModelViewSet):
    queryset = MeasuringInstrument.objects.order_by("pk")
    serializer_class = MeasuringInstrumentSerializer
    filterset_class = filters.MeasuringInstrumentFilterSet


class RadiationSourceViewSet(ScopedModelViewSet):
    queryset = RadiationSource.objects.order_by("pk")
    serializer_class = RadiationSourceSerializer
    filterset_fields = ["establishment", "kind"]


class RadiationLicenceViewSet(ScopedModelViewSet):
    queryset = RadiationLicence.objects.order_by("pk")
    serializer_class = RadiationLicenceSerializer
    filterset_class = filters.RadiationLicenceFilterSet


router = routers.DefaultRouter()
router.register("sectors", SectorViewSet)
router.register("violation-types", ViolationTypeViewSet)
router.register("establishments", EstablishmentViewSet)
router.register("plans", InspectionPlanViewSet)
router.register("decisions", InspectionDecisionViewSet)
router.register("inspections", InspectionViewSet)
router.register("inspection-moves", InspectionEventViewSet)
router.register("violations", ViolationViewSet)
router.register("sanctions", SanctionViewSet)
router.register("follow-ups", FollowUpViewSet)
router.register("instruments", MeasuringInstrumentViewSet)
router.register("radiation-sources", RadiationSourceViewSet)
router.register("radiation-licences", RadiationLicenceViewSet)
