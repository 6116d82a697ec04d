from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions as drf_permissions
from rest_framework import routers, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from stims.accounts.rules import is_department_staff
from stims.core import permissions
from stims.core.api import (
    ScopedModelSerializer,
    ScopedModelViewSet,
    ScopedReadOnlyViewSet,
    ScopedSerializer,
    ValidatedModelSerializer,
)

from . import filters, proposals, workflow
from . import rules as task_rules
from .models import (
    Call,
    Document,
    DocumentKind,
    Programme,
    ProgressReport,
    ScienceField,
    Task,
    TaskEvent,
    TaskMember,
    TaskType,
    WorkflowState,
    WorkflowTransition,
)


class TaskSerializer(ValidatedModelSerializer):
    """The model's own rules (e.g. end date after start) as on the pages, then the end date's own."""

    state_code = serializers.CharField(source="state.code", read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "code",
            "title",
            "task_type",
            "level",
            "programme",
            "field",
            "ordering_unit",
            "ordering_organization",
            "lead_organization",
            "principal_investigator",
            "officer",
            "objectives",
            "expected_products",
            "proposal_year",
            "start_date",
            "end_date",
            "original_end_date",
            "is_carried_over",
            "carried_over_year",
            "progress_report_months",
            "state",
            "state_code",
            "state_since",
            "is_published",
            "call",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["state", "state_since", "original_end_date", "created_at", "updated_at"]

    def validate_code(self, value):
        return value.strip() or None if value is not None else None

    def validate(self, attrs):
        attrs = super().validate(attrs)
        request = self.context.get("request")
        if request is not None and not is_department_staff(request.user):
            # A locality proposes: the department assigns the code, and from 2026 the orderer is a unit
            # in force since the 2025 reform (as on the form).
            if attrs.get("code") and attrs["code"] != getattr(self.instance, "code", None):
                raise serializers.ValidationError({"code": _("The department assigns the task's code.")})
            for name in ("is_carried_over", "is_published"):
                if name in attrs and attrs[name] != getattr(self.instance, name, False):
                    raise serializers.ValidationError({name: _("Decided by the department.")})
            unit = attrs.get("ordering_unit", getattr(self.instance, "ordering_unit", None))
            year = attrs.get("proposal_year", getattr(self.instance, "proposal_year", None))
            picked = self.instance is None or (
                unit != self.instance.ordering_unit or year != self.instance.proposal_year
            )
            problem = proposals.orderer_problem(unit, year) if picked else None
            if problem:
                raise serializers.ValidationError({"ordering_unit": problem})
        elif self.instance is not None and not self.instance.state.is_initial and "code" in attrs:
            if not attrs["code"]:
                raise serializers.ValidationError(
                    {"code": _("The department's code, required once it has taken the task on.")}
                )
        if (
            "officer" in attrs
            and getattr(attrs["officer"], "pk", None) != getattr(self.instance, "officer_id", None)
            and request is not None
            and not task_rules.has(task_rules.ASSIGN_OFFICER, request.user)
        ):
            raise serializers.ValidationError({"officer": task_rules.REFUSALS[task_rules.ASSIGN_OFFICER]})
        if (
            self.instance is not None
            and "end_date" in attrs
            and attrs["end_date"] != self.instance.end_date
            and self.instance.state.phase != "preparation"
        ):
            raise serializers.ValidationError(
                {"end_date": _("Changed by the “extend” step once the task is approved.")}
            )
        call = attrs.get("call")
        task = self.instance or Task()
        if call is not None and call.pk != task.call_id and proposals.call_checked(task):
            # As on the form: a proposal names only a call open on the day it is sent to the department.
            problem = proposals.call_problem(call, proposals.sending_day(task))
            if problem:
                raise serializers.ValidationError({"call": problem})
        return attrs


class TaskMemberSerializer(ScopedModelSerializer):
    class Meta:
        model = TaskMember
        fields = ["id", "task", "person", "role", "organization"]


class DocumentSerializer(ScopedModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "task", "kind", "number", "issued_on", "issuer", "signer", "title", "file"]


class ProgressReportSerializer(ScopedModelSerializer):
    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "task",
            "period",
            "due_on",
            "submitted_on",
            "percent_complete",
            "summary",
            "assessment",
            "document",
        ]


