"""Benchmark: STIMS at national scale, each page beside the raw-SQL floor and the Django admin (issue #20).

Builds a fresh database (SQLite by default; PostgreSQL with DATABASE_URL) deterministically (seeded
random numbers, one stream a build step): every administrative unit (34 provinces, 3,321 communes and
the legacy units, via load_units), then each domain's rows, spread over the whole country as a national
deployment holds them (registries.Spread: records of 2025 on in the 34 provinces and their communes,
older ones in the legacy provinces, districts and communes). Sizes of the full run / `--quick` (a
twentieth; BENCH_DIVIDE=N for another fraction, e.g. 1000 for a smoke run):

    IP assets 1,000,000 / 50,000 (2,000 organizations)   products 50,000 / 2,500 (with OCOP evaluations)
    S&T tasks 100,000 / 5,000 with events, councils, budgets, results and progress reports
    audit rows 10,000,000 / 500,000                      directives 200,000 / 10,000
    inspections 1,000,000 / 50,000 (200,000 / 10,000 establishments, 100,000 / 5,000 instruments)
    initiatives 100,000 / 5,000                          ISO 9001 records: every public agency, 2022–2025
    plans 2,000 / 100 with 40 targets each, 240,000 / 12,000 progress entries, 160,000 / 8,000 linked
    activities, documents and agreements
    innovation index: every province and legacy province, and the communes of every province (--quick:
    of the home province), all 52 PII indicators (~170,000 values / ~9,000)
    portal news articles 20,000 / 1,000

The builders are those of bench/registries.py, bench/tasks.py, bench/quality.py and bench/programmes.py
(imported, not copied); the audit rows are simple-history rows of the IP assets written by INSERT …
SELECT (no row goes through Python). Build steps: units, core (registries and tasks), directives, audit,
quality, iso (ISO records and initiatives), programmes, innovation, portal.

    .venv/bin/python bench/national.py --quick              # build a twentieth, then measure
    .venv/bin/python bench/national.py --build              # build only (the full data set)
    .venv/bin/python bench/national.py --measure            # measure the data set already built
    .venv/bin/python bench/national.py --build --steps=quality,portal   # add steps to a built database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stims_bench .venv/bin/python bench/national.py

First table: each main page (lists unfiltered and filtered, detail pages, the global search, dashboards,
API lists as a specialist and as a commune's local officer; the quality, ISO, initiatives, programmes,
index and reports pages as a leader; the portal's home and news search as an anonymous visitor; then
every other registered list page and detail page, as a leader, `[leader] list: …` and `[leader] page: …`)
is measured REPEAT times (BENCH_REPEAT, default 10), interleaved with two baselines on the same rows:

  * raw SQL: the very queries the page issued (captured once), re-run through a bare cursor with
    every row fetched and serialised (JSON): the floor under the page;
  * Django admin: the admin change list of the same model with the same filter and page size (25),
    requested at its address as a signed-in superuser through the same client, so through the same
    URL resolver, middleware, session and user lookup as the page (the admin has no unit scope: for an
    officer's list it is the whole table's list, filtered the same way). Until the fourteenth session
    the admin's view was called directly with a bare request, skipping all of that, which the page
    pays (about 6 ms a request on the demo data; docs/performance.md).

Second table: throughput of the IP list under concurrency (gunicorn with 2 sync workers on
127.0.0.1:BENCH_PORT, default 8601, BENCH_CLIENTS threads, default 8, for BENCH_LOAD_SECONDS, default
20), then, each in a fresh child process (so that its peak memory is its own: the child resets its peak
RSS through /proc/self/clear_refs just before the operation, then reads it, VmHWM, at its end; +MB is the
growth over its RSS just before), the annual report (bench/reports.py's annual_report), an Excel
import of 100,000 OCOP rows (5,000 with --quick; bench/import_bench.py's workbook, previewed and
confirmed through the import pages, then rolled back), the index computation (all provinces; the
largest province's communes) and the CSV export of the whole task list (time to first byte).

Measured with production's settings (bench/bench_settings.py: stims.settings with DEBUG off, the static
files collected first), not the test suite's; DJANGO_SETTINGS_MODULE chooses others. BENCH_PAGES (a
regular expression on the labels) measures those pages only; BENCH_OPERATIONS=0 skips the second table.

It ends with one summary line to compare run to run:
`worst p95 … ms (page); worst ratio to raw SQL …×; worst ratio to Django admin …×`. Not a test: it
asserts nothing.
"""

import datetime
import gc
import json
import os
import random
import re
import statistics
import sys
import time
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# Production's settings (bench/bench_settings.py), not the test suite's, unless DJANGO_SETTINGS_MODULE says.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_settings")

