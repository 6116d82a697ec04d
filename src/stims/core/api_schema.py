"""The OpenAPI schema as integrators generate clients from it (drf-spectacular).

- Readable operation ids (`list_tasks`, `get_task`, `create_task`, `take_step_task`), a summary and a
  description written for integrators on every operation, one tag per domain.
- Every operation documents its error answers in the one error shape (`stims.core.api_errors`): 401,
  403 and 429 everywhere, 404 where a record is named, 400 on writes, 409 on deletes, 412 and 428 on
  updates; and its headers: `ETag`, `API-Version`, `Retry-After`, `X-RateLimit-*`.
- Bulk create: the body of a collection's POST is one record or a list of 1–500, the 201 answers one
  or a list. `Idempotency-Key` is documented on every POST; `If-None-Match` (→ 304) on reads of a record.
- Query parameter enums reuse the model enums' components instead of inline copies.
"""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, OpenApiTypes

from .api_errors import ErrorSerializer

BULK_LIMIT = 500
VERBS = {
    "list": "list",
    "retrieve": "get",
    "create": "create",
    "update": "update",
    "partial_update": "partial_update",
    "destroy": "delete",
}
SUMMARIES = {
    "list": "List {plural}",
    "retrieve": "Get a {singular}",
    "create": "Create a {singular} (or several)",
    "update": "Replace a {singular}",
    "partial_update": "Update a {singular}",
    "destroy": "Delete a {singular}",
}
DESCRIPTIONS = {
    "list": (
        "The {plural} the caller may see (their role and unit scope), filtered by the query parameters, "
        "ordered by `ordering` and paginated (`page`: a number or `last`)."
    ),
    "retrieve": "One {singular}, with its version in the `ETag` header (send it back in `If-None-Match` for a 304).",
    "create": (
        "Creates one {singular} (a JSON object) or several (a JSON list of 1–500, all or nothing: errors come back "
        "by position). Send an `Idempotency-Key` so that a retried request never creates twice."
    ),
    "update": "Replaces a {singular}. `If-Match` must carry the `ETag` of the version the change is based on.",
    "partial_update": (
        "Changes the fields sent. `If-Match` must carry the `ETag` of the version the change is based on; a "
        "stale version answers 412 with what changed since."
    ),
    "destroy": "Deletes a {singular}; 409 while other records refer to it.",
}


def _english(text) -> str:
    with translation.override("en"):
        return str(text)


def _snake(text: str) -> str:
    # "S&T task" → "task": the prefix names the department's field, not the record.
    return re.sub(r"[^a-z0-9]+", "_", re.sub(r"^S&T ", "", text).lower()).strip("_")


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


