"""Prometheus metrics at `/metrics`: django-prometheus's request, response and exception counters and
latencies, plus STIMS's own gauges read at each scrape:

    stims_jobs_waiting                   background jobs waiting in the queue
    stims_jobs_oldest_waiting_seconds    how long the oldest has waited
    stims_jobs_failed                    jobs that ended FAILED (kept until pruned)
    stims_worker_heartbeat_age_seconds   since `stims worker` last wrote its heartbeat (-1: never)
    stims_emails_unsent                  notifications for users with an address whose e-mail did not go out
    stims_up{version="…"}                1, with the running release

Answered only to the machine itself (a Prometheus on loopback) or to a scraper sending
`Authorization: Bearer <STIMS_METRICS_TOKEN>`; anyone else gets 404. Under gunicorn each worker process
writes its samples to PROMETHEUS_MULTIPROC_DIR (deploy/gunicorn.conf.py) and the answer merges them.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views import View
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from stims import __version__

LOOPBACK = {"127.0.0.1", "::1"}

# Gauges the apps add (core knows no domain): name → (help text, function returning the value).
_GAUGES: dict[str, tuple[str, Callable[[], float]]] = {}


def register_gauge(name: str, help_text: str, value: Callable[[], float]) -> None:
    """Adds a gauge read at each scrape, e.g. accounts' `stims_emails_unsent`."""
    _GAUGES[name] = (help_text, value)


class StimsCollector:
    def collect(self):
        from django_tasks_db.models import DBTaskResult

        from .health import HEARTBEAT_KEY

        up = GaugeMetricFamily("stims_up", "STIMS answers, with its release", labels=["version"])
        up.add_metric([__version__], 1)
        yield up
        ready = DBTaskResult.objects.ready()
        oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        yield GaugeMetricFamily("stims_jobs_waiting", "Background jobs waiting", value=ready.count())
        yield GaugeMetricFamily(
            "stims_jobs_oldest_waiting_seconds",
            "Age of the oldest waiting job",
            value=(timezone.now() - oldest).total_seconds() if oldest else 0,
        )
        yield GaugeMetricFamily(
            "stims_jobs_failed",
            "Jobs that failed",
            value=DBTaskResult.objects.filter(status="FAILED").count(),
        )
        beat = cache.get(HEARTBEAT_KEY)
        yield GaugeMetricFamily(
            "stims_worker_heartbeat_age_seconds",
            "Seconds since the worker's heartbeat (-1: never)",
            value=time.time() - float(beat) if beat else -1,
        )
        for name, (help_text, value) in sorted(_GAUGES.items()):
            yield GaugeMetricFamily(name, help_text, value=value())


_collector = StimsCollector()
_registered = False


def registry() -> CollectorRegistry:
    """Every process's samples (multiprocess mode) or this process's, plus STIMS's gauges."""
    global _registered
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        merged = CollectorRegistry()
        multiprocess.MultiProcessCollector(merged)
        merged.register(_collector)
        return merged
    if not _registered:
        REGISTRY.register(_collector)
        _registered = True
    return REGISTRY


def may_scrape(request) -> bool:
    token = settings.STIMS_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    return request.META.get("REMOTE_ADDR") in LOOPBACK and "HTTP_X_FORWARDED_FOR" not in request.META


class MetricsView(View):
    """`/metrics`: Prometheus text format; 404 to anyone but the machine itself or a token holder."""

    def get(self, request):
        if not may_scrape(request):
            raise Http404
        return HttpResponse(generate_latest(registry()), content_type=CONTENT_TYPE_LATEST)