import registries as registries_bench  # noqa: E402  (sets up Django)
import tasks as tasks_bench  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib import admin  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment  # noqa: E402
from django.urls import get_resolver, reverse  # noqa: E402

FULL = {
    "assets": 1_000_000,
    "products": 50_000,
    "tasks": 100_000,
    "audit": 10_000_000,
    "directives": 200_000,
    "initiatives": 100_000,
    "plans": 2_000,  # with 40 targets, 240,000 progress entries, 160,000 linked records
    "articles": 20_000,
    "commune_indexes": 34,  # provinces whose communes are ranked (the home province's always)
}
# bench/quality.py's sizes divided by this: 200,000 establishments, 1,000,000 inspections, 100,000
# measuring instruments in the full run (its own provincial scale is a generous national one)
QUALITY_DIVIDE = 1
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


def public_agencies(spread) -> list:
    """The state agencies a national deployment holds: each province's People's Committee and
    Department of Science and Technology, and each commune's People's Committee (created once)."""
    from stims.core.text import fold
    from stims.orgs.models import Organization, OrganizationKind

    kinds = (OrganizationKind.DEPARTMENT, OrganizationKind.PEOPLES_COMMITTEE)
    if not Organization.objects.filter(kind__in=kinds, name__startswith="UBND ").exists():

        def agencies():
            for province in spread.current["province"]:
                yield Organization(
                    name=f"Sở Khoa học và Công nghệ {province.name}", kind=kinds[0], admin_unit=province
                )
                yield Organization(name=f"UBND {province.name}", kind=kinds[1], admin_unit=province)
            for commune in spread.current["commune"]:
                yield Organization(name=f"UBND {commune.name}", kind=kinds[1], admin_unit=commune)

        def searchable(org):
            org.search_text, org.search_name = org.build_search_text(), fold(org.name)[:255]
            return org

        registries_bench.batched((searchable(o) for o in agencies()), Organization)
    return list(
        Organization.objects.filter(kind__in=kinds, admin_unit__generation="2025")
        .select_related("admin_unit")
        .order_by("pk")
    )


def build_quality(sizes, rng, spread) -> None:
    """Establishments, inspection plans and decisions, inspections with their violations and sanctions,
    measuring instruments: bench/quality.py's builder, the establishments over the whole country."""
    import quality as quality_bench

    from stims.testing import make_user

    inspector = make_user("inspector", username="bench.national.inspector")
    quality_bench.build(sizes["quality_divide"], rng, inspector, spread)


def build_iso_initiatives(sizes, rng, spread) -> None:
    """ISO 9001 records of every public agency (2022–2025), and initiatives with their author and the
    provinces' yearly council rounds."""
    from stims.core.text import fold
    from stims.initiatives.models import CouncilRound, Initiative, InitiativeAuthor, InitiativeState
    from stims.iso.models import IsoRecord, IsoStatus, level_of

    agencies = public_agencies(spread)
    statuses = list(IsoStatus.values)

    def records():
        for agency in agencies:
            for year in range(2022, 2026):
                record = IsoRecord(
                    agency=agency,
                    year=year,
                    level=level_of(agency),
                    status=rng.choice(statuses),
                    scope="Các thủ tục hành chính thuộc thẩm quyền",
                    announcement_number=f"{rng.randint(1, 999)}/TB-{year}",
                )
                record.search_text = record.build_search_text()
                record.search_name = fold(agency.name)[:255]
                yield record

    registries_bench.batched(records(), IsoRecord)
    departments = {a.admin_unit_id: a for a in agencies if a.kind == "department"}
    rounds = []
    for province in spread.current["province"]:
        for year in range(2021, 2026):
            rounds.append(
                CouncilRound(
                    name=f"Hội đồng sáng kiến {province.name} năm {year}",
                    year=year,
                    admin_unit=province,
                    convened_by=departments[province.pk],
                )
            )
    for r in rounds:
        r.search_text, r.search_name = r.build_search_text(), fold(r.name)[:255]
    CouncilRound.objects.bulk_create(rounds)
    rounds_by = {(r.admin_unit_id, r.year): r for r in CouncilRound.objects.all()}
    states = list(InitiativeState.values)

    def initiatives():
        for i in range(sizes["initiatives"]):
            agency = rng.choice(agencies)
            year = rng.randint(2021, 2025)
            initiative = Initiative(
                title=f"Sáng kiến {rng.choice(registries_bench.PRODUCT_WORDS)} {rng.choice(registries_bench.PLACES)} {i}",
                agency=agency,
                field=rng.choice(["Nông nghiệp", "Y tế", "Giáo dục", "Hành chính", "Công nghiệp"]),
                submitted_on=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
                description="Cải tiến quy trình làm việc",
                benefits="Tiết kiệm thời gian và chi phí",
                round=rounds_by.get((agency.admin_unit.province_id or agency.admin_unit_id, year)),
                state=rng.choice(states),
            )
            initiative.search_text = initiative.build_search_text()
            initiative.search_name = fold(initiative.title)[:255]
            yield initiative

    registries_bench.batched(initiatives(), Initiative)
    registries_bench.batched(
        (
            InitiativeAuthor(initiative_id=pk, name=f"Tác giả {pk}", contribution=100)
            for pk in Initiative.objects.values_list("pk", flat=True).iterator(chunk_size=5000)
        ),
        InitiativeAuthor,
    )
    print(
        f"built {IsoRecord.objects.count():,} ISO records, {sizes['initiatives']:,} initiatives", flush=True
    )


