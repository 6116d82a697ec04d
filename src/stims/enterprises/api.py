from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import routers, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from stims.core.api import ScopedModelSerializer, ScopedModelViewSet
from stims.core.textlimits import TextLimitSerializerMixin
from stims.orgs.models import OrganizationKind

from . import filters, services
from . import rules as enterprise_rules
from .models import Startup, StartupFounder, StartupSupport, StEnterprise, StIncentive, StRevenueShare


class StEnterpriseSerializer(ScopedModelSerializer):
    tax_code = serializers.CharField(source="organization.tax_code", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = StEnterprise
        fields = [
            "id",
            "organization",
            "tax_code",
            "certificate_number",
            "certificate_date",
            "issued_by",
            "st_result",
            "field",
            "is_active",
            "revoked_on",
            "revocation_reason",
        ]
        # Revocation goes through POST …/revoke/ (services.revoke), never a plain update.
        read_only_fields = ["revoked_on", "revocation_reason"]

    def validate_organization(self, organization):
        if organization.kind != OrganizationKind.ENTERPRISE:
            raise serializers.ValidationError(_("Choose an organization of kind “enterprise”."))
        return organization


class RevokeSerializer(TextLimitSerializerMixin, serializers.Serializer):
    on_date = serializers.DateField()
    reason = serializers.CharField()


class StRevenueShareSerializer(ScopedModelSerializer):
    share_percent = serializers.FloatField(read_only=True)

    class Meta:
        model = StRevenueShare
        fields = ["id", "enterprise", "year", "total_revenue", "st_revenue", "share_percent"]
        extra_kwargs = {"total_revenue": {"min_value": 0}, "st_revenue": {"min_value": 0}}

    def validate(self, attrs):
        total = attrs.get("total_revenue", getattr(self.instance, "total_revenue", None))
        st = attrs.get("st_revenue", getattr(self.instance, "st_revenue", None))
        if total is not None and st is not None and st > total:
            raise serializers.ValidationError(
                {"st_revenue": _("Revenue from S&T products cannot exceed total revenue.")}
            )
        return attrs


class StIncentiveSerializer(ScopedModelSerializer):
    class Meta:
        model = StIncentive
        fields = ["id", "enterprise", "year", "kind", "amount", "note"]


class StartupSerializer(ScopedModelSerializer):
    class Meta:
        model = Startup
        fields = ["id", "name", "organization", "admin_unit", "field", "stage", "founded_on", "description"]


class StartupFounderSerializer(ScopedModelSerializer):
    class Meta:
        model = StartupFounder
        fields = ["id", "startup", "person", "name", "role"]


class StartupSupportSerializer(ScopedModelSerializer):
    class Meta:
        model = StartupSupport
        fields = ["id", "startup", "date", "kind", "provider", "counterpart", "amount", "note"]


class StEnterpriseViewSet(ScopedModelViewSet):
    queryset = StEnterprise.objects.select_related("organization").order_by("pk")
    serializer_class = StEnterpriseSerializer
    filterset_class = filters.StEnterpriseFilterSet

    @action(detail=True, methods=["post"], serializer_class=RevokeSerializer)
    def revoke(self, request, pk=None):
        enterprise = self.get_object()  # 404 outside the user's scope
        if not enterprise_rules.has(enterprise_rules.REVOKE_CERTIFICATE, request.user, enterprise):
            raise PermissionDenied(
                enterprise_rules.refusal(enterprise_rules.REVOKE_CERTIFICATE, enterprise=enterprise)
            )
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.revoke(
                enterprise,
                serializer.validated_data["on_date"],
                serializer.validated_data["reason"],
                request.user,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else exc.messages
            ) from exc
        return Response(StEnterpriseSerializer(enterprise, context=self.get_serializer_context()).data)


class StRevenueShareViewSet(ScopedModelViewSet):
    queryset = StRevenueShare.objects.order_by("pk")
    serializer_class = StRevenueShareSerializer
    filterset_fields = ["enterprise", "year"]


class StIncentiveViewSet(ScopedModelViewSet):
    queryset = StIncentive.objects.order_by("pk")
    serializer_class = StIncentiveSerializer
    filterset_fields = ["enterprise", "year"]


class StartupViewSet(ScopedModelViewSet):
    queryset = Startup.objects.order_by("pk")
    serializer_class = StartupSerializer
    filterset_class = filters.StartupFilterSet


class StartupFounderViewSet(ScopedModelViewSet):
    queryset = StartupFounder.objects.order_by("pk")
    serializer_class = StartupFounderSerializer
    filterset_fields = ["startup", "person"]


class StartupSupportViewSet(ScopedModelViewSet):
    queryset = StartupSupport.objects.order_by("pk")
    serializer_class = StartupSupportSerializer
    filterset_fields = ["startup", "kind"]


router = routers.DefaultRouter()
router.register("st-enterprises", StEnterpriseViewSet)
router.register("revenue-shares", StRevenueShareViewSet)
router.register("incentives", StIncentiveViewSet)
router.register("startups", StartupViewSet)
router.register("startup-founders", StartupFounderViewSet)
router.register("startup-supports", StartupSupportViewSet)
