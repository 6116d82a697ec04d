"""Benchmark: the global search and a list's search box at national scale (issue #20).

Runs on a database already built by `bench/registries.py` (1,000,000 IP assets: `bench/registries.py
1000000`) and/or `bench/national.py`; it builds nothing but the full-text index, with
`core.fulltext.ensure`, if it is missing. As the benchmark's specialist and its local officer, for a
common word pair with name matches ('mat ong'), a common pair found in names but never at their start
('ba che'), a rare query and one that finds nothing, it times, interleaved in one loop so that the
machine's load weighs on each alike:

  * the global search (`core.search.search`: the capped ranking and count), and the same search as it
    was before the caps (`previous_search` below: every match ranked and counted);
  * the raw SQL of each, re-run on a cursor (the floor);
  * the search page and the IP list searched (`?q=`).

Each line gives the median and 95th percentile of wall time (ms) and the CPU time per run of this
process *and of the PostgreSQL backend serving it* (read from /proc, so on PostgreSQL on this
machine only; on a loaded machine CPU time is the figure to compare). Then EXPLAIN ANALYZE of each
statement (planning and execution time).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stims_search_big .venv/bin/python bench/search.py
    STIMS_DATA_DIR=/tmp/dir-of-the-sqlite-bench .venv/bin/python bench/search.py

REPEAT (default 15) sets the runs per case; QUERIES="mat ong|ba che" the queries. Not a test: it
prints figures, it asserts nothing.
"""

import os
import statistics
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stims.settings_test")
os.environ.setdefault("STIMS_DATA_DIR", tempfile.mkdtemp(prefix="stims-bench-"))

import django  # noqa: E402

django.setup()

from django.core.exceptions import EmptyResultSet  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from stims.core import fulltext, permissions  # noqa: E402
from stims.core import search as core_search  # noqa: E402
from stims.core.filters import folded_search_q  # noqa: E402
from stims.core.text import fold  # noqa: E402

REPEAT = int(os.environ.get("REPEAT", "15"))
QUERIES = os.environ.get("QUERIES", "mat ong|ba che|tra hoa vang ha long 4242|zzqxw khong co").split("|")
TICK = os.sysconf("SC_CLK_TCK")


def previous_search(user, query: str, limit: int = 10) -> list:
    """The global search before the caps (core/search.py at 0b2e19a): one UNION ALL of each model's
    ranked first limit + 1 keys beside the exact count of its matches (every match ranked and counted)."""
    folded = fold(query)
    if not fulltext.words(folded):
        return []
    branches, parts, params, using = [], [], [], "default"
    for model, url_name in core_search.REGISTRY:
        if not permissions.has_perm(user, permissions.VIEW, model):
            continue
        visible = permissions.restrict(model._default_manager.all(), user, permissions.VIEW)
        first = core_search.ranked(visible, query).values(
            found_key=F("pk"), found_rank=F("search_rank"), found_length=F("search_length")
        )[: int(limit) + 1]
        matches = visible.filter(folded_search_q(query)).order_by().values("pk")
        try:
            first_sql, first_params = first.query.sql_with_params()
            count_sql, count_params = matches.query.sql_with_params()
        except EmptyResultSet:
            continue
        using = visible.db
        i = len(branches)
        parts.append(
            f"SELECT {i}, r{i}.found_key, r{i}.found_rank, r{i}.found_length, "  # nosec B608
            f"(SELECT COUNT(*) FROM ({count_sql}) c{i}) FROM ({first_sql}) r{i}"
        )
        params += [*count_params, *first_params]
        branches.append((model, url_name))
    if not parts:
        return []
    hits: dict[int, list] = {}
    totals: dict[int, int] = {}
    with connections[using].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for i, pk, rank, length, total in cursor.fetchall():
            hits.setdefault(i, []).append((pk, rank, length))
            totals[i] = total
    groups = []
    for i, (model, url_name) in enumerate(branches):
        if i not in hits:
            continue
        rows = hits[i]
        loaded = model._default_manager.select_related(*getattr(model, "search_select_related", ())).in_bulk(
            [pk for pk, _rank, _length in rows]
        )
        results = core_search._in_rank_order(model, rows, loaded)
        total = len(results) if len(results) <= limit else totals[i]
        groups.append(core_search.SearchGroup(model, url_name, results[:limit], total))
    return groups


def exact_count(get, url: str, query: str):
    """A list page as it was before its search box's count was capped: counted exactly."""
    from stims.core.views import ObjectListView

    searched = ObjectListView.searched
    ObjectListView.searched = lambda self: False  # type: ignore[method-assign]
    try:
        return get(url, {"q": query})
    finally:
        ObjectListView.searched = searched  # type: ignore[method-assign]


