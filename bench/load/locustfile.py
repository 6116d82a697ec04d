"""Load test: department staff working at once, on the web pages and through the API (run by
bench/load/run).

Two kinds of virtual user, three on the pages for every two on the API (locust's `weight`):

- `Officer`: a division specialist signed in with the login form (a session), reading what the pages
  show — the home page, lists (paged, filtered, searched) of IP assets, tasks, products,
  organizations and directives, record pages, the global search, the registry dashboard and the
  leader's summary — and writing through the forms: new organizations, and edits of their own with
  the form's record version (GET the form, POST it back, as a browser does); after each page, the
  request its htmx makes once loaded (the bell's unread count);
- `Specialist`: an integrator with an API token, reading the same registries through the API (lists,
  filters, searches, records, the registry figures) and writing: new organizations, products, tasks
  and directives, and edits of their own new records with If-Match (the ETag of the create).

Both are locust's `FastHttpUser` (geventhttpclient): the load generator shares the machine's two cores
with the server it measures, and with requests' `HttpUser` it spent 3.1 ms of CPU per request against
1.6 ms (bench/load/run prints it). Redirects are not followed where a page answers one (a saved form).

About one request in six is a write. Every write the server acknowledges (a 2xx with an id, or the
form's redirect to the saved record) is appended to a file of this process, so that the runner can
check afterwards that each one is in the database.

Settings come from the environment: LOAD_DATA (the JSON written by prepare.py), LOAD_OUT (the
directory for the acknowledged-writes files), LOAD_SIGN_IN (see below), LOAD_WAIT (the pause between one user's requests, in
seconds, "min max"; default "0.1 0.5": short, so that 50 users are enough to find the server's
capacity — 50 people at a human pace of one click every few seconds ask far less).
"""

import itertools
import json
import os
import random
import re
import threading
import uuid
from http.cookiejar import Cookie
from pathlib import Path
from urllib.parse import urlparse

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

DATA = json.loads(Path(os.environ["LOAD_DATA"]).read_text())
OUT = Path(os.environ["LOAD_OUT"])
WRITES = (OUT / f"writes-{os.getpid()}.jsonl").open("a", encoding="utf-8")
_write_lock = threading.Lock()
_accounts = itertools.cycle(range(len(DATA["tokens"])))  # each virtual user its own account
WAIT = [float(x) for x in os.environ.get("LOAD_WAIT", "0.1 0.5").split()]
# LOAD_SIGN_IN=1: each page user signs in with the login form first (the password hasher's cost, about
# half a second of CPU each, at the start of the run); by default they start from a session opened by
# prepare.py, as staff who signed in earlier in the day.
SIGN_IN = os.environ.get("LOAD_SIGN_IN") == "1"
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


def error_of(response) -> str:
    """What went wrong below HTTP (a refused connection, a timeout), if anything."""
    return str(getattr(response, "error", None) or "")


def cookie(host: str, name: str, value: str) -> Cookie:
    """A cookie for the server under test, as its own Set-Cookie would have left it."""
    domain = urlparse(host).hostname
    return Cookie(
        0, name, value, None, False, domain, False, False, "/", True, False, None, True, None, None, {}
    )


class Specialist(FastHttpUser):
    weight = 2
    wait_time = between(*WAIT)

    def on_start(self):
        self.headers = {
            "Authorization": f"Token {DATA['tokens'][next(_accounts)]}",
            "Cookie": "django_language=en",
        }
        self.mine = []  # (path, id, etag) of records this user created, to edit later

    def get(self, path, name, **params):
        with self.client.get(
            path, params=params, name=name, headers=self.headers, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:200]} {error_of(response)}")

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
        with self.client.post(
            path, json=body, name=f"{kind}: create", headers=self.headers, catch_response=True
        ) as response:
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
            headers={**self.headers, "If-Match": etag or "*"},
            name=f"{kind}: edit (If-Match)",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {response.text[:300]}")
                return
            record(kind, pk, field, value)
            self.mine[index] = (path, kind, pk, response.headers.get("ETag"))


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="record_version" value="([^"]*)"')
SAVED = re.compile(r"/directory/organizations/(\d+)/$")


