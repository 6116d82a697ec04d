"""A serving process settles after start-up (`stims.core.serving`, called by gunicorn's
`post_worker_init` in deploy/gunicorn.conf.py): what it loaded is frozen out of garbage collection and
the thresholds are raised; `STIMS_GC_FREEZE=0` keeps Python's defaults. Each case runs in a new process,
as a gunicorn worker is one: freezing this test process would change the rest of the suite."""

import json
import os
import subprocess  # nosec B404  (our own interpreter, fixed arguments)
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[4] / "deploy" / "gunicorn.conf.py"

# A worker's start-up as gunicorn does it — load the configuration file, import the application
# (stims.wsgi), then run the configuration's post_worker_init hook with the worker — and what the
# collector looks like after it.
WORKER = """
import gc, json, logging, runpy, sys, types
config = runpy.run_path(sys.argv[1])
config["on_starting"](None)  # the metrics directory, under STIMS_DATA_DIR
defaults = gc.get_threshold()
import stims.wsgi  # noqa: F401  (what a worker loads before the hook)
worker = types.SimpleNamespace(pid=1, log=logging.getLogger("gunicorn.error"))
config["post_worker_init"](worker)
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "threshold": gc.get_threshold(),
    "defaults": defaults,
    "urls_loaded": "stims.urls" in sys.modules,
}))
"""


def start_worker(data_dir, **environ) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "stims.settings_test", "STIMS_DATA_DIR": str(data_dir)}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env.update(environ)
    out = subprocess.run(  # nosec B603
        [sys.executable, "-c", WORKER, str(DEPLOY)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.once
def test_a_worker_freezes_what_it_loaded_and_raises_the_thresholds(tmp_path):
    settled = start_worker(tmp_path)
    assert settled["urls_loaded"]  # the URL configuration and every view module loaded before freezing
    assert settled["frozen"] > 100_000  # Django, the apps, the views: about 230,000 objects
    assert tuple(settled["threshold"]) == (10_000, 20, 20) != tuple(settled["defaults"])


@pytest.mark.once
def test_stims_gc_freeze_0_keeps_pythons_defaults(tmp_path):
    settled = start_worker(tmp_path, STIMS_GC_FREEZE="0")
    assert settled["frozen"] == 0 and not settled["urls_loaded"]
    assert settled["threshold"] == settled["defaults"]
