"""Logging that a journal and an operator can read: one line per event, each tied to its request.

- `RequestIdFilter` adds `request_id` to every record: the id of the request being served (from the
  `X-Request-ID` header nginx sets, or a new one; see `core.middleware.RequestIdMiddleware`), or "-"
  outside a request (commands, the worker).
- `OneLineFormatter` writes a record and its exception on ONE line: the traceback's frames joined with
  " | " instead of newlines, so a failure is one journal entry that grep and alerting can count.
- `SkipHeadNoise` drops the WARNING Django logs for every refused HEAD request (405 from a view that
  answers POST only), which monitoring probes and scanners send by the thousand.
"""

from __future__ import annotations

import contextvars
import logging

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("stims_request_id", default="-")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class OneLineFormatter(logging.Formatter):
    """`LEVEL [request id] logger: message | exception frames…` on one line."""

    def __init__(self, fmt: str | None = None, *args, **kwargs):
        super().__init__(fmt or "%(levelname)s [%(request_id)s] %(name)s: %(message)s", *args, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        text = super().format(record)
        return " | ".join(part.strip() for part in text.splitlines() if part.strip())

    def formatException(self, ei) -> str:  # noqa: N802 - logging's name
        return super().formatException(ei)


class SkipHeadNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if (
            request is not None
            and getattr(request, "method", "") == "HEAD"
            and record.levelno < logging.ERROR
        ):
            return False
        return True
