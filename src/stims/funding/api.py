"""The funding API: the same rows, refusals and money rules as the pages. Every write goes through
`services`, inside the viewset's transaction: a refused write is a 400 and changes nothing."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import routers, serializers
from rest_framework.exceptions import ValidationError

from stims.core.api import ScopedModelSerializer, ScopedModelViewSet

from . import filters, services
from .models import Allocation, AllocationSpending, BudgetLine, Disbursement, Settlement, Tranche


def _as_api_error(exc: DjangoValidationError) -> ValidationError:
    if hasattr(exc, "error_dict"):
        return ValidationError(
            {
                ("non_field_errors" if name == "__all__" else name): [
                    str(m) for e in errors for m in e.messages
                ]
                for name, errors in exc.error_dict.items()
            }
        )
    return ValidationError({"non_field_errors": exc.messages})


class FundingSerializer(ScopedModelSerializer):
    """Creates and updates through `services.save` (the model's rules, then the money rules)."""

    def create(self, validated_data):
        return self._save(self.Meta.model(**validated_data))

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self._save(instance)

    def _save(self, instance):
        try:
            return services.save(instance)
        except DjangoValidationError as exc:
            raise _as_api_error(exc) from exc


class BudgetLineSerializer(FundingSerializer):
    class Meta:
        model = BudgetLine
        fields = ["id", "task", "year", "source", "amount"]


class TrancheSerializer(FundingSerializer):
    disbursed = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Tranche
        fields = ["id", "task", "number", "planned_on", "amount", "condition", "disbursed"]


class DisbursementSerializer(FundingSerializer):
    class Meta:
        model = Disbursement
        fields = ["id", "task", "tranche", "paid_on", "amount", "voucher", "note"]


class SettlementSerializer(FundingSerializer):
    class Meta:
        model = Settlement
        fields = ["id", "task", "settled_on", "settled_amount", "returned_amount", "decision_number", "note"]


class AllocationSerializer(FundingSerializer):
    spent = serializers.IntegerField(read_only=True)
    remaining = serializers.IntegerField(read_only=True)

    class Meta:
        model = Allocation
        fields = [
            "id",
            "year",
            "recipient_unit",
            "recipient_organization",
            "amount",
            "purpose",
            "decision_number",
            "decision_date",
            "spent",
            "remaining",
        ]

    def save(self, **kwargs):
        # `spent` and `remaining` are computed by the list's query; a record just created or changed is read
        # back the same way, so the answer shows them (and a new amount's remainder) as the list would.
        saved = super().save(**kwargs)
        self.instance = services.allocations_with_spent(Allocation.objects.filter(pk=saved.pk)).get()
        return self.instance


class AllocationSpendingSerializer(FundingSerializer):
    class Meta:
        model = AllocationSpending
        fields = ["id", "allocation", "spent_on", "amount", "purpose", "task"]


class FundingViewSet(ScopedModelViewSet):
    def perform_update(self, serializer):
        # A record does not move to another task or allocation (its rules were checked there).
        parent = getattr(self, "parent_field", None)
        if parent and parent in serializer.validated_data:
            if serializer.validated_data[parent] != getattr(serializer.instance, parent):
                raise ValidationError({parent: [_("This cannot be changed.")]})
        super().perform_update(serializer)

    def perform_destroy(self, instance):
        try:
            services.delete(instance)
        except DjangoValidationError as exc:
            raise _as_api_error(exc) from exc


class BudgetLineViewSet(FundingViewSet):
    queryset = BudgetLine.objects.order_by("task", "year", "source")
    serializer_class = BudgetLineSerializer
    filterset_fields = ["task", "year", "source"]
    parent_field = "task"


class TrancheViewSet(FundingViewSet):
    queryset = services.tranches_with_disbursed().order_by("task", "number")
    serializer_class = TrancheSerializer
    filterset_fields = ["task"]
    parent_field = "task"


class DisbursementViewSet(FundingViewSet):
    queryset = Disbursement.objects.order_by("task", "paid_on", "pk")
    serializer_class = DisbursementSerializer
    filterset_fields = ["task", "tranche"]
    parent_field = "task"


class SettlementViewSet(FundingViewSet):
    queryset = Settlement.objects.order_by("pk")
    serializer_class = SettlementSerializer
    filterset_fields = ["task"]
    parent_field = "task"


class AllocationViewSet(FundingViewSet):
    queryset = services.allocations_with_spent().order_by("-year", "pk")
    serializer_class = AllocationSerializer
    filterset_class = filters.AllocationFilterSet


class AllocationSpendingViewSet(FundingViewSet):
    queryset = AllocationSpending.objects.order_by("allocation", "spent_on", "pk")
    serializer_class = AllocationSpendingSerializer
    filterset_fields = ["allocation", "task"]
    parent_field = "allocation"


router = routers.DefaultRouter()
router.register("budget-lines", BudgetLineViewSet)
router.register("tranches", TrancheViewSet)
router.register("disbursements", DisbursementViewSet)
router.register("settlements", SettlementViewSet)
router.register("allocations", AllocationViewSet)
router.register("spendings", AllocationSpendingViewSet)
