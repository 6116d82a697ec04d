"""Domain events: what happened, told to whoever listens, after the change is committed.

A domain says what happened with `emit(name, **data)`; listeners (notifications, e-mail, audit,
integrations) subscribe by name with `@listen(name)`. Core knows no domain: names are strings the
emitting app owns ("sttasks.step_taken"), and each listener receives the keyword data the emitting
app documents. Listeners run once the surrounding transaction commits (never for a rolled-back
change), and a listener's failure is logged, never undoes or blocks the change that was made.

Events emitted today (documented where emitted):
    sttasks.step_taken          task, event (TaskEvent), actor
    meetings.directive_moved    directive, event (DirectiveEvent), action, actor
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)

_LISTENERS: dict[str, list[Callable]] = defaultdict(list)


def listen(name: str) -> Callable[[Callable], Callable]:
    """Decorator: call the function with the event's keyword data whenever `name` is emitted."""

    def decorator(function: Callable) -> Callable:
        if function not in _LISTENERS[name]:
            _LISTENERS[name].append(function)
        return function

    return decorator


def listeners(name: str) -> list[Callable]:
    return list(_LISTENERS.get(name, ()))


def emit(name: str, **data) -> None:
    """Tell the listeners of `name` once the current transaction commits (at once outside one)."""

    def deliver() -> None:
        for function in listeners(name):
            try:
                function(**data)
            except Exception:  # a listener never undoes the change that was made
                logger.exception(
                    "listener %s of event %s failed", getattr(function, "__name__", function), name
                )

    transaction.on_commit(deliver)
