"""The councils API: the same rows, rules and refusals as the pages (`services` holds the rules)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import routers, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from stims.core.api import (
    Protected,
    ScopedModelSerializer,
    ScopedModelViewSet,
    ScopedReadOnlyViewSet,
    ValidatedModelSerializer,
    api_error,
)
from stims.core.textlimits import TextLimitSerializerMixin

from . import filters, services
from .models import (
    Council,
    CouncilDossier,
    CouncilMember,
    CriteriaSet,
    Criterion,
    RatingLevel,
    Score,
    ScoreSheet,
)


class CheckedSerializer(ValidatedModelSerializer):
    """Validates the record about to be saved as the pages' forms do: the model's own validation
    (fields, `clean`, unique constraints), then the councils' rules (`check`)."""

    def clean_instance(self, instance) -> None:
        instance.full_clean()

    def check(self, instance, previous) -> None:
        """The councils' rules for this record (see `services`)."""


class RatingLevelSerializer(ScopedModelSerializer):
    class Meta:
        model = RatingLevel
        fields = ["id", "code", "name", "is_pass", "sort_order"]


class CriterionSerializer(CheckedSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "criteria_set", "code", "name", "max_score", "sort_order"]

    def check(self, instance, previous):
        services.check_criteria_change(instance.criteria_set)
        if previous is not None and previous.criteria_set_id != instance.criteria_set_id:
            services.check_criteria_change(previous.criteria_set)


class CriteriaSetSerializer(CheckedSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)

    class Meta:
        model = CriteriaSet
        fields = [
            "id",
            "name",
            "council_kind",
            "legal_basis",
            "valid_from",
            "valid_to",
            "pass_mark",
            "outlier_tolerance",
            "criteria",
        ]

    def check(self, instance, previous):
        if instance.valid_from and instance.valid_to and instance.valid_to < instance.valid_from:
            raise DjangoValidationError({"valid_to": [_("The criteria cannot end before they start.")]})
        if previous is not None and services.criteria_set_in_use(previous):
            locked = [
                n
                for n in ("council_kind", "pass_mark", "outlier_tolerance")
                if getattr(previous, n) != getattr(instance, n)
            ]
            if locked:
                raise DjangoValidationError(
                    {name: [_("Fixed: score sheets already use these criteria.")] for name in locked}
                )


class CouncilSerializer(CheckedSerializer):
    """The conclusion is recorded with `POST …/councils/{id}/conclude/`; the minutes are uploaded on
    the council's page."""

    has_minutes = serializers.SerializerMethodField()

    class Meta:
        model = Council
        fields = [
            "id",
            "kind",
            "name",
            "criteria_set",
            "decision_number",
            "decision_date",
            "decision_signer",
            "meeting_date",
            "location",
            "conclusion",
            "concluded_on",
            "has_minutes",
        ]
        read_only_fields = ["conclusion", "concluded_on"]

    def get_has_minutes(self, obj) -> bool:
        return bool(obj.minutes)

    def check(self, instance, previous):
        if previous is None:
            return
        locked = [
            n
            for n in services.locked_council_fields(previous)
            if getattr(previous, n) != getattr(instance, n)
        ]
        if locked:
            raise DjangoValidationError(
                {
                    name: [_("Fixed: score sheets have been entered or the council has concluded.")]
                    for name in locked
                }
            )


class CouncilMemberSerializer(CheckedSerializer):
    class Meta:
        model = CouncilMember
        fields = ["id", "council", "person", "role", "affiliation", "has_conflict", "conflict_note", "user"]

    def check(self, instance, previous):
        if previous is not None and previous.council_id != instance.council_id:
            raise DjangoValidationError({"council": [_("A member cannot move to another council.")]})
        services.check_member(instance, previous)


class CouncilDossierSerializer(CheckedSerializer):
    """Whether a dossier passed (and its rating) is set by the council's conclusion."""

    class Meta:
        model = CouncilDossier
        fields = ["id", "council", "task", "applicant", "remarks", "passed", "rating"]
        read_only_fields = ["passed", "rating"]

    def check(self, instance, previous):
        services.check_dossier(instance, previous)


