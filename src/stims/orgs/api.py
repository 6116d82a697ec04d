from rest_framework import routers

from stims.core.api import ScopedModelSerializer, ScopedModelViewSet

from . import filters
from .models import LocalBody, LocalBodyMember, Organization, Person, Position


class OrganizationSerializer(ScopedModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "parent",
            "admin_unit",
            "tax_code",
            "address",
            "phone",
            "email",
            "website",
            "is_active",
            "notes",
        ]


class PositionSerializer(ScopedModelSerializer):
    class Meta:
        model = Position
        fields = ["id", "person", "organization", "title", "start_date", "end_date", "is_primary"]


class PersonSerializer(ScopedModelSerializer):
    class Meta:
        model = Person
        fields = [
            "id",
            "full_name",
            "gender",
            "birth_year",
            "academic_title",
            "degree",
            "expertise",
            "admin_unit",
            "email",
            "phone",
            "notes",
        ]


class LocalBodyMemberSerializer(ScopedModelSerializer):
    class Meta:
        model = LocalBodyMember
        fields = ["id", "body", "person", "role", "position_text", "start_date", "end_date"]


class LocalBodySerializer(ScopedModelSerializer):
    class Meta:
        model = LocalBody
        fields = [
            "id",
            "kind",
            "name",
            "admin_unit",
            "decision_number",
            "decision_date",
            "decision_issuer",
            "decision_signer",
            "valid_from",
            "valid_to",
            "notes",
        ]


class OrganizationViewSet(ScopedModelViewSet):
    queryset = Organization.objects.order_by("pk")
    serializer_class = OrganizationSerializer
    filterset_class = filters.OrganizationFilterSet


class PersonViewSet(ScopedModelViewSet):
    queryset = Person.objects.order_by("pk")
    serializer_class = PersonSerializer
    filterset_class = filters.PersonFilterSet


class PositionViewSet(ScopedModelViewSet):
    queryset = Position.objects.order_by("pk")
    serializer_class = PositionSerializer
    filterset_fields = ["person", "organization"]


class LocalBodyViewSet(ScopedModelViewSet):
    queryset = LocalBody.objects.order_by("pk")
    serializer_class = LocalBodySerializer
    filterset_class = filters.LocalBodyFilterSet


class LocalBodyMemberViewSet(ScopedModelViewSet):
    queryset = LocalBodyMember.objects.order_by("pk")
    serializer_class = LocalBodyMemberSerializer
    filterset_fields = ["body", "person"]


router = routers.DefaultRouter()
router.register("organizations", OrganizationViewSet)
router.register("people", PersonViewSet)
router.register("positions", PositionViewSet)
router.register("local-bodies", LocalBodyViewSet)
router.register("local-body-members", LocalBodyMemberViewSet)
