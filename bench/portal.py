"""Public portal benchmark: page latency behind gunicorn on the demo data, then a locust run of
anonymous visitors.

    .venv/bin/python bench/portal.py                      # 200 users for 2 minutes
    USERS=50 DURATION=30s .venv/bin/python bench/portal.py

Builds a fresh SQLite database with the demo data (or uses DATABASE_URL if set and already filled),
starts gunicorn (WORKERS, default 3) on a loopback port, then:

  1. latency: every portal page asked ROUNDS times in turn by one client (the first answer of each
     page fills the cache; later ones are served from it, as the public's traffic is), and the
     median and 95th percentile per page and over all pages are printed;
  2. load: locust (its own venv, .venv-load, the `load` extra) with USERS anonymous visitors for
     DURATION (bench/load/portal_locustfile.py); prints requests, throughput, median, p95, errors.

Exit 1 when the p95 over all pages is 50 ms or more, or when locust saw any error.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("PORT", "8118"))
WORKERS = os.environ.get("WORKERS", "3")
ROUNDS = int(os.environ.get("ROUNDS", "30"))
USERS = os.environ.get("USERS", "200")
DURATION = os.environ.get("DURATION", "2m")
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def stims(*args, env):
    subprocess.run([PYTHON, "-m", "stims", *args], check=True, env=env, cwd=ROOT)


def pages(env) -> dict:
    script = """
import django, json, os
django.setup()
from django.urls import reverse
from stims.portal.models import NewsArticle, NewsCategory
from stims.portal.public import CATALOGUES
articles = [a.get_public_url() for a in NewsArticle.objects.public()]
print(json.dumps({
  "articles": articles,
  "categories": [c.get_public_url() for c in NewsCategory.objects.all()],
  "catalogues": [reverse("portal:catalogue", args=[k]) for k in CATALOGUES],
  "downloads": [reverse("portal:catalogue_download", args=[k, f]) for k in CATALOGUES for f in ("csv", "json")],
  "records": [reverse("portal:catalogue_record", args=[k, c.rows().first().pk]) for k, c in CATALOGUES.items() if c.rows().exists()],
}))
"""
    out = subprocess.run(
        [PYTHON, "-c", script],
        check=True,
        env={**env, "DEBUG": "1"},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def get(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        assert response.status == 200, url
    return (time.perf_counter() - start) * 1000


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="stims-portal-bench-"))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "DJANGO_SETTINGS_MODULE": "stims.settings",
        "STIMS_DATA_DIR": str(work / "data"),
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{work / 'portal.sqlite3'}")
    (work / "data").mkdir()
    if "sqlite" in env["DATABASE_URL"] and not os.environ.get("DATABASE_URL"):
        start = time.perf_counter()
        stims("migrate", "-v0", env={**env, "DEBUG": "1"})
        stims("load_units", "-v0", env={**env, "DEBUG": "1"})
        subprocess.run(
            [PYTHON, "-m", "stims", "demo"],
            check=True,
            env={**env, "DEBUG": "1"},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        print(f"demo database ready in {time.perf_counter() - start:.0f} s", flush=True)
    paths = pages(env)
    (work / "paths.json").write_text(json.dumps(paths))
    server_env = {
        **env,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    # Production settings serve the hashed static files of collectstatic (whitenoise's manifest).
    stims("collectstatic", "--no-input", "-v0", env=server_env)
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "stims.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
         "--workers", WORKERS, "--access-logfile", "/dev/null", "--error-logfile", str(work / "gunicorn.log")],
        env=server_env, cwd=ROOT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{PORT}"
    status = 0
    try:
        for _ in range(60):
            try:
                get(base + "/portal/")
                break
            except Exception:
                time.sleep(1)
        urls = ["/", "/portal/news/", "/portal/calendar/", "/portal/data/", "/portal/news/?q=dinh+hoa"]
        urls += paths["articles"] + paths["categories"] + paths["catalogues"] + paths["records"]
        timings: dict[str, list[float]] = {url: [] for url in urls}
        for url in urls:  # the first answer fills the cache
            get(base + url)
        for _ in range(ROUNDS):
            for url in urls:
                timings[url].append(get(base + url))
        every = [t for values in timings.values() for t in values]
        print(f"{'page':70} {'median':>8} {'p95':>8}")
        for url, values in timings.items():
            print(f"{url[:70]:70} {statistics.median(values):7.1f}ms {percentile(values, 95):7.1f}ms")
        p95 = percentile(every, 95)
        print(
            f"all pages: {len(every)} requests, median {statistics.median(every):.1f} ms, p95 {p95:.1f} ms "
            f"(gunicorn {WORKERS} workers, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})"
        )
        if p95 >= 50:
            status = 1
        locust = ROOT / ".venv-load" / "bin" / "locust"
        if not locust.exists():
            print(
                "locust: .venv-load/bin/locust missing (python3.11 -m venv .venv-load && "
                ".venv-load/bin/pip install 'locust>=2.30,<3'); load run skipped"
            )
            return 1
        subprocess.run(
            [str(locust), "-f", str(ROOT / "bench" / "load" / "portal_locustfile.py"), "--headless", "-u", USERS,
             "-r", "20", "-t", DURATION, "--host", base, "--csv", str(work / "locust"), "--only-summary",
             "--loglevel", "WARNING"],
            env={**os.environ, "PORTAL_PATHS": str(work / "paths.json")}, cwd=ROOT, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        rows = list(csv.DictReader(open(work / "locust_stats.csv")))
        total = next(r for r in rows if r["Name"] == "Aggregated")
        errors = int(total["Failure Count"])
        print(
            f"locust {USERS} anonymous users for {DURATION}: requests {int(total['Request Count']):,}, "
            f"throughput {float(total['Requests/s']):.1f} req/s, median {total['Median Response Time']} ms, "
            f"p95 {total['95%']} ms, errors {errors}"
        )
        if errors:
            status = 1
    finally:
        server.terminate()
        server.wait()
    return status


if __name__ == "__main__":
    sys.exit(main())
