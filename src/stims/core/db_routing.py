"""Reads that may go to a read replica, and only those.

With `DATABASE_REPLICA_URL` set (a PostgreSQL streaming replica), the heavy reads that tolerate a
second of lag — dashboards and summaries, exports, API list pages — go to the `replica` alias; every
write, every page a user lands on after saving (read-after-write) and every read not marked here
stays on the primary. Without the setting everything uses the primary.

    with replica_reads():            # in a service or a view
        ...
    class DashboardView(ReadsFromReplica, TemplateView): ...   # GET and HEAD of a page
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"

_on_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("stims_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside the block go to the replica, when there is one."""
    token = _on_replica.set(True)
    try:
        yield
    finally:
        _on_replica.reset(token)


class ReplicaRouter:
    """`DATABASE_ROUTERS` entry: the replica for reads inside `replica_reads()`, the primary otherwise."""

    def db_for_read(self, model, **hints):
        if _on_replica.get() and replica_configured():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReadsFromReplica:
    """View mixin: GET and HEAD read from the replica (dashboards, summaries)."""

    def dispatch(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            with replica_reads():
                response = super().dispatch(request, *args, **kwargs)
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response.render()  # a TemplateResponse renders its queries here, inside the block
                return response
        return super().dispatch(request, *args, **kwargs)
