"""Faults: a database connection dropped half-way through an import or a workflow step, a worker killed
half-way through a background job, a full disk on upload.

On PostgreSQL the connection is really killed (`pg_terminate_backend` from a second connection) and the
worker is a real `stims db_worker` process, killed with SIGKILL. On SQLite (an in-memory test database
no second process can open) the same moments are simulated: the driver's error is raised half-way, and
the dead worker is a job claimed and never finished.

The transactional tests (the database really commits, so "nothing was written" means something) run
after every other test (see src/conftest.py) and build their own reference data.
"""

from __future__ import annotations

import datetime
import errno
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from stims.testing import make_user, unit, xlsx_upload

POSTGRES = connection.vendor == "postgresql"
SOURCE_DIR = Path(__file__).resolve().parents[3]  # src/, where the worker imports stims and this module from


# --- Dropping the connection ---------------------------------------------------------------------------


def ensure_units():
    """The administrative units and the seeded reference data, unless an earlier transactional test
    flushed them."""
    from stims.testing import reseed_reference_data

    from .reference_data import ensure_units as units_from_snapshot

    reseed_reference_data()
    units_from_snapshot()


def drop_connection():
    """Kill this process's database connection in the middle of what it is doing."""
    if not POSTGRES:
        raise OperationalError("server closed the connection unexpectedly (simulated)")
    import psycopg

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    params = connection.settings_dict
    with psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"],
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=True,
    ) as killer:
        killer.execute("SELECT pg_terminate_backend(%s)", [pid])


