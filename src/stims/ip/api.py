from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework import routers, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from stims.core import permissions
from stims.core.api import ScopedModelSerializer, ScopedModelViewSet, ScopedReadOnlyViewSet
from stims.core.textlimits import TextLimitSerializerMixin

from . import filters, services
from . import rules as ip_rules
from .models import IpAsset, IpAuthorizedUser, IpRenewal, IpStatus, IpStatusEvent, IpType


def _api_error(exc: DjangoValidationError) -> ApiValidationError:
    return ApiValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    )


class IpTypeSerializer(ScopedModelSerializer):
    class Meta:
        model = IpType
        fields = [
            "id",
            "code",
            "name",
            "protection_years",
            "renewable",
            "has_geographic_area",
            "has_management_rules",
            "sort_order",
        ]


class IpStatusSerializer(ScopedModelSerializer):
    class Meta:
        model = IpStatus
        fields = ["id", "code", "name", "sort_order", "is_protected", "is_final"]


class IpAssetSerializer(ScopedModelSerializer):
    """The status and the protection title move only through `POST …/assets/{id}/status/` (and
    expiry through `…/renew/`), so they go through the same workflow as the pages."""

    class Meta:
        model = IpAsset
        fields = [
            "id",
            "ip_type",
            "name",
            "owner",
            "owner_name",
            "applicant",
            "representative",
            "admin_unit",
            "application_number",
            "application_date",
            "status",
            "status_date",
            "title_number",
            "grant_date",
            "expiry_date",
            "nice_classes",
            "product_scope",
            "geographic_area",
            "management_rules",
            "supporting_project",
            "products",
        ]
        read_only_fields = ["status", "status_date", "title_number", "grant_date", "expiry_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "products" in self.fields:
            # Only products the user may see can be linked.
            self.fields["products"].child_relation.queryset = permissions.restrict(
                self.fields["products"].child_relation.queryset, request.user
            )

    def create(self, validated_data):
        validated_data["status"] = services.initial_status()
        validated_data["status_date"] = validated_data.get("application_date")
        asset = super().create(validated_data)
        services.open_history(asset, self.context["request"].user)
        return asset


class StatusChangeSerializer(TextLimitSerializerMixin, serializers.Serializer):
    status = serializers.PrimaryKeyRelatedField(queryset=IpStatus.objects.all())
    date = serializers.DateField()
    document = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    title_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    grant_date = serializers.DateField(required=False, allow_null=True, default=None)
    expiry_date = serializers.DateField(required=False, allow_null=True, default=None)


class RenewalRequestSerializer(serializers.Serializer):
    renewed_on = serializers.DateField()
    new_expiry_date = serializers.DateField()
    decision_number = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class IpStatusEventSerializer(ScopedModelSerializer):
    class Meta:
        model = IpStatusEvent
        fields = ["id", "asset", "status", "date", "document", "note"]


class IpRenewalSerializer(ScopedModelSerializer):
    class Meta:
        model = IpRenewal
        fields = ["id", "asset", "renewed_on", "new_expiry_date", "decision_number"]


class IpAuthorizedUserSerializer(ScopedModelSerializer):
    class Meta:
        model = IpAuthorizedUser
        fields = ["id", "asset", "organization", "name", "authorized_on", "valid_to", "note"]


class IpTypeViewSet(ScopedReadOnlyViewSet):
    queryset = IpType.objects.order_by("sort_order", "pk")
    serializer_class = IpTypeSerializer


class IpStatusViewSet(ScopedReadOnlyViewSet):
    queryset = IpStatus.objects.order_by("sort_order", "pk")
    serializer_class = IpStatusSerializer


class IpAssetViewSet(ScopedModelViewSet):
    queryset = IpAsset.objects.select_related("ip_type", "status").prefetch_related("products").order_by("pk")
    serializer_class = IpAssetSerializer
    filterset_class = filters.IpAssetFilterSet

    def _asset_for_change(self, rule):
        asset = self.get_object()  # 404 outside the user's scope
        if not ip_rules.has(rule, self.request.user, asset):
            raise PermissionDenied(ip_rules.refusal(rule, asset=asset))
        return asset

    def _run(self, func, *args, **kwargs):
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except DjangoValidationError as exc:
            raise _api_error(exc) from exc

    @action(detail=True, methods=["post"], serializer_class=StatusChangeSerializer)
    def status(self, request, pk=None):
        """Record a status change (the same workflow and refusals as the asset page)."""
        asset = self._asset_for_change(ip_rules.RECORD_STATUS)
        data = StatusChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        event = self._run(
            services.record_status,
            asset,
            values.pop("status"),
            values.pop("date"),
            values.pop("document"),
            values.pop("note"),
            request.user,
            **values,
        )
        asset.refresh_from_db()
        return Response(
            {
                "event": IpStatusEventSerializer(event).data,
                "asset": IpAssetSerializer(asset, context=self.get_serializer_context()).data,
            },
            status=status.HTTP_201_CREATED,
        )

    @action(detail=True, methods=["post"], serializer_class=RenewalRequestSerializer)
    def renew(self, request, pk=None):
        """Record a renewal of a renewable, protected asset."""
        asset = self._asset_for_change(ip_rules.RENEW)
        data = RenewalRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        renewal = self._run(
            services.renew,
            asset,
            values["renewed_on"],
            values["new_expiry_date"],
            values["decision_number"],
            request.user,
        )
        return Response(IpRenewalSerializer(renewal).data, status=status.HTTP_201_CREATED)


class IpStatusEventViewSet(ScopedReadOnlyViewSet):
    """Read-only: status changes are recorded through `POST /api/ip/assets/{id}/status/`."""

    queryset = IpStatusEvent.objects.order_by("pk")
    serializer_class = IpStatusEventSerializer
    filterset_fields = ["asset", "status"]


class IpRenewalViewSet(ScopedReadOnlyViewSet):
    """Read-only: renewals are recorded through `POST /api/ip/assets/{id}/renew/`."""

    queryset = IpRenewal.objects.order_by("pk")
    serializer_class = IpRenewalSerializer
    filterset_fields = ["asset"]


class IpAuthorizedUserViewSet(ScopedModelViewSet):
    queryset = IpAuthorizedUser.objects.order_by("pk")
    serializer_class = IpAuthorizedUserSerializer
    filterset_fields = ["asset", "organization"]


router = routers.DefaultRouter()
router.register("types", IpTypeViewSet)
router.register("statuses", IpStatusViewSet)
router.register("assets", IpAssetViewSet)
router.register("status-events", IpStatusEventViewSet)
router.register("renewals", IpRenewalViewSet)
router.register("authorized-users", IpAuthorizedUserViewSet)
