"""Benchmark: STIMS at national scale, each page beside the raw-SQL floor and the Django admin (issue #20).

Builds a fresh database (SQLite by default; PostgreSQL with DATABASE_URL) deterministically (seeded
random numbers): every administrative unit (34 provinces, 3,321 communes and the legacy units, via
load_units), then the registries and the tasks with the builders of bench/registries.py and
bench/tasks.py (imported, not copied), directives, and audit rows (simple-history rows of the IP
assets, written with INSERT … SELECT). Sizes of the full run / `--quick` (a twentieth):

    IP assets 1,000,000 / 50,000     products 50,000 / 2,500     tasks 100,000 / 5,000
    audit rows 10,000,000 / 500,000  directives 200,000 / 10,000

    .venv/bin/python bench/national.py --quick
    .venv/bin/python bench/national.py --quick --measure   # measure again, on the data already built
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stims_bench .venv/bin/python bench/national.py

The builders spread the rows over the home province's units (both generations), as a province's own
deployment would hold them. Then each main page (lists unfiltered and filtered, detail pages, the
global search, dashboards, API lists; as a specialist and as a commune's local officer) is measured
REPEAT times (BENCH_REPEAT, default 10), interleaved with two baselines on the same rows:

  * raw SQL: the very queries the page issued (captured once), re-run through a bare cursor with
    every row fetched: the floor under the page;
  * Django admin: the admin change list of the same model with the same filter and page size (25),
    rendered, as a superuser (the admin has no unit scope: for an officer's list it is the whole
    table's list, filtered the same way).

It prints one table (median and p95 in ms, queries, the ratios to both baselines) and ends with one
summary line to compare run to run. Not a test: it asserts nothing.
"""

import datetime
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import registries as registries_bench  # noqa: E402  (sets up Django)
import tasks as tasks_bench  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

FULL = {"assets": 1_000_000, "products": 50_000, "tasks": 100_000, "audit": 10_000_000, "directives": 200_000}
REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))
PAGE_SIZE = 25


def build_directives(n: int, rng: random.Random) -> None:
    from stims.core.text import fold
    from stims.meetings.models import Directive, DirectiveState
    from stims.orgs.models import Organization

    orgs = list(Organization.objects.values_list("pk", flat=True))
    states = list(DirectiveState.values)
    start_day = datetime.date(2020, 1, 1)

    def directives():
        for i in range(n):
            assigned = start_day + datetime.timedelta(days=rng.randint(0, 2000))
            directive = Directive(
                text=f"Chỉ đạo số {i}: {rng.choice(registries_bench.PRODUCT_WORDS)} {rng.choice(registries_bench.PLACES)}",
                lead_organization_id=rng.choice(orgs),
                assigned_on=assigned,
                deadline=assigned + datetime.timedelta(days=rng.randint(15, 180)),
                state=rng.choice(states),
            )
            if hasattr(directive, "build_search_text"):
                directive.search_text = directive.build_search_text()
                if hasattr(directive, "search_name"):
                    directive.search_name = fold(directive.text)[:255]
            yield directive

    registries_bench.batched(directives(), Directive)