def after_calls(count: int, original):
    """`original`, wrapped to drop the connection on its `count`-th call (before doing its work)."""
    calls = {"n": 0}

    def wrapped(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == count:
            drop_connection()
        return original(*args, **kwargs)

    wrapped.calls = calls
    return wrapped


def fresh_connection():
    """Forget the (possibly dead) connection: the next query opens a new one."""
    connection.close()


@pytest.fixture
def uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def signed_in(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.raise_request_exception = False  # a dropped connection is a 500: what matters is what was kept
    return client


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_dropped_half_way_through_a_registries_import_leaves_no_product(client, uploads):
    from stims.products.models import OcopEvaluation, Product, ProductGroup
    from stims.registries import imports
    from stims.registries.tests.test_imports import HEADERS, product_row

    ensure_units()
    ProductGroup.objects.get_or_create(code="nhom-thu-nhap", defaults={"name": "Nhóm thử nhập"})
    client = signed_in(client, make_user("specialist"))
    rows = [product_row(f"Mật ong rừng đứt kết nối {i}") for i in range(8)]
    preview = client.post(
        reverse("registries:import"), {"kind": "products", "file": xlsx_upload(HEADERS, rows, "ds.xlsx")}
    )
    assert preview.status_code == 200 and preview.context["can_confirm"]

    resource = imports.RESOURCES["products"]
    per_row = after_calls(4, resource.after_save_instance)
    with mock.patch.object(resource, "after_save_instance", per_row):
        response = client.post(reverse("registries:import_confirm"), {"token": preview.context["token"]})
    assert per_row.calls["n"] >= 4, "the connection was dropped after three rows had been saved"
    # Refused with a reason (the rows' errors, 409) or the lost connection named (302 back to the import),
    # never a server error.
    assert response.status_code in {302, 409}

    fresh_connection()
    assert not Product.objects.filter(name__startswith="Mật ong rừng đứt kết nối").exists()
    assert not OcopEvaluation.objects.filter(product__name__startswith="Mật ong rừng đứt kết nối").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_dropped_half_way_through_a_tasks_import_leaves_no_task(client, uploads):
    from stims.orgs.models import Organization, Person, Position
    from stims.sttasks.models import Task, TaskEvent
    from stims.sttasks.tests.test_import import HEADERS, row

    ensure_units()
    centre = Organization.objects.create(
        name="Trung tâm Ứng dụng KH&CN Thái Nguyên", kind="centre", admin_unit=unit("Tỉnh Thái Nguyên")
    )
    person = Person.objects.create(full_name="Nguyễn Văn Chè", admin_unit=unit("Tỉnh Thái Nguyên"))
    Position.objects.create(person=person, organization=centre, title="Giám đốc")
    client = signed_in(client, make_user("specialist"))
    rows = [row(f"ĐT.{i:02d}/2023-ĐỨT") for i in range(8)]
    preview = client.post(reverse("sttasks:import"), {"file": xlsx_upload(HEADERS, rows, "nhiem-vu.xlsx")})
    assert preview.status_code == 200 and preview.context["can_confirm"], preview.context.get("outcome")

    # The tasks are written in bulk, then their state events (both through core.imports.write_records):
    # the connection drops after the tasks are in the (still open) transaction, as the events are about
    # to be written.
    from stims.sttasks import imports as task_imports

    events = after_calls(1, task_imports.write_records)
    with mock.patch.object(task_imports, "write_records", events):
        response = client.post(reverse("sttasks:import_confirm"), {"token": preview.context["token"]})
    assert events.calls["n"] >= 1, "the connection was dropped once the tasks had been written"
    # Refused with a reason (the rows' errors, 409) or the lost connection named (302 back to the import),
    # never a server error.
    assert response.status_code in {302, 409}

    fresh_connection()
    assert not Task.objects.filter(code__endswith="/2023-ĐỨT").exists()
    assert not TaskEvent.objects.filter(task__code__endswith="/2023-ĐỨT").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_dropped_half_way_through_a_workflow_step_leaves_the_task_as_it_was():
    from stims.sttasks import workflow
    from stims.sttasks.models import Task, TaskEvent, TaskType, WorkflowState, WorkflowTransition

    ensure_units()
    task_obj = Task.objects.create(
        code="ĐT.01/2026-ĐỨT",
        title="Phục tráng lúa Bao Thai",
        task_type=TaskType.objects.get(code="de-tai"),
        proposal_year=2026,
        ordering_unit=unit("Huyện Ba Chẽ", legacy=True),
    )
    identified = WorkflowState.objects.get(code="identified")
    Task.objects.filter(pk=task_obj.pk).update(state=identified)
    task_obj.refresh_from_db()
    step = WorkflowTransition.objects.select_related("target").get(code="open_call")
    # The task row is saved in its new state first; the connection drops as the event is written.
    dropping = after_calls(1, TaskEvent.save)
    with mock.patch.object(TaskEvent, "save", dropping), pytest.raises(Exception):  # noqa: B017 (the driver's error)
        workflow.perform(task_obj, step, make_user("specialist"), happened_on=datetime.date(2026, 2, 1))
    assert dropping.calls["n"] == 1

    fresh_connection()
    task_obj.refresh_from_db()
    assert task_obj.state == identified
    assert not TaskEvent.objects.filter(task=task_obj).exists()
    assert not Task.history.filter(id=task_obj.pk, state=step.target).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_dropped_half_way_through_a_directive_move_leaves_the_directive_as_it_was():
    from stims.meetings import services
    from stims.meetings.models import Directive, DirectiveEvent, Recurrence, WorkingSession
    from stims.orgs.models import Organization, OrganizationKind

    ensure_units()
    dinh_hoa = unit("Huyện Định Hóa", legacy=True)
    office = Organization.objects.create(
        name="Phòng Nông nghiệp huyện Định Hóa", kind=OrganizationKind.OTHER, admin_unit=dinh_hoa
    )
    department = Organization.objects.create(
        name="Sở Khoa học và Công nghệ tỉnh Thái Nguyên",
        kind=OrganizationKind.DEPARTMENT,
        admin_unit=dinh_hoa.province,
    )
    assigner = make_user("specialist")
    session = WorkingSession.objects.create(
        title="Làm việc với huyện Định Hóa",
        held_on=datetime.date(2026, 3, 10),
        status="held",
        host_organization=department,
        admin_unit=dinh_hoa,
    )
    directive = Directive.objects.create(
        session=session,
        text="Phục tráng giống lúa Bao Thai",
        lead_organization=office,
        assigned_by=assigner,
        assigned_on=datetime.date(2026, 3, 10),
        recurrence=Recurrence.ONCE,
        deadline=datetime.date(2026, 6, 30),
    )
    before = directive.state
    dropping = after_calls(1, DirectiveEvent.save)
    with mock.patch.object(DirectiveEvent, "save", dropping), pytest.raises(Exception):  # noqa: B017
        services.move(directive, "cancel", assigner, on=datetime.date(2026, 4, 1), note="Không còn phù hợp")
    assert dropping.calls["n"] == 1

    fresh_connection()
    directive = Directive.objects.get(pk=directive.pk)
    assert directive.state == before
    assert not DirectiveEvent.objects.filter(directive=directive).exists()


# --- A worker killed half-way through a job ------------------------------------------------------------


@task()
def notify_in_two_halves(user_ids: list[int], key: str, gate: str) -> int:
    """A job that notifies each user once ("notify once", like the reminders), and waits half-way until
    the file `<gate>/open` exists: the moment a test kills its worker."""
    from stims.accounts.models import Notification

    folder = Path(gate)
    for index, user_id in enumerate(user_ids):
        if index == len(user_ids) // 2:
            (folder / "halfway").touch()
            while not (folder / "open").exists():
                time.sleep(0.05)
        Notification.objects.bulk_create(
            [Notification(user_id=user_id, key=key, message="Nhắc việc")], ignore_conflicts=True
        )
    return len(user_ids)


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def worker_environment(tmp_path) -> dict[str, str]:
    params = connection.settings_dict
    url = f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{params['NAME']}"
    if params["PASSWORD"]:
        url = url.replace("@", f":{params['PASSWORD']}@", 1)
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "stims.settings",
        "DEBUG": "1",
        "STIMS_DATA_DIR": str(tmp_path / "worker-data"),
        "PYTHONPATH": str(SOURCE_DIR),
    }


def start_worker(tmp_path, *extra) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "django",
            "db_worker",
            "--no-reload",
            "--interval",
            "0.1",
            "--no-startup-delay",
            *extra,
        ],
        env=worker_environment(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "worker.log").open("w"),
        start_new_session=True,  # its own process group: the kill reaches every process of the worker
    )


