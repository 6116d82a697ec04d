"""A confirmed Excel import, run as a background job (`stims db_worker`; at once in tests).

The confirm page enqueues `run_import` and shows a progress page that polls the job's status file
(`stims.core.imports.side_path(user, token, ".status.json")`): queued → running (rows saved so far)
→ done (summary and a link to the records), refused (the rows' errors: the data changed since the
preview) or failed (nothing was imported). When no change was committed to any table since the
preview, the job writes the rows the preview checked (kept on disk, `imports.keep_checked`); else it
checks every row again without writing. It writes all of them in one short transaction, so the
database's write lock is held only while the rows are saved and other users' saves wait for it
instead of failing.

When the job ends it emits the domain event `core.import_finished` (user, summary, link), which
notifications turn into a message for the importer.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import InterfaceError, OperationalError
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from . import aggregates, imports
from .events import emit

logger = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, REFUSED, FAILED = "queued", "running", "done", "refused", "failed"


def status_path(user, token: str):
    return imports.side_path(user, token, ".status.json")


def mark_queued(user, token: str, kind: str, file_name: str) -> None:
    imports.write_json(
        status_path(user, token), {"state": QUEUED, "kind": kind, "file": file_name, "done": 0, "total": 0}
    )


def status(user, token: str) -> dict | None:
    return imports.read_json(status_path(user, token))


@task()
def run_import(
    kind: str, user_id: int, token: str, options: dict, file_name: str = "", language: str = ""
) -> str:
    """Import the kept upload `token` of user `user_id` with the importer `kind`; returns the final state."""
    user = get_user_model()._default_manager.get(pk=user_id)
    path = status_path(user, token)
    state = imports.read_json(path) or {"kind": kind, "file": file_name}

    def report(**changes) -> None:
        state.update(changes)
        imports.write_json(path, state)

    with translation.override(language or settings.LANGUAGE_CODE):
        importer = imports.importer(kind)
        upload = imports.pending_path(user, token)
        checked = imports.side_path(user, token, imports.CHECKED)
        try:
            stored = imports.read_json(imports.side_path(user, token, ".preview.json")) or {}
            resource = imports.load_checked(user, checked, stored.get("checked"))
            if resource is not None and resource.checked is not None:
                # Nothing changed since the preview: its checked rows are written as they are.
                report(state=RUNNING, done=0, total=len(resource.plan))
                outcome = resource.write_checked(progress=lambda done, total: report(done=done, total=total))
            else:  # checked again: a change since the preview may refuse rows it accepted
                resource = importer.resource(user, options)
                sheet = imports.read_for(resource, upload.read_bytes())
                report(state=RUNNING, done=0, total=len(sheet.rows))
                outcome = resource.run(
                    sheet, dry_run=False, progress=lambda done, total: report(done=done, total=total)
                )
        except imports.ImportFileError as exc:
            report(state=FAILED, message=str(exc))
        except (OperationalError, InterfaceError):
            # The database went away mid-import: its transaction is rolled back, nothing was written.
            logger.exception("import %s of user %s: database connection lost", kind, user_id)
            report(state=FAILED, message=str(imports.DATABASE_LOST_MESSAGE))
        except FileNotFoundError:
            report(state=FAILED, message=_("This import has expired. Upload the workbook again."))
        except Exception:
            logger.exception("import %s of user %s failed", kind, user_id)
            report(state=FAILED, message=_("The import failed unexpectedly: nothing was imported."))
        else:
            if outcome.has_errors:
                # The records changed since the preview: nothing was saved; the rows' errors say why.
                report(state=REFUSED, errors=outcome.errors[:200], error_count=len(outcome.errors))
            else:
                summary = importer.message(outcome)
                link = importer.list_url() or ""
                report(
                    state=DONE, done=state.get("total", 0), summary=summary, link=link, counts=outcome.counts
                )
                aggregates.note_write(user)  # the dashboards they open next count the rows at once
                emit("core.import_finished", user=user, summary=summary, link=link)
        finally:
            upload.unlink(missing_ok=True)
            imports.side_path(user, token, ".preview.json").unlink(missing_ok=True)
            checked.unlink(missing_ok=True)
    return state["state"]
