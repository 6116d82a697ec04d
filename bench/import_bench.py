"""Benchmark: a 5,000-row Excel import of OCOP products, previewed and confirmed as a person does.

Builds a fresh database (SQLite by default; PostgreSQL with DATABASE_URL, whose tables are emptied
first) holding all administrative units and 2,000 organizations, writes a 5,000-row workbook in the
import template's layout (households, enterprises and cooperatives of the directory, units of the
home province, part scores, decision dates), then prints rows per second for:

  * floor    — a raw SQL INSERT of the same 5,000 product rows (executemany, one transaction, rolled back);
  * peer     — django-import-export's own ModelResource.import_data on the first 300 of the same rows,
               as the library does it out of the box (dry run: each row saved, then rolled back);
  * preview  — the import page's upload (every row read and checked; STIMS writes nothing);
  * confirm  — the confirm button (the background job, run at once here, writing every row in bulk
               with its history in one transaction);
  * the same preview of a district's own layout (title rows, merged two-row header, STT, short unit
    names, stars written "3 sao", a total row), where the import reads that layout;

and, during the preview and the confirm, how many saves of another user (a thread saving an
organization in a loop, each save in its own transaction with its history) failed, and the longest
such save took. Not a test: it prints figures, it asserts nothing.

    .venv/bin/python bench/import_bench.py [ROWS]          # default 5,000 rows
    .venv/bin/python bench/import_bench.py --all [ROWS]    # every import (default 100,000 rows) and the
                                                           # streamed exports: rows/s, first byte, memory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stims_imports .venv/bin/python bench/import_bench.py
"""