class ScoreSerializer(ScopedModelSerializer):
    class Meta:
        model = Score
        fields = ["criterion", "score"]
        extra_kwargs = {"criterion": {"queryset": Criterion.objects.all()}}


class ScoreSheetSerializer(ScopedModelSerializer):
    """A member's sheet with a score for every criterion of the council; the total is computed."""

    scores = ScoreSerializer(many=True)

    class Meta:
        model = ScoreSheet
        fields = ["id", "dossier", "member", "comments", "scores", "total"]
        read_only_fields = ["total"]

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("dossier", "member"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise ApiValidationError(
                        {name: [_("A sheet keeps its dossier and member; delete it instead.")]}
                    )
        return attrs

    def _record(self, dossier, member, validated_data, instance=None):
        scores = validated_data.get("scores")
        if scores is None and instance is not None:  # a PATCH of the comments only
            scores = [
                {"criterion": s.criterion, "score": s.score}
                for s in instance.scores.select_related("criterion")
            ]
        comments = validated_data.get("comments", instance.comments if instance is not None else "")
        try:
            return services.record_score_sheet(
                dossier,
                member,
                {item["criterion"]: item["score"] for item in scores or []},
                user=self.context["request"].user,
                comments=comments,
            )
        except DjangoValidationError as exc:
            raise api_error(exc) from exc

    def create(self, validated_data):
        return self._record(validated_data["dossier"], validated_data["member"], validated_data)

    def update(self, instance, validated_data):
        return self._record(instance.dossier, instance.member, validated_data, instance)


class DossierResultSerializer(serializers.Serializer):
    dossier = serializers.IntegerField(source="dossier.pk")
    task = serializers.IntegerField(source="dossier.task_id")
    applicant = serializers.IntegerField(source="dossier.applicant_id", allow_null=True)
    sheets = serializers.IntegerField(source="sheet_count")
    counted_sheets = serializers.IntegerField(source="counted_count")
    flagged_sheets = serializers.SerializerMethodField()
    conflicted_sheets = serializers.SerializerMethodField()
    mean_of_all = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    average = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    meets_pass_mark = serializers.BooleanField(allow_null=True)
    passed = serializers.BooleanField(source="dossier.passed", allow_null=True)
    rating = serializers.IntegerField(source="dossier.rating_id", allow_null=True)

    def get_flagged_sheets(self, result) -> list[int]:
        return [sheet.pk for sheet in result.flagged]

    def get_conflicted_sheets(self, result) -> list[int]:
        return [sheet.pk for sheet in result.conflicted]


class OutcomeSerializer(serializers.Serializer):
    dossier = serializers.IntegerField()
    passed = serializers.BooleanField(required=False, allow_null=True, default=None)
    rating = serializers.SlugRelatedField(
        slug_field="code", queryset=RatingLevel.objects.all(), required=False, allow_null=True, default=None
    )


class ConclusionSerializer(TextLimitSerializerMixin, serializers.Serializer):
    concluded_on = serializers.DateField()
    conclusion = serializers.CharField(required=False, allow_blank=True, default="")
    outcomes = OutcomeSerializer(many=True, required=False, default=list)


class _DeleteGuard:
    # Refuses (409, as every refused delete) a delete that the councils' rules forbid.

    def guard(self, instance):
        services.check_deletable(instance)

    def perform_destroy(self, instance):
        try:
            self.guard(instance)
        except DjangoValidationError as exc:
            raise Protected(" ".join(exc.messages)) from exc
        instance._history_user = self.request.user
        instance.delete()


class RatingLevelViewSet(ScopedReadOnlyViewSet):
    queryset = RatingLevel.objects.order_by("sort_order", "pk")
    serializer_class = RatingLevelSerializer


class CriteriaSetViewSet(ScopedModelViewSet):
    queryset = CriteriaSet.objects.prefetch_related("criteria").order_by("pk")
    serializer_class = CriteriaSetSerializer
    filterset_class = filters.CriteriaSetFilterSet


class CriterionViewSet(_DeleteGuard, ScopedModelViewSet):
    queryset = Criterion.objects.select_related("criteria_set").order_by("criteria_set", "sort_order", "pk")
    serializer_class = CriterionSerializer
    filterset_fields = ["criteria_set"]

    def guard(self, instance):
        services.check_criteria_change(instance.criteria_set)


class CouncilViewSet(_DeleteGuard, ScopedModelViewSet):
    queryset = Council.objects.select_related("criteria_set").order_by("-meeting_date", "-pk")
    serializer_class = CouncilSerializer
    filterset_class = filters.CouncilFilterSet

    @extend_schema(responses=DossierResultSerializer(many=True))
    # One council's dossiers, a plain list: not paginated, not filtered like the councils' list.
    @action(
        detail=True,
        methods=["get"],
        serializer_class=DossierResultSerializer,
        pagination_class=None,
        filter_backends=[],
    )
    def results(self, request, pk=None):
        """Each dossier's sheets, flagged sheets, average, rank and pass mark, best first."""
        council = self.get_object()
        return Response(DossierResultSerializer(services.dossier_results(council), many=True).data)

    @extend_schema(request=ConclusionSerializer, responses=CouncilSerializer)
    @action(detail=True, methods=["post"], serializer_class=ConclusionSerializer)
    def conclude(self, request, pk=None):
        """Record the conclusion: each dossier's outcome (passed, or a rating code for an acceptance
        council); dossiers left out take what their scores say."""
        council = self.get_object()
        data = ConclusionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcomes = {}
        for item in data.validated_data["outcomes"]:
            rating, passed = item["rating"], item["passed"]
            outcomes[item["dossier"]] = (
                (passed, rating) if rating is not None and passed is not None else rating or passed
            )
        try:
            concluded = services.conclude(
                council,
                request.user,
                data.validated_data["concluded_on"],
                data.validated_data["conclusion"],
                outcomes,
            )
        except DjangoValidationError as exc:
            raise api_error(exc) from exc
        return Response(
            CouncilSerializer(concluded, context=self.get_serializer_context()).data,
            status=status.HTTP_200_OK,
        )


class CouncilMemberViewSet(_DeleteGuard, ScopedModelViewSet):
    queryset = CouncilMember.objects.select_related("council", "person").order_by("council", "pk")
    serializer_class = CouncilMemberSerializer
    filterset_fields = ["council", "person", "user"]


class CouncilDossierViewSet(_DeleteGuard, ScopedModelViewSet):
    queryset = CouncilDossier.objects.select_related("council", "task").order_by("council", "pk")
    serializer_class = CouncilDossierSerializer
    filterset_fields = ["council", "task", "passed"]


class ScoreSheetViewSet(ScopedModelViewSet):
    """Sheets are written through the same service as the score sheet page: every criterion scored,
    each within its maximum, by a member of the council without a conflict of interest; a council
    member writes only their own sheets, and nothing changes once the council has concluded."""

    queryset = (
        ScoreSheet.objects.select_related("dossier__council", "member")
        .prefetch_related("scores")
        .order_by("dossier", "member")
    )
    serializer_class = ScoreSheetSerializer
    filterset_fields = ["dossier", "member", "dossier__council"]

    def perform_destroy(self, instance):
        try:
            services.delete_score_sheet(instance, user=self.request.user)
        except DjangoValidationError as exc:
            raise api_error(exc) from exc


router = routers.DefaultRouter()
router.register("ratings", RatingLevelViewSet)
router.register("criteria-sets", CriteriaSetViewSet)
router.register("criteria", CriterionViewSet)
router.register("councils", CouncilViewSet)
router.register("members", CouncilMemberViewSet)
router.register("dossiers", CouncilDossierViewSet)
router.register("score-sheets", ScoreSheetViewSet)