def build_programmes(sizes, rng, spread) -> None:
    """Plans and programmes with their targets, progress and linked records: bench/programmes.py's
    builder, the plans of every province's department and of a sample of communes."""
    import programmes as programmes_bench

    agencies = public_agencies(spread)
    departments = [a for a in agencies if a.kind == "department"]
    communes = [a for a in agencies if a.admin_unit.level == "commune"]
    places = [(d, d.admin_unit) for d in departments] + [
        (c, c.admin_unit) for c in rng.sample(communes, min(len(communes), 500))
    ]
    rng.shuffle(places)
    n = sizes["plans"]
    programmes_bench.build(
        rng, places, n, 40, n * 120, n * 40, n * 20, n * 20
    )  # bench/programmes.py's proportions (500 plans: 60,000 entries, 20,000 activities, …)


def build_innovation(sizes, rng, spread) -> None:
    """The innovation index: the PII structure for the 34 provinces (2024 and 2025), the 63 legacy
    provinces (2023) and each province's communes (2025, one framework a province), with a value of
    every indicator for every unit (5 % missing, right-skewed)."""
    from stims.innovation import pii, services
    from stims.innovation.models import Framework, Indicator, IndicatorValue, UnitLevel

    provinces = spread.current["province"]
    home = [p for p in provinces if p.code == settings.STIMS_PROVINCE]
    ranked = home + [p for p in provinces if p not in home][: max(sizes["commune_indexes"] - len(home), 0)]
    frameworks = [
        Framework(
            code="PII", name="Chỉ số đổi mới sáng tạo cấp tỉnh", year=2024, unit_level=UnitLevel.PROVINCE
        ),
        Framework(
            code="PII", name="Chỉ số đổi mới sáng tạo cấp tỉnh", year=2025, unit_level=UnitLevel.PROVINCE
        ),
        Framework(
            code="PII",
            name="Chỉ số đổi mới sáng tạo (63 tỉnh)",
            year=2023,
            unit_level=UnitLevel.PROVINCE,
            legacy_units=True,
        ),
    ] + [
        Framework(
            code=f"PII-X{p.code}",
            name=f"Chỉ số đổi mới sáng tạo cấp xã {p.name}",
            year=2025,
            unit_level=UnitLevel.COMMUNE,
            province=p,
        )
        for p in ranked
    ]
    values = 0
    for framework in frameworks:
        framework.search_text = framework.build_search_text()
        framework.save()
        pii.load(framework)
        indicators = list(Indicator.objects.filter(group__pillar__framework=framework).order_by("pk"))
        units = list(services.units_of(framework))
        scale = [rng.lognormvariate(0, 1) for _ in indicators]

        def rows(framework=framework, indicators=indicators, units=units, scale=scale):
            for unit in units:
                for indicator, s in zip(indicators, scale, strict=True):
                    if rng.random() < 0.05:
                        continue
                    yield IndicatorValue(
                        indicator=indicator,
                        admin_unit=unit,
                        value=round(rng.lognormvariate(0, 0.8) * s * 10, 3),
                    )

        before = IndicatorValue.objects.count()
        registries_bench.batched(rows(), IndicatorValue)
        values += IndicatorValue.objects.count() - before
    print(f"built {len(frameworks)} index frameworks, {values:,} indicator values", flush=True)


