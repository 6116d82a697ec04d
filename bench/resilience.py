"""Resilience under load: a PostgreSQL restart, a killed worker, a rolling restart of gunicorn.

    .venv/bin/python bench/resilience.py [--seconds 20] [--clients 4] [--no-db-restart]

Serves STIMS with gunicorn (2 processes) on 127.0.0.1:8491 against a scratch PostgreSQL database
(`stims_resilience`, recreated, migrated), runs `stims worker` beside it, and keeps `--clients` threads
requesting the login page and /health/ready/ for the whole run. Three phases, each printed with its
figures:

1. PostgreSQL restarted (`pg_ctlcluster <version> main restart`, root only): requests answered 5xx,
   the longest stretch of 5xx against the outage itself, tracebacks logged, and whether the worker
   process is still alive and serving jobs afterwards (target: no 5xx stretch longer than the outage,
   no traceback, worker alive).
2. The worker killed with SIGKILL and started again as systemd would (Restart=always): a job queued
   meanwhile is done once.
3. A rolling restart (`kill -HUP` to gunicorn, what `systemctl reload stims-web` sends): failed
   requests (target 0).

A benchmark, not a test: it restarts the machine's PostgreSQL, so never run it beside other work.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PORT = 8491
HOST = "127.0.0.1"
DB = "stims_resilience"


def env(data_dir: Path) -> dict:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "resilience-bench-" + "x" * 40,
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
        "STIMS_DATA_DIR": str(data_dir),
        "STIMS_NODE_MODULES": str(ROOT / "node_modules"),
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "CONN_MAX_AGE": "60",
        "GUNICORN_BIND": f"{HOST}:{PORT}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "4",
        "PROMETHEUS_MULTIPROC_DIR": str(data_dir / "metrics"),
    }


class Load:
    def __init__(self, clients: int):
        self.clients = clients
        self.running = True
        self.samples: list[tuple[float, int]] = []  # (time, status; 0 = no answer)
        self.lock = threading.Lock()

    def _client(self, index: int):
        paths = ["/accounts/login/", "/health/ready/"]
        n = 0
        while self.running:
            url = f"http://{HOST}:{PORT}{paths[(index + n) % 2]}"
            n += 1
            try:
                with urllib.request.urlopen(url, timeout=10) as response:  # nosec B310 # our own server
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = 0
            with self.lock:
                self.samples.append((time.monotonic(), status))
            time.sleep(0.02)

    def start(self):
        self.threads = [
            threading.Thread(target=self._client, args=(i,), daemon=True) for i in range(self.clients)
        ]
        for thread in self.threads:
            thread.start()

    def window(self, start: float, end: float) -> list[tuple[float, int]]:
        with self.lock:
            return [s for s in self.samples if start <= s[0] <= end]


def failures(samples, *, readiness_ok_503=True) -> dict:
    bad = [(t, s) for t, s in samples if s == 0 or s >= 500]
    longest, run_start, last = 0.0, None, None
    for t, s in samples:
        if s == 0 or s >= 500:
            run_start = t if run_start is None else run_start
            last = t
            longest = max(longest, last - run_start)
        else:
            run_start = None
    statuses: dict[str, int] = {}
    for _, s in bad:
        statuses[str(s or "no answer")] = statuses.get(str(s or "no answer"), 0) + 1
    return {
        "requests": len(samples),
        "failed": len(bad),
        "failed_by_status": statuses,
        "longest_failed_stretch_s": round(longest, 2),
    }


def wait_up(timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://{HOST}:{PORT}/health/", timeout=2)  # nosec B310
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not come up")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--no-db-restart", action="store_true")
    args = parser.parse_args()

    data = Path("/tmp/stims-resilience")
    subprocess.run(["rm", "-rf", str(data)], check=True)
    (data / "metrics").mkdir(parents=True)
    e = env(data)
    subprocess.run(
        [
            "psql",
            "-q",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-c",
            f"DROP DATABASE IF EXISTS {DB}",
            "-c",
            f"CREATE DATABASE {DB}",
        ],
        check=True,
    )
    subprocess.run([BIN / "stims", "migrate", "--no-input", "-v", "0"], env=e, check=True)
    subprocess.run([BIN / "stims", "collectstatic", "--no-input", "-v", "0"], env=e, check=True)
    log = open(data / "web.log", "w")
    web = subprocess.Popen(
        [BIN / "gunicorn", "--config", ROOT / "deploy/gunicorn.conf.py", "stims.wsgi:application"],
        env=e,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    worker_log = open(data / "worker.log", "w")
    worker = subprocess.Popen(
        [BIN / "stims", "worker", "--interval", "1"], env=e, stdout=worker_log, stderr=subprocess.STDOUT
    )
    wait_up()
    load = Load(args.clients)
    load.start()
    time.sleep(2)
    report = {}
    try:
        if not args.no_db_restart and os.geteuid() == 0:
            version = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout.split()[
                0
            ]
            start = time.monotonic()
            subprocess.run(["pg_ctlcluster", version, "main", "restart"], check=True)
            outage = time.monotonic() - start
            time.sleep(args.seconds / 2)
            window = load.window(start - 1, time.monotonic())
            log.flush()
            tracebacks = (data / "web.log").read_text().count("Traceback")
            report["postgresql_restart"] = {
                "outage_s": round(outage, 2),
                **failures(window),
                "tracebacks_in_log": tracebacks,
                "worker_alive": worker.poll() is None,
            }
        # 2. worker killed, started again (systemd's Restart=always)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        worker = subprocess.Popen(
            [BIN / "stims", "worker", "--interval", "1"], env=e, stdout=worker_log, stderr=subprocess.STDOUT
        )
        time.sleep(3)
        try:
            ready = json.loads(
                urllib.request.urlopen(f"http://{HOST}:{PORT}/health/ready/", timeout=5).read()
            )
        except urllib.error.HTTPError as error:
            ready = json.loads(error.read() or b"{}")
        report["worker_killed_and_restarted"] = {
            "worker_alive": worker.poll() is None,
            "ready": ready.get("status"),
        }
        # 3. rolling restart
        start = time.monotonic()
        web.send_signal(signal.SIGHUP)
        time.sleep(args.seconds / 2)
        report["rolling_restart_hup"] = failures(load.window(start, time.monotonic()))
    finally:
        load.running = False
        time.sleep(0.5)
        web.terminate()
        worker.terminate()
        web.wait(timeout=30)
        worker.wait(timeout=30)
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    sys.exit(main())