class Officer(FastHttpUser):
    """A specialist at a browser: signed in by the login form, pages and forms (Vietnamese, the
    default)."""

    weight = 3
    wait_time = between(*WAIT)

    def on_start(self):
        self.mine = []  # (id, name) of organizations this user created, to edit later
        account = next(_accounts)
        if not SIGN_IN:  # signed in earlier in the day: the session prepare.py opened
            self.client.cookiejar.set_cookie(cookie(self.host, "sessionid", DATA["sessions"][account]))
            return
        form = self.client.get("/accounts/login/", name="sign in: form")
        with self.client.post(
            "/accounts/login/",
            data={
                "username": DATA["users"][account],
                "password": DATA["password"],
                "csrfmiddlewaretoken": CSRF.search(form.text).group(1),
            },
            name="sign in",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in refused: HTTP {response.status_code}")

    def page(self, path, name, **params):
        """A page, then what the browser asks once it has loaded (htmx): the bell's unread count.
        Static files are not asked for: their names carry a hash and browsers keep them a year."""
        with self.client.get(
            path, params=params, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(
                    f"HTTP {response.status_code}: {response.headers.get('Location', '')} {error_of(response)}"
                )
        if response.status_code == 200 and "/accounts/notifications/badge/" in response.text:
            self.client.get("/accounts/notifications/badge/", name="htmx: notification badge")
        return response

    # ---- reads
    @task(3)
    def home(self):
        self.page("/", "page: home")

    @task(5)
    def ip_list(self):
        self.page("/ip/assets/", "page: IP list, a page", page=random.randint(1, 20))

    @task(3)
    def ip_list_filtered(self):
        self.page(
            "/ip/assets/",
            "page: IP list, type+status",
            ip_type=random.choice(DATA["ip_types"]),
            status=random.choice(DATA["ip_statuses"]),
        )

    @task(3)
    def ip_search(self):
        self.page("/ip/assets/", "page: IP list, search", q=random.choice(SEARCHES))

    @task(5)
    def task_list(self):
        self.page("/tasks/", "page: task list, a page", page=random.randint(1, 20))

    @task(3)
    def task_list_state(self):
        self.page("/tasks/", "page: task list, by state", state=random.choice(DATA["task_states"]))

    @task(3)
    def product_list(self):
        self.page("/products/", "page: product list")

    @task(2)
    def organization_search(self):
        self.page("/directory/organizations/", "page: organizations, search", q=random.choice(SEARCHES))

    @task(2)
    def directive_list(self):
        self.page("/meetings/directives/", "page: directive list")

    @task(6)
    def task_page(self):
        self.page(f"/tasks/{random.choice(DATA['read']['tasks'])}/", "page: task")

    @task(4)
    def ip_page(self):
        self.page(f"/ip/assets/{random.choice(DATA['read']['ip_assets'])}/", "page: IP asset")

    @task(3)
    def product_page(self):
        self.page(f"/products/{random.choice(DATA['read']['products'])}/", "page: product")

    @task(3)
    def organization_page(self):
        self.page(
            f"/directory/organizations/{random.choice(DATA['read']['organizations'])}/",
            "page: organization",
        )

    @task(4)
    def global_search(self):
        self.page("/search/", "page: global search", q=random.choice(SEARCHES))

    @task(2)
    def registry_dashboard(self):
        self.page("/registries/", "page: registry dashboard")

    @task(2)
    def leaders_summary(self):
        self.page("/tasks/summary/", "page: leader's summary")

    # ---- writes, through the forms
    def post_form(self, path, name, fields):
        """GET the form (its CSRF token and, on an edit, the record's version), POST it back; the
        answer to a saved form is a redirect to the record."""
        form = self.page(path, f"form: {name}")
        if form.status_code != 200 or not (csrf := CSRF.search(form.text)):
            return None
        data = {**fields, "csrfmiddlewaretoken": csrf.group(1)}
        if version := VERSION.search(form.text):
            data["record_version"] = version.group(1)
        with self.client.post(
            path, data=data, name=f"save: {name}", allow_redirects=False, catch_response=True
        ) as response:
            saved = (
                SAVED.search(response.headers.get("Location", "")) if response.status_code == 302 else None
            )
            if saved is None:
                response.failure(f"not saved: HTTP {response.status_code} {response.text[:300]}")
                return None
            return int(saved.group(1))

    def organization_fields(self, name, phone):
        return {
            "name": name,
            "kind": "cooperative",
            "admin_unit": self.unit,
            "phone": phone,
            "is_active": "on",
        }

    @task(2)
    def add_organization(self):
        name = f"Hợp tác xã nhập qua biểu mẫu {uuid.uuid4().hex[:10]}"
        self.unit = random.choice(DATA["units"])
        pk = self.post_form(
            "/directory/organizations/add/", "organization (add)", self.organization_fields(name, "")
        )
        if pk is not None:
            record("organization", pk, "name", name)
            self.mine.append((pk, name, self.unit))

    @task(2)
    def edit_organization(self):
        if not self.mine:
            return
        pk, name, self.unit = random.choice(self.mine)
        phone = f"0203 {random.randint(1000, 9999)} {random.randint(100, 999)}"
        record("organization", pk, "phone", phone, sent_only=True)
        if (
            self.post_form(
                f"/directory/organizations/{pk}/edit/",
                "organization (edit)",
                self.organization_fields(name, phone),
            )
            == pk
        ):
            record("organization", pk, "phone", phone)
