from rest_framework import routers, serializers

from stims.core.api import (
    ScopedModelSerializer,
    ScopedModelViewSet,
    ScopedReadOnlyViewSet,
    ValidatedModelSerializer,
)

from . import filters, services
from .models import (
    LabellingGuidance,
    OcopEvaluation,
    Product,
    ProductGroup,
    QualityDeclaration,
    StarBand,
    Traceability,
)


class ProductGroupSerializer(ScopedModelSerializer):
    class Meta:
        model = ProductGroup
        fields = ["id", "code", "name", "sort_order", "is_active"]


class StarBandSerializer(ScopedModelSerializer):
    class Meta:
        model = StarBand
        fields = ["id", "stars", "min_score", "max_score", "valid_from", "valid_to", "legal_basis"]


class ProductSerializer(ValidatedModelSerializer):
    """The model's own rules (a household needs a name, an enterprise a producer), as on the pages."""

    producer_label = serializers.CharField(read_only=True)
    latest_stars = serializers.IntegerField(read_only=True, allow_null=True, default=None)

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "group",
            "producer_kind",
            "producer",
            "producer_name",
            "producer_label",
            "admin_unit",
            "is_key_product",
            "is_ocop",
            "description",
            "latest_stars",
        ]


class OcopEvaluationSerializer(ScopedModelSerializer):
    class Meta:
        model = OcopEvaluation
        fields = [
            "id",
            "product",
            "year",
            "score_a",
            "score_b",
            "score_c",
            "total_score",
            "stars",
            "decision_number",
            "decision_date",
            "certificate_expiry",
            "is_recertification",
        ]
        read_only_fields = ["total_score", "stars"]


class TraceabilitySerializer(ScopedModelSerializer):
    class Meta:
        model = Traceability
        fields = ["id", "product", "code_type", "platform", "applied_on", "note"]


class LabellingGuidanceSerializer(ScopedModelSerializer):
    class Meta:
        model = LabellingGuidance
        fields = ["id", "product", "given_on", "given_by", "establishment", "note"]


class QualityDeclarationSerializer(ScopedModelSerializer):
    class Meta:
        model = QualityDeclaration
        fields = ["id", "product", "standard", "declared_on", "document_number", "establishment", "note"]


class ProductGroupViewSet(ScopedReadOnlyViewSet):
    """Reference data, edited in the admin."""

    queryset = ProductGroup.objects.order_by("sort_order", "pk")
    serializer_class = ProductGroupSerializer


class StarBandViewSet(ScopedReadOnlyViewSet):
    """Reference data, edited in the admin (where stars of existing evaluations can be recomputed)."""

    queryset = StarBand.objects.order_by("-stars", "pk")
    serializer_class = StarBandSerializer


class ProductViewSet(ScopedModelViewSet):
    queryset = services.with_latest_stars(Product.objects.select_related("producer")).order_by("pk")
    serializer_class = ProductSerializer
    filterset_class = filters.ProductFilterSet


class OcopEvaluationViewSet(ScopedModelViewSet):
    queryset = OcopEvaluation.objects.order_by("pk")
    serializer_class = OcopEvaluationSerializer
    filterset_fields = ["product", "year", "stars"]


class TraceabilityViewSet(ScopedModelViewSet):
    queryset = Traceability.objects.order_by("pk")
    serializer_class = TraceabilitySerializer
    filterset_fields = ["product"]


class LabellingGuidanceViewSet(ScopedModelViewSet):
    queryset = LabellingGuidance.objects.order_by("pk")
    serializer_class = LabellingGuidanceSerializer
    filterset_fields = ["product", "given_by"]


class QualityDeclarationViewSet(ScopedModelViewSet):
    queryset = QualityDeclaration.objects.order_by("pk")
    serializer_class = QualityDeclarationSerializer
    filterset_fields = ["product"]


router = routers.DefaultRouter()
router.register("groups", ProductGroupViewSet)
router.register("star-bands", StarBandViewSet)
router.register("products", ProductViewSet)
router.register("evaluations", OcopEvaluationViewSet)
router.register("traceability", TraceabilityViewSet)
router.register("labelling-guidance", LabellingGuidanceViewSet)
router.register("quality-declarations", QualityDeclarationViewSet)
