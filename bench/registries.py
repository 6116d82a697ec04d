"""Benchmark: the registries at provincial scale.

Builds a fresh database (SQLite by default; PostgreSQL with DATABASE_URL) holding all administrative
units, 2,000 organizations, N IP assets and N/20 products (most with one to three OCOP evaluations)
spread over the home province's units (both generations), then prints the median and 95th-percentile
times, and the SQL query count, of the registry pages people use most.

    .venv/bin/python bench/registries.py [N]       # default N = 1,000,000 IP assets, 50,000 products
    .venv/bin/python bench/registries.py 20000     # a quick run
    DATABASE_URL=postgres://postgres@127.0.0.1/stims_bench .venv/bin/python bench/registries.py

Rows are written with bulk_create in batches, which skips save(): the folded search columns are
filled here with the models' own build_search_text()/core.text.fold, and OCOP totals and stars from
the star bands, as save() would. Not a test: it prints figures, it asserts nothing.
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

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

BATCH = 5000
PRODUCT_WORDS = [
    "Mật ong rừng",
    "Miến dong",
    "Trà hoa vàng",
    "Chả mực",
    "Ba kích tím",
    "Rượu mơ",
    "Nấm linh chi",
    "Dầu sở",
    "Hải sản khô",
    "Sá sùng",
    "Gà đồi",
    "Bánh gio",
    "Khoai sọ",
    "Trà hoa sở",
]
PLACES = [
    "Ba Chẽ",
    "Bình Liêu",
    "Tiên Yên",
    "Đầm Hà",
    "Hải Hà",
    "Vân Đồn",
    "Cô Tô",
    "Đông Triều",
    "Uông Bí",
    "Hạ Long",
]
ORG_PREFIX = ["Công ty TNHH", "Công ty cổ phần", "Hợp tác xã"]
REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))


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
        f"{label:<62} median {statistics.median(durations):8.1f} ms   p95 {p95:8.1f} ms   "
        f"{queries:3d} queries   HTTP {status}",
        flush=True,
    )


def batched(objects, model):
    """bulk_create a generator in batches, without holding a million objects at once.

    On PostgreSQL each batch is written with COPY instead (the values prepared by the fields exactly as
    bulk_create prepares them: pre_save, then get_db_prep_save), which spares the server parsing a
    5,000-row INSERT and the client building it. The objects' keys are then not filled in: callers read
    them back from the table (as they do). BENCH_COPY=0 keeps bulk_create."""
    write = (
        copy_rows if connection.vendor == "postgresql" and os.environ.get("BENCH_COPY", "1") != "0" else None
    )
    chunk = []
    for obj in objects:
        chunk.append(obj)
        if len(chunk) == BATCH:
            write(chunk, model) if write else model.objects.bulk_create(chunk, batch_size=BATCH)
            chunk = []
    if chunk:
        write(chunk, model) if write else model.objects.bulk_create(chunk, batch_size=BATCH)


def copy_rows(objects, model) -> None:
    """COPY model objects into their table (PostgreSQL), the key left to its sequence."""
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.get_internal_type() in AUTO)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608 (our own names)
            for obj in objects:
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])


AUTO = ("AutoField", "BigAutoField", "SmallAutoField")


class Spread:
    """Which administrative unit a generated row belongs to.

    home (the default, this script's own run): every unit of the home province, both generations,
    picked uniformly, as a province's own deployment holds them. national (bench/national.py): all 34
    provinces and their communes for records of 2025 on, the legacy units (63 provinces, their
    districts and communes) for older records, as a national deployment holds them: a fifth of the
    current records at province level, the rest in a commune; older ones 15 % province, 35 % district,
    50 % commune. Units are taken in key order, so a seeded generator gives the same data set.
    """

    def __init__(self, national: bool = False):
        from stims.geo.models import AdminUnit

        self.national = national
        if national:
            units = list(AdminUnit.objects.select_related("province", "parent").order_by("pk"))
            self.current = {
                level: [u for u in units if not u.is_legacy and u.level == level]
                for level in ("province", "commune")
            }
            self.legacy = {
                level: [u for u in units if u.is_legacy and u.level == level]
                for level in ("province", "district", "commune")
            }
            self.units = units
            print(
                f"national: {sum(map(len, self.current.values())):,} current units "
                f"({len(self.current['province'])} provinces), {sum(map(len, self.legacy.values())):,} legacy units",
                flush=True,
            )
        else:
            self.units = list(
                AdminUnit.objects.filter(province__code=settings.STIMS_PROVINCE)
                .select_related("province", "parent")
                .order_by("pk")
            )
            print(f"home province {settings.STIMS_PROVINCE}: {len(self.units):,} units (both generations)")
        # communes for records that name one without a year (a handover's receiving commune)
        self.communes = (
            self.current["commune"] if national else [u for u in self.units if u.level == "commune"]
        )

    def pick(self, rng: random.Random, year: int | None = None):
        """A unit for a record of that year (None: a current record)."""
        if not self.national:
            return rng.choice(self.units)
        draw = rng.random()
        if year is not None and year < 2025:
            level = "province" if draw < 0.15 else "district" if draw < 0.5 else "commune"
            return rng.choice(self.legacy[level])
        return rng.choice(self.current["province" if draw < 0.2 else "commune"])


def build(n_assets: int, n_products: int, rng: random.Random, spread: Spread | None = None):
    from stims.core.text import fold
    from stims.ip.models import IpAsset, IpStatus, IpType
    from stims.orgs.models import Organization
    from stims.products.models import OcopEvaluation, ProducerKind, Product, ProductGroup, StarBand

    spread = spread or Spread()
    units = spread.units

    if not IpType.objects.exists():
        for i, name in enumerate(["Nhãn hiệu", "Nhãn hiệu tập thể", "Chỉ dẫn địa lý", "Sáng chế"]):
            IpType.objects.create(code=f"bench-type-{i}", name=name)
    if not IpStatus.objects.exists():
        for i, name in enumerate(["Đã nộp đơn", "Thẩm định nội dung", "Được cấp văn bằng", "Hết hiệu lực"]):
            IpStatus.objects.create(code=f"bench-status-{i}", name=name, is_protected=i == 2)
    if not ProductGroup.objects.exists():
        for i, name in enumerate(["Thực phẩm", "Đồ uống", "Thảo dược", "Thủ công mỹ nghệ"]):
            ProductGroup.objects.create(code=f"bench-group-{i}", name=name)
    types, statuses, groups = (
        list(IpType.objects.all()),
        list(IpStatus.objects.all()),
        list(ProductGroup.objects.all()),
    )
    bands = list(StarBand.objects.filter(valid_to__isnull=True).order_by("-stars"))

    start = time.perf_counter()

    def organizations():
        for i in range(2000):
            org = Organization(
                name=f"{rng.choice(ORG_PREFIX)} {rng.choice(PRODUCT_WORDS)} {rng.choice(PLACES)} {i}",
                kind=rng.choice(["enterprise", "cooperative"]),
                admin_unit=spread.pick(rng),
            )
            org.search_text = org.build_search_text()
            org.search_name = fold(org.name)[:255]
            yield org

    batched(organizations(), Organization)
    orgs = list(Organization.objects.select_related("admin_unit"))

    def products():
        for i in range(n_products):
            kind = rng.choice(list(ProducerKind))
            producer = None if kind == ProducerKind.HOUSEHOLD else rng.choice(orgs)
            product = Product(
                name=f"{rng.choice(PRODUCT_WORDS)} {rng.choice(PLACES)} {i}",
                group=rng.choice(groups),
                producer_kind=kind,
                producer=producer,
                producer_name="" if producer else f"Hộ {rng.choice(PLACES)} {i}",
                admin_unit=spread.pick(rng),
                is_key_product=rng.random() < 0.2,
                is_ocop=rng.random() < 0.6,
            )
            product.search_text = product.build_search_text()
            product.search_name = fold(product.name)[:255]
            yield product

    batched(products(), Product)

    def stars_for(total):
        return next((b.stars for b in bands if b.min_score <= total <= b.max_score), None)

    def evaluations():
        for product_id, is_ocop in Product.objects.values_list("pk", "is_ocop").iterator(chunk_size=BATCH):
            if not is_ocop:
                continue
            for year in rng.sample(range(2019, 2025), rng.randint(1, 3)):
                a, b, c = rng.randint(20, 40), rng.randint(10, 25), rng.randint(15, 35)
                yield OcopEvaluation(
                    product_id=product_id,
                    year=year,
                    score_a=a,
                    score_b=b,
                    score_c=c,
                    total_score=a + b + c,
                    stars=stars_for(a + b + c),
                    decision_number=f"{rng.randint(1, 999)}/QĐ-UBND",
                )

    batched(evaluations(), OcopEvaluation)
    print(
        f"built 2,000 organizations, {n_products:,} products, {OcopEvaluation.objects.count():,} evaluations"
        f"   {time.perf_counter() - start:8.1f} s",
        flush=True,
    )

    start = time.perf_counter()

    def assets():
        for i in range(n_assets):
            owner = rng.choice(orgs) if rng.random() < 0.7 else None
            filed = rng.randint(2005, 2025)
            asset = IpAsset(
                ip_type=rng.choice(types),
                name=f"{rng.choice(PRODUCT_WORDS)} {rng.choice(PLACES)} {i}",
                owner=owner,
                owner_name="" if owner else f"Hộ {rng.choice(PLACES)} {i}",
                admin_unit=spread.pick(rng, filed),
                application_number=f"4-{filed}-{i:07d}",
                status=rng.choice(statuses),
            )
            asset.search_text = asset.build_search_text()
            asset.search_name = fold(asset.name)[:255]
            yield asset

    batched(assets(), IpAsset)
    print(
        f"built {n_assets:,} IP assets                                  {time.perf_counter() - start:8.1f} s",
        flush=True,
    )
    return units, types, statuses


def main(n_assets: int) -> None:
    setup_test_environment()
    n_products = max(n_assets // 20, 100)
    print(f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    call_command("load_units", verbosity=0)
    print(
        f"load_units                                                    {time.perf_counter() - start:8.1f} s",
        flush=True,
    )
    rng = random.Random(2025)
    units, types, statuses = build(n_assets, n_products, rng)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    from stims.testing import make_user, unit

    ba_che = unit("Huyện Ba Chẽ", legacy=True)
    busiest = ba_che if any(u.pk == ba_che.pk for u in units) else units[0]
    specialist = make_user("specialist", username="bench.specialist")
    officer = make_user("local_officer", admin_unit=ba_che, username="bench.officer")

    def url(name):
        try:
            return reverse(name)
        except NoReverseMatch:
            return None

    ip_list, product_list, dashboard = (
        url("ip:ipasset_list"),
        url("products:product_list"),
        url("registries:dashboard"),
    )
    for user in (specialist, officer):
        client = Client()
        client.force_login(user)
        who = user.username
        if ip_list:
            filtered = f"{ip_list}?ip_type={types[0].pk}&status={statuses[0].pk}&admin_unit={busiest.pk}"
            timed(f"[{who}] IP list, page 1", lambda c=client: c.get(ip_list))
            timed(f"[{who}] IP list type+status+unit, page 1", lambda c=client, u=filtered: c.get(u))
            timed(
                f"[{who}] IP list search 'mien dong binh lieu'",
                lambda c=client: c.get(f"{ip_list}?q=mien+dong+binh+lieu"),
            )
        else:
            print("IP asset list (ip:ipasset_list) is not there yet: not measured")
        if product_list:
            timed(
                f"[{who}] product list search 'mat ong ba che'",
                lambda c=client: c.get(f"{product_list}?q=mat+ong+ba+che"),
            )
            timed(f"[{who}] product list, page 1", lambda c=client: c.get(product_list))
        else:
            print("product list (products:product_list) is not there yet: not measured")
        if dashboard:
            timed(f"[{who}] registry dashboard", lambda c=client: c.get(dashboard))
        else:
            print("registry dashboard (registries:dashboard) is not there yet: not measured")


if __name__ == "__main__":
    main(int(sys.argv[1].replace(",", "").replace("_", "")) if len(sys.argv) > 1 else 1_000_000)