def build_portal(sizes, rng, spread) -> None:
    """The public portal's news: six categories, articles approved and published over five years."""
    from django.utils import timezone

    from stims.core.text import fold
    from stims.portal.models import ArticleStatus, NewsArticle, NewsCategory

    categories = []
    for i, name in enumerate(
        ["Tin hoạt động", "Khoa học", "Công nghệ", "Đổi mới sáng tạo", "Tiêu chuẩn", "Sở hữu trí tuệ"]
    ):
        category, _ = NewsCategory.objects.get_or_create(name=name, defaults={"sort_order": i})
        categories.append(category)
    now = timezone.now()

    def articles():
        for i in range(sizes["articles"]):
            topic = f"{rng.choice(registries_bench.PRODUCT_WORDS)} {rng.choice(registries_bench.PLACES)}"
            article = NewsArticle(
                title=f"Hội thảo khoa học về {topic} lần {i}",
                slug=f"tin-{i}",
                category=rng.choice(categories),
                summary=f"Sở Khoa học và Công nghệ tổ chức hội thảo về {topic}.",
                body="".join(
                    f"<p>Nội dung đoạn {k} về {topic}, kết quả nghiên cứu và ứng dụng.</p>" for k in range(6)
                ),
                publish_at=now - datetime.timedelta(minutes=rng.randint(60, 5 * 365 * 24 * 60)),
                status=ArticleStatus.APPROVED,
                is_featured=rng.random() < 0.02,
                is_hot=rng.random() < 0.02,
            )
            article.search_text = article.build_search_text()
            article.search_name = fold(article.title)[:255]
            yield article

    registries_bench.batched(articles(), NewsArticle)


def step(label: str, fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    print(f"step {label:<40} {time.perf_counter() - start:8.1f} s", flush=True)
    return result


def build_core(sizes: dict[str, int], rng: random.Random, spread) -> None:
    registries_bench.build(sizes["assets"], sizes["products"], rng, spread)
    tasks_bench.build(sizes["tasks"], rng, spread)


def build_audit(sizes: dict[str, int], rng: random.Random, spread) -> None:
    with transaction.atomic():
        written = build_audit_rows(sizes["audit"])
    print(f"built {written:,} audit rows", flush=True)


# The build, step by step: each step adds one domain's rows to what the earlier ones left (`--steps a,b`
# runs only those, on a database already built: to add a domain to a full data set without rebuilding).
STEPS = {
    "core": build_core,  # IP assets, products (registries), S&T tasks with their history (tasks)
    "directives": lambda sizes, rng, spread: build_directives(sizes["directives"], rng),
    "audit": build_audit,
    "quality": build_quality,  # inspections (and measuring instruments)
    "iso": build_iso_initiatives,  # ISO 9001 records, initiatives
    "programmes": build_programmes,
    "innovation": build_innovation,
    "portal": build_portal,
}


def build(sizes: dict[str, int], steps: list[str]) -> None:
    from registries import Spread

    if "units" in steps:
        step("load_units", lambda: call_command("load_units", verbosity=0))
    spread = Spread(national=True)
    for name in steps:
        if name == "units":
            continue
        rng = random.Random(f"national-2025-{name}")  # one stream a step: a step built alone is the same
        step(name, STEPS[name], sizes, rng, spread)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"step {'analyze':<40} {time.perf_counter() - start:8.1f} s", flush=True)


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def collect_static() -> None:
    """Production's static files are served from their manifest (names with the content's hash): they are
    collected, as a release does (`stims collectstatic`, docs/deployment.md), so that the pages render."""
    if "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]:
        call_command("collectstatic", interactive=False, verbosity=0)


def page_statements(client, address):
    """(the response, the SQL statements of the page's request): the page asked twice first, as a third
    visitor finds it — the caches filled, the filter form's tables learnt on the first visit and the form
    kept on the second (core.fragments), the count kept — so the statements are the steady state's."""
    client.get(address)
    client.get(address)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    transaction_control = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "DECLARE", "CLOSE", "FETCH")
    return response, [
        q["sql"] for q in captured.captured_queries if not q["sql"].upper().startswith(transaction_control)
    ]


def run_statements(statements) -> None:
    """The statements re-run through a bare cursor, every row fetched and serialised: the raw-SQL floor."""
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)  # no parameters: the SQL is taken literally
            if cursor.description:
                json.dumps(cursor.fetchall(), default=str)  # the rows, serialised


