"""The public pages' cache: each page rendered for an anonymous visitor is kept for `TIMEOUT` seconds
under a key carrying the portal's *generation*; anything that changes what the portal shows (an
article approved or withdrawn, a category, a public calendar entry, a catalogue's record) bumps the
generation (signals.py), so the next visitor gets a fresh page at once. A scheduled article goes live
within `TIMEOUT` seconds of its time. Signed-in users are never served from, nor stored in, the cache.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.utils import translation

TIMEOUT = 60
GENERATION_KEY = "portal:generation"


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    return int(value)


def invalidate() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def page_key(request) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"portal:page:{generation()}:{translation.get_language()}:{path}"