def percentiles(durations: list[float]) -> tuple[float, float]:
    durations = sorted(durations)
    return statistics.median(durations), durations[
        min(len(durations) - 1, round(0.95 * (len(durations) - 1)))
    ]


def backend_cpu() -> float:
    """CPU seconds used so far by the PostgreSQL backend of this connection (0 elsewhere)."""
    if connection.vendor != "postgresql":
        return 0.0
    if not hasattr(backend_cpu, "pid"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend_cpu.pid = cursor.fetchone()[0]  # type: ignore[attr-defined]
    try:
        with open(f"/proc/{backend_cpu.pid}/stat") as stat:  # type: ignore[attr-defined]
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def measure(cases: list[tuple[str, object]]) -> None:
    """Time every case REPEAT times, interleaved (case 1, case 2, …, case 1, …), and print each."""
    durations: dict[str, list[float]] = {label: [] for label, _fn in cases}
    cpu: dict[str, float] = {label: 0.0 for label, _fn in cases}
    queries: dict[str, int] = {}
    for _ in range(REPEAT):
        for label, fn in cases:
            with CaptureQueriesContext(connection) as captured:
                cpu_start, server_start = time.process_time(), backend_cpu()
                start = time.perf_counter()
                fn()  # type: ignore[operator]
                durations[label].append((time.perf_counter() - start) * 1000)
                cpu[label] += time.process_time() - cpu_start + backend_cpu() - server_start
            queries[label] = len(captured)
    for label, _fn in cases:
        median, p95 = percentiles(durations[label])
        print(
            f"  {label:<34} median {median:7.1f} ms  p95 {p95:7.1f} ms  "
            f"CPU {cpu[label] / REPEAT * 1000:6.1f} ms  {queries[label]:2d} queries",
            flush=True,
        )


def statements(fn) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return [q["sql"] for q in captured.captured_queries]


def raw(fn):
    """The first SQL statement `fn` issues (the union), re-run on a cursor (rows fetched, nothing built)."""
    sql = statements(fn)[0]

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.fetchall()

    return run


def explain(label: str, fn) -> None:
    if connection.vendor != "postgresql":
        return
    sql = statements(fn)[0]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = [row[0] for row in cursor.fetchall()]
    timing = "; ".join(line.strip() for line in plan if line.startswith(("Planning Time", "Execution Time")))
    print(f"  EXPLAIN ANALYZE {label:<18} {timing}", flush=True)
    if os.environ.get("PLANS"):
        print("\n".join(plan))


def main() -> None:
    from stims.accounts.models import User
    from stims.ip.models import IpAsset

    setup_test_environment()
    start = time.perf_counter()
    fulltext.ensure(connection)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"database: {connection.vendor}; full-text index ensured in {time.perf_counter() - start:.1f} s")
    print(f"load average: {os.getloadavg()}")
    print(f"{IpAsset.objects.count():,} IP assets")
    ip_list = reverse("ip:ipasset_list")
    page = reverse("search")
    users = list(
        User.objects.filter(username__in=["bench.specialist", "bench.officer"]).order_by("-username")
    )
    for user in users:
        client = Client()
        client.force_login(user)
        print(f"[{user.username}]")
        for query in QUERIES:
            new = {str(g.label): (g.total, g.capped) for g in core_search.search(user, query)}
            old = {str(g.label): g.total for g in previous_search(user, query)}
            shown = ", ".join(
                f"{label} {old[label]:,}" + (f" (shown: more than {total:,})" if capped else "")
                for label, (total, capped) in new.items()
            )
            print(f" '{query}': {shown or 'nothing'}", flush=True)
            assert set(new) == set(old)

            def capped(u=user, q=query):
                return core_search.search(u, q)

            def previous(u=user, q=query):
                return previous_search(u, q)

            measure(
                [
                    ("global search, capped", capped),
                    ("global search, before (uncapped)", previous),
                    ("raw SQL, capped", raw(capped)),
                    ("raw SQL, before", raw(previous)),
                    ("search page, capped", lambda c=client, q=query: c.get(page, {"q": q})),
                    ("IP list searched, capped count", lambda c=client, q=query: c.get(ip_list, {"q": q})),
                    (
                        "IP list searched, exact count",
                        lambda c=client, q=query: exact_count(c.get, ip_list, q),
                    ),
                ]
            )
            explain("capped", capped)
            explain("before", previous)
    print(f"load average: {os.getloadavg()}")


if __name__ == "__main__":
    sys.exit(main())
