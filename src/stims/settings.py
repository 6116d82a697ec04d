"""STIMS settings, read from the environment.

Defaults are safe for production (DEBUG off, secure cookies, HSTS); `make run` turns DEBUG on for
local use. Everything the deployment writes (SQLite file, uploads, collected static files) lives in
STIMS_DATA_DIR, which git ignores.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from stims import __version__

PACKAGE_DIR = Path(__file__).resolve().parent
# In a source checkout this is the repository root; installed as a package it is never written to.
SOURCE_ROOT = PACKAGE_DIR.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def load_local_env(path: Path) -> None:
    """Reads `NAME=value` lines from a checkout's own settings file into the environment, never over a
    variable that is already set. `make run` writes `local.env` (git-ignored) with a generated secret
    key and DEBUG on, so that `.venv/bin/stims …` works in that checkout with no variables;
    production sets its variables itself (deploy/stims.env.example) and has no such file."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.partition("=")
        name = name.strip()
        if sep and name and not name.startswith("#"):
            os.environ.setdefault(name, value.strip())


# STIMS_LOCAL_ENV names another file, or none at all when empty (the test settings do that).
load_local_env(Path(os.environ.get("STIMS_LOCAL_ENV", SOURCE_ROOT / "local.env")))

DEBUG = env_bool("DEBUG", False)

DATA_DIR = Path(os.environ.get("STIMS_DATA_DIR", SOURCE_ROOT / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only ever used with DEBUG on (bandit B105).
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # nosec B105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The province this deployment serves, by its post-2025 official code (22 = Quảng Ninh).
# The data model is national; this only sets what "our province" means on dashboards and scopes.
STIMS_PROVINCE = os.environ.get("STIMS_PROVINCE", "22")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_prometheus",
    "stims.core",
    "stims.accounts",
    "stims.geo",
    "stims.orgs",
    "stims.products",
    "stims.ip",
    "stims.enterprises",
    "stims.registries",
    "stims.sttasks",
    "stims.councils",
    "stims.funding",
    "stims.results",
    "stims.meetings",
    "stims.drafting",
    "stims.inspections",
    "stims.iso",
    "stims.initiatives",
    "stims.reports",
    "stims.programmes",
    "stims.innovation",
    # The public portal (news, the work calendar, open data): above the domains, below the site.
    "stims.portal",
    # Above every domain: pages that gather several apps, and the demo data.
    "stims.site",
    "stims.demo",
]

MIDDLEWARE = [
    # Request counts and latencies for /metrics (django-prometheus): first and last.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # Every log line written while serving the request carries its id (X-Request-ID).
    "stims.core.middleware.RequestIdMiddleware",
    # API-Version and X-RateLimit-* on every /api/ answer.
    "stims.core.middleware.ApiHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "stims.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Dashboards never show a user figures older than their own last write (core.aggregates).
    "stims.core.middleware.WritesSeenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Attributes every historical record written during a request to the logged-in user.
    "simple_history.middleware.HistoryRequestMiddleware",
    # A database that is down or restarting: 503 with Retry-After and one log line, not a 500 and a traceback.
    "stims.core.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "stims.urls"
WSGI_APPLICATION = "stims.wsgi.application"
ASGI_APPLICATION = "stims.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stims.core.context_processors.navigation",
            ],
        },
    }
]

# Django's template renderer, with selects and plain inputs written in Python (core/renderers.py).
FORM_RENDERER = "stims.core.renderers.FormRenderer"

# --- Database -------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'stims.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite done right for a small multi-user server: writers take the lock up front (no
    # "database is locked" half-way through a transaction), readers don't block writers (WAL),
    # and a busy writer is waited for instead of failing at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }

# A read replica (PostgreSQL streaming replication), used for dashboards, exports and API list reads
# only (core.db_routing); writes and everything else stay on the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["stims.core.db_routing.ReplicaRouter"]
# Behind PgBouncer in transaction pooling mode (docs/deployment.md §9): server-side cursors cannot
# outlive a transaction there.
if env_bool("STIMS_PGBOUNCER", False):
    for _alias in DATABASES.values():
        _alias["DISABLE_SERVER_SIDE_CURSORS"] = True
