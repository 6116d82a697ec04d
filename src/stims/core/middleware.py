"""Request middleware of our own."""

import logging
import re
import uuid

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string

from . import aggregates
from .logs import request_id

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user picked English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many officials' browsers
    are set to English: the department's interface must still open in Vietnamese. The choice made with
    the switch (the language cookie) is honoured as usual.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return super().process_request(request)


class RequestIdMiddleware:
    """Gives each request an id: the proxy's `X-Request-ID` when it is a sane token, else a new one.

    The id is on every log line written while the request is served (core.logs.RequestIdFilter), and
    sent back in the `X-Request-ID` response header, so a user's report, nginx's log and STIMS's log
    meet on one value.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        value = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = value
        token = request_id.set(value)
        try:
            response = self.get_response(request)
        finally:
            request_id.reset(token)
        response["X-Request-ID"] = value
        return response


class WritesSeenMiddleware:
    """Dashboards may show figures a little behind the data, but never behind what the user has changed
    (core.aggregates): a POST, PUT, PATCH or DELETE of a signed-in user (page or API: DRF puts the
    token's user on the request) is watched for the tables its statements write
    (`aggregates.WrittenTables`), then `note_write` is told them — whatever the answer's status, as a
    write that was rolled back only costs a recomputation; each request starts with no figures
    served behind the data. An answer that served figures behind the data says from when in the
    `X-Figures-As-Of` header (ISO 8601, local time): the figures APIs' integrators see it too."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        aggregates.start_request()
        if request.method in self.SAFE:
            response = self.get_response(request)
        else:
            written = aggregates.WrittenTables()
            with written.watching():
                response = self.get_response(request)
            if written.tables:
                aggregates.note_write(getattr(request, "user", None), written.tables)
        as_of = aggregates.served_as_of()
        if as_of is not None:
            response["X-Figures-As-Of"] = as_of.isoformat(timespec="seconds")
        return response


class DatabaseUnavailableMiddleware:
    """A database that is down or restarting answers 503 with `Retry-After`, one log line, no traceback.

    Without it each request during a PostgreSQL restart became a 500 with a 120-line traceback. The
    connection is closed so that the next request opens a fresh one as soon as the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if (
            "locked" in str(exception).lower()
        ):  # SQLite's "database is locked" is a busy database, not a down one
            return None
        logging.getLogger("stims.database").error(
            "database unavailable (%s) on %s %s", type(exception).__name__, request.method, request.path
        )
        for connection in connections.all(initialized_only=True):
            try:
                connection.close()
            except (OperationalError, InterfaceError):
                pass
        body = render_to_string("503.html", {"retry_after": 10})
        response = HttpResponse(body, status=503)
        response["Retry-After"] = "10"
        return response


class ApiHeadersMiddleware:
    """Every `/api/` answer says which release answered (`API-Version`) and, once a rate limit was
    counted, how many requests are left (`X-RateLimit-Limit`, `X-RateLimit-Remaining`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            from stims import __version__

            response["API-Version"] = __version__
            rate = getattr(request, "stims_rate_limit", None)
            if rate is not None:
                response["X-RateLimit-Limit"], response["X-RateLimit-Remaining"] = str(rate[0]), str(rate[1])
        return response