class StimsAutoSchema(AutoSchema):
    def _model(self):
        queryset = getattr(self.view, "queryset", None)
        return getattr(queryset, "model", None)

    def _names(self) -> tuple[str, str] | None:
        model = self._model()
        if model is None:
            return None
        return _english(model._meta.verbose_name), _english(model._meta.verbose_name_plural)

    def _action(self) -> str:
        action = getattr(self.view, "action", None)
        if action:
            return action
        return {"GET": "list", "POST": "create"}.get(self.method, self.method.lower())

    def get_operation_id(self) -> str:
        names = self._names()
        action = self._action()
        if names is None:
            operation_id = super().get_operation_id()
        else:
            singular, plural = _snake(names[0]), _snake(names[1])
            verb = VERBS.get(action, action)
            operation_id = f"{verb}_{plural if action == 'list' else singular}"
        seen = self.registry.__dict__.setdefault("_stims_operation_ids", {})
        key = (self.path, self.method)
        if operation_id in seen and seen[operation_id] != key:
            tag = _snake(self.get_tags()[0]) if self.get_tags() else "api"
            operation_id = f"{operation_id}_{tag}"
        seen.setdefault(operation_id, key)
        return operation_id

    def _action_doc(self) -> str:
        action = self._action()
        method = getattr(self.view, action, None)
        doc = getattr(method, "__doc__", None) or ""
        module = getattr(method, "__module__", "") or ""
        if module.startswith(("rest_framework", "stims.core.api")):
            return ""  # DRF's or our plumbing's docstring says nothing to an integrator
        return re.sub(r"\s+", " ", doc).strip()

    def get_summary(self) -> str | None:
        names = self._names()
        action = self._action()
        if names and action in SUMMARIES:
            return SUMMARIES[action].format(singular=names[0], plural=names[1])
        doc = self._action_doc()
        if doc:
            return doc.split(". ")[0].rstrip(".")[:120]
        return action.replace("_", " ").capitalize() + (f" ({names[0]})" if names else "")

    def get_description(self) -> str:
        names = self._names()
        action = self._action()
        doc = self._action_doc()
        if doc:
            return doc
        if names and action in DESCRIPTIONS:
            return DESCRIPTIONS[action].format(singular=names[0], plural=names[1])
        view_doc = (self.view.__class__.__doc__ or "").strip()
        if view_doc and not self.view.__class__.__module__.startswith("stims.core"):
            return re.sub(r"\s+", " ", view_doc)
        return ""

    def _is_bulk_create(self) -> bool:
        return self._action() == "create" and hasattr(self.view, "bulk_create")

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        action = self._action()
        if self.method == "POST":
            parameters.append(
                OpenApiParameter(
                    "Idempotency-Key",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description=(
                        "A unique key (e.g. a UUID) for this request. Retrying with the same key and body "
                        "returns the first answer (with Idempotent-Replayed: true) instead of acting twice; "
                        "kept 24 hours."
                    ),
                )
            )
        if action == "retrieve":
            parameters.append(
                OpenApiParameter(
                    "If-None-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="The ETag you hold: 304 with no body when the record has not changed.",
                )
            )
        return parameters

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        if body and self._is_bulk_create():
            for content in body["content"].values():
                one = content["schema"]
                content["schema"] = {
                    "oneOf": [one, {"type": "array", "items": one, "minItems": 1, "maxItems": BULK_LIMIT}]
                }
        return body

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        if str(status_code) == "201" and self._is_bulk_create() and "content" in response:
            for content in response["content"].values():
                one = content["schema"]
                content["schema"] = {"oneOf": [one, {"type": "array", "items": one}]}
        return response

    def error_responses(self) -> dict:
        """The error answers this operation can give (added even where @extend_schema names the
        successful ones)."""
        action = self._action()
        errors = {
            401: error(str(_("No valid credentials (a token, or a session) were sent."))),
            403: error(str(_("The caller may not do this, or not to this record."))),
            429: error(str(_("Too many requests: wait for the number of seconds in Retry-After."))),
        }
        if "{" in self.path:
            errors[404] = error(str(_("No such record among those the caller may see.")))
        if self.method in ("POST", "PUT", "PATCH"):
            errors[400] = error(
                str(_("The data was refused: field messages under errors (by position for a list)."))
            )
        if self.method == "DELETE":
            errors[409] = error(str(_("Other records refer to this one, or a rule forbids deleting it.")))
        if action == "retrieve":
            errors[304] = OpenApiResponse(description=str(_("Not modified: the ETag sent is current.")))
        return errors

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, answer in self.error_responses().items():
            if str(code) not in responses:
                responses[str(code)] = (
                    self._get_response_for_code(answer.response, str(code), None, direction)
                    if answer.response is not None
                    else {"description": answer.description}
                )
                if answer.response is not None:
                    responses[str(code)]["description"] = answer.description
        return responses


ETAG_OPERATIONS = ("get_", "create_", "update_", "partial_update_")


def add_headers(result, generator, request, public):
    """drf-spectacular postprocessing hook: the response headers every client should know."""
    header = {"schema": {"type": "string"}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            op_id = operation.get("operationId", "")
            for code, response in operation["responses"].items():
                headers = response.setdefault("headers", {})
                headers["API-Version"] = {**header, "description": "The STIMS release that answered."}
                headers["X-RateLimit-Limit"] = {
                    "schema": {"type": "integer"},
                    "description": "Requests allowed in the current window.",
                }
                headers["X-RateLimit-Remaining"] = {
                    "schema": {"type": "integer"},
                    "description": "Requests left in the current window.",
                }
                if str(code) == "429":
                    headers["Retry-After"] = {
                        "schema": {"type": "integer"},
                        "description": "Seconds to wait.",
                    }
                if str(code) in ("200", "201", "412") and op_id.startswith(ETAG_OPERATIONS):
                    headers["ETag"] = {**header, "description": "The record's version (send it in If-Match)."}
    return result


def reuse_enum_components(result, generator, request, public):
    """drf-spectacular postprocessing hook: a query parameter whose enum equals a component enum refers
    to that component instead of repeating it inline (one `TaskLevelEnum`, not one per operation)."""
    components = result.get("components", {}).get("schemas", {})
    by_values = {}
    for name, schema in components.items():
        if "enum" in schema:
            values = frozenset(v for v in schema["enum"] if v not in ("", None))
            by_values.setdefault(values, name)
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                target = schema.get("items", schema)
                if "enum" not in target:
                    continue
                values = frozenset(v for v in target["enum"] if v not in ("", None))
                name = by_values.get(values)
                if name:
                    ref = {"$ref": f"#/components/schemas/{name}"}
                    if "items" in schema:
                        schema["items"] = ref
                    else:
                        parameter["schema"] = ref
    return result
