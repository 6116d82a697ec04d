"""Benchmark: 5,000-row imports of IP assets, S&T tasks and establishments (issues 14 and 16).

For each kind, writes a 5,000-row workbook in the template's layout (the template's example row with a
distinct name, code or application number on every row), then prints rows per second — by the wall
clock and by this thread's CPU time — for:

  * preview  — the workbook read and every row checked (nothing written);
  * confirm  — as the background job does it: every row checked again, then all written in one
               transaction (bulk, with history rows);
  * the write transaction alone (the time the database's write lock is held on SQLite);

and, while each runs, another user saving an organization in a loop (each save in its own
transaction, with its history): how many saves failed and the longest one waited. Products are
measured by bench/import_bench.py. Not a test: it prints figures, it asserts nothing.

    .venv/bin/python bench/imports.py [ROWS]                 # SQLite, default 5,000 rows
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stims_quality16 .venv/bin/python bench/imports.py
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from import_bench import Writer, line, prepare, workbook  # noqa: E402  (sets Django up)


def rows_for(kind, resource, n):
    """n rows in the template's layout: its example row with the record's name (and key) made unique."""
    from stims.inspections.imports import EstablishmentResource
    from stims.registries.imports import IpAssetResource
    from stims.sttasks import imports as task_imports

    headers = resource.get_export_headers()
    example = list(resource.example_row())
    vary = {
        "ip": {IpAssetResource.NAME: "Nhãn hiệu số {i}", IpAssetResource.APP_NO: "4-2024-{i:05d}"},
        "tasks": {task_imports.CODE: "ĐT.BENCH.{i:05d}", task_imports.TITLE: "Nghiên cứu thử nghiệm số {i}"},
        "establishments": {EstablishmentResource.NAME: "Cửa hàng xăng dầu số {i}"},
    }[kind]
    rows = []
    for i in range(n):
        row = list(example)
        for header, pattern in vary.items():
            row[headers.index(header)] = pattern.format(i=i)
        rows.append(row)
    return headers, rows


def watch(resource_class) -> dict:
    held: dict = {}
    original = resource_class.save_plan

    def save_plan(self, plan, **kwargs):
        start, cpu = time.perf_counter(), time.thread_time()
        try:
            return original(self, plan, **kwargs)
        finally:
            held.update(wall=time.perf_counter() - start, cpu=time.thread_time() - cpu)

    resource_class.save_plan = save_plan
    return held


def measure(kind, user, n, org_pk):
    from stims.core import imports

    importer = imports.importer(kind)
    resource = importer.resource(user, {"update_existing": False})
    headers, rows = rows_for(kind, resource, n)
    data = workbook([headers], rows)
    held = watch(type(resource))

    writer = Writer(org_pk)
    writer.start()
    start, cpu = time.perf_counter(), time.thread_time()
    outcome = resource.run(imports.read_for(resource, data), dry_run=True)
    line(f"{kind}: preview", n, time.perf_counter() - start, str(outcome.counts), time.thread_time() - cpu)
    print(writer.result(), flush=True)
    if outcome.has_errors:
        print("  first errors:", outcome.errors[:3], flush=True)
        return

    writer = Writer(org_pk)
    writer.start()
    resource = importer.resource(user, {"update_existing": False})
    start, cpu = time.perf_counter(), time.thread_time()
    outcome = resource.run(imports.read_for(resource, data), dry_run=False)
    line(
        f"{kind}: confirm (checked again, written)",
        n,
        time.perf_counter() - start,
        "",
        time.thread_time() - cpu,
    )
    if held:
        line(f"{kind}:   the write transaction alone", n, held["wall"], "", held["cpu"])
    print(writer.result(), flush=True)


def main(n):
    setup_test_environment()
    print(f"database: {connection.vendor}   rows: {n:,}", flush=True)
    orgs, _rng = prepare()
    from stims.testing import make_user

    user = make_user("specialist", username="bench.importer")
    inspector = make_user("inspector", username="bench.inspector")
    superuser = make_user(None, username="bench.admin")
    superuser.is_superuser = True
    superuser.save()
    measure("ip", superuser, n, orgs[0].pk)
    measure("tasks", user, n, orgs[1].pk)
    measure("establishments", inspector, n, orgs[2].pk)


if __name__ == "__main__":
    main(int(sys.argv[1].replace(",", "").replace("_", "")) if len(sys.argv) > 1 else 5000)
