"""Benchmark: every Excel import at national scale (issue #20) — default 100,000 rows a workbook.

For each import (OCOP products, IP assets, S&T tasks, establishments, ISO 9001 records, initiatives),
writes a workbook in the template's layout (the template's example row with a distinct name, code or
key on every row), then measures, as the pages and the background job do it:

  * preview  — the workbook read and every row checked (nothing written);
  * confirm  — the workbook read again, every row checked again, then all written in one
               transaction (bulk, with history rows, `core.imports.write_records`);
  * end to end — rows ÷ (preview + confirm), the figure issue #20's target reads
               ("at least 2,000 validated rows per second, all-or-nothing");

by the wall clock and by this thread's CPU time (the figure a busy shared machine distorts least),
with the SQL queries each step issued (they must not grow with the rows), the peak memory of the
process (ru_maxrss) and the machine's load average. Not a test: it prints figures, asserts nothing.

    .venv/bin/python bench/imports.py [ROWS] [KIND …]                  # SQLite, 100,000 rows
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stims_imports .venv/bin/python bench/imports.py 100000
    .venv/bin/python bench/imports.py --exports 100000                 # the IP list exported, 100,000 rows

With BENCH_BASE=1 the database prepared by the first run (units, organizations, agencies) is kept as a
base and each later run starts from a copy of it (minutes saved on a busy machine).

After the imports (or alone, with --exports), the IP asset list is exported as CSV and as XLSX in a
child process: time to first byte, whole time, size and the child's peak memory (ru_maxrss).

`measure_import(kind, user, n)` is what bench/national.py may call for one import; it returns the
figures as a dict.
"""

import os
import resource as rusage
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from import_bench import TEMPLATE, line, prepare, template_rows, workbook  # noqa: E402  (sets Django up)

KINDS = ("products", "ip", "tasks", "establishments", "iso", "initiatives")
AGENCIES = 4000  # state agencies made for the ISO and initiatives imports (ISO: one row an agency a year)


def allow_large_workbooks() -> None:
    """A national import is larger than the pages' 5 MB / 5,000-row limit: lift it for the benchmark."""
    from django.utils.module_loading import autodiscover_modules

    from stims.core import imports

    autodiscover_modules("imports")  # every importer registered (the code before did not always)
    settings.IMPORT_MAX_ROWS = 10_000_000
    settings.IMPORT_MAX_BYTES = 2**31
    if not hasattr(imports, "row_limit"):  # the code before the limits became settings
        imports.read_workbook.__kwdefaults__.update(max_rows=10_000_000, max_bytes=2**31)


def agencies():
    """AGENCIES state agencies (People's Committees and departments) of the home province's units."""
    from stims.core.text import fold
    from stims.geo.models import AdminUnit
    from stims.orgs.models import Organization

    found = list(Organization.objects.filter(name__startswith="UBND bench ").order_by("pk"))
    if found:
        return found
    units = list(AdminUnit.objects.filter(generation="legacy", level="district").order_by("pk")[:50])
    made = []
    for i in range(AGENCIES):
        org = Organization(
            name=f"UBND bench {i:04d}",
            kind="peoples_committee" if i % 3 else "department",
            admin_unit=units[i % len(units)],
        )
        org.search_text, org.search_name = org.build_search_text(), fold(org.name)[:255]
        made.append(org)
    Organization.objects.bulk_create(made, batch_size=500)
    return list(Organization.objects.filter(name__startswith="UBND bench ").order_by("pk"))


def rows_for(kind, resource, n, orgs=None, rng=None):
    """(headers, n rows) in the template's layout: its example row with the record's key made unique."""
    if kind == "products":
        return TEMPLATE, template_rows(n, orgs, rng)
    headers = resource.get_export_headers()
    example = list(resource.example_row())
    if kind in ("iso", "initiatives"):
        named = agencies()
    rows = []
    for i in range(n):
        row = list(example)
        if kind == "ip":
            row[headers.index(resource.NAME)] = f"Nhãn hiệu số {i}"
            row[headers.index(resource.APP_NO)] = f"4-2024-{i:06d}"
        elif kind == "tasks":
            from stims.sttasks import imports as task_imports

            row[headers.index(task_imports.CODE)] = f"ĐT.BENCH.{i:06d}"
            row[headers.index(task_imports.TITLE)] = f"Nghiên cứu thử nghiệm số {i}"
        elif kind == "establishments":
            row[headers.index(resource.NAME)] = f"Cửa hàng xăng dầu số {i}"
        elif kind == "iso":
            row[headers.index(resource.AGENCY)] = named[i % len(named)].name
            row[headers.index(resource.YEAR)] = 2026 - i // len(named)
            row[headers.index(resource.STATUS)] = "Đang áp dụng"
            row[headers.index(resource.SCOPE)] = f"Các thủ tục hành chính, bản {i}"
            row[headers.index(resource.NUMBER)] = ""
            row[headers.index(resource.DATE)] = ""
        elif kind == "initiatives":
            row[headers.index(resource.TITLE)] = f"Sáng kiến cải tiến số {i}"
            row[headers.index(resource.AGENCY)] = named[i % len(named)].name
        rows.append(row)
    return headers, rows


