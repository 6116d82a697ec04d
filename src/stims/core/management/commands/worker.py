"""`stims worker`: the background worker (django-tasks-db's `db_worker`) made to run unattended.

- It survives the database going away: `db_worker` exits on the first connection error, which left the
  queue unserved after every PostgreSQL restart until someone noticed. Here a connection error is one
  log line, the connections are closed, and the worker waits (1, 2, 4 … 30 s) and carries on.
- It writes a heartbeat to the shared cache every `--heartbeat` seconds while it runs, which
  `/health/ready/` reads (stims.core.health): a worker that died or was never started shows there.

Same options as `db_worker` (queues, interval, batch, max tasks, worker id); no autoreload.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

from stims.core import serving
from stims.core.health import beat

logger = logging.getLogger("stims.worker")


class ResilientWorker(db_worker.Worker):
    retry_cap = 30.0

    def run(self) -> None:
        delay = 1.0
        while self.running:
            try:
                super().run()
                return
            except (OperationalError, InterfaceError) as error:
                if not self.running:
                    return
                logger.error(
                    "database unavailable (%s); the worker retries in %.0f s", type(error).__name__, delay
                )
                for connection in connections.all(initialized_only=True):
                    try:
                        connection.close()
                    except (OperationalError, InterfaceError):
                        pass
                time.sleep(delay)
                delay = min(delay * 2, self.retry_cap)


def _heartbeat(every: float, stop: threading.Event) -> None:
    while True:
        try:
            beat()
        except Exception as error:  # the cache may be down for a moment; the worker carries on
            logger.warning("heartbeat not written (%s)", type(error).__name__)
        finally:
            connections.close_all()
        if stop.wait(every):
            return


class Command(db_worker.Command):
    help = "Run the background worker: db_worker that survives a database restart and writes a heartbeat."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--heartbeat", type=float, default=30.0, help="seconds between heartbeats (default: 30)"
        )

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        max_tasks,
        worker_id,
        exclude_queues,
        heartbeat=30.0,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise db_worker.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        stop = threading.Event()
        thread = threading.Thread(target=_heartbeat, args=(heartbeat, stop), name="heartbeat", daemon=True)
        thread.start()
        worker.configure_signals()
        # A long-lived process like a gunicorn worker: what it loaded is frozen out of garbage collection
        # (stims.core.serving; STIMS_GC_FREEZE=0 keeps Python's defaults).
        serving.settle()
        try:
            worker.run()
        finally:
            stop.set()
