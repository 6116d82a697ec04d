"""Benchmark: the department's agenda at scale (issue 22).

Builds a fresh database (SQLite by default; PostgreSQL with DATABASE_URL, an empty database) holding a
province with its districts, 500 plans and programmes, 20,000 targets (40 a plan; one in four counted
from STIMS's records, the others entered) and 100,000 records linked to the plans (60,000 progress
entries with their evidence notes, 20,000 outreach and training activities, 10,000 policy documents and
10,000 cooperation agreements), then prints the median and 95th-percentile times and the SQL query count
of a plan's page, the plans list, its API list and the "behind target" page, as a department leader:

    .venv/bin/python bench/programmes.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stims_bench .venv/bin/python bench/programmes.py

Rows are written with bulk_create (which skips save(): the folded search columns are filled here as
save() would). Not a test: it prints figures, it asserts nothing.
"""

import datetime
import os
import random
import statistics
import tempfile
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stims.settings_test")
os.environ.setdefault("STIMS_DATA_DIR", tempfile.mkdtemp(prefix="stims-bench-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

PLANS, TARGETS_PER_PLAN = 500, 40
ENTRIES, ACTIVITIES, DOCUMENTS, AGREEMENTS = 60_000, 20_000, 10_000, 10_000
BATCH = 5000
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))


def timed(label, fn, repeat=REPEAT):
    durations, queries, status = [], 0, None
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = fn()
            durations.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
        status = getattr(response, "status_code", None)
    durations.sort()
    p95 = durations[min(len(durations) - 1, round(0.95 * (len(durations) - 1)))]
    print(
        f"{label:<44} median {statistics.median(durations):7.1f} ms   p95 {p95:7.1f} ms   "
        f"{queries:3d} queries   HTTP {status}",
        flush=True,
    )


def searchable(obj):
    obj.search_text = obj.build_search_text()
    obj.search_name = obj.search_text[:255]
    return obj


