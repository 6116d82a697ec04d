"""`Idempotency-Key` on POST: a retried request never acts twice.

The first answer to (user, path, key) is kept 24 hours in the shared cache, with a digest of the body.
A retry with the same key and body gets that answer again, marked `Idempotent-Replayed: true`; the same
key with another body is refused (422), and a retry that arrives while the first is still running is
refused (409) rather than run in parallel. Server errors (5xx) are not kept: the client may retry them.
"""

from __future__ import annotations

import hashlib
import json

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

KEEP_SECONDS = 24 * 3600
HEADER = "Idempotency-Key"


class KeyReused(APIException):
    status_code = 422
    default_code = "idempotency_key_reused"
    default_detail = _("This Idempotency-Key was used with a different request body.")


class KeyInFlight(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_key_in_flight"
    default_detail = _("A request with this Idempotency-Key is still being processed; retry in a moment.")


class KeyInvalid(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "idempotency_key_invalid"
    default_detail = _("An Idempotency-Key is 1 to 255 visible characters.")


def _digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def once(request, handler) -> Response:
    """Runs `handler()` once per Idempotency-Key (when the request sends one)."""
    key = request.headers.get(HEADER)
    if key is None:
        return handler()
    if not 0 < len(key) <= 255 or not key.isprintable():
        raise KeyInvalid
    base = hashlib.sha256(f"{request.user.pk}:{request.path}:{key}".encode()).hexdigest()
    result_key, lock_key = f"stims:idem:{base}", f"stims:idem:{base}:lock"
    body = _digest(request.data)
    stored = cache.get(result_key)
    if stored is None and not cache.add(lock_key, 1, timeout=120):
        raise KeyInFlight
    if stored is not None:
        if stored["body"] != body:
            raise KeyReused
        response = Response(stored["data"], status=stored["status"], headers=stored["headers"])
        response["Idempotent-Replayed"] = "true"
        return response
    try:
        response = handler()
        if response.status_code < 500:
            headers = {name: response[name] for name in ("Location", "ETag") if response.has_header(name)}
            cache.set(
                result_key,
                {"body": body, "status": response.status_code, "data": response.data, "headers": headers},
                timeout=KEEP_SECONDS,
            )
        return response
    except APIException as exc:
        if getattr(exc, "status_code", 500) < 500 and not isinstance(exc, KeyInFlight | KeyReused):
            from .api_errors import exception_handler

            answer = exception_handler(exc, {"request": request, "view": None})
            if answer is not None:
                cache.set(
                    result_key,
                    {"body": body, "status": answer.status_code, "data": answer.data, "headers": {}},
                    timeout=KEEP_SECONDS,
                )
        raise
    finally:
        cache.delete(lock_key)
