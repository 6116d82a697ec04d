"""Benchmark: the directory at provincial scale.

Builds a fresh database (SQLite by default; PostgreSQL with DATABASE_URL) holding all administrative
units and N organizations and N people spread over the home province's communes, then prints how long
the pages and queries people use most take, and how many SQL queries each runs.

    .venv/bin/python bench/directory.py [N]        # default N = 20000

Not a test: it prints figures, it asserts nothing.
"""

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

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

FIRST_NAMES = ["Nguyễn Văn", "Trần Thị", "Lê Minh", "Phạm Quốc", "Hoàng Đức", "Đỗ Mạnh", "Vũ Thị", "Bùi Xuân"]
LAST_NAMES = ["An", "Bình", "Chính", "Dũng", "Hùng", "Lan", "Mai", "Tú", "Vỹ", "Đài"]
KINDS = ["enterprise", "cooperative", "association", "peoples_committee", "other"]


def timed(label, fn, repeat=5):
    durations, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            fn()
            durations.append((time.perf_counter() - start) * 1000)
        queries = len(captured)
    print(
        f"{label:<55} median {statistics.median(durations):8.1f} ms   max {max(durations):8.1f} ms   {queries:3d} queries"
    )


def main(n: int) -> None:
    setup_test_environment()
    from django.test.utils import get_runner  # noqa: F401  (keeps the test settings' database name)

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    call_command("load_units", verbosity=0)
    print(f"load_units (14,149 units, 10,196 successions)           {time.perf_counter() - start:8.1f} s")
    start = time.perf_counter()
    call_command("load_units", verbosity=0)
    print(f"load_units again (nothing to change)                    {time.perf_counter() - start:8.1f} s")

    from stims.geo.models import AdminUnit
    from stims.orgs.models import Organization, Person, Position
    from stims.testing import make_user, unit

    communes = list(AdminUnit.objects.filter(province__code="22", generation="legacy", level="commune"))
    rng = random.Random(2025)
    start = time.perf_counter()
    orgs = []
    for i in range(n):
        org = Organization(
            name=f"{rng.choice(['Công ty', 'HTX', 'Hội'])} {rng.choice(LAST_NAMES)} {i}",
            kind=rng.choice(KINDS),
            admin_unit=rng.choice(communes),
        )
        org.search_text = org.build_search_text()
        org.search_name = org.name.lower()
        orgs.append(org)
    Organization.objects.bulk_create(orgs, batch_size=2000)
    orgs = list(Organization.objects.all())
    people = []
    for i in range(n):
        person = Person(
            full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {i}",
            admin_unit=rng.choice(communes),
        )
        person.search_text = person.build_search_text()
        person.search_name = person.full_name.lower()
        people.append(person)
    Person.objects.bulk_create(people, batch_size=2000)
    Position.objects.bulk_create(
        [Position(person=p, organization=rng.choice(orgs), title="Giám đốc") for p in Person.objects.all()],
        batch_size=2000,
    )
    print(
        f"built {n:,} organizations, {n:,} people, {n:,} positions        {time.perf_counter() - start:8.1f} s"
    )

    specialist = make_user("specialist", username="bench.specialist")
    officer = make_user(
        "local_officer", admin_unit=unit("Huyện Ba Chẽ", legacy=True), username="bench.officer"
    )
    for user in (specialist, officer):
        client = Client()
        client.force_login(user)
        who = user.username
        timed(f"[{who}] organization list, page 1", lambda c=client: c.get("/directory/organizations/"))
        timed(
            f"[{who}] organization list, page 1 of 100 rows",
            lambda c=client: c.get("/directory/organizations/?per_page=100"),
        )
        timed(
            f"[{who}] organization list, last page",
            lambda c=client: c.get("/directory/organizations/?page=last"),
        )
        timed(f"[{who}] people list, page 1", lambda c=client: c.get("/directory/people/"))
        timed(
            f"[{who}] list search 'cong ty an'",
            lambda c=client: c.get("/directory/organizations/?q=cong+ty+an"),
        )
        timed(f"[{who}] global search 'ba che'", lambda c=client: c.get("/search/?q=ba+che"))
        timed(f"[{who}] unit list, page 1", lambda c=client: c.get("/units/"))
        timed(f"[{who}] API organizations, page 1", lambda c=client: c.get("/api/orgs/organizations/"))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
