from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import routers, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from stims.core import permissions
from stims.core.api import ScopedModelViewSet, ScopedReadOnlyViewSet, ValidatedModelSerializer

from . import filters, services
from . import rules as initiative_rules
from .models import CouncilRound, EffectScope, Initiative, InitiativeAuthor, RoundMember, ScoreSheet


def api_error(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


class InitiativeSerializer(ValidatedModelSerializer):
    average_score = serializers.SerializerMethodField()

    class Meta:
        model = Initiative
        fields = [
            "id",
            "title",
            "agency",
            "field",
            "submitted_on",
            "first_applied_on",
            "description",
            "benefits",
            "round",
            "state",
            "decision_number",
            "decision_date",
            "effect_scope",
            "reward",
            "decision_note",
            "average_score",
        ]
        # The state and the decision move through POST …/move/ (services.move), never a plain update.
        read_only_fields = [
            "round",
            "state",
            "decision_number",
            "decision_date",
            "effect_scope",
            "reward",
            "decision_note",
        ]

    def get_average_score(self, obj) -> float | None:
        return services.average_score(obj)


class InitiativeAuthorSerializer(ValidatedModelSerializer):
    class Meta:
        model = InitiativeAuthor
        fields = ["id", "initiative", "name", "position", "contribution"]


class CouncilRoundSerializer(ValidatedModelSerializer):
    class Meta:
        model = CouncilRound
        fields = [
            "id",
            "name",
            "year",
            "admin_unit",
            "convened_by",
            "decision_number",
            "decision_date",
            "pass_mark",
        ]


class RoundMemberSerializer(ValidatedModelSerializer):
    class Meta:
        model = RoundMember
        fields = ["id", "round", "name", "position", "role", "user"]


class InitiativeScoreSheetSerializer(serializers.ModelSerializer):
    total = serializers.IntegerField(read_only=True)

    class Meta:
        model = ScoreSheet
        fields = ["id", "initiative", "member", "novelty", "applicability", "benefit", "total", "comment"]


class InitiativeMoveSerializer(serializers.Serializer):
    move = serializers.ChoiceField(choices=list(services.MOVES))
    round = serializers.PrimaryKeyRelatedField(queryset=CouncilRound.objects.all(), required=False)
    decision_number = serializers.CharField(required=False, allow_blank=True)
    decision_date = serializers.DateField(required=False)
    effect_scope = serializers.ChoiceField(choices=EffectScope.choices, required=False)
    reward = serializers.IntegerField(required=False, min_value=0)
    note = serializers.CharField(required=False, allow_blank=True)

    def validate_round(self, value):
        user = self.context["request"].user
        if not permissions.restrict(CouncilRound.objects.filter(pk=value.pk), user).exists():
            raise serializers.ValidationError(_("Choose a council round you may see."))
        return value


class InitiativeSheetEntrySerializer(serializers.Serializer):
    initiative = serializers.IntegerField()
    member = serializers.PrimaryKeyRelatedField(queryset=RoundMember.objects.all())
    novelty = serializers.IntegerField()
    applicability = serializers.IntegerField()
    benefit = serializers.IntegerField()
    comment = serializers.CharField(required=False, allow_blank=True)


class InitiativeViewSet(ScopedModelViewSet):
    queryset = Initiative.objects.select_related("agency").order_by("pk")
    serializer_class = InitiativeSerializer
    filterset_class = filters.InitiativeFilterSet

    @extend_schema(request=InitiativeMoveSerializer, responses=InitiativeSerializer)
    @action(detail=True, methods=["post"], serializer_class=InitiativeMoveSerializer)
    def move(self, request, pk=None):
        """One move of the state machine: start_review (round), close_scoring, recognise (decision number
        and date, scope of effect, reward) or reject (decision number and date, note)."""
        initiative = self.get_object()  # 404 outside the user's scope
        serializer = InitiativeMoveSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        name = values.pop("move")
        rule = services.MOVES[name][2]
        if not initiative_rules.has(rule, request.user, initiative):
            raise PermissionDenied(initiative_rules.refusal(rule))
        try:
            services.move(initiative, name, request.user, **values)
        except DjangoValidationError as exc:
            raise api_error(exc) from exc
        return Response(InitiativeSerializer(initiative, context=self.get_serializer_context()).data)


class InitiativeAuthorViewSet(ScopedModelViewSet):
    queryset = InitiativeAuthor.objects.order_by("pk")
    serializer_class = InitiativeAuthorSerializer
    filterset_fields = ["initiative"]


class CouncilRoundViewSet(ScopedModelViewSet):
    queryset = CouncilRound.objects.order_by("pk")
    serializer_class = CouncilRoundSerializer
    filterset_class = filters.CouncilRoundFilterSet


class RoundMemberViewSet(ScopedModelViewSet):
    queryset = RoundMember.objects.order_by("pk")
    serializer_class = RoundMemberSerializer
    filterset_fields = ["round"]


class InitiativeScoreSheetViewSet(ScopedReadOnlyViewSet):
    # Sheets are entered through POST initiatives/<id>/score/ (services.record_sheet), never directly.
    queryset = ScoreSheet.objects.order_by("pk")
    serializer_class = InitiativeScoreSheetSerializer
    filterset_fields = ["initiative", "member"]

    @extend_schema(request=InitiativeSheetEntrySerializer, responses=InitiativeScoreSheetSerializer)
    @action(detail=False, methods=["post"], serializer_class=InitiativeSheetEntrySerializer)
    def enter(self, request):
        """Enter (or correct) a council member's score sheet while the council reviews the initiative."""
        serializer = InitiativeSheetEntrySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        initiative = get_object_or_404(
            permissions.restrict(Initiative.objects.all(), request.user), pk=values.pop("initiative")
        )  # 404 outside the user's scope
        member = values.pop("member")
        if not initiative_rules.has(initiative_rules.SCORE, request.user, member):
            raise PermissionDenied(initiative_rules.refusal(initiative_rules.SCORE))
        try:
            sheet = services.record_sheet(initiative, member, request.user, **values)
        except DjangoValidationError as exc:
            raise api_error(exc) from exc
        return Response(InitiativeScoreSheetSerializer(sheet).data)


router = routers.DefaultRouter()
router.register("initiatives", InitiativeViewSet)
router.register("authors", InitiativeAuthorViewSet)
router.register("rounds", CouncilRoundViewSet)
router.register("members", RoundMemberViewSet)
router.register("sheets", InitiativeScoreSheetViewSet, basename="initiativesheet")
