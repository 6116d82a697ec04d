"""Benchmark: the annual report of a province with 100,000 S&T tasks and the registries at scale.

Builds a fresh database (SQLite by default; PostgreSQL with DATABASE_URL) with the data of
bench/tasks.py (N tasks with their councils, budgets, results, handovers and application reports) and
of bench/registries.py (IP assets and OCOP products), then prints the time of

  * the figures of the annual report (`stims.reports.figures.compute`: every section, one query layer),
    with its SQL query count, for the home province and for one legacy district;
  * each file of the annual report: DOCX (docxtpl, charts by matplotlib), XLSX, the statistical forms,
    and PDF when LibreOffice is installed.

    .venv/bin/python bench/reports.py                 # 100,000 tasks, 100,000 IP assets, 5,000 products
    .venv/bin/python bench/reports.py --quick         # 2,000 tasks, 10,000 IP assets
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stims_reports17 .venv/bin/python bench/reports.py

Not a test: it prints figures, it asserts nothing.
"""

import importlib.util
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stims.settings_test")
os.environ.setdefault("STIMS_DATA_DIR", tempfile.mkdtemp(prefix="stims-bench-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

HERE = Path(__file__).parent


def bench_module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed(label: str, fn, repeat: int = 3):
    times, result, queries = [], None, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - start)
        queries = len(captured)
    print(
        f"{label:58} median {statistics.median(times):7.2f} s  max {max(times):7.2f} s  {queries:4d} queries",
        flush=True,
    )
    return result


def annual_report(unit, period, user) -> bytes:
    """The annual report as a leader asks for it: every figure of the unit and period, then the DOCX
    (also what bench/national.py times, with its peak memory)."""
    from stims.reports import services
    from stims.reports.figures import compute

    full = compute(unit, period, user)
    return services.render(full, "docx", full.summary())


def main(n_tasks: int, n_assets: int) -> None:
    setup_test_environment()
    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    call_command("load_units", verbosity=0)
    print(f"load_units {time.perf_counter() - start:.1f} s", flush=True)
    rng = random.Random(2025)
    start = time.perf_counter()
    bench_module("tasks").build(n_tasks, rng)
    print(f"{n_tasks:,} tasks built in {time.perf_counter() - start:.1f} s", flush=True)
    start = time.perf_counter()
    bench_module("registries").build(n_assets, max(n_assets // 20, 100), rng)
    print(f"{n_assets:,} IP assets built in {time.perf_counter() - start:.1f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    from stims.geo.models import AdminUnit
    from stims.geo.services import home_province
    from stims.reports import documents, periods, services
    from stims.reports.figures import compute
    from stims.sttasks.models import Task
    from stims.testing import make_user

    leader = make_user("leader", username="bench.leader")
    province = home_province()
    district = (
        AdminUnit.objects.filter(province__code=settings.STIMS_PROVINCE, level="district")
        .order_by("name")
        .first()
    )
    year = max(Task.objects.values_list("proposal_year", flat=True).distinct()) - 1
    period = periods.parse("year", str(year))
    print(f"{Task.objects.count():,} tasks; the annual report of {year}", flush=True)
    data = timed(f"figures: {province.name}", lambda: compute(province, period, leader))
    timed(f"figures: {district.name}", lambda: compute(district, period, leader))
    print(f"  {len(data.figures())} figures, {len(data.tables())} tables, digest {data.digest[:12]}")
    summary = data.summary()
    docx = timed("DOCX (docxtpl + charts)", lambda: services.render(data, "docx", summary))
    timed("XLSX", lambda: services.render(data, "xlsx", summary))
    timed("statistical forms (XLSX)", lambda: services.render(data, "forms", summary))
    if documents.soffice():
        timed("PDF (LibreOffice headless)", lambda: documents.render_pdf(docx), repeat=1)
    else:
        print("PDF: LibreOffice is not installed, skipped")

    timed("annual report, figures to DOCX", lambda: annual_report(province, period, leader))


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    numbers = [int(a) for a in sys.argv[1:] if a.isdigit()]
    main(
        numbers[0] if numbers else (2_000 if quick else 100_000),
        numbers[1] if len(numbers) > 1 else (10_000 if quick else 100_000),
    )