import io
import os
import random
import sys
import tempfile
import threading
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stims.settings_test")
os.environ.setdefault("STIMS_DATA_DIR", tempfile.mkdtemp(prefix="stims-bench-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import OperationalError, connection, connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

WORDS = ["Mật ong rừng", "Miến dong", "Trà hoa vàng", "Chả mực", "Ba kích tím", "Rượu mơ", "Nấm linh chi"]
DISTRICTS = [
    "Huyện Ba Chẽ",
    "Huyện Bình Liêu",
    "Huyện Tiên Yên",
    "Huyện Đầm Hà",
    "Huyện Hải Hà",
    "Huyện Cô Tô",
]
PEER_ROWS = 300  # the peer looks each unit up by name among 14,000 (two queries a row): a sample is enough
TEMPLATE = [
    "Tên sản phẩm",
    "Nhóm sản phẩm",
    "Loại chủ thể",
    "Chủ thể",
    "Đơn vị hành chính",
    "Tỉnh",
    "Giai đoạn",
    "Sản phẩm chủ lực",
    "Năm đánh giá",
    "Điểm A",
    "Điểm B",
    "Điểm C",
    "Số quyết định",
    "Ngày quyết định",
]


def line(label, rows, seconds, extra="", cpu=None):
    """Rows per second by the wall clock and, where given, by this thread's own CPU time (the figure a
    busy shared machine does not distort)."""
    own = f"  ({rows / cpu:6.0f} rows/s of CPU)" if cpu else ""
    print(f"{label:<46} {rows / seconds:7.0f} rows/s{own}   {seconds:6.2f} s {extra}", flush=True)


def prepare():
    from stims.geo.models import AdminUnit
    from stims.orgs.models import Organization
    from stims.testing import reseed_reference_data

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
        reseed_reference_data()
    if not AdminUnit.objects.exists():
        start = time.perf_counter()
        call_command("load_units", verbosity=0)
        print(f"load_units {time.perf_counter() - start:.1f} s", flush=True)
    from stims.core.text import fold

    units = {u.name: u for u in AdminUnit.objects.filter(name__in=DISTRICTS, generation="legacy")}
    rng = random.Random(2025)
    orgs = []
    for i in range(2000):
        kind = rng.choice(["enterprise", "cooperative"])
        prefix = "Công ty TNHH" if kind == "enterprise" else "Hợp tác xã"
        org = Organization(
            name=f"{prefix} {rng.choice(WORDS)} {i}", kind=kind, admin_unit=units[rng.choice(DISTRICTS)]
        )
        org.search_text, org.search_name = org.build_search_text(), fold(org.name)[:255]
        orgs.append(org)
    Organization.objects.bulk_create(orgs, batch_size=500)
    return list(Organization.objects.order_by("pk")), rng


def template_rows(n, orgs, rng):
    rows = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.5:
            kind, producer = "Hộ gia đình", f"Hộ ông Nguyễn Văn {i}"
        else:
            org = rng.choice(orgs)
            kind, producer = ("Doanh nghiệp" if org.kind == "enterprise" else "Hợp tác xã"), org.name
        year = rng.choice([2021, 2022, 2023, 2024])
        rows.append(
            [
                f"{rng.choice(WORDS)} số {i}",
                rng.choice(["Thực phẩm", "Đồ uống", "Thảo dược"]),
                kind,
                producer,
                rng.choice(DISTRICTS),
                "Quảng Ninh",
                "trước 2025",
                "có" if rng.random() < 0.2 else "không",
                year,
                rng.randint(20, 40),
                rng.randint(10, 25),
                rng.randint(15, 35),
                f"{rng.randint(1, 999)}/QĐ-UBND",
                f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{year}",
            ]
        )
    return rows


def workbook(headers, rows, titles=(), merges=()) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for title in titles:
        sheet.append(title)
    for header in headers:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def district_layout(rows):
    """The same products as a district keeps them: titles, a merged two-row header, STT, short units."""
    top = [
        "STT",
        "Tên sản phẩm",
        "Chủ thể",
        "Huyện",
        "Nhóm",
        "Điểm đánh giá",
        None,
        None,
        "Hạng sao",
        "Ngày QĐ",
    ]
    below = [None, None, None, None, None, "A", "B", "C", None, None]
    body = [
        [
            i + 1,
            r[0] + " (huyện)",
            r[3],
            r[4].replace("Huyện ", "H. "),
            r[1],
            r[9],
            r[10],
            r[11],
            "3 sao",
            r[13],
        ]
        for i, r in enumerate(rows)
    ]
    body.append(["Tổng cộng", None, None, None, None, None, None, None, None, f"{len(rows)} sản phẩm"])
    merges = ["A1:J1", "F3:H3"] + [f"{c}3:{c}4" for c in "ABCDEIJ"]
    return workbook([top, below], body, titles=[["DANH SÁCH SẢN PHẨM OCOP"], [None]], merges=merges)


class Writer(threading.Thread):
    """Another user saving a record in a loop, each save in its own transaction, with its history."""

    def __init__(self, org_pk):
        super().__init__(daemon=True)
        self.org_pk, self.stop = org_pk, threading.Event()
        self.saves, self.failures, self.longest = 0, 0, 0.0

    def run(self):
        from stims.orgs.models import Organization

        try:
            while not self.stop.is_set():
                start = time.perf_counter()
                try:
                    with transaction.atomic():
                        org = Organization.objects.get(pk=self.org_pk)
                        org.notes = f"lưu lần {self.saves}"
                        org.save()
                    self.saves += 1
                except OperationalError:
                    self.failures += 1
                self.longest = max(self.longest, time.perf_counter() - start)
                time.sleep(0.02)
        finally:
            connections.close_all()

    def result(self):
        self.stop.set()
        self.join()
        return (
            f"  other user: {self.saves} saves, {self.failures} failed, longest {self.longest * 1000:.0f} ms"
        )


def floor(rows, groups, units, orgs_by_name):
    from stims.core.text import fold

    now = timezone.now()
    kinds = {"Hộ gia đình": "household", "Doanh nghiệp": "enterprise", "Hợp tác xã": "cooperative"}
    params = []
    for r in rows:
        producer = orgs_by_name.get(r[3])
        params.append(
            (
                r[0],
                groups[r[1]],
                kinds[r[2]],
                producer,
                "" if producer else r[3],
                units[r[4]],
                r[7] == "có",
                True,
                "",
                fold(" ".join([r[0], r[3], r[4]])),
                fold(r[0])[:255],
                now,
                now,
            )
        )
    sql = (
        "INSERT INTO products_product (name, group_id, producer_kind, producer_id, producer_name, admin_unit_id, "
        "is_key_product, is_ocop, description, search_text, search_name, created_at, updated_at) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    )
    start = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return seconds


def peer(rows):
    """django-import-export out of the box: a ModelResource with ForeignKeyWidgets, import_data dry run."""
    import tablib
    from import_export import fields, resources, widgets

    from stims.geo.models import AdminUnit
    from stims.products.models import Product, ProductGroup

    class LegacyUnitWidget(widgets.ForeignKeyWidget):
        def get_queryset(self, value, row, *args, **kwargs):
            return AdminUnit.objects.filter(generation="legacy")

    class PlainProductResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="Tên sản phẩm")
        group = fields.Field(
            attribute="group",
            column_name="Nhóm sản phẩm",
            widget=widgets.ForeignKeyWidget(ProductGroup, "name"),
        )
        producer_name = fields.Field(attribute="producer_name", column_name="Chủ thể")
        admin_unit = fields.Field(
            attribute="admin_unit",
            column_name="Đơn vị hành chính",
            widget=LegacyUnitWidget(AdminUnit, "name"),
        )

        class Meta:
            model = Product
            fields = ("name", "group", "producer_name", "admin_unit")
            import_id_fields = ("name", "admin_unit")

        def before_import_row(self, row, **kwargs):
            row["producer_kind"] = "household"

        def init_instance(self, row=None):
            return Product(producer_kind="household")

    dataset = tablib.Dataset(*[tuple(r) for r in rows[:PEER_ROWS]], headers=TEMPLATE)
    start = time.perf_counter()
    result = PlainProductResource().import_data(dataset, dry_run=True, use_transactions=True)
    return time.perf_counter() - start, result.has_errors(), len(dataset)


def watch_write_transaction() -> dict:
    """Times the import's write step (the transaction holding the write lock), where the code has one."""
    from stims.registries.imports import ProductResource

    held: dict = {}
    original = ProductResource.__dict__.get("save_plan")
    if original is None:
        return held

    def save_plan(self, plan, **kwargs):
        start, cpu = time.perf_counter(), time.thread_time()
        try:
            return original(self, plan, **kwargs)
        finally:
            held.update(wall=time.perf_counter() - start, cpu=time.thread_time() - cpu)

    ProductResource.save_plan = save_plan
    return held


def main(n):
    setup_test_environment()
    print(f"database: {connection.vendor}   rows: {n:,}", flush=True)
    orgs, rng = prepare()
    from stims.geo.models import AdminUnit
    from stims.products.models import OcopEvaluation, Product, ProductGroup
    from stims.testing import make_user

    rows = template_rows(n, orgs, rng)
    data = workbook([TEMPLATE], rows)
    groups = dict(ProductGroup.objects.values_list("name", "pk"))
    units = {u.name: u.pk for u in AdminUnit.objects.filter(name__in=DISTRICTS, generation="legacy")}
    line(
        "floor: raw SQL INSERT of the same rows", n, floor(rows, groups, units, {o.name: o.pk for o in orgs})
    )
    seconds, errors, peer_rows = peer(rows)
    line(
        f"peer: django-import-export dry run ({peer_rows:,} rows)",
        peer_rows,
        seconds,
        "(with errors)" if errors else "",
    )

    user = make_user("specialist", username="bench.importer")
    client = Client()
    client.force_login(user)
    url = reverse("registries:import")

    writer = Writer(orgs[0].pk)
    writer.start()
    start, cpu = time.perf_counter(), time.thread_time()
    response = client.post(url, {"kind": "products", "file": SimpleUploadedFile("ocop.xlsx", data)})
    seconds, cpu = time.perf_counter() - start, time.thread_time() - cpu
    outcome = response.context["outcome"] if response.context else None
    counts = outcome.counts if outcome else f"HTTP {response.status_code}"
    line("preview (upload, every row checked)", n, seconds, f"{counts}", cpu)
    print(writer.result(), flush=True)

    before = Product.objects.count()
    writer = Writer(orgs[1].pk)
    writer.start()
    held = watch_write_transaction()
    start, cpu = time.perf_counter(), time.thread_time()
    done = client.post(reverse("registries:import_confirm"), {"token": response.context["token"]})
    seconds, cpu = time.perf_counter() - start, time.thread_time() - cpu
    written = Product.objects.count() - before
    line(
        "confirm (checked again, then written)",
        n,
        seconds,
        f"{written:,} written, HTTP {done.status_code}",
        cpu,
    )
    if held:
        print(f"  the write transaction: {held['wall']:.2f} s ({held['cpu']:.2f} s of CPU)", flush=True)
    print(writer.result(), flush=True)
    print(f"  {OcopEvaluation.objects.count():,} evaluations on record", flush=True)

    district = district_layout(rows)
    start, cpu = time.perf_counter(), time.thread_time()
    response = client.post(url, {"kind": "products", "file": SimpleUploadedFile("ocop-huyen.xlsx", district)})
    seconds, cpu = time.perf_counter() - start, time.thread_time() - cpu
    if response.status_code == 200:
        line("preview of a district's own layout", n, seconds, f"{response.context['outcome'].counts}", cpu)
    else:
        print(f"preview of a district's own layout: refused (HTTP {response.status_code})", flush=True)
    print(f"settings: {settings.DATABASES['default']['ENGINE']}", flush=True)


if __name__ == "__main__":
    if "--all" in sys.argv:  # every import at national scale, then the streamed exports (bench/imports.py)
        sys.path.insert(0, os.path.dirname(__file__))
        from imports import KINDS
        from imports import main as all_imports

        numbers = [a for a in sys.argv[1:] if a != "--all"]
        all_imports(int(numbers[0].replace(",", "").replace("_", "")) if numbers else 100_000, KINDS)
        sys.exit()
    main(int(sys.argv[1].replace(",", "").replace("_", "")) if len(sys.argv) > 1 else 5000)
