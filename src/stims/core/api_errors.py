"""One error shape for every API answer of 400 and above.

    {"detail": "<what went wrong, in the user's language>",
     "code": "<stable, machine-readable: invalid, not_authenticated, permission_denied, not_found,
              protected, precondition_failed, precondition_required, throttled, refused, …>",
     "errors": {"<field>": ["…"]}  |  [ {…}, … ]  |  ["reason", …]  |  {}}

Why not RFC 9457 (problem+json)? Its members are optional and typed by URI; our clients need the
per-field messages of a form, a list for a bulk call, and a short stable code to branch on, in one
object that every generated client types the same way. `detail` is always a string (the first or
joined messages), `code` never depends on the interface language, `errors` carries the particulars:
field messages by name (400), one object per record of a bulk call by position (400), the reasons of
a refused workflow step (400), or nothing. A 412 adds `current_version` and `changes`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    412: "precondition_failed",
    415: "unsupported_media_type",
    428: "precondition_required",
    429: "throttled",
}


def _first_message(errors) -> str:
    if isinstance(errors, str):
        return errors
    if isinstance(errors, dict):
        for key, value in errors.items():
            message = _first_message(value)
            if message:
                return message if key in ("non_field_errors", "detail") else f"{key}: {message}"
    if isinstance(errors, list):
        for value in errors:
            message = _first_message(value)
            if message:
                return message
    return ""


def _code_of(exc, status_code: int) -> str:
    code = getattr(exc, "default_code", None)
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    if isinstance(exc, exceptions.APIException):
        codes = exc.get_codes()
        if isinstance(codes, str):
            code = codes
        elif isinstance(codes, list) and codes and all(isinstance(c, str) for c in codes):
            code = "refused"  # several reasons (a refused workflow step)
    return str(code or CODES.get(status_code, "error"))


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    extra: dict = {}
    if isinstance(exc, exceptions.ValidationError):
        errors = data
        detail = _first_message(data) or _("Invalid input.")
        if isinstance(data, list) and data and all(isinstance(item, str) for item in data):
            detail = " ".join(data)
    elif isinstance(data, dict) and "detail" in data:
        raw = data["detail"]
        extra = {key: value for key, value in data.items() if key != "detail"}
        if isinstance(raw, list):
            errors, detail = [str(item) for item in raw], " ".join(str(item) for item in raw)
        else:
            errors, detail = {}, str(raw)
    else:
        errors, detail = data, _first_message(data)
    response.data = {"detail": detail, "code": _code_of(exc, response.status_code), "errors": errors, **extra}
    return response


def shaped(data, status_code: int) -> dict:
    """`data` of an error response made without an exception, in the one error shape."""
    if isinstance(data, dict) and "detail" in data:
        raw = data["detail"]
        extra = {key: value for key, value in data.items() if key != "detail"}
        if isinstance(raw, list):
            return {
                "detail": " ".join(str(i) for i in raw),
                "code": "refused",
                "errors": [str(i) for i in raw],
                **extra,
            }
        return {"detail": str(raw), "code": CODES.get(status_code, "error"), "errors": {}, **extra}
    return {
        "detail": _first_message(data) or _("Invalid input."),
        "code": CODES.get(status_code, "error"),
        "errors": data,
    }


class ErrorSerializer(serializers.Serializer):
    """The shape of every API error (see stims.core.api_errors)."""

    detail = serializers.CharField(help_text="What went wrong, in the user's language.")
    code = serializers.CharField(
        help_text="Stable and machine-readable: invalid, not_found, permission_denied, …"
    )
    errors = serializers.JSONField(  # type: ignore[assignment]  # the shape's own name; a declared field
        help_text="Field messages by name, one object per record of a bulk call, or the reasons of a refusal."
    )