def wait_for(path: Path, process: subprocess.Popen, seconds=60):
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, (
            "the worker ended early: " + (path.parent.parent / "worker.log").read_text()
        )
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_was_killed_half_way_is_requeued_and_then_completes_exactly_once(tmp_path):
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from stims.accounts.models import Notification

    users = [make_user(None) for _ in range(6)]
    gate = tmp_path / "gate"
    gate.mkdir()
    with override_settings(TASKS=DATABASE_TASKS):
        result = notify_in_two_halves.enqueue([u.pk for u in users], "deadline:42:soon", str(gate))
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.READY

    if POSTGRES:
        worker = start_worker(tmp_path, "--worker-id", "doomed")
        try:
            wait_for(gate / "halfway", worker)
        finally:
            os.killpg(worker.pid, signal.SIGKILL)  # no chance to mark the job failed
            worker.wait(timeout=30)
    else:
        # What a killed worker leaves: the job claimed (RUNNING) and the first half of its effects.
        job.claim("doomed")
        for user in users[:3]:
            Notification.objects.create(user=user, key="deadline:42:soon", message="Nhắc việc")
    job.refresh_from_db()
    assert job.status == TaskResultStatus.RUNNING  # and so it would stay: no worker picks RUNNING jobs
    assert Notification.objects.filter(key="deadline:42:soon").count() == 3

    # A job just started is not touched (its worker may be alive and busy)…
    out = io.StringIO()
    call_command("requeue_stale_jobs", "--older-than", "10", stdout=out)
    assert "0 stale job(s) requeued." in out.getvalue()
    # …an hour later it is put back in the queue.
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=timezone.now() - datetime.timedelta(hours=1))
    out = io.StringIO()
    call_command("requeue_stale_jobs", "--older-than", "10", stdout=out)
    assert "1 stale job(s) requeued." in out.getvalue() and str(job.pk) in out.getvalue()
    job.refresh_from_db()
    assert job.status == TaskResultStatus.READY

    (gate / "open").touch()
    if POSTGRES:
        worker = start_worker(tmp_path, "--batch", "--worker-id", "survivor")
        assert worker.wait(timeout=120) == 0, (tmp_path / "worker.log").read_text()
    else:
        with override_settings(TASKS=DATABASE_TASKS):
            call_command("db_worker", "--batch", "--no-startup-delay", "--worker-id", "survivor", verbosity=0)
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL and job.return_value == 6
    assert job.worker_ids == ["doomed", "survivor"]
    notified = sorted(Notification.objects.filter(key="deadline:42:soon").values_list("user_id", flat=True))
    assert notified == sorted(u.pk for u in users)  # every user once, none twice


@pytest.mark.django_db
def test_requeue_stale_jobs_leaves_finished_and_waiting_jobs_alone():
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from stims.core import jobs

    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    with override_settings(TASKS=DATABASE_TASKS):
        ids = [notify_in_two_halves.enqueue([], "k", "/nonexistent").id for _ in range(3)]
    DBTaskResult.objects.filter(pk=ids[0]).update(status=TaskResultStatus.SUCCESSFUL, started_at=hour_ago)
    DBTaskResult.objects.filter(pk=ids[1]).update(status=TaskResultStatus.FAILED, started_at=hour_ago)
    assert jobs.requeue_stale(datetime.timedelta(minutes=10)) == []
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert [statuses[DBTaskResult._meta.pk.to_python(i)] for i in ids] == [
        TaskResultStatus.SUCCESSFUL,
        TaskResultStatus.FAILED,
        TaskResultStatus.READY,
    ]
    with pytest.raises(Exception, match="at least 1 minute"):
        call_command("requeue_stale_jobs", "--older-than", "0")


