"""Settings for the test suite: the real settings, with what only slows tests down replaced."""

import os
import tempfile

# A checkout's local.env (DEBUG on, its own key) is for `make run`, never for the tests.
os.environ["STIMS_LOCAL_ENV"] = ""
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
os.environ.setdefault("STIMS_DATA_DIR", tempfile.mkdtemp(prefix="stims-test-"))

from .settings import *  # noqa: E402,F403
from .settings import STORAGES  # noqa: E402

ALLOWED_HOSTS = ["*"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405  (whitenoise warns when it is missing)
# Each test starts with empty rate-limit counters (a per-process memory cache, cleared by the fixture in
# src/conftest.py); tests of the limits themselves set low rates.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Dashboards' figures exact after every write: the tests write with the ORM (no request, so no
# `note_write`) and then assert the figures; the lag allowed in production (core.aggregates) is proved by
# its own tests, which set this back (core/tests/test_aggregates.py, sttasks/tests/test_summary_lag.py,
# registries/tests/test_figures_lag.py, site/tests/test_home*.py).
STIMS_FIGURES_STALE_SECONDS = 0
# Every cached figure's computation is checked to read no tracked table its `depends_on` leaves out
# (core.aggregates._checked): such a table's writes would move neither the version nor the writer's marks.
STIMS_CHECK_DEPENDS_ON = True
# Filter forms rendered on every page, so that each page's query count is its own (the version query
# of a kept form or the form's queries, not one or the other by the order the tests run in); kept forms
# are proved by core/tests/test_fragments.py, which sets this back, over every list page.
STIMS_FRAGMENTS = False
# Lists' counts counted on every page (PostgreSQL would keep those of a big table: core.tables.list_count),
# so that a page's query count does not depend on the planner's figures; core/tests/test_list_counts.py
# sets a threshold to prove the kept counts.
STIMS_KEEP_COUNTS_ABOVE = None