def build_audit_rows(n: int) -> int:
    """n history rows of the IP assets: each asset's row copied into its history table, pass after
    pass, each pass a day earlier (INSERT … SELECT: no row goes through Python)."""
    from stims.ip.models import IpAsset

    history = IpAsset.history.model
    base = IpAsset._meta.db_table
    with connection.cursor() as cursor:
        base_columns = {c.name for c in connection.introspection.get_table_description(cursor, base)}
    assets = IpAsset.objects.count()
    columns, values = [], []
    for field in history._meta.concrete_fields:
        column = field.column
        if column == "history_id":
            continue
        columns.append(connection.ops.quote_name(column))
        if column == "history_date":
            values.append("%s")
        elif column == "history_type":
            values.append("'~'")
        elif column in base_columns:
            values.append(connection.ops.quote_name(column))
        else:
            values.append("NULL")
    written, day = 0, 0
    while written < n:
        day += 1
        limit = min(assets, n - written)
        when = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC) - datetime.timedelta(days=day)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {connection.ops.quote_name(history._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608 (our own column names)
                f"SELECT {', '.join(values)} FROM {connection.ops.quote_name(base)} ORDER BY id LIMIT %s",
                [when, limit],
            )
        written += limit
    return written


def build(sizes: dict[str, int]) -> None:
    rng = random.Random(2025)
    start = time.perf_counter()
    call_command("load_units", verbosity=0)
    print(
        f"load_units                                        {time.perf_counter() - start:8.1f} s", flush=True
    )
    registries_bench.build(sizes["assets"], sizes["products"], rng)
    tasks_bench.build(sizes["tasks"], rng)
    start = time.perf_counter()
    build_directives(sizes["directives"], rng)
    print(f"built {sizes['directives']:,} directives   {time.perf_counter() - start:8.1f} s", flush=True)
    start = time.perf_counter()
    with transaction.atomic():
        written = build_audit_rows(sizes["audit"])
    print(f"built {written:,} audit rows   {time.perf_counter() - start:8.1f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


class Measure:
    """One page: its own time, its queries re-run raw, and the admin's change list."""

    def __init__(self, label, client, address, admin_model=None, admin_query=None):
        self.label, self.client, self.address = label, client, address
        self.admin_model, self.admin_query = admin_model, admin_query or {}
        self.own, self.raw, self.admin = [], [], []
        self.queries: list[str] = []
        self.status = None

    def prepare(self):
        self.client.get(self.address)  # warm caches, as a second visitor would find them
        with CaptureQueriesContext(connection) as captured:
            response = self.client.get(self.address)
        self.status = response.status_code
        self.queries = [
            q["sql"]
            for q in captured.captured_queries
            if not q["sql"]
            .upper()
            .startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "DECLARE", "CLOSE", "FETCH"))
        ]

    def run_own(self):
        start = time.perf_counter()
        self.client.get(self.address)
        self.own.append((time.perf_counter() - start) * 1000)

    def run_raw(self):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in self.queries:
                cursor.execute(sql)  # no parameters: the SQL is taken literally
                if cursor.description:
                    cursor.fetchall()
        self.raw.append((time.perf_counter() - start) * 1000)

    def run_admin(self, factory, superuser):
        if self.admin_model is None:
            return
        model_admin = admin.site._registry.get(self.admin_model) or admin.ModelAdmin(
            self.admin_model, admin.site
        )
        model_admin.list_per_page = PAGE_SIZE
        request = factory.get("/admin/", self.admin_query)
        request.user = superuser
        start = time.perf_counter()
        response = model_admin.changelist_view(request)
        response.render()
        self.admin.append((time.perf_counter() - start) * 1000)


def measure(pages, superuser) -> list[tuple]:
    factory = RequestFactory()
    rows = []
    for page in pages:
        page.prepare()
        for _ in range(REPEAT):  # interleaved: the machine's load falls on all three alike
            page.run_own()
            page.run_raw()
            page.run_admin(factory, superuser)
        own = statistics.median(page.own)
        raw = statistics.median(page.raw)
        admin_median = statistics.median(page.admin) if page.admin else None
        row = (
            page.label,
            own,
            percentile(page.own, 0.95),
            len(page.queries),
            raw,
            own / raw if raw else None,
            admin_median,
            own / admin_median if admin_median else None,
            page.status,
        )
        rows.append(row)
        print(format_row(row), flush=True)
    return rows


HEADER = f"{'page':<48} {'median':>8} {'p95':>8} {'q':>3} {'raw SQL':>8} {'×raw':>6} {'admin':>8} {'×admin':>6} HTTP"


def format_row(row) -> str:
    label, own, p95, queries, raw, to_raw, admin_median, to_admin, status = row
    admin_text = f"{admin_median:8.1f}" if admin_median is not None else f"{'—':>8}"
    to_admin_text = f"{to_admin:5.2f}×" if to_admin is not None else f"{'—':>6}"
    to_raw_text = f"{to_raw:5.1f}×" if to_raw is not None else f"{'—':>6}"
    return f"{label:<48} {own:8.1f} {p95:8.1f} {queries:3d} {raw:8.1f} {to_raw_text} {admin_text} {to_admin_text} {status}"