class TaskEventSerializer(ScopedModelSerializer):
    class Meta:
        model = TaskEvent
        fields = [
            "id",
            "task",
            "transition",
            "from_state",
            "to_state",
            "happened_on",
            "document",
            "reason",
            "previous_end_date",
            "new_end_date",
            "actor",
            "recorded_at",
        ]


class StepSerializer(ScopedSerializer):
    transition = serializers.SlugRelatedField(slug_field="code", queryset=WorkflowTransition.objects.all())
    happened_on = serializers.DateField()
    document = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.all(), required=False, allow_null=True
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    new_end_date = serializers.DateField(required=False, allow_null=True)


class ReturnProposalSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class TaskRules(drf_permissions.BasePermission):
    """The task rules (`rules.py`) on the API's object actions, after the role matrix's
    `ScopedPermission`: PUT and PATCH (and the browsable API's edit form) ask `sttasks.change_task`.
    A step's own rule (`sttasks.take_step`) is asked by the workflow engine, which names every reason."""

    action_rules = {"update": task_rules.CHANGE_TASK, "partial_update": task_rules.CHANGE_TASK}

    def has_object_permission(self, request, view, obj):
        name = self.action_rules.get(getattr(view, "action", None))
        if name is None or task_rules.has(name, request.user, obj):
            return True
        self.message = task_rules.REFUSALS[name]
        return False


class TaskViewSet(ScopedModelViewSet):
    queryset = Task.objects.select_related("state").order_by("pk")
    serializer_class = TaskSerializer
    filterset_class = filters.TaskFilterSet
    permission_classes = [*api_settings.DEFAULT_PERMISSION_CLASSES, TaskRules]

    @extend_schema(request=StepSerializer, responses={201: TaskEventSerializer})
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        """Take a workflow step; refused with 400 and every reason when it may not be taken now."""
        task = self.get_object()
        permissions.require(request.user, permissions.CHANGE, task)
        payload = StepSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            event = workflow.perform(
                task,
                data["transition"],
                request.user,
                happened_on=data["happened_on"],
                document=data.get("document"),
                reason=data.get("reason", ""),
                new_end_date=data.get("new_end_date"),
            )
        except workflow.StepRefused as refused:
            return Response({"detail": refused.messages}, status=status.HTTP_400_BAD_REQUEST)
        return Response(TaskEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """ "Gửi Sở": send a locality's proposal to the department (rule `sttasks.submit_proposal`);
        refused with 400 and every reason when it may not be sent now."""
        task = self.get_object()
        try:
            proposals.submit_proposal(task, request.user)
        except DjangoValidationError as refused:
            return Response({"detail": refused.messages}, status=status.HTTP_400_BAD_REQUEST)
        return Response(TaskSerializer(task, context=self.get_serializer_context()).data)

    @extend_schema(request=ReturnProposalSerializer, responses={200: TaskSerializer})
    @action(detail=True, methods=["post"], url_path="return")
    def return_proposal(self, request, pk=None):
        """Return a sent proposal to its locality with the reason (rule `sttasks.return_proposal`)."""
        task = self.get_object()
        payload = ReturnProposalSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            proposals.return_proposal(task, request.user, payload.validated_data["reason"])
        except DjangoValidationError as refused:
            return Response({"detail": refused.messages}, status=status.HTTP_400_BAD_REQUEST)
        return Response(TaskSerializer(task, context=self.get_serializer_context()).data)


class TaskMemberViewSet(ScopedModelViewSet):
    queryset = TaskMember.objects.order_by("pk")
    serializer_class = TaskMemberSerializer
    filterset_fields = ["task"]


class DocumentViewSet(ScopedModelViewSet):
    queryset = Document.objects.order_by("pk")
    serializer_class = DocumentSerializer
    filterset_fields = ["task", "kind"]


class ProgressReportViewSet(ScopedModelViewSet):
    queryset = ProgressReport.objects.order_by("pk")
    serializer_class = ProgressReportSerializer
    filterset_fields = ["task"]


class TaskEventViewSet(ScopedReadOnlyViewSet):
    queryset = TaskEvent.objects.order_by("pk")
    serializer_class = TaskEventSerializer
    filterset_fields = ["task"]


# Reference lists, read-only: the workflow (states and steps) and the task classifications.


class WorkflowStateSerializer(ScopedModelSerializer):
    class Meta:
        model = WorkflowState
        fields = ["id", "code", "name", "phase", "sort_order", "is_initial", "is_final", "is_running"]


class WorkflowStateViewSet(ScopedReadOnlyViewSet):
    queryset = WorkflowState.objects.all()
    serializer_class = WorkflowStateSerializer


class WorkflowTransitionSerializer(ScopedModelSerializer):
    class Meta:
        model = WorkflowTransition
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "sources",
            "target",
            "requires_document_kind",
            "requires_reason",
            "guards",
            "allowed_roles",
            "is_active",
        ]


