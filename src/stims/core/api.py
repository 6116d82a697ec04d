"""REST API plumbing shared by every domain: the same permission layer as the pages, versions
(`ETag` / `If-Match`) so that no save silently overwrites another, and all-or-nothing bulk create."""

import copy
import functools
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, OpenApiTypes
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings

from . import api_errors, api_idempotency, choices, concurrency, files, permissions, serving
from .api_errors import ErrorSerializer
from .api_permissions import ScopedPermission  # noqa: F401  (re-exported for domain apps)
from .api_schema import StimsAutoSchema
from .db_routing import replica_reads
from .textlimits import TextLimitSerializerMixin  # length limits on free text (core/textlimits.py)
from .views import protected_refusal

BULK_LIMIT = 500
UPDATE_ACTIONS = {"update", "partial_update"}
# Responses that show one record as it is saved, and so carry its version.
ETAG_ACTIONS = {"retrieve", "create", *UPDATE_ACTIONS}


class Protected(APIException):
    """A delete refused because other records refer to this one (as the pages refuse it)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "protected"


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = _(
        "Send the record's version in an If-Match header (the ETag of your last GET of it), so that "
        "nobody else's changes are overwritten unseen."
    )
    default_code = "precondition_required"


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


def etag(instance) -> str:
    return f'"{concurrency.version_of(instance)}"'


def if_match_tokens(header: str) -> list[str]:
    """The versions named by an If-Match header: `"123"`, `"123", "456"`, `*` (any version)."""
    tokens = []
    for part in header.split(","):
        part = part.strip()
        if part.startswith("W/"):  # a weak tag never matches (RFC 9110, strong comparison)
            continue
        tokens.append(part.strip('"'))
    return [token for token in tokens if token]


class VersionedAutoSchema(StimsAutoSchema):
    """Documents the If-Match header and the 412/428 answers of update and partial update, and the 409 of
    a refused delete."""

    def _is_versioned_update(self) -> bool:
        return self.method in ("PUT", "PATCH") and getattr(self.view, "action", None) in UPDATE_ACTIONS

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self._is_versioned_update():
            parameters = [
                *parameters,
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=True,
                    description=str(
                        _(
                            "The record's ETag from your last GET of it (or * to overwrite whatever version is saved)."
                        )
                    ),
                ),
            ]
        return parameters

    def error_responses(self) -> dict:
        responses = super().error_responses()
        if self.method == "DELETE" and getattr(self.view, "action", None) == "destroy":
            responses[409] = OpenApiResponse(
                ErrorSerializer, description=str(_("Other records refer to this one; it was not deleted."))
            )
        if self._is_versioned_update():
            responses[412] = OpenApiResponse(
                StaleVersionSerializer,
                description=str(_("Someone else saved the record since that version.")),
            )
            responses[428] = OpenApiResponse(
                ErrorSerializer, description=str(_("The If-Match header is missing."))
            )
        return responses


class VersionChangedFieldSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class VersionChangeSerializer(serializers.Serializer):
    user = serializers.CharField()
    date = serializers.DateTimeField()
    action = serializers.CharField()
    fields = VersionChangedFieldSerializer(many=True)  # type: ignore[assignment]  # the API's own field name


class StaleVersionSerializer(ErrorSerializer):
    """The error shape of a 412, with the version saved now and what changed since yours."""

    current_version = serializers.CharField()
    changes = VersionChangeSerializer(many=True)


class DetailSerializer(serializers.Serializer):
    """A refusal with its reason (428, 409)."""

    detail = serializers.CharField()


def api_error(exc: DjangoValidationError) -> ApiValidationError:
    """A model's ValidationError as the API's 400: the messages under their fields."""
    return ApiValidationError(
        exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    )


class ScopedSerializerMixin(TextLimitSerializerMixin):
    """Every related field (one or many, by key, slug or link) offers and accepts only the records the
    request's user may pick for it, by the pages' forms' own rule (`core.choices.related_choices`): the
    browsable API's forms list nothing else, and a write naming any other record gets the standard
    "object does not exist" 400, which names nothing.

    Built without a request (the code's own use, e.g. a response written by hand), nothing is narrowed.

    The narrowed choices are worked out when a field first uses them (a write naming a record, the
    browsable API's form, the schema), not for every serializer built: a read never needs them, and
    building them (a scope's conditions, a rule's query) was 0.3 ms of each API request (issue #20).
    """

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is None:
            return fields
        model = getattr(getattr(self, "Meta", None), "model", None)
        for name, field in fields.items():
            relation = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
            if isinstance(relation, serializers.RelatedField) and relation.queryset is not None:
                relation.queryset = SimpleLazyObject(
                    functools.partial(
                        choices.related_choices,
                        request.user,
                        relation.queryset,
                        model,
                        field.source or name,
                    )
                )
        return fields


class ScopedSerializer(ScopedSerializerMixin, serializers.Serializer):
    """A serializer not tied to one record (an action's inputs), with its related fields narrowed."""


class FieldsBuiltOnceMixin:
    """A model serializer's fields worked out from its model once per class, then copied for each
    serializer (issue #20: 0.7 ms of every API request, a tenth of an API list's CPU).

    DRF's `ModelSerializer.get_fields` reads the model's fields, relations, uniqueness and the Meta's
    options for every serializer built, although nothing of it depends on the request. The fields it
    returns are kept as prototypes; each serializer gets `copy.deepcopy` of them, which DRF's fields
    implement by constructing a new field with the arguments the prototype was constructed with — the
    same thing DRF does with the declared fields on every call. What depends on the request (the
    related fields narrowed to the user's scope, the text limits) is applied to the copies afterwards,
    by the mixins above this one. Two threads building the first serializer of a class at once build
    the same prototypes; either is kept.

    The prototypes are kept per language: DRF gives a field a label only when the model field's
    verbose name, in the language active at the time, differs from the field's name ("Hội đồng" for
    `council` in Vietnamese, none in English, where "Council" is the name capitalised)."""

    def get_fields(self):
        prototypes = serving.kept_per_class(type(self), "_field_prototypes", super().get_fields)
        if self.url_field_name is None:
            self.url_field_name = api_settings.URL_FIELD_NAME  # as ModelSerializer.get_fields sets it
        return copy.deepcopy(prototypes)


class ScopedModelSerializer(ScopedSerializerMixin, FieldsBuiltOnceMixin, serializers.ModelSerializer):
    """The base of every domain serializer: related fields narrowed to what the user may pick."""

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        # The same for a field the code alone sets (editable=False), which DRF makes read-only early.
        if (
            field_kwargs.get("read_only")
            and "choices" in field_kwargs
            and getattr(model_field, "blank", False)
        ):
            field_kwargs["allow_blank"] = True
        return field_class, field_kwargs

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        # A read-only choice a record may leave empty ("" until an inspection is concluded) is documented
        # as such: DRF drops allow_blank from read-only fields, and the schema then forbade "".
        blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank and kwargs.get("read_only") and "choices" in kwargs:
            kwargs["allow_blank"] = True
        return kwargs


class ValidatedModelSerializer(ScopedModelSerializer):
    """Validates the record about to be saved as the pages' forms do: the saved record (if any) with
    the request's values (`build_instance`), checked by the model's own rules (`clean_instance`,
    `Model.clean()` unless a subclass asks for more) and then by the domain's further rules (`check`).
    A Django ValidationError from either becomes a 400 with its messages under their fields."""

    def build_instance(self, attrs):
        """The record as it would be saved; nothing is written. Only the model's own columns are set
        (many-to-many and nested lists are saved separately)."""
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        columns = {field.name for field in model._meta.concrete_fields}
        for name, value in attrs.items():
            if name in columns:
                setattr(instance, name, value)
        return instance

    def clean_instance(self, instance) -> None:
        instance.clean()

    def check(self, instance, previous) -> None:
        """The domain's rules for this record beyond the model's, given the saved record (or None)."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.build_instance(attrs)
        try:
            self.clean_instance(instance)
            self.check(instance, self.instance)
        except DjangoValidationError as exc:
            raise api_error(exc) from exc
        return attrs


@functools.cache
def _serializer_takes_files(serializer_class) -> bool:
    """Whether a serializer class has a file field: the same answer for every request, so it is worked
    out once per process (building a serializer's fields costs a few milliseconds of every API call)."""
    try:
        fields = serializer_class().fields.values()
    except Exception:  # a serializer that needs its context to build its fields
        return False
    return any(isinstance(field, serializers.FileField) for field in fields)


class ScopedViewSetMixin:
    """Rows restricted like the pages; a write that lands outside the user's scope is rolled back.

    A record's responses carry its version as `ETag`; PUT and PATCH must send it back in `If-Match`
    and are refused (412, with what changed) when the record was saved since. POST of a list
    creates every record or none.
    """

    schema: Any = VersionedAutoSchema()
    _versioned = None  # the record whose version the response carries as ETag

    def get_queryset(self):
        return permissions.restrict(super().get_queryset(), self.request.user, permissions.VIEW)

    def filter_queryset(self, queryset):
        # A record's own address without a query string: the filters have nothing to apply (an empty
        # filter set filters nothing, ordering does not matter for one record), and building the filter
        # set (its form, every related choice narrowed to the user's scope) was an eighth of the CPU of
        # an API record read (issue #20). With a query string the filters still apply, as DRF has it:
        # a record the filters exclude is a 404.
        lookup = self.lookup_url_kwarg or self.lookup_field
        if lookup in self.kwargs and not self.request.query_params:
            return queryset
        return super().filter_queryset(queryset)

    def get_parsers(self):
        # One JSON body per operation; multipart (and only then) where the record carries a file.
        parsers = super().get_parsers()
        if self.parser_classes == api_settings.DEFAULT_PARSER_CLASSES and self._takes_files():
            parsers = [*parsers, MultiPartParser()]
        return parsers

    def _takes_files(self) -> bool:
        serializer_class = getattr(self, "serializer_class", None)
        if serializer_class is None:
            return False
        return _serializer_takes_files(serializer_class)

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        obj = self._versioned
        if obj is not None and concurrency.is_versioned(obj):
            tags = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
            if etag(obj) in tags or "*" in tags:
                # Conditional GET: the caller's copy is current; no body (RFC 9110 §13.1.2).
                return Response(status=status.HTTP_304_NOT_MODIFIED)
        return response

    def list(self, request, *args, **kwargs):
        # List pages are the heavy reads integrators page through: the read replica, when there is one.
        with replica_reads():
            return super().list(request, *args, **kwargs)

    def get_object(self):
        obj = super().get_object()
        if self.action in UPDATE_ACTIONS and concurrency.is_versioned(obj):
            obj = self._check_version(obj)
        self._versioned = obj
        return obj

    def _check_version(self, obj):
        """Lock the record (the update runs in one transaction, see `update`) and compare its version
        with If-Match; returns the record as read under the lock."""
        header = self.request.headers.get("If-Match", "")
        tokens = if_match_tokens(header)
        if not tokens:
            raise PreconditionRequired
        current = concurrency.lock(obj)
        if "*" not in tokens and not any(concurrency.is_current(current, token) for token in tokens):
            self._versioned = current
            conflict = concurrency.Conflict(
                current=current, version=tokens[0], entries=concurrency.changes_since(current, tokens[0])
            )
            raise PreconditionFailed(conflict.as_data())
        if not concurrency.is_current(obj, concurrency.version_of(current)):
            obj = super().get_object()  # saved between the first read and the lock: read it again
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and not (isinstance(response.data, dict) and "code" in response.data):
            # An error an action wrote by hand (Response(..., status=400)): the one error shape as well.
            response.data = api_errors.shaped(response.data, response.status_code)
        obj = self._versioned
        if (
            obj is not None
            and self.action in ETAG_ACTIONS
            and concurrency.is_versioned(obj)
            and (
                status.is_success(response.status_code)
                or response.status_code in (status.HTTP_304_NOT_MODIFIED, status.HTTP_412_PRECONDITION_FAILED)
            )
        ):
            response["ETag"] = etag(obj)
        return response

    def _save_in_scope(self, serializer, action):
        with transaction.atomic():
            try:
                instance = serializer.save()
            except files.DiskFullError as exc:
                # The disk filled up while an upload was written (the storage removed the partial file).
                raise serializers.ValidationError(
                    {"non_field_errors": [str(files.DISK_FULL_MESSAGE)]}
                ) from exc
            if not permissions.restrict(
                type(instance)._default_manager.filter(pk=instance.pk), self.request.user, action
            ).exists():
                transaction.set_rollback(True)
                raise PermissionDenied(
                    _("You may only save records that belong to your own unit or organization.")
                )
        self._versioned = instance

    def perform_create(self, serializer):
        self._save_in_scope(serializer, permissions.ADD)

    def perform_update(self, serializer):
        self._save_in_scope(serializer, permissions.CHANGE)


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    # Read and write. Defined here rather than on the mixin: a method named `create` or `update` is what
    # makes the router offer POST or PUT, which a read-only viewset must not. (A comment, not a docstring:
    # the schema would show a docstring as every domain endpoint's description.)

    def destroy(self, request, *args, **kwargs):
        """Delete the record; refused with 409 while other records refer to it."""
        # Here rather than in perform_destroy, which some domains override (councils, funding).
        instance = self.get_object()
        try:
            with transaction.atomic():
                self.perform_destroy(instance)
        except (ProtectedError, RestrictedError) as exc:
            raise Protected(protected_refusal(str(instance), exc)) from exc
        return Response(status=status.HTTP_204_NO_CONTENT)

    def update(self, request, *args, **kwargs):
        # The lock taken in get_object holds until the save below is committed.
        with transaction.atomic():
            return super().update(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        def handler():
            if isinstance(request.data, list):
                return self.bulk_create(request.data)
            return super(ScopedModelViewSet, self).create(request, *args, **kwargs)

        return api_idempotency.once(request, handler)

    def bulk_create(self, items: list):
        """Create every record of `items` or none: each is validated (against the database as the
        batch before it left it), errors are returned by position, and any error or record outside
        the user's scope rolls the whole batch back."""
        if not items:
            raise ApiValidationError({"non_field_errors": [_("Send at least one record.")]})
        if len(items) > BULK_LIMIT:
            message = _("Send at most %(limit)s records at once; this batch has %(count)s.")
            raise ApiValidationError(
                {"non_field_errors": [message % {"limit": BULK_LIMIT, "count": len(items)}]}
            )
        errors, created = [], []
        with transaction.atomic():
            for item in items:
                serializer = self.get_serializer(data=item)
                if not serializer.is_valid():
                    errors.append(serializer.errors)
                    continue
                failed_before = any(errors)
                errors.append({})
                if failed_before:
                    continue  # validate the rest, save nothing more
                try:
                    with transaction.atomic():  # a refused insert leaves the batch's transaction usable
                        self.perform_create(serializer)
                except IntegrityError:
                    errors[-1] = {"non_field_errors": [_("This record repeats a value that must be unique.")]}
                    continue
                created.append(serializer)
            if any(errors):
                transaction.set_rollback(True)
                raise ApiValidationError(errors)  # type: ignore[arg-type]  # one entry per record
        self._versioned = None
        return Response([serializer.data for serializer in created], status=status.HTTP_201_CREATED)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated once per process and language instead of on every request.

    Generating it walks ~90 viewsets and takes seconds; it only changes with the code, and a deployment
    restarts its processes when the code changes, so a per-process copy can never be stale.
    """

    _generated: dict = {}

    def _get_schema_response(self, request):
        # In English, whatever the interface language, so that a generated client's names never depend on
        # who downloaded the schema; `?lang=vi` gives the Vietnamese descriptions (same structure).
        language = "vi" if request.query_params.get("lang") == "vi" else "en"
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (language, version)
        if key not in self._generated:
            with translation.override(language):
                self._generated[key] = super()._get_schema_response(request).data
        return Response(
            data=self._generated[key],
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )
