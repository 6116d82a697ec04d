"""Load test: 50 department staff working through the API at once (run by bench/load/run).

Each virtual user is a division specialist with their own API token. Most of what they do is read —
lists (paged, filtered, searched) and records across the directory, products, IP assets, S&T tasks
and directives, and the registry figures — and some of it is write: new organizations, products,
tasks and directives, and edits of their own new records with If-Match (the ETag of the create).
Every write the server acknowledges (2xx with an id) is appended to a file of this process, so that
the runner can check afterwards that each one is in the database.

Settings come from the environment: LOAD_DATA (the JSON written by prepare.py), LOAD_OUT (the
directory for the acknowledged-writes files).
"""

import itertools
import json
import os
import random
import threading
import uuid
from pathlib import Path

from locust import HttpUser, between, task

DATA = json.loads(Path(os.environ["LOAD_DATA"]).read_text())
OUT = Path(os.environ["LOAD_OUT"])
WRITES = (OUT / f"writes-{os.getpid()}.jsonl").open("a", encoding="utf-8")
_write_lock = threading.Lock()
_tokens = itertools.cycle(DATA["tokens"])
SEARCHES = [
    "ba che",
    "mat ong",
    "tra hoa vang",
    "binh lieu",
    "nam linh chi",
    "che bien",
    "hop tac xa",
    "vien",
]
YEARS = list(range(2012, 2027))


def record(kind: str, pk: int, field: str, value, *, sent_only=False) -> None:
    """One line per acknowledged write; `sent_only` marks an edit about to be sent, which the run may
    stop before its answer comes back (the database may then hold it without an acknowledgement)."""
    line = {
        "kind": kind,
        "id": pk,
        "field": field,
        "value": value,
        **({"sent_only": True} if sent_only else {}),
    }
    with _write_lock:
        WRITES.write(json.dumps(line, ensure_ascii=False) + "\n")
        WRITES.flush()


class Specialist(HttpUser):
    wait_time = between(0.5, 2.5)

    def on_start(self):
        self.client.headers.update(
            {"Authorization": f"Token {next(_tokens)}", "Cookie": "django_language=en"}
        )
        self.mine = []  # (path, id, etag) of records this user created, to edit later

    def get(self, path, name, **params):
        with self.client.get(path, params=params, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]}")

    # ---- reads
    @task(5)
    def tasks_list(self):
        self.get("/api/tasks/tasks/", "tasks: list, a page", page=random.randint(1, 20))

    @task(6)
    def tasks_filtered(self):
        self.get(
            "/api/tasks/tasks/",
            "tasks: list, filtered",
            proposal_year=random.choice(YEARS),
            level=random.choice(["provincial", "grassroots", "national"]),
        )

    @task(6)
    def tasks_search(self):
        self.get("/api/tasks/tasks/", "tasks: search", q=random.choice(SEARCHES))

    @task(8)
    def task_detail(self):
        self.get(f"/api/tasks/tasks/{random.choice(DATA['read']['tasks'])}/", "tasks: detail")

    @task(6)
    def organizations_list(self):
        self.get("/api/orgs/organizations/", "organizations: list, search", q=random.choice(SEARCHES))

    @task(5)
    def organization_detail(self):
        self.get(
            f"/api/orgs/organizations/{random.choice(DATA['read']['organizations'])}/",
            "organizations: detail",
        )

    @task(6)
    def products_list(self):
        self.get(
            "/api/products/products/",
            "products: list, filtered",
            is_ocop="true",
            group=random.choice(DATA["product_groups"]),
        )

    @task(4)
    def product_detail(self):
        self.get(f"/api/products/products/{random.choice(DATA['read']['products'])}/", "products: detail")

    @task(6)
    def ip_assets_list(self):
        self.get("/api/ip/assets/", "IP assets: list, search", q=random.choice(SEARCHES))

    @task(4)
    def ip_asset_detail(self):
        self.get(f"/api/ip/assets/{random.choice(DATA['read']['ip_assets'])}/", "IP assets: detail")

    @task(4)
    def directives_list(self):
        self.get("/api/meetings/directives/", "directives: list", overdue=random.choice(["true", "false"]))

    @task(2)
    def registry_figures(self):
        self.get("/api/registries/figures/", "registry figures", year=random.choice(YEARS[-5:]))

    # ---- writes
    def create(self, path, kind, body, check_field):
        with self.client.post(path, json=body, name=f"{kind}: create", catch_response=True) as response:
            if response.status_code != 201 or "id" not in (payload := response.json()):
                response.failure(f"HTTP {response.status_code}: {response.text[:300]}")
                return
            record(kind, payload["id"], check_field, body[check_field])
            self.mine.append((path, kind, payload["id"], response.headers.get("ETag")))

    @task(3)
    def create_organization(self):
        self.create(
            "/api/orgs/organizations/",
            "organization",
            {
                "name": f"Hợp tác xã thử tải {uuid.uuid4().hex[:10]}",
                "kind": "cooperative",
                "admin_unit": random.choice(DATA["units"]),
                "phone": "0203 3888 000",
            },
            "name",
        )

    @task(2)
    def create_product(self):
        self.create(
            "/api/products/products/",
            "product",
            {
                "name": f"Mật ong rừng thử tải {uuid.uuid4().hex[:10]}",
                "group": random.choice(DATA["product_groups"]),
                "producer_kind": "household",
                "producer_name": "Hộ ông Nguyễn Văn An",
                "admin_unit": random.choice(DATA["units"]),
                "is_ocop": True,
            },
            "name",
        )

    @task(2)
    def create_task(self):
        self.create(
            "/api/tasks/tasks/",
            "task",
            {
                "code": f"LOAD.{uuid.uuid4().hex[:12]}",
                "title": "Ứng dụng tiến bộ kỹ thuật nuôi ong lấy mật",
                "task_type": random.choice(DATA["task_types"]),
                "level": "grassroots",
                "field": random.choice(DATA["fields"]),
                "ordering_unit": random.choice(DATA["units"]),
                "proposal_year": 2026,
            },
            "code",
        )

    @task(2)
    def create_directive(self):
        self.create(
            "/api/meetings/directives/",
            "directive",
            {
                "text": f"Rà soát hồ sơ đề xuất nhiệm vụ năm 2026 ({uuid.uuid4().hex[:8]})",
                "lead_organization": random.choice(DATA["organizations"]),
                "assigned_on": "2026-01-15",
                "recurrence": "once",
                "deadline": "2026-06-30",
            },
            "text",
        )

    @task(3)
    def edit_own_record(self):
        """Edit one of this user's new records, sending the version it last saw."""
        if not self.mine:
            return
        index = random.randrange(len(self.mine))
        path, kind, pk, etag = self.mine[index]
        field = {
            "organization": "phone",
            "product": "description",
            "task": "objectives",
            "directive": "text",
        }[kind]
        value = f"Cập nhật khi thử tải {uuid.uuid4().hex[:8]}"
        record(kind, pk, field, value, sent_only=True)
        with self.client.patch(
            f"{path}{pk}/",
            json={field: value},
            headers={"If-Match": etag or "*"},
            name=f"{kind}: edit (If-Match)",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:300]}")
                return
            record(kind, pk, field, value)
            self.mine[index] = (path, kind, pk, response.headers.get("ETag"))
