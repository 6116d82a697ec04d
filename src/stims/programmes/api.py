"""The agenda's API under /api/programmes/: the same rows and refusals as the pages
(`ScopedModelViewSet`), the same filters; a document's status moves through POST documents/<id>/move/."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import routers, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from stims.core import permissions
from stims.core.api import ScopedModelViewSet, ValidatedModelSerializer

from . import filters, services
from . import rules as programme_rules
from .models import (
    Activity,
    Agreement,
    AgreementReview,
    BodyMeeting,
    Commitment,
    DocumentLink,
    DocumentReview,
    LegalDocument,
    LocalOfficer,
    Plan,
    PlanLink,
    ProgressEntry,
    Target,
)


class PlanSerializer(ValidatedModelSerializer):
    class Meta:
        model = Plan
        fields = [
            "id",
            "kind",
            "name",
            "decision_number",
            "decision_date",
            "issuer",
            "start_year",
            "end_year",
            "owner",
            "admin_unit",
            "parent",
            "task_programme",
            "summary",
        ]


class PlanTargetSerializer(ValidatedModelSerializer):
    achieved = serializers.SerializerMethodField()

    def get_achieved(self, obj) -> str | None:
        """What is achieved today: counted from STIMS's records, or the last progress entry."""
        achieved = services.achieved(obj)
        return None if achieved is None else str(achieved)

    class Meta:
        model = Target
        fields = [
            "id",
            "plan",
            "indicator",
            "unit",
            "measure",
            "year",
            "baseline",
            "value",
            "admin_unit",
            "note",
            "achieved",
        ]


class ProgressEntrySerializer(ValidatedModelSerializer):
    class Meta:
        model = ProgressEntry
        fields = ["id", "target", "reported_on", "value", "evidence", "note"]


class PlanLinkSerializer(ValidatedModelSerializer):
    class Meta:
        model = PlanLink
        fields = ["id", "plan", "task", "directive", "note"]


class LegalDocumentSerializer(ValidatedModelSerializer):
    class Meta:
        model = LegalDocument
        fields = [
            "id",
            "doc_type",
            "number",
            "title",
            "issued_on",
            "issuer",
            "role",
            "status",
            "effective_on",
            "replaced_by",
            "plan",
            "organization",
            "admin_unit",
            "file",
        ]


class DocumentLinkSerializer(ValidatedModelSerializer):
    class Meta:
        model = DocumentLink
        fields = ["id", "document", "task", "directive", "note"]


class DocumentReviewSerializer(ValidatedModelSerializer):
    class Meta:
        model = DocumentReview
        fields = ["id", "document", "reviewed_on", "findings", "proposal"]


class AgreementSerializer(ValidatedModelSerializer):
    class Meta:
        model = Agreement
        fields = [
            "id",
            "name",
            "number",
            "signed_on",
            "start_date",
            "end_date",
            "owner",
            "partners",
            "admin_unit",
            "scope",
            "plan",
        ]


class CommitmentSerializer(ValidatedModelSerializer):
    class Meta:
        model = Commitment
        fields = ["id", "agreement", "text", "party", "deadline", "done_on", "directive"]


class AgreementReviewSerializer(ValidatedModelSerializer):
    class Meta:
        model = AgreementReview
        fields = ["id", "agreement", "reviewed_on", "findings"]


class ActivitySerializer(ValidatedModelSerializer):
    class Meta:
        model = Activity
        fields = [
            "id",
            "kind",
            "title",
            "held_on",
            "audience",
            "attendees",
            "organizer",
            "admin_unit",
            "plan",
            "materials",
            "note",
        ]


class BodyMeetingSerializer(ValidatedModelSerializer):
    class Meta:
        model = BodyMeeting
        fields = ["id", "body", "held_on", "agenda", "conclusions", "attendees"]


class LocalOfficerSerializer(ValidatedModelSerializer):
    class Meta:
        model = LocalOfficer
        fields = ["id", "admin_unit", "person", "position", "status", "since"]


class DocumentMoveSerializer(serializers.Serializer):
    move = serializers.ChoiceField(choices=list(services.MOVES))
    number = serializers.CharField(required=False, allow_blank=True)
    date = serializers.DateField(required=False)
    replaced_by = serializers.PrimaryKeyRelatedField(queryset=LegalDocument.objects.all(), required=False)

    def validate_replaced_by(self, value):
        user = self.context["request"].user
        if not permissions.restrict(LegalDocument.objects.filter(pk=value.pk), user).exists():
            raise serializers.ValidationError(_("Choose a document you may see."))
        return value