class Measure:
    """One page: its own time, its queries re-run raw, and the admin's change list."""

    def __init__(self, label, client, address, admin_model=None, admin_query=None):
        self.label, self.client, self.address = label, client, address
        self.admin_model, self.admin_query = admin_model, admin_query or {}
        self.own, self.raw, self.admin = [], [], []
        self.queries: list[str] = []
        self.status = None

    def prepare(self):
        response, self.queries = page_statements(self.client, self.address)
        self.status = response.status_code

    def run_own(self):
        start = time.perf_counter()
        self.client.get(self.address)
        self.own.append((time.perf_counter() - start) * 1000)

    def run_raw(self):
        start = time.perf_counter()
        run_statements(self.queries)
        self.raw.append((time.perf_counter() - start) * 1000)

    def admin_address(self) -> str | None:
        """The admin change list's address for this page's model and filter (None: no admin peer).
        The model must be registered with the admin site (every measured model is)."""
        if self.admin_model is None:
            return None
        model_admin = admin.site._registry[self.admin_model]
        model_admin.list_per_page = PAGE_SIZE  # the page's size, not the admin's 100
        meta = self.admin_model._meta
        address = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        return f"{address}?{urlencode(self.admin_query)}" if self.admin_query else address

    def run_admin(self, admin_client):
        address = self.admin_address()
        if address is None:
            return
        start = time.perf_counter()
        response = admin_client.get(address)
        self.admin.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (address, response.status_code)  # nosec B101 # a benchmark


def measure(pages, superuser) -> list[tuple]:
    admin_client = Client()
    admin_client.force_login(superuser)
    rows = []
    for page in pages:
        page.prepare()
        if page.admin_model is not None:
            page.run_admin(admin_client)  # warm, as the page is in prepare()
            page.run_admin(admin_client)
            page.admin.clear()
        for _ in range(REPEAT):  # interleaved: the machine's load falls on all three alike
            page.run_own()
            page.run_raw()
            page.run_admin(admin_client)
        own = statistics.median(page.own)
        raw = statistics.median(page.raw) if page.queries else None  # a page served from the cache
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
    raw_text = f"{raw:8.1f}" if raw is not None else f"{'—':>8}"
    return f"{label:<48} {own:8.1f} {p95:8.1f} {queries:3d} {raw_text} {to_raw_text} {admin_text} {to_admin_text} {status}"


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


def domain_pages(leader) -> list:
    """The newer domains' main pages, as a department leader (who may read them all), and the portal
    as an anonymous visitor."""
    from stims.initiatives.models import Initiative
    from stims.innovation.models import Framework
    from stims.inspections.models import Inspection
    from stims.iso.models import IsoRecord
    from stims.programmes.models import Plan

    client = Client()
    client.force_login(leader)
    visitor = Client()
    plan = Plan.objects.order_by("pk").first()
    communes_index = Framework.objects.filter(
        unit_level="commune", province__code=settings.STIMS_PROVINCE
    ).first()
    pages = [
        Measure("[leader] inspection list", client, reverse("inspections:inspection_list"), Inspection),
        Measure(
            "[leader] inspection list planned",
            client,
            f"{reverse('inspections:inspection_list')}?state=planned",
            Inspection,
            {"state__exact": "planned"},
        ),
        Measure("[leader] quality dashboard 2024", client, f"{reverse('inspections:dashboard')}?year=2024"),
        Measure("[leader] ISO records list", client, reverse("iso:isorecord_list"), IsoRecord),
        Measure("[leader] ISO compliance page", client, reverse("iso:compliance")),
        Measure("[leader] initiatives list", client, reverse("initiatives:initiative_list"), Initiative),
        Measure("[leader] plans list", client, reverse("programmes:plan_list"), Plan),
        Measure("[leader] plans behind target", client, reverse("programmes:behind")),
        Measure("[leader] index results (provinces)", client, reverse("innovation:results")),
        Measure("[leader] reports dashboard", client, reverse("reports:dashboard")),
        Measure("[visitor] portal home", visitor, reverse("portal:index")),
        Measure("[visitor] portal news search", visitor, f"{reverse('portal:news_list')}?q=mat+ong"),
    ]
    if plan:
        pages.insert(8, Measure("[leader] plan page", client, plan.get_absolute_url()))
    if communes_index:
        pages.insert(
            -3,
            Measure(
                "[leader] index results (communes)",
                client,
                reverse("innovation:framework_results", args=[communes_index.pk]),
            ),
        )
    return pages


def every_other_page(leader, measured: set[str]) -> list:
    """Every registered list page and every registered detail page (of the newest record the leader
    may see) not measured above, as a department leader: the issue's target is every list and
    detail page, and a page left out of the named ones above may be the slow one (the council list
    took 520 ms until the fourteenth session). A list's Django admin peer is measured when its model
    is registered with the admin site."""
    from django.urls import NoReverseMatch

    from stims.core import permissions
    from stims.core.views import registered_views

    get_resolver().url_patterns  # noqa: B018 (imports every views module: the registry fills)
    client = Client()
    client.force_login(leader)
    pages = []
    for registered in registered_views():
        model, opts = registered.model, registered.model._meta
        name = f"{opts.app_label}:{registered.url_name}"
        try:
            if registered.name == "list":
                address = reverse(name)
                peer = model if model in admin.site._registry else None
                label = f"[leader] list: {opts.verbose_name_plural}"
            elif registered.name == "detail":
                record = permissions.restrict(model._default_manager.all(), leader).order_by("-pk").first()
                if record is None:
                    continue
                address, peer = reverse(name, args=[record.pk]), None
                label = f"[leader] page: {opts.verbose_name}"
            else:
                continue
        except NoReverseMatch:
            continue
        if address not in measured and client.get(address).status_code == 200:
            pages.append(Measure(label[:48], client, address, peer))
    return pages