def peak_mb() -> float:
    return rusage.getrusage(rusage.RUSAGE_SELF).ru_maxrss / 1024


def timed(function):
    """(result, wall seconds, CPU seconds of this thread, queries issued)."""
    reset_queries()
    start, cpu = time.perf_counter(), time.thread_time()
    result = function()
    return result, time.perf_counter() - start, time.thread_time() - cpu, len(connection.queries)


def measure_import(kind, user, n, orgs=None, rng=None, *, data=None) -> dict:
    """Preview then confirm one workbook of n rows of `kind`, as the page and the job do; the figures."""
    from stims.core import imports

    importer = imports.importer(kind)
    model = importer.resource(user, {}).model
    if data is None:
        headers, rows = rows_for(kind, importer.resource(user, {}), n, orgs, rng)
        data = workbook([headers], rows)
    before = model._default_manager.count()
    settings.DEBUG = True  # count the queries
    try:
        resource = importer.resource(user, {})
        outcome, p_wall, p_cpu, p_queries = timed(
            lambda: resource.run(imports.read_for(resource, data), dry_run=True)
        )
        figures = {
            "kind": kind,
            "rows": n,
            "preview": (p_wall, p_cpu, p_queries),
            "counts": outcome.counts,
            "errors": outcome.errors[:3],
        }
        if outcome.has_errors:
            return figures
        resource = importer.resource(user, {})
        _, c_wall, c_cpu, c_queries = timed(
            lambda: resource.run(imports.read_for(resource, data), dry_run=False)
        )
    finally:
        settings.DEBUG = False
        reset_queries()
    figures["confirm"] = (c_wall, c_cpu, c_queries)
    figures["written"] = model._default_manager.count() - before
    figures["end_to_end"] = (n / (p_wall + c_wall), n / (p_cpu + c_cpu))
    return figures


def report(f) -> None:
    n = f["rows"]
    wall, cpu, queries = f["preview"]
    line(f"{f['kind']}: preview (read + every row checked)", n, wall, f"{queries} queries", cpu)
    if "confirm" not in f:
        print(f"  refused: {f['counts']} {f['errors']}", flush=True)
        return
    wall, cpu, queries = f["confirm"]
    line(
        f"{f['kind']}: confirm (read, checked, written)",
        n,
        wall,
        f"{queries} queries, {f['written']:,} written",
        cpu,
    )
    by_wall, by_cpu = f["end_to_end"]
    print(
        f"{f['kind'] + ': END TO END':<46} {by_wall:7.0f} rows/s  ({by_cpu:6.0f} rows/s of CPU)   "
        f"{'meets' if by_wall >= 2000 else 'BELOW'} 2,000 rows/s   peak {peak_mb():.0f} MB   "
        f"load {os.getloadavg()[0]:.2f}",
        flush=True,
    )


def fresh_copy() -> bool:
    """BENCH_BASE=1: start from a copy of a database prepared once (units, organizations, agencies),
    kept beside it as `<name>_base` (PostgreSQL: CREATE DATABASE … TEMPLATE) or `<file>.base` (SQLite),
    instead of loading the 14,149 units again (minutes on a busy machine). True when a copy was made."""
    if not os.environ.get("BENCH_BASE"):
        return False
    import shutil

    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        base = f"{db['NAME']}.base"
        if not os.path.exists(base):
            return False
        connection.close()
        for stale in (f"{db['NAME']}-wal", f"{db['NAME']}-shm"):  # the last run's journal
            if os.path.exists(stale):
                os.remove(stale)
        shutil.copyfile(base, db["NAME"])
        return True
    import psycopg

    base = f"{db['NAME']}_base"
    connection.close()
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True
    ) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [base]).fetchone():
            return False
        admin.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{db["NAME"]}" TEMPLATE "{base}"')
    return True


def keep_base() -> None:
    """Keep the prepared database as the base of the next runs (BENCH_BASE=1)."""
    if not os.environ.get("BENCH_BASE"):
        return
    import shutil

    db = settings.DATABASES["default"]
    connection.close()
    if connection.vendor == "sqlite":
        shutil.copyfile(db["NAME"], f"{db['NAME']}.base")
        return
    import psycopg

    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}_base"')
        admin.execute(f'CREATE DATABASE "{db["NAME"]}_base" TEMPLATE "{db["NAME"]}"')


def _export_child(url, user_pk, export_format, out):
    """In a child process (its own peak memory): GET the export, time to its first byte and to its end."""
    from django.db import connections
    from django.test import Client

    from stims.accounts.models import User

    connections.close_all()  # the parent's connection is not the child's
    client = Client()
    client.force_login(User.objects.get(pk=user_pk))
    client.get(url, {"per_page": 1})  # warm up: URLs, templates and the list page's code loaded
    start = time.perf_counter()
    response = client.get(url, {"_export": export_format})
    size, first = 0, None
    pieces = response.streaming_content if response.streaming else [response.content]
    for piece in pieces:
        if first is None:
            first = time.perf_counter() - start
        size += len(piece)
    out.put((first, time.perf_counter() - start, size, response.streaming, peak_mb()))


