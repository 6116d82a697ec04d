"""Benchmark: standards, metrology and quality at provincial scale (issue 16).

Builds a fresh database holding all administrative units, 200,000 establishments over the home
province's units, ten years of inspection plans (one decision each), 1,000,000 inspections (a fifth
with a violation and a sanction) and 100,000 measuring instruments, then prints the median and 95th
percentile of the pages people use most — the lists, an establishment's history page, the quality
dashboard — beside the "SQL floor": the same page's queries replayed through a raw cursor (what the
database alone costs; the rest is Python, templates and the framework).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stims_bench .venv/bin/python bench/quality.py
    DATABASE_URL=… .venv/bin/python bench/quality.py --quick     # 1/20 of the rows

Rows are written with bulk_create in batches, which skips save(): the folded search columns are filled
here with the model's own build_search_text(), as save() would. Target (issue 16): p95 < 100 ms on
PostgreSQL. Not a test: it prints figures, it asserts nothing.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stims.settings_test")
os.environ.setdefault("STIMS_DATA_DIR", tempfile.mkdtemp(prefix="stims-bench-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

BATCH = 5000
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
D = datetime.date
YEARS = range(2016, 2026)
NAMES = ["Cửa hàng xăng dầu", "Đại lý gas", "Cơ sở sản xuất", "Cơ sở đóng gói", "Phòng khám", "Cửa hàng"]
PLACES = ["Ba Chẽ", "Bình Liêu", "Tiên Yên", "Đầm Hà", "Hải Hà", "Vân Đồn", "Cô Tô", "Đông Triều", "Hạ Long"]


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def replay(queries) -> float:
    """The captured queries run again through a raw cursor: milliseconds."""
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(sql)
            cursor.fetchall()
    return (time.perf_counter() - start) * 1000


def timed(label, fn, repeat=REPEAT):
    durations, floors, queries, status = [], [], 0, None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = fn()
            durations.append((time.perf_counter() - start) * 1000)
        queries, status = len(captured), getattr(response, "status_code", None)
        floors.append(replay(captured.captured_queries))
    print(
        f"{label:<48} median {statistics.median(durations):7.1f} ms  p95 {p95(durations):7.1f} ms   "
        f"SQL floor median {statistics.median(floors):6.1f} p95 {p95(floors):6.1f} ms   "
        f"{queries:3d} queries  HTTP {status}",
        flush=True,
    )


def batched(objects, model):
    """bench/registries.py's batches: bulk_create, or COPY on PostgreSQL (the keys are read back)."""
    import registries

    registries.batched(objects, model)


