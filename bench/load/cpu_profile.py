"""Where a request's time goes, in one process, without the noise of a shared machine.

Runs the requests of the load scenario (bench/load/locustfile.py: the pages as a signed-in specialist,
the API with a token) through Django's full middleware stack with production settings (DEBUG off),
REPEAT times each after one warm-up, and prints for each: the median CPU time of this process
(`time.process_time`, what the worker spends, not what PostgreSQL spends), the wall time, the SQL
queries; then, with PROFILE=1, the functions that took the most cumulative time over the whole run.

    DATABASE_URL=postgres://…/stims_load_x .venv/bin/python bench/load/cpu_profile.py LOAD.json [REPEAT]

LOAD.json is what bench/load/prepare.py wrote for that database; ONLY=detail keeps the requests whose
name contains "detail", ONLY="=page: task" the one of that name.
"""

import cProfile
import io
import json
import os
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stims.settings")
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["SESSION_COOKIE_SECURE"] = "0"
os.environ["CSRF_COOKIE_SECURE"] = "0"
os.environ["STIMS_API_RATE_USER"] = "100000/minute"
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", "")
if not os.environ["PROMETHEUS_MULTIPROC_DIR"]:
    del os.environ["PROMETHEUS_MULTIPROC_DIR"]

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def requests(data):
    first = lambda key: data["read"][key][0]  # noqa: E731
    q = "mat ong"
    page = [
        ("page: home", "/"),
        ("page: IP list, a page", "/ip/assets/?page=3"),
        (
            "page: IP list, type+status",
            f"/ip/assets/?ip_type={data['ip_types'][0]}&status={data['ip_statuses'][0]}",
        ),
        ("page: IP list, search", f"/ip/assets/?q={q}"),
        ("page: task list, a page", "/tasks/?page=3"),
        ("page: task list, by state", f"/tasks/?state={data['task_states'][0]}"),
        ("page: product list", "/products/"),
        ("page: organizations, search", f"/directory/organizations/?q={q}"),
        ("page: directive list", "/meetings/directives/"),
        ("page: task", f"/tasks/{first('tasks')}/"),
        ("page: IP asset", f"/ip/assets/{first('ip_assets')}/"),
        ("page: product", f"/products/{first('products')}/"),
        ("page: organization", f"/directory/organizations/{first('organizations')}/"),
        ("page: global search", f"/search/?q={q}"),
        ("page: registry dashboard", "/registries/"),
        ("page: leader's summary", "/tasks/summary/"),
        ("form: organization (add)", "/directory/organizations/add/"),
        # After every page the browser asks for the bell's count (htmx): a third of the scenario's requests.
        ("htmx: notification badge", "/accounts/notifications/badge/"),
    ]
    api = [
        ("tasks: list, a page", "/api/tasks/tasks/?page=3"),
        ("tasks: list, filtered", "/api/tasks/tasks/?proposal_year=2020&level=provincial"),
        ("tasks: search", f"/api/tasks/tasks/?q={q}"),
        ("tasks: detail", f"/api/tasks/tasks/{first('tasks')}/"),
        ("organizations: list, search", f"/api/orgs/organizations/?q={q}"),
        ("organizations: detail", f"/api/orgs/organizations/{first('organizations')}/"),
        (
            "products: list, filtered",
            f"/api/products/products/?is_ocop=true&group={data['product_groups'][0]}",
        ),
        ("products: detail", f"/api/products/products/{first('products')}/"),
        ("IP assets: list, search", f"/api/ip/assets/?q={q}"),
        ("IP assets: detail", f"/api/ip/assets/{first('ip_assets')}/"),
        ("directives: list", "/api/meetings/directives/?overdue=false"),
        ("registry figures", "/api/registries/figures/?year=2025"),
    ]
    return page, api


def main(path: Path, repeat: int) -> None:
    from stims.accounts.models import User

    data = json.loads(path.read_text())
    pages, api = requests(data)
    browser = Client()
    browser.force_login(User.objects.get(username=data["users"][0]))
    integrator = Client(HTTP_AUTHORIZATION=f"Token {data['tokens'][1]}")
    runs = [(name, url, browser) for name, url in pages] + [(name, url, integrator) for name, url in api]
    if only := os.environ.get(
        "ONLY"
    ):  # ONLY="detail": the requests whose name contains it; "=page: task": that one
        runs = [run for run in runs if (only[1:] == run[0] if only.startswith("=") else only in run[0])]
    for name, url, client in runs:  # warm-up: imports, templates, connections
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)

    profiler = cProfile.Profile(time.process_time) if os.environ.get("PROFILE") else None
    results = {name: ([], [], 0) for name, _, _ in runs}
    for _ in range(repeat):
        for name, url, client in runs:
            with CaptureQueriesContext(connection) as queries:
                cpu, wall = time.process_time(), time.perf_counter()
                if profiler:
                    profiler.enable()
                client.get(url)
                if profiler:
                    profiler.disable()
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            results[name][0].append(cpu * 1000)
            results[name][1].append(wall * 1000)
            results[name] = (results[name][0], results[name][1], len(queries))
    print(f"{'request':40} {'CPU ms':>8} {'wall ms':>8} {'queries':>7}")
    cpus = []
    for name, (cpu, wall, nq) in results.items():
        cpus.append(statistics.median(cpu))
        print(f"{name:40} {statistics.median(cpu):8.1f} {statistics.median(wall):8.1f} {nq:7}")
    print(f"{'mean of the medians':40} {statistics.mean(cpus):8.1f}")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
            int(os.environ.get("TOP", "60"))
        )
        if callers := os.environ.get("CALLERS"):  # CALLERS=deepcopy: who calls it, and how much
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_callers(callers)
        print(out.getvalue())


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 5)