# ---- the second table: throughput, and the heavy operations' time and peak memory


def throughput(cookie: str, path: str, seconds: float, clients: int, port: int) -> dict:
    """gunicorn (2 sync workers, this script's settings and database) on a loopback port, `clients`
    threads asking `path` with a logged-in session for `seconds`: requests per second, median, p95."""
    import http.client
    import subprocess
    import threading

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    here = os.path.join(root, "bench")  # where bench_settings is
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH")) if p)}
    server = subprocess.Popen(
        [
            os.path.join(root, ".venv", "bin", "python"),
            "-m",
            "gunicorn",
            "stims.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=root,
    )
    try:
        for _ in range(120):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                probe.request("GET", path, headers={"Cookie": cookie})
                probe.getresponse().read()
                break
            except OSError:
                time.sleep(0.5)
        for _ in range(4):  # each worker renders once before the clock starts
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            probe.request("GET", path, headers={"Cookie": cookie})
            probe.getresponse().read()
        times, errors, lock = [], [0], threading.Lock()
        stop = time.perf_counter() + seconds

        def client():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            while time.perf_counter() < stop:
                start = time.perf_counter()
                try:
                    conn.request("GET", path, headers={"Cookie": cookie})
                    response = conn.getresponse()
                    response.read()
                    ok = response.status == 200
                except (OSError, http.client.HTTPException):
                    conn, ok = http.client.HTTPConnection("127.0.0.1", port, timeout=60), False
                with lock:
                    times.append((time.perf_counter() - start) * 1000)
                    errors[0] += not ok

        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "requests": len(times),
        "per_second": len(times) / elapsed,
        "median": statistics.median(times) if times else None,
        "p95": percentile(times, 0.95) if times else None,
        "errors": errors[0],
    }


