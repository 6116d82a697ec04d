"""REST API of working sessions and directives: the same rows and refusals as the pages.

A directive's state, its reports' verdicts and its events change only through the `move` action
(`services.move`), so reports and events are read-only here.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import routers, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from stims.core import permissions
from stims.core.api import (
    ScopedModelSerializer,
    ScopedModelViewSet,
    ScopedPermission,
    ScopedReadOnlyViewSet,
    ValidatedModelSerializer,
    api_error,
)
from stims.core.files import validate_document_file
from stims.core.textlimits import TextLimitSerializerMixin
from stims.orgs.models import Organization

from . import filters, rules, services
from .models import (
    AgendaItem,
    Directive,
    DirectiveEvent,
    DirectiveReport,
    LocalityRequest,
    Participant,
    SessionDocument,
    SessionFigure,
    WorkingSession,
)


class WorkingSessionSerializer(ValidatedModelSerializer):
    class Meta:
        model = WorkingSession
        fields = [
            "id",
            "title",
            "held_on",
            "start_time",
            "end_time",
            "place",
            "status",
            "chair",
            "chair_position",
            "host_organization",
            "admin_unit",
            "agenda_summary",
            "report_summary",
            "conclusion",
            "source_text",
            "source_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class ParticipantSerializer(ValidatedModelSerializer):
    class Meta:
        model = Participant
        fields = ["id", "session", "person", "organization", "name", "position", "role"]


class AgendaItemSerializer(ScopedModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "session", "order", "title", "presenter", "notes"]


class SessionDocumentSerializer(ScopedModelSerializer):
    class Meta:
        model = SessionDocument
        fields = ["id", "session", "kind", "number", "issued_on", "title", "file"]


class SessionFigureSerializer(ScopedModelSerializer):
    class Meta:
        model = SessionFigure
        fields = ["id", "session", "label", "value", "unit", "year", "sentence"]


class LocalityRequestSerializer(ValidatedModelSerializer):
    class Meta:
        model = LocalityRequest
        fields = [
            "id",
            "session",
            "from_unit",
            "from_organization",
            "text",
            "addressed_to",
            "status",
            "response",
            "responded_on",
        ]


class DirectiveSerializer(ValidatedModelSerializer):
    lead_organizations = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        many=True,
        required=False,
        write_only=True,
        help_text=(
            "On creation, instead of `lead_organization`: one conclusion sentence assigned to several "
            "units, one directive (part) per unit, tied by `group`; all are created or none. The "
            "response is the first unit's part."
        ),
    )
    group_size = serializers.SerializerMethodField(
        help_text="How many units the sentence was assigned to (1: this unit alone)."
    )

    class Meta:
        model = Directive
        fields = [
            "id",
            "session",
            "request",
            "text",
            "lead_organization",
            "lead_organizations",
            "group",
            "group_size",
            "supporting_organizations",
            "assigned_by",
            "assigned_by_person",
            "assigned_on",
            "recurrence",
            "deadline",
            "deadline_is_illustrative",
            "original_deadline",
            "state",
            "done_on",
            "task",
            "product",
            "ip_asset",
            "enterprise",
            "admin_unit",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["group", "original_deadline", "state", "done_on", "created_at", "updated_at"]
        extra_kwargs = {"lead_organization": {"required": False}}

    def get_group_size(self, directive) -> int:
        size = getattr(directive, "group_size", None)
        if size is None:
            size = Directive.objects.filter(group_id=directive.group_id).count() if directive.group_id else 1
        return size

    def validate(self, attrs):
        leads = attrs.get("lead_organizations")
        if leads is not None and self.instance is not None:
            raise serializers.ValidationError(
                {"lead_organizations": [_("Several units are given only when the directive is created.")]}
            )
        if leads and not attrs.get("lead_organization"):
            attrs["lead_organization"] = leads[0]
        if self.instance is None and not attrs.get("lead_organization"):
            raise serializers.ValidationError({"lead_organization": [_("This field is required.")]})
        return super().validate(attrs)

    def check(self, instance, previous) -> None:
        """Who assigned it and the deadline do not change by PUT or PATCH (the deadline moves by
        `extend`); the assigner is one of the department staff (`services.record_problems`)."""
        found = services.record_problems(instance, previous)
        if found:
            raise DjangoValidationError(found)


class DirectiveReportSerializer(ScopedModelSerializer):
    class Meta:
        model = DirectiveReport
        fields = [
            "id",
            "directive",
            "reported_on",
            "text",
            "evidence",
            "reported_by",
            "verdict",
            "reviewed_by",
            "reviewed_on",
            "review_note",
        ]


class DirectiveEventSerializer(ScopedModelSerializer):
    # Plain strings in the schema: the directive's own `state` already names the DirectiveState enum, and
    # the same choices under three field names would be three competing enum names.
    from_state = serializers.CharField(read_only=True)
    to_state = serializers.CharField(read_only=True)

    class Meta:
        model = DirectiveEvent
        fields = [
            "id",
            "directive",
            "action",
            "from_state",
            "to_state",
            "happened_on",
            "note",
            "previous_deadline",
            "new_deadline",
            "report",
            "actor",
            "recorded_at",
        ]


class MoveSerializer(TextLimitSerializerMixin, serializers.Serializer):
    action = serializers.ChoiceField(choices=sorted(services.MOVES))
    on = serializers.DateField(required=False, help_text="The day of the move; today when left out.")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    new_deadline = serializers.DateField(required=False, allow_null=True, default=None)
    text = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.FileField(
        required=False, allow_null=True, default=None, validators=[validate_document_file]
    )


class MayMove(ScopedPermission):
    """Moves are open to whoever may see the directive; the named rules (`rules.MOVE_RULES`, asked by
    `services.move`) decide who makes which."""

    def has_permission(self, request, view):
        return permissions.has_perm(request.user, permissions.VIEW, Directive)

    def has_object_permission(self, request, view, obj):
        return permissions.has_perm(request.user, permissions.VIEW, obj)


class WorkingSessionViewSet(ScopedModelViewSet):
    queryset = WorkingSession.objects.select_related("admin_unit", "host_organization", "chair").order_by(
        "pk"
    )
    serializer_class = WorkingSessionSerializer
    filterset_class = filters.WorkingSessionFilterSet


class ParticipantViewSet(ScopedModelViewSet):
    queryset = Participant.objects.order_by("pk")
    serializer_class = ParticipantSerializer
    filterset_fields = ["session", "role"]


class AgendaItemViewSet(ScopedModelViewSet):
    queryset = AgendaItem.objects.order_by("pk")
    serializer_class = AgendaItemSerializer
    filterset_fields = ["session"]


class SessionDocumentViewSet(ScopedModelViewSet):
    queryset = SessionDocument.objects.order_by("pk")
    serializer_class = SessionDocumentSerializer
    filterset_fields = ["session", "kind"]


class SessionFigureViewSet(ScopedModelViewSet):
    queryset = SessionFigure.objects.order_by("pk")
    serializer_class = SessionFigureSerializer
    filterset_fields = ["session"]


class LocalityRequestViewSet(ScopedModelViewSet):
    queryset = LocalityRequest.objects.order_by("pk")
    serializer_class = LocalityRequestSerializer
    filterset_class = filters.LocalityRequestFilterSet


class DirectiveViewSet(ScopedModelViewSet):
    queryset = (
        Directive.objects.select_related("lead_organization")
        .prefetch_related("supporting_organizations")
        .annotate(
            group_size=Coalesce(
                Subquery(
                    Directive.objects.filter(group_id=OuterRef("group_id"))
                    .order_by()
                    .values("group_id")
                    .annotate(n=Count("pk"))
                    .values("n")[:1],
                    output_field=IntegerField(),
                ),
                1,
            )
        )
        .order_by("pk")
    )
    serializer_class = DirectiveSerializer
    filterset_class = filters.DirectiveFilterSet

    def perform_create(self, serializer):
        # Left out, the assigner is whoever records the directive, if they are on the department staff.
        data = serializer.validated_data
        if data.get("assigned_by") is None and rules.is_department_staff(self.request.user):
            data["assigned_by"] = self.request.user
        others = data.pop("lead_organizations", None) or []
        leads = list(dict.fromkeys([data["lead_organization"], *others]))
        if len(leads) == 1:
            super().perform_create(serializer)
            return
        template = Directive(**{k: v for k, v in data.items() if k != "supporting_organizations"})
        try:
            group = services.assign_to_units(
                data.get("session"),
                data["text"],
                lead_organizations=leads,
                user=self.request.user,
                deadline=data.get("deadline"),
                supporting=list(data.get("supporting_organizations") or ()),
                **services.shared_fields(template),
            )
        except services.UnitsOutOfScope as refused:
            raise PermissionDenied(str(refused)) from refused
        except DjangoValidationError as invalid:
            raise api_error(invalid) from invalid
        serializer.instance = group.parts.order_by("pk").first()
        self._versioned = serializer.instance

    @extend_schema(request=MoveSerializer, responses={201: DirectiveEventSerializer})
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[MayMove],
        serializer_class=MoveSerializer,
        # A report's evidence is a file: multipart here, JSON otherwise.
        parser_classes=[JSONParser, MultiPartParser],
    )
    def move(self, request, pk=None):
        """Make one move (start, report, accept, return, extend, cancel); 400 with every reason when refused."""
        directive = self.get_object()
        payload = MoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        refusal = services.refusal_for(request.user, directive, data["action"])
        if refusal:
            raise PermissionDenied(refusal)
        try:
            event = services.move(
                directive,
                data["action"],
                request.user,
                on=data.get("on") or timezone.localdate(),
                note=data["note"],
                new_deadline=data["new_deadline"],
                text=data["text"],
                evidence=data["evidence"],
            )
        except services.MoveRefused as refused:
            return Response({"detail": refused.messages}, status=status.HTTP_400_BAD_REQUEST)
        except DjangoValidationError as invalid:
            return Response({"detail": invalid.messages}, status=status.HTTP_400_BAD_REQUEST)
        return Response(DirectiveEventSerializer(event).data, status=status.HTTP_201_CREATED)


class DirectiveReportViewSet(ScopedReadOnlyViewSet):
    """Reports are made by the `report` move and judged by `accept`/`return`."""

    queryset = DirectiveReport.objects.order_by("pk")
    serializer_class = DirectiveReportSerializer
    filterset_fields = ["directive", "verdict"]


class DirectiveEventViewSet(ScopedReadOnlyViewSet):
    queryset = DirectiveEvent.objects.order_by("pk")
    serializer_class = DirectiveEventSerializer
    filterset_fields = ["directive", "action"]


router = routers.DefaultRouter()
router.register("sessions", WorkingSessionViewSet)
router.register("participants", ParticipantViewSet)
router.register("agenda-items", AgendaItemViewSet)
router.register("documents", SessionDocumentViewSet)
router.register("figures", SessionFigureViewSet)
router.register("requests", LocalityRequestViewSet)
router.register("directives", DirectiveViewSet)
router.register("directive-reports", DirectiveReportViewSet)
router.register("events", DirectiveEventViewSet)
