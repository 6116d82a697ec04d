"""Visitor statistics without personal data.

A visitor is recognised for one day by a key: the SHA-256 of a secret that changes every day, the
address and the browser's name. The key lives only in the cache (it expires with the day) and the
address is never written anywhere; the database keeps one number per day (`DailyVisits`). "Online now"
counts the distinct keys seen in the current five-minute window, also in the cache only.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Sum
from django.utils import timezone

from .models import DailyVisits, NewsArticle

ONLINE_WINDOW = 300  # seconds


def client_address(request) -> str:
    """The visitor's address as the login throttle reads it (django-axes, through django-ipware behind
    the reverse proxy: STIMS_CLIENT_IP_HEADERS), so that visitors behind one proxy are told apart."""
    return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")


def visitor_key(request, day=None) -> str:
    day = day or timezone.localdate()
    address = client_address(request)
    agent = request.META.get("HTTP_USER_AGENT", "")[:200]
    raw = f"{settings.SECRET_KEY}|{day.isoformat()}|{address}|{agent}"
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def _window() -> int:
    return int(timezone.now().timestamp()) // ONLINE_WINDOW


def count(request) -> str:
    """Counts the request's visitor once a day and once per online window; returns its key."""
    day = timezone.localdate()
    key = visitor_key(request, day)
    if cache.add(f"portal:seen:{day.isoformat()}:{key}", 1, 86400 + 3600):
        updated = DailyVisits.objects.filter(day=day).update(visitors=F("visitors") + 1)
        if not updated:
            row, created = DailyVisits.objects.get_or_create(day=day, defaults={"visitors": 1})
            if not created:
                DailyVisits.objects.filter(pk=row.pk).update(visitors=F("visitors") + 1)
    window = _window()
    if cache.add(f"portal:online:{window}:{key}", 1, ONLINE_WINDOW * 2):
        counter = f"portal:online-count:{window}"
        cache.add(counter, 0, ONLINE_WINDOW * 2)
        try:
            cache.incr(counter)
        except ValueError:
            cache.set(counter, 1, ONLINE_WINDOW * 2)
    return key


def statistics() -> dict:
    today = timezone.localdate()
    week_start = today - timedelta(days=today.weekday())
    rows = DailyVisits.objects.all()
    return {
        "today": rows.filter(day=today).aggregate(n=Sum("visitors"))["n"] or 0,
        "week": rows.filter(day__gte=week_start).aggregate(n=Sum("visitors"))["n"] or 0,
        "total": rows.aggregate(n=Sum("visitors"))["n"] or 0,
        "online": max(cache.get(f"portal:online-count:{_window()}") or 0, 1),
    }


def count_view(request, slug: str) -> bool:
    """One more view of the public article `slug` unless this visitor already read it today (reloads
    do not count); True if counted. Runs before the page cache, so cached pages still count readers."""
    key = visitor_key(request)
    if not cache.add(f"portal:read:{timezone.localdate().isoformat()}:{slug[:120]}:{key}", 1, 86400 + 3600):
        return False
    return bool(NewsArticle.objects.public().filter(slug=slug).update(view_count=F("view_count") + 1))
