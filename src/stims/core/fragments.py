"""Rendered fragments of a page kept while the tables they read are unchanged (issue #20).

A list's filter form is the same for everyone who asks the same question: its selects' options are
read from reference tables (the states, the types, the provinces…) and it shows the values of the
request's own query string. Rendering it — the option queries, Django's widgets' contexts, every
option escaped — costs 4–7 ms of every list page. `rendered()` keeps the HTML in this process's memory
under the version of the tables it read (`core.aggregates.version`: moved by a trigger on every write,
whatever wrote it) and renders it again when one of them has changed.

**Which tables.** Nobody writes them down: the first rendering of a fragment is watched (an execute
wrapper reading the `FROM`/`JOIN` names of its statements) and the tables it read are kept for that
fragment's name. A later rendering that reads a table outside them (a search select showing the record
chosen) is not kept, and that table joins them. A fragment that reads a table no trigger follows (not
one of STIMS's own) is never kept.

**Where.** In the memory of each process (a bounded LRU), not in the shared cache: a fragment is
cheap to render once per process, nothing is pickled or fetched over the network, and a deployment
(new processes) never serves HTML its old templates wrote. Off with DEBUG (templates edited on disk)
and with settings.STIMS_FRAGMENTS false (the tests, but for core/tests/test_fragments.py, which empties
it between tests: src/conftest.py).

**Who.** The key holds the fragment's name, the parts the caller gives (the query string's values),
the language and today's date, never the user: only what is the same for every user may be kept this
way (a filter form whose form depends on the request is rendered as before, see
`core.filters.FormClassOnceMixin.form_class_per_request`).
"""

from __future__ import annotations

import collections
import functools
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone, translation

from . import aggregates

SIZE = 512  # fragments kept per process (a filter form: 5–15 KB)

_lock = threading.Lock()
_kept: collections.OrderedDict[tuple, tuple[str, str]] = collections.OrderedDict()  # key: (version, html)
_read: dict[str, frozenset[str] | None] = {}  # name: tracked tables read; None: reads an untracked one


def clear() -> None:
    """Forgets every fragment and what each read (the tests, between tests)."""
    with _lock:
        _kept.clear()
        _read.clear()


@functools.cache
def _models_of(tables: frozenset[str]) -> tuple:
    by_table = {model._meta.db_table: model for model in aggregates.tracked_models()}
    return tuple(sorted((by_table[t] for t in tables), key=lambda model: model._meta.db_table))


def rendered(name: str, render: Callable[[], Any], parts: Iterable[Any] = ()) -> str:
    """`str(render())`, kept in this process under the version of the tables it reads (module docstring).
    `name` names what is rendered (the same name, the same tables); `parts` whatever else its HTML
    depends on, besides the language and the date."""
    if settings.DEBUG or not getattr(settings, "STIMS_FRAGMENTS", True):
        return str(render())
    tables = _read.get(name, frozenset())
    if tables is None:
        return str(render())  # it reads a table no version follows
    key = (name, tuple(parts), translation.get_language(), timezone.localdate())
    current = aggregates.version(_models_of(tables), scope_tables=False) if tables else ""
    with _lock:
        kept = _kept.get(key)
        if kept is not None and kept[0] == current and name in _read:
            _kept.move_to_end(key)
            return kept[1]
    html, statements = aggregates.reading(lambda: str(render()))
    read = set(statements)  # the tables its statements read
    tracked = aggregates._tracked_table_names()
    with _lock:
        if read - tracked:
            _read[name] = None
        elif name in _read and read <= tables:
            _kept[key] = (current, html)
            _kept.move_to_end(key)
            while len(_kept) > SIZE:
                _kept.popitem(last=False)
        else:  # the first rendering of this name, or one that read more: the next one is kept
            _read[name] = tables | read
    return html
