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
    "stims.iso",
    "stims.initiatives",
    # Above every domain: pages that gather several apps, and the demo data.
    "stims.site",
    "stims.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "stims.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Attributes every historical record written during a request to the logged-in user.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
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
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Security (production defaults; DEBUG relaxes the HTTPS-only ones) ----------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
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
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
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
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "STIMS API",
    "DESCRIPTION": "Science, Technology and Innovation Management System",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI's files come from the drf-spectacular-sidecar package, not from a CDN at run time.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a field called "kind"; name each enum after what it is.
    "ENUM_NAME_OVERRIDES": {
        "CouncilKindEnum": "stims.councils.models.CouncilKind",
        "ResultKindEnum": "stims.results.models.ResultKind",
        "TransitionKindEnum": "stims.sttasks.models.TransitionKind",
    },
}

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

# --- Cache: API rate limits (and anything else that must be shared by every worker process) ---------
# A directory under STIMS_DATA_DIR is shared by the processes of one machine; several machines share a
# database table instead (STIMS_CACHE=database, after `stims createcachetable`).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "stims_cache"}
    if os.environ.get("STIMS_CACHE", "file") == "database"
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}

# --- Background work: Django's tasks API with the database backend --------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

DJANGO_TABLES2_TEMPLATE = "core/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}
SIMPLE_HISTORY_HISTORY_ID_USE_UUID = False

# One line per record on standard error, which systemd's journal keeps with its own timestamp, unit and
# process id (`journalctl -u stims-web`): the level and the logger name are all a line needs to add.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"journal": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "journal"}},
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
