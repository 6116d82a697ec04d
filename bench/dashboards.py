"""Benchmark: the dashboards, cold (cache emptied before each request) and warm (the figures in the
cache), on a database already built (e.g. by bench/reports.py or bench/national.py):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stims_bench .venv/bin/python bench/dashboards.py

Prints the median and 95th percentile of each page as a deployment-wide leader and as a commune's local
officer, its SQL query count, and the time of the annual report's figures (`reports.figures.compute`).
Interleaved: cold and warm requests of a page alternate, so other work on the machine weighs on both
alike. Not a test: it asserts nothing. BENCH_REPEAT (default 9) requests of each kind.
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

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "9"))


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def user(username, role, unit=None):
    from stims.accounts.models import RoleAssignment, User

    found, created = User.objects.get_or_create(username=username)
    if created:
        RoleAssignment.objects.create(user=found, role=role, admin_unit=unit)
    return found


def main() -> None:
    setup_test_environment()
    from stims.geo.models import AdminUnit
    from stims.geo.services import home_province

    province = home_province()
    commune = (
        AdminUnit.objects.current().filter(province=province, name="Xã Ba Chẽ").first()
        or AdminUnit.objects.current().filter(province=province, level="commune").first()
    )
    leader = user("bench.dash.leader", "leader")
    officer = user("bench.dash.officer", "local_officer", commune)
    year = 2024
    pages = [
        ("leader's summary", reverse("sttasks:summary"), {}),
        ("reports dashboard", reverse("reports:dashboard"), {"year": year}),
        ("figures API", "/api/reports/figures/", {"kind": "year", "period": str(year)}),
        ("registry dashboard", reverse("registries:dashboard"), {"year": year}),
        ("quality dashboard", reverse("inspections:dashboard"), {}),
        ("directives dashboard", reverse("meetings:dashboard"), {}),
    ]
    print(f"database {connection.vendor}; load average {os.getloadavg()}; repeat {REPEAT}")
    print(f"{'page':40} {'cold med':>9} {'cold p95':>9} {'q':>4} {'warm med':>9} {'warm p95':>9} {'q':>4}")
    for who, account in (("leader", leader), ("officer", officer)):
        client = Client()
        client.force_login(account)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
        for label, url, params in pages:
            cold, warm, counts = [], [], {}
            client.get(url, params)  # the first request of a process pays imports and templates
            for _ in range(REPEAT):
                for kind, times in (("cold", cold), ("warm", warm)):
                    if kind == "cold":
                        cache.clear()
                    with CaptureQueriesContext(connection) as captured:
                        start = time.perf_counter()
                        status = client.get(url, params).status_code
                        times.append(1000 * (time.perf_counter() - start))
                    counts[kind] = (len(captured), status)
            print(
                f"[{who}] {label:31} {statistics.median(cold):9.1f} {p95(cold):9.1f} {counts['cold'][0]:4d}"
                f" {statistics.median(warm):9.1f} {p95(warm):9.1f} {counts['warm'][0]:4d}"
                f"  HTTP {counts['cold'][1]}",
                flush=True,
            )
    if "--no-report" not in sys.argv:
        from stims.reports import periods
        from stims.reports.figures import compute

        period = periods.parse("year", str(year))
        times = []
        for _ in range(3):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                compute(province, period, leader)
            times.append(time.perf_counter() - start)
        print(
            f"annual report figures ({province.name}, {year}): median {statistics.median(times):.2f} s,"
            f" max {max(times):.2f} s, {len(captured)} queries"
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
