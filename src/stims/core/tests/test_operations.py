"""Running STIMS as a service: health checks, request ids, one-line logs, a database outage, the
shared cache, file modes, lockout log lines and a worker that survives the database going away."""

import logging
import os
import stat
import subprocess
import sys
import uuid

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from stims import __version__
from stims.core import health
from stims.core.logs import OneLineFormatter, RequestIdFilter, SkipHeadNoise
from stims.core.management.commands import worker as worker_command
from stims.core.middleware import DatabaseUnavailableMiddleware, RequestIdMiddleware
from stims.testing import make_user

pytestmark = pytest.mark.django_db


# --- Health ---------------------------------------------------------------------------------------------


def test_liveness_answers_without_login_and_carries_the_version(client):
    response = client.get(reverse("health_live"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__}


def test_readiness_passes_when_every_part_answers(client):
    health.beat()
    response = client.get(reverse("health_ready"))
    body = response.json()
    assert response.status_code == 200, body
    assert set(body["checks"]) == {"database", "cache", "worker", "queue", "disk", "backup"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["worker"]["seconds_since_heartbeat"] <= 1


def test_readiness_fails_without_a_worker_heartbeat(client):
    cache.delete(health.HEARTBEAT_KEY)
    response = client.get(reverse("health_ready"))
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {"ok": False, "seconds_since_heartbeat": None, "limit": 120}


def test_readiness_names_a_failing_database_without_its_message(client, monkeypatch):
    def down():
        raise OperationalError("connection to server at 10.0.0.5 password=secret failed")

    monkeypatch.setitem(health.CHECKS, "database", down)
    health.beat()
    response = client.get(reverse("health_ready"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert b"secret" not in response.content


def test_readiness_checks_the_age_of_the_newest_backup(client, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.STIMS_HEALTH_BACKUP_HOURS = 26
    health.beat()
    assert client.get(reverse("health_ready")).json()["checks"]["backup"]["ok"] is False
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "stims-20261205-013000.tar.gz").write_bytes(b"x")
    check = client.get(reverse("health_ready")).json()["checks"]["backup"]
    assert check["ok"] is True and check["hours_since_backup"] < 1


# --- Request ids and log lines ---------------------------------------------------------------------------


def test_every_response_carries_a_request_id_and_a_sane_one_from_the_proxy_is_kept(client):
    fresh = client.get(reverse("health_live"))["X-Request-ID"]
    assert len(fresh) == 32
    given = uuid.uuid4().hex
    assert client.get(reverse("health_live"), HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    forged = client.get(reverse("health_live"), HTTP_X_REQUEST_ID="x\r\nSet-Cookie: a=b")["X-Request-ID"]
    assert forged != "x\r\nSet-Cookie: a=b" and len(forged) == 32


def test_a_failure_is_one_log_line_with_the_request_id():
    seen = {}

    def view(request):
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s", ("/x",), None
        )
        try:
            raise ValueError("boom\nsecond line")
        except ValueError:
            import sys as _sys

            record.exc_info = _sys.exc_info()
        RequestIdFilter().filter(record)
        seen["line"] = OneLineFormatter().format(record)
        return HttpResponse("ok")

    request = RequestFactory().get("/x", HTTP_X_REQUEST_ID="abcdef123456")
    RequestIdMiddleware(view)(request)
    line = seen["line"]
    assert "\n" not in line
    assert line.startswith("ERROR [abcdef123456] django.request: Internal Server Error: /x | Traceback")
    assert "ValueError: boom | second line" in line


def test_a_refused_head_request_is_not_logged_but_an_error_is():
    head = RequestFactory().head("/accounts/logout/")
    warning = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Method Not Allowed", (), None
    )
    warning.request = head
    error = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), None)
    error.request = head
    assert SkipHeadNoise().filter(warning) is False
    assert SkipHeadNoise().filter(error) is True


def test_head_requests_to_pages_log_no_warning(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.head(reverse("login"))
        client.head("/accounts/logout/")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert not [r for r in records if SkipHeadNoise().filter(r)]


# --- A database that is down -----------------------------------------------------------------------------


def test_a_database_outage_answers_503_with_retry_after_and_one_log_line(caplog):
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/tasks/")
    with caplog.at_level(logging.ERROR, logger="stims.database"):
        response = middleware.process_exception(request, OperationalError("server closed the connection"))
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "tạm thời gián đoạn" in response.content.decode().lower()
    assert [r.getMessage() for r in caplog.records] == [
        "database unavailable (OperationalError) on GET /tasks/"
    ]


def test_a_busy_sqlite_database_is_not_taken_for_an_outage():
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    assert (
        middleware.process_exception(RequestFactory().get("/"), OperationalError("database is locked"))
        is None
    )
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("other")) is None


# --- The shared cache -------------------------------------------------------------------------------------


def _settings_cache(value: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "STIMS_CACHE": value, "DJANGO_SETTINGS_MODULE": "stims.settings", "DEBUG": "1"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)


def test_an_unknown_cache_setting_is_refused_at_start():
    result = _settings_cache("memcached://10.0.0.1")
    assert result.returncode != 0
    assert "STIMS_CACHE='memcached://10.0.0.1' is not understood" in result.stderr


def test_redis_is_the_shared_cache_of_several_servers(settings):
    result = _settings_cache("redis://127.0.0.1:6379/3")
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache", result.stderr
    from django.core.cache.backends.redis import RedisCache

    try:
        redis_cache = RedisCache("redis://127.0.0.1:6379/3", {})
        key = f"stims-test-{uuid.uuid4().hex}"
        redis_cache.set(key, "shared", 10)
    except Exception as error:  # pragma: no cover - the machine's Redis is part of the environment
        pytest.skip(f"no Redis at 127.0.0.1:6379 ({type(error).__name__})")
    assert RedisCache("redis://127.0.0.1:6379/3", {}).get(key) == "shared"
    redis_cache.delete(key)


# --- Files and logins -------------------------------------------------------------------------------------


def test_uploaded_files_are_not_world_readable(settings, tmp_path):
    old = os.umask(0o022)
    try:
        storage = FileSystemStorage(location=tmp_path)
        name = storage.save("docs/report.pdf", ContentFile(b"%PDF-1.4"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "docs").stat().st_mode) == 0o750


def test_a_failed_login_is_logged_with_username_and_address(client, caplog):
    make_user("viewer", username="thu.nguyen")
    with caplog.at_level(logging.INFO, logger="axes"):
        client.post(
            reverse("login"), {"username": "thu.nguyen", "password": "wrong"}, REMOTE_ADDR="203.0.113.9"
        )
    text = " ".join(r.getMessage() for r in caplog.records)
    assert "thu.nguyen" in text and "203.0.113.9" in text
    assert "wrong" not in text


# --- The worker --------------------------------------------------------------------------------------------


def test_the_worker_survives_the_database_going_away(monkeypatch, caplog):
    calls = []

    def flaky_run(self):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(worker_command.db_worker.Worker, "run", flaky_run)
    monkeypatch.setattr(worker_command.time, "sleep", lambda seconds: None)
    worker = worker_command.ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    with caplog.at_level(logging.ERROR, logger="stims.worker"):
        worker.run()
    assert len(calls) == 3
    assert [r.getMessage() for r in caplog.records] == [
        "database unavailable (OperationalError); the worker retries in 1 s",
        "database unavailable (OperationalError); the worker retries in 2 s",
    ]


def test_the_worker_settles_its_garbage_collection_before_taking_tasks(monkeypatch):
    """As a gunicorn worker does (stims.core.serving, tested in test_serving.py): before the first task."""
    calls = []
    monkeypatch.setattr(worker_command.serving, "settle", lambda: calls.append("settle") or 0)
    monkeypatch.setattr(worker_command.ResilientWorker, "run", lambda self: calls.append("run"))
    monkeypatch.setattr(worker_command.ResilientWorker, "configure_signals", lambda self: None)
    worker_command.Command().handle(
        verbosity=0,
        queue_name="default",
        interval=1,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        exclude_queues="",
        heartbeat=3600,
    )
    assert calls == ["settle", "run"]


def test_the_worker_writes_a_heartbeat_that_readiness_reads(client):
    import threading

    cache.delete(health.HEARTBEAT_KEY)
    stop = threading.Event()
    stop.set()  # one beat, then the loop ends
    worker_command._heartbeat(30, stop)
    assert cache.get(health.HEARTBEAT_KEY) is not None
    assert client.get(reverse("health_ready")).json()["checks"]["worker"]["ok"] is True


# --- The settings file ---------------------------------------------------------------------------------------


def test_the_settings_file_template_reads_the_same_with_systemd_and_bash():
    from pathlib import Path

    from stims.envfile import problems

    template = Path(__file__).resolve().parents[4] / "deploy" / "stims.env.example"
    assert problems(template.read_text(encoding="utf-8")) == []


def test_values_bash_and_systemd_read_differently_are_refused():
    from stims.envfile import problems

    text = "\n".join(
        [
            "# a comment",
            "DEFAULT_FROM_EMAIL=STIMS <stims@sokhcn.gov.vn>",
            "DEFAULT_FROM_EMAIL='STIMS <stims@sokhcn.gov.vn>'",
            "SECRET_KEY=abc$def",
            "ALLOWED_HOSTS = stims.gov.vn",
            "DATABASE_URL=postgres://stims:p@ss#1@127.0.0.1:5432/stims",
            "DATABASE_URL=postgres://stims:p%40ss@127.0.0.1:5432/stims",
        ]
    )
    assert [line.split(":")[0] for line in problems(text)] == ["line 2", "line 4", "line 5", "line 6"]


def test_health_checks_answer_over_plain_http_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(reverse("health_live")).status_code == 200
    assert client.get(reverse("login")).status_code == 301


# --- The read replica -------------------------------------------------------------------------------------


def test_only_marked_reads_go_to_the_replica_and_only_when_there_is_one(monkeypatch):
    from stims.core import db_routing
    from stims.core.db_routing import ReplicaRouter, replica_reads
    from stims.sttasks.models import Task

    router = ReplicaRouter()
    assert router.db_for_read(Task) == "default"
    with replica_reads():
        assert router.db_for_read(Task) == "default"  # no replica configured
        monkeypatch.setattr(db_routing, "replica_configured", lambda: True)
        assert router.db_for_read(Task) == "replica"
        assert router.db_for_write(Task) == "default"
    assert router.db_for_read(Task) == "default"
    assert router.allow_migrate("replica", "sttasks") is False


@pytest.mark.parametrize(
    "url", ["/api/tasks/tasks/", "/tasks/?_export=csv", "/tasks/summary/", "/registries/"]
)
def test_api_lists_exports_and_dashboards_read_from_the_replica(client, monkeypatch, url):
    from stims.core import db_routing

    seen = []
    original = db_routing.ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        seen.append(db_routing._on_replica.get())
        return original(self, model, **hints)

    monkeypatch.setattr(db_routing.ReplicaRouter, "db_for_read", spy)
    client.force_login(make_user("leader"))
    response = client.get(url)
    assert response.status_code == 200, url
    assert any(seen), url


def test_pages_after_a_save_read_from_the_primary(client, monkeypatch):
    from stims.core import db_routing

    seen = []
    original = db_routing.ReplicaRouter.db_for_read
    monkeypatch.setattr(
        db_routing.ReplicaRouter,
        "db_for_read",
        lambda self, model, **hints: (
            seen.append(db_routing._on_replica.get()) or original(self, model, **hints)
        ),
    )
    client.force_login(make_user("leader"))
    assert client.get("/tasks/").status_code == 200
    assert seen and not any(seen)


# --- The lock file -------------------------------------------------------------------------------------------


def test_every_runtime_dependency_is_pinned_in_the_lock_file():
    """A dependency added to pyproject.toml without `make lock` would install a different version on each
    machine; the installed versions here are the locked ones."""
    import re
    import tomllib
    from importlib.metadata import version
    from pathlib import Path

    root = Path(__file__).resolve().parents[4]
    pins = {}
    for line in (root / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, pinned = line.partition("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = pinned
    declared = tomllib.loads((root / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", d).group()).lower() for d in declared}
    assert names - set(pins) == set(), "run `make lock`"
    assert {name: version(name) for name in names} == {name: pins[name] for name in names}


# --- Metrics -------------------------------------------------------------------------------------------------


def test_metrics_answer_the_machine_itself_with_requests_and_stims_gauges(client):
    client.get(reverse("health_live"))
    response = client.get(reverse("metrics"))
    assert response.status_code == 200
    text = response.content.decode()
    assert f'stims_up{{version="{__version__}"}} 1.0' in text
    for name in (
        "stims_jobs_waiting",
        "stims_jobs_failed",
        "stims_worker_heartbeat_age_seconds",
        "stims_emails_unsent",
    ):
        assert f"\n{name} " in text, name
    assert "django_http_requests_total_by_method_total" in text


def test_metrics_are_404_through_the_proxy_or_from_elsewhere_unless_the_token_is_sent(client, settings):
    settings.STIMS_METRICS_TOKEN = "s3cret-scraper-token"
    assert client.get(reverse("metrics"), REMOTE_ADDR="203.0.113.9").status_code == 404
    assert client.get(reverse("metrics"), HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 404
    assert (
        client.get(
            reverse("metrics"), REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer wrong"
        ).status_code
        == 404
    )
    ok = client.get(
        reverse("metrics"), REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-scraper-token"
    )
    assert ok.status_code == 200


def test_every_refused_upload_is_one_log_line(caplog):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from stims.core.files import validate_document_file

    with caplog.at_level(logging.WARNING, logger="stims.uploads"), pytest.raises(ValidationError):
        validate_document_file(SimpleUploadedFile("bao-cao.exe", b"MZ\x90\x00"))
    assert [r.getMessage() for r in caplog.records] == ["upload refused (file_type): 'bao-cao.exe', 4 bytes"]
