"""Benchmark: the global search and a list's search box, before and after the full-text index.

Runs on a database already built by `bench/registries.py` and/or `bench/tasks.py` (it builds
nothing but the full-text index, with `core.fulltext.ensure`, if it is missing), as their
specialist and local officer. For each query it times, interleaved in one run so that the machine's
load weighs on both alike:

  * the global search (`core.search.search`) and its page, and the same search done the way it was
    before the full-text index (per model: a ranked query on `(^| )word` regular expressions over
    the trigram index on PostgreSQL, `LIKE` on SQLite, and a count);
  * the IP list page searched, with the full-text filter and with the old one;
  * the raw SQL of the new global search re-run on a cursor (the floor).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stims_search_bench .venv/bin/python bench/search.py
    STIMS_DATA_DIR=/tmp/dir-of-the-sqlite-bench .venv/bin/python bench/search.py

Not a test: it prints figures (median and 95th percentile, in ms), it asserts nothing.
"""

import os
import re
import statistics
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stims.settings_test")
os.environ.setdefault("STIMS_DATA_DIR", tempfile.mkdtemp(prefix="stims-bench-"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from stims.core import filters, fulltext, permissions  # noqa: E402
from stims.core import search as core_search  # noqa: E402
from stims.core.text import fold  # noqa: E402

REPEAT = int(os.environ.get("REPEAT", "15"))
QUERIES = ["mat ong", "mien", "sa sung van", "ba che", "zzqxw khong co"]


def old_q(value: str, column: str = "search_text") -> Q:
    """The search filter as it was before the full-text index (core/filters.py until issue #20)."""
    q = Q()
    for word in fold(value).split():
        if connection.vendor == "postgresql":
            q &= Q(**{f"{column}__regex": f"(^| ){re.escape(word)}"})
        else:
            q &= Q(**{f"{column}__startswith": word}) | Q(**{f"{column}__contains": f" {word}"})
    return q


def old_search(user, query: str, limit: int = 10) -> list:
    """The global search as it was: per registered model, a ranked query and a count."""
    groups = []
    for model, url_name in core_search.REGISTRY:
        if not permissions.has_perm(user, permissions.VIEW, model):
            continue
        queryset = (
            permissions.restrict(model._default_manager.all(), user, permissions.VIEW)
            .filter(old_q(query))
            .annotate(
                search_rank=core_search.rank_expression(query),
                search_length=core_search.Length("search_name"),
            )
            .order_by("search_rank", "search_length", *getattr(model, "search_tiebreak", ()), "pk")
        )
        related = getattr(model, "search_select_related", ())
        results = list(queryset.select_related(*related)[: limit + 1])
        if results:
            total = len(results) if len(results) <= limit else queryset.count()
            groups.append(core_search.SearchGroup(model, url_name, results[:limit], total))
    return groups


def percentiles(durations: list[float]) -> tuple[float, float]:
    durations = sorted(durations)
    return statistics.median(durations), durations[
        min(len(durations) - 1, round(0.95 * (len(durations) - 1)))
    ]


def measure(cases: list[tuple[str, object]]) -> None:
    """Time every case REPEAT times, interleaved (case 1, case 2, …, case 1, …), and print each."""
    durations: dict[str, list[float]] = {label: [] for label, _fn in cases}
    queries: dict[str, int] = {}
    for _ in range(REPEAT):
        for label, fn in cases:
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                fn()  # type: ignore[operator]
                durations[label].append((time.perf_counter() - start) * 1000)
            queries[label] = len(captured)
    for label, _fn in cases:
        median, p95 = percentiles(durations[label])
        print(
            f"  {label:<46} median {median:8.1f} ms   p95 {p95:8.1f} ms   {queries[label]:3d} queries",
            flush=True,
        )


def raw(fn):
    """The SQL `fn` issues, captured once, to be re-run on a cursor (rows fetched, nothing built)."""
    with CaptureQueriesContext(connection) as captured:
        fn()
    statements = [q["sql"] for q in captured.captured_queries]

    def run():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    return run


def main() -> None:
    from stims.accounts.models import User

    setup_test_environment()
    start = time.perf_counter()
    fulltext.ensure(connection)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"database: {connection.vendor}; full-text index ensured in {time.perf_counter() - start:.1f} s")
    print(f"load average: {os.getloadavg()}")
    from stims.ip.models import IpAsset

    print(f"{IpAsset.objects.count():,} IP assets")
    ip_list = reverse("ip:ipasset_list")
    page = reverse("search")
    new_filter = filters.folded_search_q
    users = [
        u
        for u in User.objects.filter(username__in=["bench.specialist", "bench.officer"]).order_by("-username")
    ]
    for user in users:
        client = Client()
        client.force_login(user)
        print(f"[{user.username}]")
        for query in QUERIES:
            hits = {g.label: g.total for g in core_search.search(user, query)}
            old_hits = {g.label: g.total for g in old_search(user, query)}
            same = "same totals" if hits == old_hits else f"DIFFERENT totals: {hits} vs {old_hits}"
            print(f" '{query}': {sum(hits.values()):,} hits in {len(hits)} groups ({same})", flush=True)

            def old_list(c=client, q=query):
                filters.folded_search_q = old_q
                try:
                    return c.get(ip_list, {"q": q})
                finally:
                    filters.folded_search_q = new_filter

            measure(
                [
                    ("global search, full text", lambda u=user, q=query: core_search.search(u, q)),
                    ("global search, before", lambda u=user, q=query: old_search(u, q)),
                    ("global search, raw SQL", raw(lambda u=user, q=query: core_search.search(u, q))),
                    ("search page, full text", lambda c=client, q=query: c.get(page, {"q": q})),
                    ("IP list searched, full text", lambda c=client, q=query: c.get(ip_list, {"q": q})),
                    ("IP list searched, before", old_list),
                ]
            )
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    sys.exit(main())