else:
    # The planner searches the join orders of at most this many relations at once (PostgreSQL's
    # default is 8). A record's page joins ten (a task: its type, state, call, programme, field, unit,
    # two organizations, investigator, officer), each a lookup by key whose order does not matter, and
    # planning them cost 11 ms against 1 ms to run; at 4, 2.4 ms (issue #20, docs/performance.md). A
    # connection option, on the primary and the replica alike; PgBouncer refuses connection options,
    # so behind it the limit is set on the database instead (docs/operations.md).
    for _alias in DATABASES.values():
        if _alias["ENGINE"] == "django.db.backends.postgresql":
            _alias.setdefault("OPTIONS", {})["options"] = (
                f"-c join_collapse_limit={env_int('STIMS_PG_JOIN_COLLAPSE_LIMIT', 4)}"
            )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Authentication -------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("STIMS_PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)  # one working day
# Sessions live in the database. STIMS_SESSIONS=cached_db reads them through the shared cache (CACHES
# below; worth it with Redis): one query less per signed-in page, a session missing from the cache is read
# from the database, signing out or a password change ends it in both. Not the default: under load its
# CPU gain was within the noise (docs/performance.md, "Under load"), and with the file cache a read is a
# file read instead of a primary-key lookup.
SESSION_ENGINE = {
    "cached_db": "django.contrib.sessions.backends.cached_db",
    "db": "django.contrib.sessions.backends.db",
}[os.environ.get("STIMS_SESSIONS", "db")]
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# No idle expiry: it needs SESSION_SAVE_EVERY_REQUEST, one database write per page and API call.

# Login throttling (django-axes): after STIMS_LOGIN_FAILURE_LIMIT wrong passwords for one username from
# one address, that pair is refused for STIMS_LOGIN_COOLOFF_MINUTES, even with the right password; the
# counters live in the database, so they hold across processes and machines. A successful login clears
# them; an administrator lifts a lock with `stims axes_reset_username <username>` (or `stims axes_reset`).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("STIMS_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("STIMS_LOGIN_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# …and an address, for every username, after this many failures across usernames (stims.accounts.lockout).
AXES_HANDLER = "stims.accounts.lockout.AddressCeilingHandler"
STIMS_LOGIN_ADDRESS_LIMIT = env_int("STIMS_LOGIN_ADDRESS_LIMIT", 20)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Failed-login log lines name the username and the client address (axes masks both by default), so an
# operator can see who is attacked and from where; the password is never logged.
AXES_SENSITIVE_PARAMETERS: list[str] = []
# The client's address, through django-ipware. Behind the reverse proxy of deploy/nginx/stims.conf, which
# overwrites X-Forwarded-For with the address it sees, set STIMS_CLIENT_IP_HEADERS=HTTP_X_FORWARDED_FOR.
# Never trust that header without such a proxy: a client could then pick a new address per attempt.
# STIMS_PROXY_COUNT is for a chain of proxies that append to the header instead (see django-ipware).
AXES_IPWARE_META_PRECEDENCE_ORDER = env_list("STIMS_CLIENT_IP_HEADERS", "REMOTE_ADDR")
AXES_IPWARE_PROXY_COUNT = env_int("STIMS_PROXY_COUNT", 0) or None
try:
    import ipware  # noqa: F401  (django-axes reads the address itself without it: REMOTE_ADDR only)
except ImportError:
    if AXES_IPWARE_META_PRECEDENCE_ORDER != ["REMOTE_ADDR"] or AXES_IPWARE_PROXY_COUNT:
        raise ImproperlyConfigured(
            "STIMS_CLIENT_IP_HEADERS and STIMS_PROXY_COUNT need django-ipware."
        ) from None

# --- Internationalisation: Vietnamese first, English second --------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
# dd/mm/yyyy in both languages; VND amounts are formatted by the `vnd` filter, not by a global
# thousand separator that would also turn years into "2.025".
FORMAT_MODULE_PATH = ["stims.formats"]

# --- Static files and uploads ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Front-end libraries come from the npm registry (package.json) and are served from node_modules.
NODE_MODULES_DIR = Path(os.environ.get("STIMS_NODE_MODULES", SOURCE_ROOT / "node_modules"))
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES_DIR / "htmx.org" / "dist"),
    ("vendor/bootstrap", NODE_MODULES_DIR / "bootstrap" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "uploads"
STORAGES = {
    # Uploads: a file half-written when the disk fills up is removed, and the user told why.
    "default": {"BACKEND": "stims.core.files.DocumentStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# How uploads are bounded, from the outside in: the reverse proxy refuses a request body above its
# client_max_body_size (deploy/nginx/stims.conf: STIMS_MAX_UPLOAD_MB plus 5 MB for the rest of the form);
# Django refuses the non-file part of a request above DATA_UPLOAD_MAX_MEMORY_SIZE (forms, API JSON);
# a document above STIMS_MAX_UPLOAD_MB is refused by the form with a message (core/files.py) and an Excel
# import above 5 MB by the import page. Files above FILE_UPLOAD_MAX_MEMORY_SIZE are streamed to a
# temporary file rather than held in a worker's memory.
STIMS_MAX_UPLOAD_MB = env_int("STIMS_MAX_UPLOAD_MB", 20)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded documents are readable by the service's user and group only, whatever the process umask
# (storage shared by several servers must not make them world-readable).
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Security (production defaults; DEBUG relaxes the HTTPS-only ones) ----------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Health checks answer over plain HTTP too: load balancers and systemd probe gunicorn directly.
SECURE_REDIRECT_EXEMPT = [r"^health/", r"^healthz$", r"^metrics$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# Five minutes until the operator raises it, once HTTPS has proved itself (docs/deployment.md §8):
# browsers remember HSTS for as long as it says, so a one-year value on day one turns a certificate
# mistake into a year of users locked out.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "300"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The language choice holds no secret, but nothing is gained by sending it over plain HTTP or to scripts.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
# Permissions-Policy (camera, microphone, geolocation… off) is sent by the reverse proxy
# (deploy/nginx/stims.conf): Django has no setting for it and STIMS uses none of those features.

# Content-Security-Policy (django-csp): everything from our own origin, no inline script, no eval, no
# plugins, no framing, forms posted only to us. Every script is a static file (core/static/core/stims.js
# replaces the inline event handlers; Swagger UI's init script is its own URL, SpectacularSwaggerSplitView)
# and htmx's injected indicator <style> is turned off (meta htmx-config in base.html) and shipped as a
# static file. Style *elements* and external styles are therefore 'self' only; style *attributes*
# (`style="width: 10rem"` in a few tables) are allowed by style-src-attr: they cannot run script or load
# anything but images from our origin (img-src), and allowing them keeps the templates plain.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        # Swagger UI's and Bootstrap's stylesheets draw their icons as data: SVG images.
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        # A record's page previews its PDF documents in a frame from our own /files/ download (which then
        # answers with its own narrower policy and X-Frame-Options: SAMEORIGIN): frames from us only.
        "frame-src": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a one-way decision for the domain owner; it stays opt-in (SECURE_HSTS_PRELOAD).
    "security.W021",
]

# --- REST API ---------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Integrators use `Authorization: Token <key>`; the browsable docs use the page session.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "stims.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Counted in the shared cache (CACHES below), so the limits hold across every worker process.
    "DEFAULT_THROTTLE_CLASSES": [
        "stims.core.api_throttles.StimsAnonRateThrottle",
        "stims.core.api_throttles.StimsUserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("STIMS_API_RATE_ANON", "60/minute"),
        "user": os.environ.get("STIMS_API_RATE_USER", "1200/minute"),
    },
    "DEFAULT_PERMISSION_CLASSES": ["stims.core.api_permissions.ScopedPermission"],
    # JSON only. DRF's browsable API renders write forms whose choices list related records beyond the
    # user's scope, so it is off unless asked for (development: STIMS_BROWSABLE_API=1, on with DEBUG).
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(
            ["rest_framework.renderers.BrowsableAPIRenderer"]
            if env_bool("STIMS_BROWSABLE_API", DEBUG)
            else []
        ),
    ],
    # The pages' filters (django-filter) and `?ordering=field` / `-field` over the fields a record shows.
    "DEFAULT_FILTER_BACKENDS": [
        # django-filter's backend, with related choices narrowed to what the user may see.
        "stims.core.api_filters.ScopedFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "stims.core.api_pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "stims.core.api_schema.StimsAutoSchema",
    # One JSON body per operation; multipart only where a file is uploaded (ScopedViewSetMixin.get_parsers).
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # Every error in one shape: {"detail", "code", "errors"} (stims.core.api_errors).
    "EXCEPTION_HANDLER": "stims.core.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "STIMS API",
    "DESCRIPTION": (
        "The REST API of STIMS, the Science, Technology and Innovation Management System of a provincial "
        "Department of Science and Technology. Authenticate with `Authorization: Token <key>` (My account → "
        "API tokens). Every answer carries `API-Version`; every error has one shape, "
        '`{"detail", "code", "errors"}`; updates need `If-Match` with the record\'s `ETag`; POST accepts '
        "`Idempotency-Key`. See docs/api.md."
    ),
    "VERSION": __version__,
    "LICENSE": {"name": "AGPL-3.0-or-later", "url": "https://www.gnu.org/licenses/agpl-3.0.html"},
    "SERVERS": [
        {"url": os.environ.get("STIMS_BASE_URL", "http://127.0.0.1:8000"), "description": "This STIMS"}
    ],
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components: read-only fields (id, labels) are not asked for on create.
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "stims.core.api_schema.reuse_enum_components",
        "stims.core.api_schema.add_headers",
    ],
    # Swagger UI's files come from the drf-spectacular-sidecar package, not from a CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a field called "kind"; name each enum after what it is.
    "ENUM_NAME_OVERRIDES": {
        "CouncilKindEnum": "stims.councils.models.CouncilKind",
        "ResultKindEnum": "stims.results.models.ResultKind",
        "TransitionKindEnum": "stims.sttasks.models.TransitionKind",
        "LocalityRequestStatusEnum": "stims.meetings.models.RequestStatus",
        "InspectionStateEnum": "stims.inspections.models.InspectionState",
        "TaskLevelEnum": "stims.sttasks.models.Level",
    },
}

# --- Dashboards: how far behind the data their figures may be served (core.aggregates), in seconds, to a
# user who has not written since; 0: always exact (each write makes the next visit compute them again).
STIMS_FIGURES_STALE_SECONDS = env_int("STIMS_FIGURES_STALE_SECONDS", 30)
# A list's filter form kept in each process while the tables its choices come from are unchanged
# (core.fragments); off with DEBUG. STIMS_FRAGMENTS=0 renders it on every page.
STIMS_FRAGMENTS = env_bool("STIMS_FRAGMENTS", True)
# PostgreSQL: a list over a table of more rows than this (the planner's figures) keeps its count while the
# tables it counts are unchanged (core.tables.list_count); 0 keeps every list's count.
STIMS_KEEP_COUNTS_ABOVE = env_int("STIMS_KEEP_COUNTS_ABOVE", 10_000)

# --- S&T tasks: uploads, deadlines, reminders ---------------------------------------------------------
STIMS_ACCEPTANCE_DAYS = int(os.environ.get("STIMS_ACCEPTANCE_DAYS", "90"))
STIMS_REMINDER_DAYS = int(os.environ.get("STIMS_REMINDER_DAYS", "14"))
STIMS_BASE_URL = os.environ.get("STIMS_BASE_URL", "http://127.0.0.1:8000")

# Reminders go out by e-mail too: printed to the console in development, SMTP otherwise.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "stims@localhost")

# Password reset by e-mail ("Quên mật khẩu?" on the login page, or sent by the administrator from a user's
# page): the link is valid STIMS_PASSWORD_RESET_HOURS and points at STIMS_BASE_URL. Requests are limited
# per client address and per address typed, per hour, whether or not the address has an account.
PASSWORD_RESET_TIMEOUT = env_int("STIMS_PASSWORD_RESET_HOURS", 24) * 3600
STIMS_PASSWORD_RESET_PER_ADDRESS = env_int("STIMS_PASSWORD_RESET_PER_ADDRESS", 10)
STIMS_PASSWORD_RESET_PER_EMAIL = env_int("STIMS_PASSWORD_RESET_PER_EMAIL", 3)

# --- Cache: API rate limits, the worker's heartbeat (and anything else every process must share) -----
# STIMS_CACHE: `file` (default: a directory under STIMS_DATA_DIR, shared by the processes of ONE
# machine), `database` (a table, after `stims createcachetable`), or `redis://host:port/db` (several
# machines; Redis runs beside PostgreSQL). Any other value is refused: a silent per-machine fallback
# would let rate limits and lockouts stop holding across servers.
STIMS_CACHE = os.environ.get("STIMS_CACHE", "file").strip()
if STIMS_CACHE == "file":
    _cache = {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
elif STIMS_CACHE == "database":
    _cache = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "stims_cache"}
elif STIMS_CACHE.startswith(("redis://", "rediss://", "unix://")):
    _cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": STIMS_CACHE}
else:
    raise ImproperlyConfigured(
        f"STIMS_CACHE={STIMS_CACHE!r} is not understood: use file, database or redis://host:port/db."
    )
CACHES = {"default": _cache}

# --- Health checks (/health/ready/): when a part counts as failing --------------------------------------
STIMS_HEALTH_WORKER_SECONDS = env_int("STIMS_HEALTH_WORKER_SECONDS", 120)  # no heartbeat from `stims worker`
STIMS_HEALTH_QUEUE_SECONDS = env_int("STIMS_HEALTH_QUEUE_SECONDS", 600)  # the oldest job waiting
STIMS_HEALTH_DISK_FREE_MB = env_int("STIMS_HEALTH_DISK_FREE_MB", 1024)  # free space in STIMS_DATA_DIR
STIMS_HEALTH_BACKUP_HOURS = env_int("STIMS_HEALTH_BACKUP_HOURS", 0)  # newest archive; 0 = not checked
# /metrics (Prometheus) answers the machine itself, and any scraper sending "Authorization: Bearer <token>".
STIMS_METRICS_TOKEN = os.environ.get("STIMS_METRICS_TOKEN", "")
# django-prometheus: no metrics of its own about migrations at every start.
PROMETHEUS_EXPORT_MIGRATIONS = False

# --- Background work: Django's tasks API with the database backend --------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

DJANGO_TABLES2_TEMPLATE = "core/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# One line per record on standard error, which systemd's journal keeps with its own timestamp, unit and
# process id (`journalctl -u stims-web`): the level, the request's id and the logger name are all a line
# needs to add. A traceback is folded onto the same line (core.logs.OneLineFormatter), so one failure is
# one journal entry; refused HEAD requests are not logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "stims.core.logs.RequestIdFilter"},
        "skip_head": {"()": "stims.core.logs.SkipHeadNoise"},
    },
    "formatters": {"journal": {"()": "stims.core.logs.OneLineFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "journal",
            "filters": ["request_id", "skip_head"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # django-axes announces itself at every start, including every `stims` command; its log of
        # failed and locked-out logins (axes.handlers) stays.
        "axes.apps": {"level": "WARNING"},
    },
}

# A web address typed without its scheme ("sokhcn.quangninh.gov.vn") is taken as https://, Django 6's
# default, instead of plain http://.
FORMS_URLFIELD_ASSUME_HTTPS = True
