"""The national benchmark's settings: production's, as `stims serve` runs them, so that the figures are
the pages people get.

`stims.settings` with DEBUG off (its caches, kept filter forms and counts, dashboards' figures allowed
their lag, compressed static files from the manifest; the cache, sessions and database as the
environment sets them, STIMS_CACHE=redis://… included), and only what a benchmark without TLS or a
worker needs: the test client's and the loopback's host names, no redirect to HTTPS, background work run
at once. `bench/national.py` measures with these unless DJANGO_SETTINGS_MODULE says otherwise (the
test settings, `stims.settings_test`, render every filter form and count every list on every page, and
keep their cache in each process: the sixteenth session's figures and earlier were taken with them).
"""

import os

# A checkout's local.env (DEBUG on, for `make run`) is not production.
os.environ["STIMS_LOCAL_ENV"] = ""
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-use-0123456789")

from stims.settings import *  # noqa: E402,F403
from stims.settings import ALLOWED_HOSTS  # noqa: E402

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver", "127.0.0.1"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False  # gunicorn on the loopback, over plain HTTP
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # no worker beside it
