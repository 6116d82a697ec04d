"""Health checks for the load balancer, systemd and monitoring.

- `/health/` (liveness): the process answers. No database, no cache: a restart of PostgreSQL must not
  make every application server look dead and be restarted in turn.
- `/health/ready/` (readiness): every part STIMS needs, each with its own verdict and figure, as JSON;
  200 when all pass, 503 otherwise (the body says which failed). Checks: the database (one query),
  the cache (write and read back), the background worker's heartbeat (written by `stims worker`),
  the age of the oldest job waiting in the queue, free space in the data directory, and the age of
  the newest backup archive. Thresholds are settings (`STIMS_HEALTH_*`).

Both answer any client (no session, no CSRF); they reveal no record, only the figures above.
"""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views import View

from stims import __version__

HEARTBEAT_KEY = "stims:worker:heartbeat"


def beat() -> None:
    """Record that a background worker is alive now (called by `stims worker` at each poll)."""
    cache.set(HEARTBEAT_KEY, time.time(), timeout=24 * 3600)


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True, "vendor": connection.vendor}


def _cache() -> dict:
    key, value = f"stims:health:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    ok = cache.get(key) == value
    cache.delete(key)
    return {"ok": ok}


def _worker() -> dict:
    last = cache.get(HEARTBEAT_KEY)
    limit = settings.STIMS_HEALTH_WORKER_SECONDS
    if last is None:
        return {"ok": False, "seconds_since_heartbeat": None, "limit": limit}
    age = max(0, round(time.time() - float(last)))
    return {"ok": age <= limit, "seconds_since_heartbeat": age, "limit": limit}


def _queue() -> dict:
    from django_tasks_db.models import DBTaskResult

    oldest = (
        DBTaskResult.objects.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    )
    waiting = DBTaskResult.objects.ready().count()
    limit = settings.STIMS_HEALTH_QUEUE_SECONDS
    age = round((timezone.now() - oldest).total_seconds()) if oldest else 0
    return {"ok": age <= limit, "waiting": waiting, "oldest_seconds": age, "limit": limit}


def _disk() -> dict:
    usage = shutil.disk_usage(settings.DATA_DIR)
    free_mb = usage.free // (1024 * 1024)
    limit = settings.STIMS_HEALTH_DISK_FREE_MB
    return {"ok": free_mb >= limit, "free_mb": free_mb, "limit_mb": limit}


def newest_backup() -> Path | None:
    directory = Path(settings.DATA_DIR) / "backups"
    archives = [p for p in directory.glob("stims-*.tar.gz*") if p.is_file()] if directory.is_dir() else []
    return max(archives, key=lambda p: p.stat().st_mtime, default=None)


def _backup() -> dict:
    limit = settings.STIMS_HEALTH_BACKUP_HOURS
    if not limit:
        return {"ok": True, "hours_since_backup": None, "limit": None}
    archive = newest_backup()
    if archive is None:
        return {"ok": False, "hours_since_backup": None, "limit": limit}
    hours = round((time.time() - archive.stat().st_mtime) / 3600, 1)
    return {"ok": hours <= limit, "hours_since_backup": hours, "limit": limit}


CHECKS: dict[str, Callable[[], dict]] = {
    "database": _database,
    "cache": _cache,
    "worker": _worker,
    "queue": _queue,
    "disk": _disk,
    "backup": _backup,
}


def readiness() -> dict:
    """Every check's verdict; a check that raises fails with the exception's class name (never its text,
    which may carry a connection string)."""
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:  # a failing part is a verdict, not a crash
            results[name] = {"ok": False, "error": type(error).__name__}
    return results


class LivenessView(View):
    """`/health/`: the process answers."""

    def get(self, request):
        return JsonResponse({"status": "ok", "version": __version__})


class ReadinessView(View):
    """`/health/ready/`: every part STIMS needs; 503 when one fails."""

    def get(self, request):
        checks = readiness()
        ok = all(result["ok"] for result in checks.values())
        return JsonResponse(
            {"status": "ok" if ok else "failing", "version": __version__, "checks": checks},
            status=200 if ok else 503,
        )