def measure_export(url, user, export_format) -> dict:
    """Time to first byte, whole time, size and peak memory (ru_maxrss of a child process that did
    nothing else) of a list export."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    out = context.Queue()
    child = context.Process(target=_export_child, args=(url, user.pk, export_format, out))
    child.start()
    first, whole, size, streamed, peak = out.get()
    child.join()
    return {
        "format": export_format,
        "first_byte": first,
        "whole": whole,
        "bytes": size,
        "streamed": streamed,
        "peak_mb": peak,
    }


def exports_report(user, rows) -> None:
    """The IP asset list exported (every asset: the import's 100,000 rows), as CSV and XLSX."""
    from django.urls import reverse

    url = reverse("ip:ipasset_list")
    for export_format in ("csv", "xlsx"):
        f = measure_export(url, user, export_format)
        print(
            f"export {export_format} of {rows:,} IP assets: first byte {f['first_byte']:.2f} s, whole "
            f"{f['whole']:.1f} s, {f['bytes'] / 1e6:.1f} MB, {'streamed' if f['streamed'] else 'whole'}, "
            f"peak memory {f['peak_mb']:.0f} MB   load {os.getloadavg()[0]:.2f}",
            flush=True,
        )


def grow_ip_assets(total) -> int:
    """At least `total` IP assets (copies of those on record, or of one made here, with their own
    names and numbers), written by one INSERT … SELECT: the rows an export of a national list reads."""
    from django.db.models import Max

    from stims.ip.models import IpAsset, IpStatus, IpType

    if not IpAsset.objects.exists():
        from stims.geo.models import AdminUnit

        IpAsset.objects.create(
            ip_type=IpType.objects.order_by("pk").first(),
            status=IpStatus.objects.order_by("pk").first(),
            name="Nhãn hiệu mẫu",
            owner_name="HTX mẫu",
            admin_unit=AdminUnit.objects.filter(generation="legacy", level="district").order_by("pk").first(),
        )
    have = IpAsset.objects.count()
    if have >= total:
        return have
    fields = [f.column for f in IpAsset._meta.concrete_fields if not f.primary_key]
    varied = {"name": "a.name || ' ' || g", "application_number": "a.application_number || '-' || g"}
    columns = ", ".join(fields)
    values = ", ".join(varied.get(c, f"a.{c}") for c in fields)
    last = IpAsset.objects.aggregate(Max("pk"))["pk__max"]
    copies = -(-(total - have) // have)
    series = (
        f"generate_series(1, {copies})"
        if connection.vendor == "postgresql"
        else f"(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {copies}) SELECT g FROM s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {IpAsset._meta.db_table} ({columns}) SELECT {values} "  # noqa: S608 (our own names)
            f"FROM {IpAsset._meta.db_table} a, {series} g WHERE a.id <= %s",
            [last],
        )
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {IpAsset._meta.db_table}")
    return IpAsset.objects.count()


def main_exports(n) -> None:
    """BENCH_BASE copy, IP assets grown to n, then the IP list exported as CSV and XLSX."""
    setup_test_environment()
    print(f"database: {connection.vendor}   export rows: {n:,}   load average {os.getloadavg()}", flush=True)
    if not fresh_copy():
        prepare()
        agencies()
        keep_base()
    from stims.testing import make_user

    superuser = make_user(None, username="bench.exporter")
    superuser.is_superuser = True
    superuser.save()
    start = time.perf_counter()
    rows = grow_ip_assets(n)
    print(f"{rows:,} IP assets on record ({time.perf_counter() - start:.0f} s)", flush=True)
    exports_report(superuser, rows)


def main(n, kinds=KINDS):
    setup_test_environment()
    allow_large_workbooks()
    print(f"database: {connection.vendor}   rows: {n:,}   load average {os.getloadavg()}", flush=True)
    if fresh_copy():
        import random

        from stims.orgs.models import Organization

        orgs = list(Organization.objects.filter(kind__in=["enterprise", "cooperative"]).order_by("pk"))
        rng = random.Random(2025)
    else:
        orgs, rng = prepare()
        agencies()
        keep_base()
    from stims.testing import make_user

    superuser = make_user(None, username="bench.admin")
    superuser.is_superuser = True
    superuser.save()
    users = {
        "products": make_user("specialist", username="bench.importer"),
        "tasks": make_user("specialist", username="bench.tasks"),
        "establishments": make_user("inspector", username="bench.inspector"),
    }
    for kind in kinds:
        report(measure_import(kind, users.get(kind, superuser), n, orgs, rng))
    if "ip" in kinds:
        exports_report(superuser, n)
    print(f"load average after: {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "--exports":  # bench/imports.py --exports [ROWS]: the export figures alone
        main_exports(int(args[1].replace(",", "").replace("_", "")) if len(args) > 1 else 100_000)
        sys.exit()
    count = int(args[0].replace(",", "").replace("_", "")) if args else 100_000
    main(count, tuple(args[1:]) or KINDS)