def child(name: str, rows: int) -> None:
    """One heavy operation in this (fresh) process; prints a CHILD line with its wall and CPU time, the
    process's resident memory just before it and its peak resident memory during it (VmHWM)."""
    import json

    setup_test_environment()  # the import reads its token from response.context
    from stims.accounts.models import User
    from stims.core import serving

    serving.settle()  # as a gunicorn worker after start-up (STIMS_GC_FREEZE=0: Python's defaults)
    leader = User.objects.get(username="national.leader")
    specialist = User.objects.get(username="national.specialist")
    try:  # reset the peak (VmHWM, what ru_maxrss reads) to the current RSS: the peak is then the operation's
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass
    with open("/proc/self/status") as status:
        before = next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
    result: dict = {}
    start, cpu = time.perf_counter(), time.process_time()
    if name == "report":
        import reports as reports_bench

        from stims.geo.services import home_province
        from stims.reports import periods

        year = datetime.date.today().year - 1
        data = reports_bench.annual_report(home_province(), periods.parse("year", str(year)), leader)
        result["note"] = f"{home_province()} {year}, DOCX {len(data) // 1024} KB"
    elif name == "import":
        import import_bench
        from django.core.files.uploadedfile import SimpleUploadedFile

        from stims.orgs.models import Organization
        from stims.products.models import Product

        orgs = list(Organization.objects.filter(kind__in=["enterprise", "cooperative"]).order_by("pk")[:2000])
        book = import_bench.workbook(
            [import_bench.TEMPLATE], import_bench.template_rows(rows, orgs, random.Random(7))
        )
        client = Client()
        client.force_login(specialist)
        # The import page first, as a user opens it to choose the file: the process is warm (URL
        # configuration, views, templates and the importers imported), as a server long up is, so the
        # figure is the import's own — cold, this process's first request added about 1 s to 5,000 rows.
        client.get(reverse("registries:import"))
        start, cpu = time.perf_counter(), time.process_time()  # the workbook is ready: time the import only
        before_products = Product.objects.count()
        # A national run imports more rows than a workbook may hold by default (5,000): the limits are
        # raised as a deployment would (settings IMPORT_MAX_ROWS, IMPORT_MAX_BYTES).
        limits = override_settings(IMPORT_MAX_ROWS=rows + 10, IMPORT_MAX_BYTES=len(book) + 1_000_000)
        with limits, transaction.atomic():  # rolled back: the data set stays as built
            response = client.post(
                reverse("registries:import"),
                {"kind": "products", "file": SimpleUploadedFile("ocop.xlsx", book)},
            )
            preview = time.perf_counter() - start
            if "token" not in (response.context or {}):
                raise RuntimeError(f"the import was refused (HTTP {response.status_code})")
            done = client.post(reverse("registries:import_confirm"), {"token": response.context["token"]})
            written = Product.objects.count() - before_products
            transaction.set_rollback(True)
        result["note"] = (
            f"preview {preview:.1f} s, then confirm: {written:,} products written (HTTP {done.status_code}), rolled back"
        )
        result["rows"] = rows
    elif name.startswith("index"):
        from stims.innovation import services
        from stims.innovation.models import Framework

        if name == "index-communes":
            framework = Framework.objects.filter(unit_level="commune").order_by("-pk").first()
            biggest = max(
                Framework.objects.filter(unit_level="commune"),
                key=lambda f: services.units_of(f).count(),
            )
            framework = biggest or framework
        else:
            framework = (
                Framework.objects.filter(unit_level="province", legacy_units=False).order_by("-year").first()
            )
        start, cpu = time.perf_counter(), time.process_time()
        results = services._compute(framework, None)
        result["note"] = (
            f"{framework.name} {framework.year}: {len(results.units):,} units × {len(results.frame.indicators)} indicators"
        )
    elif name == "export":
        client = Client()
        client.force_login(specialist)
        # The list page first, as a user opens it before exporting it: the process is warm (URL
        # configuration, views and templates imported), so the first byte is the export's own.
        client.get(reverse("sttasks:task_list"))
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get(f"{reverse('sttasks:task_list')}?_export=csv")
        first = time.perf_counter() - start
        size = 0
        if response.streaming:
            for chunk in response.streaming_content:
                if not size:
                    first = time.perf_counter() - start
                size += len(chunk)
        else:
            size = len(response.content)
        result["first_byte"] = first
        result["note"] = (
            f"task list CSV, {size // 1024:,} KB, {'streamed' if response.streaming else 'not streamed: built whole'}"
        )
    result.update(
        seconds=time.perf_counter() - start,
        cpu=time.process_time() - cpu,
        rss_before=before / 1024,
        rss_peak=peak_rss() / 1024,
    )
    print("CHILD " + json.dumps(result), flush=True)


def peak_rss() -> int:
    """The process's peak resident memory in kB: VmHWM (reset by /proc/self/clear_refs), else ru_maxrss
    (which also holds the parent's size at the fork before exec)."""
    import resource

    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_child(name: str, rows: int) -> dict:
    import json
    import subprocess

    done = subprocess.run(
        [sys.executable, os.path.abspath(__file__), f"--child={name}", f"--rows={rows}"],
        capture_output=True,
        text=True,
        env=os.environ,
    )
    for text in done.stdout.splitlines():
        if text.startswith("CHILD "):
            return json.loads(text[6:])
    return {
        "note": f"failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}"
    }


def operations(specialist, divide: int) -> list[str]:
    """The second table: each line says the load average (1 min) when it started."""
    lines = [
        f"{'operation':<44} {'wall s':>8} {'CPU s':>7} {'1st byte':>8} {'peak MB':>8} {'+MB':>6} {'load':>5}  result"
    ]

    def add(label, wall, cpu, first, peak, grown, load, note):
        def cell(value, width, digits=1):
            return f"{value:{width}.{digits}f}" if value is not None else f"{'—':>{width}}"

        lines.append(
            f"{label:<44} {cell(wall, 8, 2)} {cell(cpu, 7, 2)} {cell(first, 8, 2)} {cell(peak, 8, 0)} "
            f"{cell(grown, 6, 0)} {load:5.2f}  {note}"
        )
        print(lines[-1], flush=True)

    print(lines[0], flush=True)
    client = Client()
    client.force_login(specialist)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    seconds = float(os.environ.get("BENCH_LOAD_SECONDS", "20"))
    clients = int(os.environ.get("BENCH_CLIENTS", "8"))
    load = os.getloadavg()[0]
    got = throughput(
        cookie, reverse("ip:ipasset_list"), seconds, clients, int(os.environ.get("BENCH_PORT", "8601"))
    )
    add(
        f"IP list, gunicorn 2 workers, {clients} clients",
        seconds,
        None,
        None,
        None,
        None,
        load,
        f"{got['per_second']:.1f} req/s, median {got['median'] or 0:.0f} ms, p95 {got['p95'] or 0:.0f} ms, "
        f"{got['requests']:,} requests, {got['errors']} errors",
    )
    rows = 100_000 // divide
    for name, label in (
        ("report", "annual report (figures + DOCX)"),
        ("import", f"Excel import, {rows:,} OCOP rows"),
        ("index-provinces", "index computation, provinces"),
        ("index-communes", "index computation, a province's communes"),
        ("export", "CSV export, the whole task list"),
    ):
        load = os.getloadavg()[0]
        got = run_child(name, rows)
        note = got.get("note", "")
        if name == "import" and got.get("seconds"):
            note = f"{got['rows'] / got['seconds']:,.0f} rows/s; {note}"
        grown = got["rss_peak"] - got["rss_before"] if "rss_peak" in got else None
        add(
            label,
            got.get("seconds"),
            got.get("cpu"),
            got.get("first_byte"),
            got.get("rss_peak"),
            grown,
            load,
            note,
        )
    return lines