# --- A full disk on upload -----------------------------------------------------------------------------


@pytest.fixture
def document_setup(db, uploads):
    from stims.sttasks.models import DocumentKind, Task, TaskType

    task_obj = Task.objects.create(
        code="ĐT.09/2026",
        title="Phục tráng lúa Nếp Vải",
        task_type=TaskType.objects.get(code="de-tai"),
        proposal_year=2026,
        ordering_unit=unit("Huyện Ba Chẽ", legacy=True),
    )
    return task_obj, DocumentKind.objects.order_by("pk").first()


def pdf(name="quyet-dinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"x" * 4000, content_type="application/pdf")


def files_under(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


DISK_FULL = "The server's disk is full"


def full_disk(free=1024):
    """The disk the uploads go to, with `free` bytes left."""
    import shutil

    usage = shutil.disk_usage("/")
    return mock.patch("stims.core.files.shutil.disk_usage", return_value=usage._replace(free=free))


def test_a_full_disk_on_the_document_form_says_so_keeps_what_was_typed_and_saves_nothing(
    client, document_setup, uploads
):
    from stims.sttasks.models import Document

    task_obj, kind = document_setup
    client = signed_in(client, make_user("specialist"))
    typed = {
        "task": task_obj.pk,
        "kind": kind.pk,
        "number": "77/QĐ-UBND",
        "issued_on": "05/01/2026",
        "title": "Quyết định phê duyệt đề cương",
        "signer": "Nguyễn Văn A",
    }
    with full_disk():
        response = client.post(
            reverse("sttasks:document_add") + f"?task={task_obj.pk}", {**typed, "file": pdf()}
        )
    assert response.status_code == 200
    assert DISK_FULL in " ".join(response.context["form"].errors["file"])
    assert "disk is full: nothing was saved" in response.content.decode()
    form = response.context["form"]
    assert form.data["title"] == typed["title"] and form.data["number"] == typed["number"]
    assert 'value="77/QĐ-UBND"' in response.content.decode()
    assert not Document.objects.exists()
    assert files_under(uploads) == []


def test_a_full_disk_on_the_api_upload_is_a_clear_400_and_saves_nothing(client, document_setup, uploads):
    from stims.sttasks.models import Document

    task_obj, kind = document_setup
    client = signed_in(client, make_user("specialist"))
    with full_disk():
        response = client.post(
            reverse("api:document-list"),
            {
                "task": task_obj.pk,
                "kind": kind.pk,
                "title": "Hợp đồng",
                "issued_on": "2026-01-05",
                "file": pdf(),
            },
        )
    assert response.status_code == 400, response.content
    assert DISK_FULL in response.content.decode()
    assert not Document.objects.exists()
    assert files_under(uploads) == []


def test_a_disk_that_fills_up_during_the_write_leaves_no_partial_file(uploads):
    """Space checked before, gone during the write (another upload, a log growing): the half-written
    file is removed and the error says the disk is full."""
    from django.core.files.base import ContentFile

    from stims.core.files import DiskFullError, DocumentStorage

    class FillsTheDisk(ContentFile):
        def chunks(self, chunk_size=None):
            yield b"%PDF-1.4\n" + b"x" * 4000  # written…
            raise OSError(errno.ENOSPC, "No space left on device")  # …then the disk is full

    storage = DocumentStorage(location=uploads)
    with translation.override("en"), pytest.raises(DiskFullError, match=DISK_FULL):
        storage.save("documents/sttasks/2026/abc-quyet-dinh.pdf", FillsTheDisk(b"", name="quyet-dinh.pdf"))
    assert files_under(uploads) == []

    # Other errors are not disguised as a full disk.
    class Refused(ContentFile):
        def chunks(self, chunk_size=None):
            raise PermissionError(errno.EACCES, "Permission denied")
            yield b""

    with pytest.raises(PermissionError):
        storage.save("documents/sttasks/2026/def.pdf", Refused(b"", name="def.pdf"))
    assert files_under(uploads) == []