def build(scale: int, rng: random.Random, inspector, spread=None):
    """spread: a registries.Spread (bench/national.py: the establishments over the whole country);
    default: the home province's units."""
    from stims.geo.models import AdminUnit
    from stims.inspections.models import (
        Establishment,
        Inspection,
        InspectionDecision,
        InspectionPlan,
        InspectionResult,
        InspectionState,
        MeasuringInstrument,
        Sanction,
        Sector,
        Violation,
        ViolationType,
    )

    n_establishments, n_inspections, n_instruments = 200_000 // scale, 1_000_000 // scale, 100_000 // scale
    units = list(AdminUnit.objects.filter(province__code=settings.STIMS_PROVINCE))
    province = AdminUnit.objects.filter(code=settings.STIMS_PROVINCE).first() or units[0]
    sectors = list(Sector.objects.order_by("sort_order"))
    types_by_sector = {}
    for vt in ViolationType.objects.all():
        types_by_sector.setdefault(vt.sector_id, []).append(vt)
    start = time.perf_counter()

    def establishments():
        for n in range(n_establishments):
            e = Establishment(
                name=f"{rng.choice(NAMES)} {rng.choice(PLACES)} số {n}",
                sector=rng.choice(sectors),
                admin_unit=spread.pick(rng) if spread else rng.choice(units),
                address=f"Tổ {n % 50}, {rng.choice(PLACES)}",
                owner_name=f"Chủ cơ sở {n}",
            )
            e.search_text = e.build_search_text()
            e.search_name = e.search_text[:255]
            yield e

    batched(establishments(), Establishment)
    ids = list(Establishment.objects.values_list("pk", "sector_id"))
    print(f"{n_establishments:>9,} establishments  {time.perf_counter() - start:7.1f} s", flush=True)
    decisions = {}
    for year in YEARS:
        for sector in sectors:
            plan = InspectionPlan.objects.create(
                year=year, sector=sector, admin_unit=province, title=f"Kế hoạch {sector.name} {year}"
            )
            decisions[(year, sector.pk)] = InspectionDecision.objects.create(
                plan=plan, number=f"{sector.pk}/{year}/QĐ", signed_on=D(year, 1, 15), signer="Giám đốc Sở"
            )
    start = time.perf_counter()
    busiest = ids[0][0]

    def inspections():
        for n in range(n_inspections):
            pk, sector_id = ids[0] if n % 5000 == 0 else rng.choice(ids)  # the busiest has ~200
            year = rng.choice(YEARS)
            day = D(year, rng.randint(1, 12), rng.randint(1, 28))
            closed = year < 2025 or rng.random() < 0.5
            result = (
                rng.choice([InspectionResult.COMPLIANT] * 4 + [InspectionResult.VIOLATIONS]) if closed else ""
            )
            yield Inspection(
                decision=decisions[(year, sector_id)],
                establishment_id=pk,
                planned_on=day,
                inspected_on=day if closed else None,
                lead_inspector=inspector,
                findings="Kiểm tra đo lường, chất lượng" if closed else "",
                state=InspectionState.CLOSED if closed else InspectionState.PLANNED,
                result=result,
            )

    batched(inspections(), Inspection)
    print(f"{n_inspections:>9,} inspections     {time.perf_counter() - start:7.1f} s", flush=True)
    start = time.perf_counter()
    found = Inspection.objects.filter(result=InspectionResult.VIOLATIONS).values_list(
        "pk", "establishment__sector_id", "planned_on"
    )
    fallback = ViolationType.objects.first()
    violations, sanctions = [], []
    for pk, sector_id, day in found.iterator(chunk_size=BATCH):
        violations.append(
            Violation(
                inspection_id=pk, violation_type=rng.choice(types_by_sector.get(sector_id) or [fallback])
            )
        )
        sanctions.append(
            Sanction(
                inspection_id=pk, issued_on=day, fine_vnd=rng.choice([0, 5, 10, 20]) * 1_000_000, paid_on=day
            )
        )
    batched(iter(violations), Violation)
    batched(iter(sanctions), Sanction)
    print(f"{len(violations):>9,} violations and as many sanctions  {time.perf_counter() - start:7.1f} s")
    start = time.perf_counter()
    today = datetime.date.today()

    def instruments():
        for n in range(n_instruments):
            yield MeasuringInstrument(
                establishment_id=rng.choice(ids)[0],
                kind="Cột đo nhiên liệu",
                serial_number=f"CD-{n}",
                last_verified_on=today - datetime.timedelta(days=rng.randint(0, 365)),
                verification_due=today + datetime.timedelta(days=rng.randint(-30, 365)),
            )

    batched(instruments(), MeasuringInstrument)
    print(f"{n_instruments:>9,} instruments     {time.perf_counter() - start:7.1f} s", flush=True)
    return Establishment.objects.get(pk=busiest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1/20 of the rows")
    args = parser.parse_args()
    setup_test_environment()
    print(f"database: {connection.vendor}{' (quick: 1/20)' if args.quick else ''}")
    call_command("migrate", verbosity=0)
    call_command("load_units", verbosity=0)
    from stims.testing import make_user

    inspector = make_user("inspector", username="bench.inspector")
    leader = make_user("leader", username="bench.leader")
    busiest = build(20 if args.quick else 1, random.Random(2026), inspector)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # As autovacuum would have done on a database that grew over years: the visibility map lets
            # counts use index-only scans (214 ms -> 8 ms for the planned inspections of 1,000,000).
            cursor.execute("VACUUM ANALYZE")
    print(f"the busiest establishment has {busiest.inspections.count()} inspections")
    for user in (leader, inspector):
        client = Client()
        client.force_login(user)
        who = user.username.split(".")[1]
        pages = [
            ("establishment list, page 1", reverse("inspections:establishment_list")),
            (
                "establishment list search 'xang dau ba che'",
                reverse("inspections:establishment_list") + "?q=xang+dau+ba+che",
            ),
            ("inspection list, page 1", reverse("inspections:inspection_list")),
            ("inspection list state=planned", reverse("inspections:inspection_list") + "?state=planned"),
            ("violation list, page 1", reverse("inspections:violation_list")),
            ("instrument list, page 1", reverse("inspections:measuringinstrument_list")),
            ("establishment history page (busiest)", busiest.get_absolute_url()),
            ("quality dashboard 2024", reverse("inspections:dashboard") + "?year=2024"),
        ]
        for label, url in pages:
            timed(f"[{who}] {label}", lambda c=client, u=url: c.get(u))


if __name__ == "__main__":
    sys.exit(main())