def main(quick: bool, measure_only: bool, build_only: bool, steps: list[str] | None) -> None:
    print(f"settings: {os.environ['DJANGO_SETTINGS_MODULE']}; DEBUG {settings.DEBUG}", flush=True)
    divide = int(os.environ.get("BENCH_DIVIDE", "20" if quick else "1"))  # BENCH_DIVIDE=1000: a smoke run
    sizes = {key: max(value // divide, 1) for key, value in FULL.items()}
    sizes["quality_divide"] = QUALITY_DIVIDE * divide
    print(f"database: {connection.vendor}; sizes: {sizes}; repeat {REPEAT}", flush=True)
    if not measure_only:
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        build(sizes, steps or ["units", *STEPS])
        print(f"data set built in {time.perf_counter() - start:8.1f} s", flush=True)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
                print(f"database size: {cursor.fetchone()[0]}", flush=True)
    if build_only:
        return

    collect_static()
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
    leader = make_user("leader", username="national.leader")
    superuser = User.objects.create_superuser("national.admin", password="pw-for-bench-123")
    from stims.core import serving

    # As a gunicorn worker after start-up (deploy/gunicorn.conf.py): what this process holds now is frozen
    # out of garbage collection and the thresholds raised; STIMS_GC_FREEZE=0 measures Python's defaults.
    frozen = serving.settle()
    print(f"garbage collection: {frozen:,} objects frozen, thresholds {gc.get_threshold()}", flush=True)
    print(f"load average before measuring: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    print(HEADER, flush=True)
    named = pages_for(specialist, officer) + domain_pages(leader)
    others = every_other_page(leader, {page.address.split("?")[0] for page in named})
    pages = named + others
    if os.environ.get("BENCH_PAGES"):  # e.g. BENCH_PAGES="task list|IP list": those pages only
        pages = [page for page in pages if re.search(os.environ["BENCH_PAGES"], page.label)]
    rows = measure(pages, superuser)
    print(f"load average after the pages: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    print(flush=True)
    # BENCH_OPERATIONS=0: the pages only (a quick comparison of a few pages with BENCH_PAGES)
    second = operations(specialist, divide) if os.environ.get("BENCH_OPERATIONS", "1") != "0" else []
    print(f"load average after the operations: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    worst_p95 = max(rows, key=lambda r: r[2])
    worst_raw = max((r for r in rows if r[5] is not None), key=lambda r: r[5])
    worst_admin = max((r for r in rows if r[7] is not None), key=lambda r: r[7])
    print()
    print(HEADER)
    for row in rows:
        print(format_row(row))
    print()
    for text in second:
        print(text)
    print(
        "(peak MB: the child process's peak resident memory during the operation, VmHWM after a reset "
        "through /proc/self/clear_refs; +MB: its growth over the resident memory just before)"
    )
    print(f"(worst ratio to raw SQL: {worst_raw[0]}; to Django admin: {worst_admin[0]})")
    print(
        f"worst p95 {worst_p95[2]:.0f} ms ({worst_p95[0]}); worst ratio to raw SQL {worst_raw[5]:.1f}×; "
        f"worst ratio to Django admin {worst_admin[7]:.2f}×"
    )


if __name__ == "__main__":
    arguments = sys.argv[1:]
    operation = next((a.split("=", 1)[1] for a in arguments if a.startswith("--child=")), None)
    if operation:
        child(operation, int(next(a.split("=", 1)[1] for a in arguments if a.startswith("--rows="))))
        sys.exit(0)
    chosen = next((a.split("=", 1)[1] for a in arguments if a.startswith("--steps=")), None)
    main(
        "--quick" in arguments,
        "--measure" in arguments,
        "--build" in arguments,
        chosen.split(",") if chosen else None,
    )