class PlanViewSet(ScopedModelViewSet):
    queryset = Plan.objects.order_by("pk")
    serializer_class = PlanSerializer
    filterset_class = filters.PlanFilterSet


class TargetViewSet(ScopedModelViewSet):
    queryset = Target.objects.select_related("plan__admin_unit", "admin_unit").order_by("pk")
    serializer_class = PlanTargetSerializer
    filterset_fields = ["plan", "year", "measure"]


class ProgressEntryViewSet(ScopedModelViewSet):
    queryset = ProgressEntry.objects.order_by("pk")
    serializer_class = ProgressEntrySerializer
    filterset_fields = ["target"]


class PlanLinkViewSet(ScopedModelViewSet):
    queryset = PlanLink.objects.order_by("pk")
    serializer_class = PlanLinkSerializer
    filterset_fields = ["plan", "task", "directive"]


class LegalDocumentViewSet(ScopedModelViewSet):
    queryset = LegalDocument.objects.order_by("pk")
    serializer_class = LegalDocumentSerializer
    filterset_class = filters.LegalDocumentFilterSet

    @extend_schema(request=DocumentMoveSerializer, responses=LegalDocumentSerializer)
    @action(detail=True, methods=["post"], serializer_class=DocumentMoveSerializer)
    def move(self, request, pk=None):
        """One status move: consult, issue (number, date), enter_into_force (date), start_review,
        close_review or replace (replaced_by)."""
        document = self.get_object()  # 404 outside the user's scope
        serializer = DocumentMoveSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        values = {k: v for k, v in serializer.validated_data.items() if v not in (None, "")}
        name = values.pop("move")
        if not programme_rules.has(programme_rules.MOVE_DOCUMENT, request.user, document):
            raise PermissionDenied(programme_rules.refusal(programme_rules.MOVE_DOCUMENT))
        try:
            services.move_document(document, name, request.user, **values)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            ) from exc
        return Response(LegalDocumentSerializer(document, context=self.get_serializer_context()).data)


class DocumentLinkViewSet(ScopedModelViewSet):
    queryset = DocumentLink.objects.order_by("pk")
    serializer_class = DocumentLinkSerializer
    filterset_fields = ["document", "task", "directive"]


class DocumentReviewViewSet(ScopedModelViewSet):
    queryset = DocumentReview.objects.order_by("pk")
    serializer_class = DocumentReviewSerializer
    filterset_fields = ["document", "proposal"]


class AgreementViewSet(ScopedModelViewSet):
    queryset = Agreement.objects.prefetch_related("partners").order_by("pk")
    serializer_class = AgreementSerializer
    filterset_class = filters.AgreementFilterSet


class CommitmentViewSet(ScopedModelViewSet):
    queryset = Commitment.objects.order_by("pk")
    serializer_class = CommitmentSerializer
    filterset_fields = ["agreement", "directive"]


class AgreementReviewViewSet(ScopedModelViewSet):
    queryset = AgreementReview.objects.order_by("pk")
    serializer_class = AgreementReviewSerializer
    filterset_fields = ["agreement"]


class ActivityViewSet(ScopedModelViewSet):
    queryset = Activity.objects.order_by("pk")
    serializer_class = ActivitySerializer
    filterset_class = filters.ActivityFilterSet


class BodyMeetingViewSet(ScopedModelViewSet):
    queryset = BodyMeeting.objects.order_by("pk")
    serializer_class = BodyMeetingSerializer
    filterset_class = filters.BodyMeetingFilterSet


class LocalOfficerViewSet(ScopedModelViewSet):
    queryset = LocalOfficer.objects.order_by("pk")
    serializer_class = LocalOfficerSerializer
    filterset_class = filters.LocalOfficerFilterSet


router = routers.DefaultRouter()
router.register("plans", PlanViewSet)
router.register("targets", TargetViewSet, basename="plantarget")
router.register("progress", ProgressEntryViewSet)
router.register("plan-links", PlanLinkViewSet)
router.register("documents", LegalDocumentViewSet)
router.register("document-links", DocumentLinkViewSet)
router.register("document-reviews", DocumentReviewViewSet)
router.register("agreements", AgreementViewSet)
router.register("commitments", CommitmentViewSet)
router.register("agreement-reviews", AgreementReviewViewSet)
router.register("activities", ActivityViewSet)
router.register("body-meetings", BodyMeetingViewSet)
router.register("officers", LocalOfficerViewSet)