class WorkflowTransitionViewSet(ScopedReadOnlyViewSet):
    # Each step's source states in one query for the page, not one per step (core/tests/test_list_queries.py).
    queryset = WorkflowTransition.objects.prefetch_related("sources")
    serializer_class = WorkflowTransitionSerializer


class TaskTypeSerializer(ScopedModelSerializer):
    class Meta:
        model = TaskType
        fields = ["id", "code", "name", "is_active"]


class TaskTypeViewSet(ScopedReadOnlyViewSet):
    queryset = TaskType.objects.all()
    serializer_class = TaskTypeSerializer


class ProgrammeSerializer(ScopedModelSerializer):
    class Meta:
        model = Programme
        fields = ["id", "code", "name", "legal_basis", "valid_from", "valid_to"]


class ProgrammeViewSet(ScopedReadOnlyViewSet):
    queryset = Programme.objects.all()
    serializer_class = ProgrammeSerializer


class ScienceFieldSerializer(ScopedModelSerializer):
    class Meta:
        model = ScienceField
        fields = ["id", "code", "name"]


class ScienceFieldViewSet(ScopedReadOnlyViewSet):
    queryset = ScienceField.objects.all()
    serializer_class = ScienceFieldSerializer


class DocumentKindSerializer(ScopedModelSerializer):
    class Meta:
        model = DocumentKind
        fields = ["id", "code", "name"]


class DocumentKindViewSet(ScopedReadOnlyViewSet):
    queryset = DocumentKind.objects.all()
    serializer_class = DocumentKindSerializer


class CallSerializer(ValidatedModelSerializer):
    """A call for proposals; the model's rule (it cannot close before it opens) as on the pages."""

    class Meta:
        model = Call
        fields = [
            "id",
            "title",
            "number",
            "issued_on",
            "open_from",
            "open_until",
            "level",
            "task_type",
            "programme",
            "topics",
            "description",
            "contact",
            "attachment",
            "publish_on_portal",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


class CallViewSet(ScopedModelViewSet):
    queryset = Call.objects.select_related("task_type", "programme")
    serializer_class = CallSerializer
    filterset_class = filters.CallFilterSet


router = routers.DefaultRouter()
router.register("tasks", TaskViewSet)
router.register("members", TaskMemberViewSet)
router.register("documents", DocumentViewSet)
router.register("progress-reports", ProgressReportViewSet)
router.register("events", TaskEventViewSet)
router.register("states", WorkflowStateViewSet)
router.register("transitions", WorkflowTransitionViewSet)
router.register("types", TaskTypeViewSet)
router.register("programmes", ProgrammeViewSet)
router.register("fields", ScienceFieldViewSet)
router.register("document-kinds", DocumentKindViewSet)
router.register("calls", CallViewSet)