def build(
    rng: random.Random,
    places,
    plans_n: int = PLANS,
    targets_per_plan: int = TARGETS_PER_PLAN,
    entries: int = ENTRIES,
    activities: int = ACTIVITIES,
    documents: int = DOCUMENTS,
    agreements: int = AGREEMENTS,
):
    """Plans with their targets, progress entries, activities, documents and agreements.

    places: (owner organization, administrative unit) pairs; the first is the department's own (every
    other plan is its), the others share the rest in turn. Linked records go to their plan's owner and
    unit. Used by bench/national.py with every province's department and a sample of communes."""
    from django.db.models import OuterRef, Subquery

    from stims.programmes.measures import MEASURES
    from stims.programmes.models import (
        Activity,
        Agreement,
        LegalDocument,
        Plan,
        PlanKind,
        ProgressEntry,
        Target,
    )

    kinds = list(PlanKind.values)
    others = places[1:] or places

    def place(n):
        return places[0] if n % 2 else others[n % len(others)]

    Plan.objects.bulk_create(
        (
            searchable(
                Plan(
                    kind=rng.choice(kinds),
                    name=f"Chương trình phát triển khoa học và công nghệ số {n}",
                    start_year=2021,
                    end_year=2030,
                    owner=place(n)[0],
                    admin_unit=place(n)[1],
                    decision_number=f"{n}/QĐ-UBND",
                )
            )
            for n in range(plans_n)
        ),
        batch_size=BATCH,
    )
    plans = list(Plan.objects.order_by("pk"))
    measures = list(MEASURES)
    targets = []
    for plan in plans:
        for t in range(targets_per_plan):
            measured = t % 4 == 0
            targets.append(
                Target(
                    plan=plan,
                    indicator=f"Chỉ tiêu {t}",
                    unit="%" if not measured else "số lượng",
                    measure=measures[t // 4 % len(measures)] if measured else "",
                    year=2021 + t % 10,
                    value=100,
                    baseline=0,
                )
            )
    Target.objects.bulk_create(targets, batch_size=BATCH)
    entered = list(Target.objects.filter(measure="").values_list("pk", flat=True))
    ProgressEntry.objects.bulk_create(
        (
            ProgressEntry(
                target_id=entered[n % len(entered)],
                reported_on=datetime.date(2021 + n % 5, 1 + n % 12, 1),
                value=rng.randint(0, 120),
                note="Báo cáo định kỳ",
            )
            for n in range(entries)
        ),
        batch_size=BATCH,
    )
    # bulk_create skips save(): each target's latest value is copied in one statement, as save() would.
    latest = ProgressEntry.objects.filter(target=OuterRef("pk")).order_by("-reported_on", "-pk")
    Target.objects.update(latest_value=Subquery(latest.values("value")[:1]))
    Activity.objects.bulk_create(
        (
            searchable(
                Activity(
                    kind="training",
                    title=f"Tập huấn số {n}",
                    held_on=datetime.date(2021 + n % 5, 1 + n % 12, 10),
                    attendees=rng.randint(10, 200),
                    organizer=plans[n % len(plans)].owner,
                    admin_unit=plans[n % len(plans)].admin_unit,
                    plan=plans[n % len(plans)],
                )
            )
            for n in range(activities)
        ),
        batch_size=BATCH,
    )
    LegalDocument.objects.bulk_create(
        (
            searchable(
                LegalDocument(
                    doc_type="decision",
                    number=f"{n}/QĐ-UBND",
                    title=f"Quyết định triển khai số {n}",
                    role="drafted",
                    status="in_force",
                    organization=plans[n % len(plans)].owner,
                    admin_unit=plans[n % len(plans)].admin_unit,
                    plan=plans[n % len(plans)],
                )
            )
            for n in range(documents)
        ),
        batch_size=BATCH,
    )
    Agreement.objects.bulk_create(
        (
            searchable(
                Agreement(
                    name=f"Thỏa thuận hợp tác số {n}",
                    owner=plans[n % len(plans)].owner,
                    admin_unit=plans[n % len(plans)].admin_unit,
                    plan=plans[n % len(plans)],
                )
            )
            for n in range(agreements)
        ),
        batch_size=BATCH,
    )
    return plans


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from stims.geo.models import AdminUnit
    from stims.orgs.models import Organization, OrganizationKind
    from stims.testing import make_user

    rng = random.Random(22)
    start = time.perf_counter()
    province = AdminUnit.objects.create(
        generation="legacy",
        level="province",
        code="99",
        name="Tỉnh Thử Nghiệm",
        short_name="Thử Nghiệm",
        kind="Tỉnh",
    )
    districts = [
        AdminUnit.objects.create(
            generation="legacy",
            level="district",
            code=f"9{n:02d}",
            name=f"Huyện Số {n}",
            short_name=f"Số {n}",
            kind="Huyện",
            parent=province,
            province=province,
        )
        for n in range(20)
    ]
    department = Organization.objects.create(
        name="Sở Khoa học và Công nghệ", kind=OrganizationKind.DEPARTMENT, admin_unit=province
    )
    committees = [
        Organization.objects.create(
            name=f"UBND {d.name}", kind=OrganizationKind.PEOPLES_COMMITTEE, admin_unit=d
        )
        for d in districts
    ]
    plans = build(rng, [(department, province), *zip(committees, districts, strict=True)])
    targets = plans[0].targets.count() * len(plans)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"built {PLANS} plans, {targets} targets, "
        f"{ENTRIES + ACTIVITIES + DOCUMENTS + AGREEMENTS} linked records in {time.perf_counter() - start:.1f} s "
        f"({connection.vendor})",
        flush=True,
    )

    client = Client()
    client.force_login(make_user("leader", username="bench_leader"))
    plan = plans[len(plans) // 2]
    print(f"{'page':<44} (each {REPEAT} times)")
    timed("plan page (40 targets, 200 linked records)", lambda: client.get(plan.get_absolute_url()))
    timed("plans list", lambda: client.get(reverse("programmes:plan_list")))
    timed("plans list, searched", lambda: client.get(reverse("programmes:plan_list"), {"q": "so 25"}))
    timed("API plans list", lambda: client.get(reverse("api:plan-list")))
    timed("programmes behind target", lambda: client.get(reverse("programmes:behind")))


if __name__ == "__main__":
    main()
