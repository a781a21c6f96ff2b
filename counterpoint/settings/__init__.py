"""Settings for Counterpoint, read from the environment.

Defaults are for a laptop: DEBUG on, SQLite under ``var/``, email printed to the console.
``counterpoint.settings.production`` tightens everything for a public deployment (docs/deploy.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("COUNTERPOINT_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "huey.contrib.djhuey",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "counterpoint.accounts",
    "counterpoint.couples",
    "counterpoint.privacy",
    "counterpoint.notify",
    "counterpoint.pwa",
    "counterpoint.activity",
    "counterpoint.journal",
    "counterpoint.pages",
    "counterpoint.practices",
    "counterpoint.interdependence",
    "counterpoint.practices.moments",
    "counterpoint.practices.decisions",
    "counterpoint.practices.repair",
    "counterpoint.practices.timebalance",
    "counterpoint.checkins",
    "counterpoint.insights",
    "counterpoint.practices.support",
    "counterpoint.practices.boundaries",
    "counterpoint.practices.goals",
    "counterpoint.practices.commitments",
    "counterpoint.safety",
    "counterpoint.practices.plans",
    "counterpoint.professionals",
    "counterpoint.research",
    "counterpoint.research.runs",
    "counterpoint.operations",
]

MIDDLEWARE = [
    "counterpoint.operations.middleware.RequestLogMiddleware",
    "counterpoint.http.RequestBodyMiddleware",
    "counterpoint.http.NulCharactersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "counterpoint.accounts.middleware.ResolvedUserMiddleware",
    "counterpoint.privacy.middleware.NoStoreWhenSignedInMiddleware",
    "counterpoint.accounts.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "counterpoint.operations.middleware.AtomicWritesMiddleware",  # last: wraps the view itself
]

ROOT_URLCONF = "counterpoint.urls"
WSGI_APPLICATION = "counterpoint.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "counterpoint.pages.context_processors.navigation",
                "counterpoint.safety.context_processors.quick_exit",
            ],
        },
    }
]

_sqlite_default = f"sqlite:///{VAR_DIR / 'counterpoint.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _sqlite_default))}
SQLITE_SYNCHRONOUS = os.environ.get("SQLITE_SYNCHRONOUS", "FULL").upper()
if SQLITE_SYNCHRONOUS not in {"FULL", "NORMAL"}:
    raise ValueError("SQLITE_SYNCHRONOUS must be FULL or NORMAL")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the start of
    # a transaction so two writers queue (busy timeout) instead of failing half-way. FULL syncs the
    # WAL at every commit, so a write we acknowledged survives a power cut (docs/capacity.md).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            f"PRAGMA journal_mode=WAL; PRAGMA synchronous={SQLITE_SYNCHRONOUS}; "
            "PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# PostgreSQL: parameters bound by the server, and a statement a connection has run five times
# prepared once and reused, so the server parses and plans it once: half of PostgreSQL's CPU per
# request of the load test's mix (docs/capacity.md, "The twenty-first stop"). Off behind a pooler
# that hands one connection to many clients per transaction (PgBouncer's transaction mode), where
# a prepared statement may not be on the connection the next query gets (docs/deploy.md).
POSTGRES_PREPARED_STATEMENTS = env_bool("POSTGRES_PREPARED_STATEMENTS", True)
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and POSTGRES_PREPARED_STATEMENTS
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
# Keep connections between requests (a new PostgreSQL connection costs a few ms; a new SQLite one
# re-runs the PRAGMAs above, ~3% of a busy server's CPU), checked before reuse so a restarted
# database costs one failed health check, not one failed request.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "600"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Writes run in one transaction per request (operations.middleware.AtomicWritesMiddleware); reads
# run without one, so on SQLite they never wait for the write lock.
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("TEST", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "pages:home"
LOGOUT_REDIRECT_URL = "pages:welcome"

SESSION_COOKIE_AGE = 60 * 60 * 24 * 30
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# How many reverse proxies in front of the app append to X-Forwarded-For (docs/deploy.md). 0: the
# header is ignored and REMOTE_ADDR is the client. Sign-in records and lockout use this address.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Login throttling: five failures for one account from one address pause that pair for an hour.
# Account AND address together, so a stranger elsewhere cannot lock the owner out; the owner is
# emailed once when it happens (accounts/signals.py).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_CLIENT_IP_CALLABLE = "counterpoint.http.client_ip"
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form field that holds the email address
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# No django-axes access log: it would keep every sign-in's address, IP and browser, even after the
# account is deleted. Our own SignIn rows list them for the owner and go with the account.
AXES_DISABLE_ACCESS_LOG = True

# Every email is stored and handed to the task runner (no request waits on SMTP, failures are
# retried, and notify.OutboundEmail keeps a record); EMAIL_BACKEND names the backend that delivers.
EMAIL_BACKEND = "counterpoint.notify.backends.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_RECORD_DAYS = int(os.environ.get("EMAIL_RECORD_DAYS", "30"))
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Counterpoint <counterpoint@localhost>")

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# A request body larger than any form takes (a 10 MB photo, 2.5 MB of text, the multipart
# framing) is refused with a 413 before it is read (counterpoint.http.RequestBodyMiddleware).
REQUEST_MAX_BYTES = 13 * 1024 * 1024
# Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE wait on disk under a name that is not the browser's
# (counterpoint/http.py says why); smaller ones in memory, as Django does.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "counterpoint.http.ShortNameTemporaryFileUploadHandler",
]
# Memory photos are personal data: kept outside any served folder, read only through the access
# layer (docs/plans-and-memories.md). PHOTO_ROOT must be on persistent, backed-up storage.
PHOTO_ROOT = Path(os.environ.get("PHOTO_ROOT", VAR_DIR / "photos"))
PHOTO_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PHOTO_ROOT), "base_url": None},
}
# On SQLite, backups and photo removals take turns through this file (counterpoint/operations/
# photo_lock.py; PostgreSQL uses an advisory lock instead). Kept outside the photos folder.
PHOTO_LOCK_FILE = VAR_DIR / "photos.lock"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "photos": PHOTO_STORAGE,
    # content-hashed names, gzip + brotli, cached forever by whitenoise (counterpoint/staticfiles.py)
    "staticfiles": {"BACKEND": "counterpoint.staticfiles.StaticStorage"},
}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "counterpoint.staticfiles.PlotlyFinder",
]
WHITENOISE_USE_FINDERS = DEBUG

# Per-process memory cache: holds computed insights (counterpoint/insights/cache.py). Each web
# process computes a person's insights at most once per change of their data.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "2000"))},
    }
}
INSIGHTS_CACHE_SECONDS = int(os.environ.get("INSIGHTS_CACHE_SECONDS", "600"))
# Signed-in pages kept per session and data version (counterpoint/privacy/page_cache.py); 0 turns
# the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Safety center (docs/privacy.md): how long a fresh confirmation of identity lasts, and where
# "Leave quickly" sends the page (a neutral site; the app is replaced in the tab's history).
REAUTH_MAX_AGE_SECONDS = int(os.environ.get("REAUTH_MAX_AGE_SECONDS", "300"))
QUICK_EXIT_URL = os.environ.get("QUICK_EXIT_URL", "https://www.bbc.com/weather")
# Two-factor sign-in (authenticator apps, django-otp) and passkeys (WebAuthn). The relying-party id
# and origin default to the host the request came to (checked against ALLOWED_HOSTS).
OTP_TOTP_ISSUER = "Counterpoint"
WEBAUTHN_RP_ID = os.environ.get("WEBAUTHN_RP_ID", "")
WEBAUTHN_ORIGIN = os.environ.get("WEBAUTHN_ORIGIN", "")

INVITE_LIFETIME_HOURS = int(os.environ.get("INVITE_LIFETIME_HOURS", "72"))
# An account whose studies hold more prompts than this is closed in the deletion's request and
# deleted by the task runner a few couples at a time (accounts/deletion.py, docs/research.md).
ACCOUNT_DELETE_IN_REQUEST_ROWS = int(os.environ.get("ACCOUNT_DELETE_IN_REQUEST_ROWS", "2000"))
INSTRUMENT_DIR = os.environ.get(
    "INSTRUMENT_DIR", ""
)  # extra questionnaire definitions (docs/instrument.md)

# The task runner (huey). Default: a queue in an SQLite file under var/, no extra service; set
# TASKS_REDIS_URL to share one Redis queue between several servers (docs/tasks.md).
TASKS_REDIS_URL = os.environ.get("TASKS_REDIS_URL", "")
TASKS_WORKERS = int(os.environ.get("TASKS_WORKERS", "2"))
# /healthz: the task runner beats every minute; older than this, it is stale (docs/tasks.md).
TASKS_HEARTBEAT_STALE_SECONDS = int(os.environ.get("TASKS_HEARTBEAT_STALE_SECONDS", "180"))
HEALTHZ_REQUIRE_TASKS = env_bool("HEALTHZ_REQUIRE_TASKS", False)
_huey_consumer = {"workers": TASKS_WORKERS, "worker_type": "thread", "check_worker_health": True}
if TASKS_REDIS_URL:
    HUEY: dict[str, object] = {
        "huey_class": "huey.RedisHuey",
        "name": "counterpoint",
        "url": TASKS_REDIS_URL,
        "results": False,
        "immediate": False,
        "utc": True,
        "consumer": _huey_consumer,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "counterpoint",
        "filename": str(VAR_DIR / "tasks.sqlite3"),
        "results": False,
        "immediate": False,
        "utc": True,
        "consumer": _huey_consumer,
    }

# Web push: the VAPID key pair is made at setup in var/ (or given in production as a PEM).
VAPID_PRIVATE_KEY = os.environ.get("VAPID_PRIVATE_KEY", "")
VAPID_KEY_FILE = os.environ.get("VAPID_KEY_FILE", str(VAR_DIR / "vapid_private.pem"))
VAPID_SUBJECT = os.environ.get("VAPID_SUBJECT", "mailto:counterpoint@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # What the task runner did (emails sent, pushes, reminders) is worth seeing in `make run`.
    "loggers": {
        "counterpoint.notify": {"level": os.environ.get("NOTIFY_LOG_LEVEL", "INFO")},
        "counterpoint.checkins": {"level": os.environ.get("NOTIFY_LOG_LEVEL", "INFO")},
        "counterpoint.accounts.deletion": {"level": os.environ.get("NOTIFY_LOG_LEVEL", "INFO")},
        # One handler (huey's run_huey would add its own): no line printed twice.
        "huey": {
            "handlers": ["console"],
            "propagate": False,
            "level": os.environ.get("TASKS_LOG_LEVEL", "WARNING"),
        },
        # one line per request (id, method, path, status, ms); REQUEST_LOG_LEVEL=WARNING: none
        "counterpoint.request": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
    },
}

# Content-Security-Policy (django-csp): scripts only from this site or with the response's nonce
# (the inline scripts of server-rendered charts get it through the ``nonced`` filter); no eval, no
# inline event handlers, no plugins, no framing. Styles allow inline attributes: Plotly sets them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "worker-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