def pages_for(specialist, officer):
    from stims.core import permissions
    from stims.ip.models import IpAsset, IpStatus, IpType
    from stims.meetings.models import Directive
    from stims.products.models import Product
    from stims.sttasks.models import Task, WorkflowState

    ip_type, status = IpType.objects.order_by("pk").first(), IpStatus.objects.order_by("pk").first()
    in_progress = WorkflowState.objects.filter(code="in_progress").first()
    pages = []
    for user in (specialist, officer):
        client = Client()
        client.force_login(user)
        who = "specialist" if user == specialist else "officer"
        ip_list, task_list = reverse("ip:ipasset_list"), reverse("sttasks:task_list")
        asset = permissions.restrict(IpAsset.objects.all(), user).order_by("-pk").first()
        task = permissions.restrict(Task.objects.all(), user).order_by("-pk").first()
        pages += [
            Measure(f"[{who}] IP list", client, ip_list, IpAsset),
            Measure(
                f"[{who}] IP list type+status",
                client,
                f"{ip_list}?ip_type={ip_type.pk}&status={status.pk}",
                IpAsset,
                {"ip_type__id__exact": ip_type.pk, "status__id__exact": status.pk},
            ),
            Measure(
                f"[{who}] IP search 'mat ong'", client, f"{ip_list}?q=mat+ong", IpAsset, {"q": "mat ong"}
            ),
            Measure(f"[{who}] task list", client, task_list, Task),
            Measure(
                f"[{who}] task list in progress",
                client,
                f"{task_list}?state={in_progress.pk}",
                Task,
                {"state__id__exact": in_progress.pk},
            ),
        ]
        if who == "specialist":
            pages += [
                Measure(f"[{who}] product list", client, reverse("products:product_list"), Product),
                Measure(f"[{who}] directive list", client, reverse("meetings:directive_list"), Directive),
                Measure(f"[{who}] global search 'mat ong'", client, f"{reverse('search')}?q=mat+ong"),
                Measure(f"[{who}] registry dashboard", client, reverse("registries:dashboard")),
                Measure(f"[{who}] leader's summary", client, reverse("sttasks:summary")),
                Measure(f"[{who}] API IP assets", client, "/api/ip/assets/"),
                Measure(f"[{who}] API tasks", client, "/api/tasks/tasks/"),
            ]
        if asset:
            pages.append(Measure(f"[{who}] IP asset page", client, asset.get_absolute_url()))
        if task:
            pages.append(Measure(f"[{who}] task page", client, task.get_absolute_url()))
    return pages


def main(quick: bool, measure_only: bool) -> None:
    setup_test_environment()
    divide = int(os.environ.get("BENCH_DIVIDE", "20" if quick else "1"))  # BENCH_DIVIDE=1000: a smoke run
    sizes = {key: value // divide for key, value in FULL.items()}
    print(f"database: {connection.vendor}; sizes: {sizes}; repeat {REPEAT}", flush=True)
    if not measure_only:
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        build(sizes)
        print(f"data set built in {time.perf_counter() - start:8.1f} s", flush=True)

    from stims.accounts.models import User
    from stims.geo.models import AdminUnit
    from stims.testing import make_user

    commune = (
        AdminUnit.objects.current().filter(province__code=settings.STIMS_PROVINCE, name="Xã Ba Chẽ").first()
        or AdminUnit.objects.current().filter(province__code=settings.STIMS_PROVINCE, level="commune").first()
    )
    User.objects.filter(username__startswith="national.").delete()  # a measuring run again (--measure)
    specialist = make_user("specialist", username="national.specialist")
    officer = make_user("local_officer", admin_unit=commune, username="national.officer")
    superuser = User.objects.create_superuser("national.admin", password="pw-for-bench-123")
    print(HEADER, flush=True)
    rows = measure(pages_for(specialist, officer), superuser)
    worst_p95 = max(rows, key=lambda r: r[2])
    worst_raw = max((r for r in rows if r[5] is not None), key=lambda r: r[5])
    worst_admin = max((r for r in rows if r[7] is not None), key=lambda r: r[7])
    print()
    print(HEADER)
    for row in rows:
        print(format_row(row))
    print(f"(worst ratio to raw SQL: {worst_raw[0]}; to Django admin: {worst_admin[0]})")
    print(
        f"worst p95 {worst_p95[2]:.0f} ms ({worst_p95[0]}); worst ratio to raw SQL {worst_raw[5]:.1f}×; "
        f"worst ratio to Django admin {worst_admin[7]:.2f}×"
    )


if __name__ == "__main__":
    main("--quick" in sys.argv[1:], "--measure" in sys.argv[1:])
