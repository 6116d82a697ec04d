"""A serving process settles after start-up: what it imported and built before its first request is
put out of reach of Python's cyclic garbage collector, which otherwise walks it all again on every full
collection.

A gunicorn worker holds about 230,000 objects once Django, the apps, their URL configuration and views
are loaded, and all of them live as long as the process. CPython (3.11) runs a full collection whenever
the objects that survived younger collections since the last one reach a quarter of the old ones: a
request that keeps a few thousand rows and model instances alive through its rendering promotes them, so
on a dashboard over the national data set every third or fourth request paid one — 150–180 ms of CPU on a
35 ms page (docs/performance.md, "Garbage collection in the workers"). `gc.freeze()` (Python 3.7+) moves
the objects alive now into a permanent generation that collections skip (Python's documentation
describes it for servers that fork after loading, to keep memory pages shared; here the workers load
the code themselves, and what it spares is the collections' walk). The young generation's threshold is raised as well: a request's
garbage is almost all freed by reference counting, and collecting every 700 allocations mostly walks
objects that are still in use.

Called by gunicorn's `post_worker_init` hook (deploy/gunicorn.conf.py), after the worker has loaded
`stims.wsgi`, and by `stims worker` before its first task (an import's confirm runs there);
`STIMS_GC_FREEZE=0` keeps Python's defaults.
"""

from __future__ import annotations

import gc
import os

# (young generation, middle, old): Python's default is (700, 10, 10).
THRESHOLDS = (10_000, 20, 20)


def enabled() -> bool:
    return os.environ.get("STIMS_GC_FREEZE", "1").strip().lower() not in {"0", "false", "no", "off"}


def settle() -> int:
    """Load what every request needs (the URL configuration, hence every view module), collect once, then
    freeze what is alive and raise the collection thresholds. Returns how many objects were frozen (0
    when turned off)."""
    if not enabled():
        return 0
    from django.urls import get_resolver

    resolver = get_resolver()
    resolver.reverse_dict  # noqa: B018  (imports the URL configuration and every view it names)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    return gc.get_freeze_count()


def kept_per_class(cls: type, attribute: str, build):
    """`build()`'s value kept on `cls` itself (not inherited by its subclasses) for the active language,
    built on first use: what a serving process works out once per class rather than for every request
    (a serializer's fields, a filter set's form class; issue #20). Keyed by language because such a
    value may hold text translated when it was built. Two threads building it at once build the same
    value; either is kept."""
    from django.utils import translation

    kept = cls.__dict__.get(attribute)
    if kept is None:
        kept = {}
        setattr(cls, attribute, kept)
    language = translation.get_language()
    value = kept.get(language)
    if value is None:
        value = kept[language] = build()
    return value
