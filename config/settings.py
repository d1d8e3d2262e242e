"""Settings for the service, read from the environment.

The defaults give the embedded demo: SQLite, eager background jobs, no other service.
Production sets DJANGO_ENV=production with DATABASE_URL, REDIS_URL, SECRET_KEY and
ALLOWED_HOSTS; the security switches then default to on.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

PRODUCTION = env_str("DJANGO_ENV", "development") == "production"

# Off unless DJANGO_DEBUG is set: even the embedded demo may be put in front of a colleague, so a
# 404 never lists the URL configuration and an error never shows a traceback.
DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set in production.")
    SECRET_KEY = "embedded-demo-only-not-secret-3f9c1d7e0b8a4c2e9f6a5d4c3b2a1908"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "audit",
    "agencies",
    "accounts",
    "cases",
    "chronology",
    "genogram",
    "reporting",
    "meetings",
    "notifications",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.limits.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view that cannot reach the database answers 503 with Retry-After (core/outage.py).
    "core.outage.DatabaseOutageMiddleware",
    "audit.middleware.AuditContextMiddleware",
    # Last, so it sees the lock-out flag that a refused sign-in sets on the request.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "cases.context_processors.access",
                "notifications.context_processors.unread",
            ],
        },
    },
]

FORM_RENDERER = "core.forms.GovukRenderer"

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite behind a threaded web server: write-ahead logging so reads never wait for a writer,
    # a busy timeout so a writer waits for the lock instead of failing with "database is locked",
    # and transactions that take the write lock when they begin, so two writers never deadlock
    # upgrading a read lock (the second one waits, then sees the first one's change).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20),
    }
if env_str("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Lock-out first (django-axes), then the ordinary username/password check.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The username-similarity validator is left out on purpose: the API contract lets an
# administrator create users whose passwords resemble their usernames.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "case-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
]
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploads: refuse anything bigger than this before it reaches a parser.
# Chronology imports (CSV/XLSX): larger files or more rows are refused with a clear message.
CHRONOLOGY_IMPORT_MAX_BYTES = env_int("CHRONOLOGY_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
CHRONOLOGY_IMPORT_MAX_ROWS = env_int("CHRONOLOGY_IMPORT_MAX_ROWS", 5000)

# A whole request (file uploads included) over REQUEST_MAX_BYTES is refused with 413.
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.KeysetPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON only; the two upload views (entries and GEDCOM import) take multipart themselves.
    "DEFAULT_PARSER_CLASSES": ["core.api.SafeJSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Shared chronology API",
    "DESCRIPTION": "Multi-agency safeguarding chronology, genogram, flags and packs (v1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Responses list every field they carry as required (see the hook), so generated clients type them.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.response_fields_required",
    ],
    # Several models have a field called `kind`: give each vocabulary its own schema name.
    "ENUM_NAME_OVERRIDES": {
        "AgencyKindEnum": "agencies.models.AgencyKind",
        "EntryKindEnum": "chronology.models.EntryKind",
        "RelationshipKindEnum": "genogram.models.RelationshipKind",
        "PackKindEnum": "reporting.packs.models.PackKind",
        "MeetingKindEnum": "meetings.models.MeetingKind",
        "MeetingStatusEnum": "meetings.models.MeetingStatus",
        "ActionStatusEnum": "meetings.models.ActionStatus",
    },
}

# Background jobs: Celery with Redis; eager (in-process) on the embedded default.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    # A broker that is down is noticed in seconds: a pack request then answers 503, never hangs.
    "socket_connect_timeout": env_int("CELERY_BROKER_CONNECT_TIMEOUT", 3),
}
CELERY_BROKER_CONNECTION_TIMEOUT = env_int("CELERY_BROKER_CONNECT_TIMEOUT", 3)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}

# Audit: requests append audit rows pending, without a lock; one sealer chains them in batches of
# AUDIT_SEAL_BATCH and writes a checkpoint of the chain's head signed with AUDIT_CHECKPOINT_KEY
# (audit/sealer.py). In production the sealer is the audit.seal beat task, every
# AUDIT_SEAL_INTERVAL_SECONDS; with no broker (the embedded default) it runs after each request.
AUDIT_CHECKPOINT_KEY = env_secret("AUDIT_CHECKPOINT_KEY")
if not AUDIT_CHECKPOINT_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("AUDIT_CHECKPOINT_KEY (or AUDIT_CHECKPOINT_KEY_FILE) must be set in production.")
    AUDIT_CHECKPOINT_KEY = "embedded-demo-only-audit-checkpoint-key-7d2e9b41c6a0"  # noqa: S105
AUDIT_SEAL_BATCH = env_int("AUDIT_SEAL_BATCH", 500)
AUDIT_SEAL_INTERVAL_SECONDS = env_int("AUDIT_SEAL_INTERVAL_SECONDS", 5)
AUDIT_SEAL_AFTER_REQUEST = env_bool("AUDIT_SEAL_AFTER_REQUEST", default=not REDIS_URL)

# Packs: every build stops after PACK_BUILD_TIME_LIMIT_SECONDS (then it is failed with a reason). A
# running build beats its heartbeat; the job sweeper (celery beat, or `manage.py sweep_jobs`) fails or
# requeues a running pack whose heartbeat is older than PACK_STALE_SECONDS and requeues a pack no
# worker started within PACK_QUEUED_STALE_SECONDS, at most PACK_MAX_ATTEMPTS times.
PACK_BUILD_TIME_LIMIT_SECONDS = env_int("PACK_BUILD_TIME_LIMIT_SECONDS", 300)
PACK_HEARTBEAT_SECONDS = env_int("PACK_HEARTBEAT_SECONDS", 10)
PACK_STALE_SECONDS = env_int("PACK_STALE_SECONDS", 120)
PACK_QUEUED_STALE_SECONDS = env_int("PACK_QUEUED_STALE_SECONDS", 600)
PACK_NO_WORKER_NOTICE_SECONDS = env_int("PACK_NO_WORKER_NOTICE_SECONDS", 60)
PACK_MAX_ATTEMPTS = env_int("PACK_MAX_ATTEMPTS", 3)
# Laid-out parts of packs (front matter, chronology chunks) are kept under MEDIA_ROOT/cache/pack-parts,
# keyed by what they show, so a re-print lays out only what changed; least recently used go first
# once the cache passes this size.
PACK_CHUNK_CACHE_MAX_MB = env_int("PACK_CHUNK_CACHE_MAX_MB", 500)
# With no broker (the embedded default), packs are built by one worker thread of the web process, so
# a request returns at once; off, they are built in the request as before.
PACK_LOCAL_WORKER = env_bool("PACK_LOCAL_WORKER", default=True)

# Email (notifications), Django's MAILERS read from the environment: SMTP in production
# (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD or _FILE, EMAIL_USE_TLS), the console
# on the embedded default; EMAIL_BACKEND overrides either. Emails carry no case data, only a case
# reference and a link to SITE_URL.
MAILERS = {
    "default": {
        "BACKEND": env_str(
            "EMAIL_BACKEND",
            "django.core.mail.backends.smtp.EmailBackend"
            if PRODUCTION
            else "django.core.mail.backends.console.EmailBackend",
        ),
        "OPTIONS": {},
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER"),
        "password": env_secret("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", default=False),
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    }
# Each entry write evaluates the case's flags to tell of flags that open or reopen (about 0.3 s on a
# 10,000-entry case, milliseconds on a usual one). Off only for bulk loads such as the benchmark's
# generator: then no flag notifications are written.
NOTIFY_FLAGS_ON_WRITE = env_bool("NOTIFY_FLAGS_ON_WRITE", default=True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Shared chronology <no-reply@localhost>")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Sessions expire after inactivity.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# API tokens (django-rest-knox, stored hashed): refused after API_TOKEN_IDLE_MINUTES without use
# and API_TOKEN_MAX_HOURS after sign-in however often used; a new one at every sign-in; revoked
# by POST /api/v1/auth/logout/ and, all of a user's, on any password change.
API_TOKEN_IDLE_MINUTES = env_int("API_TOKEN_IDLE_MINUTES", 60)
API_TOKEN_MAX_HOURS = env_int("API_TOKEN_MAX_HOURS", 12)
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(minutes=API_TOKEN_IDLE_MINUTES),
    "AUTO_REFRESH": True,
    "AUTO_REFRESH_MAX_TTL": dt.timedelta(hours=API_TOKEN_MAX_HOURS),
    "MIN_REFRESH_INTERVAL": 60,
    "AUTH_HEADER_PREFIX": "Token",
}

# Lock-out after repeated failed sign-ins (pages and the API token endpoint), per username and
# address, for a cool-off period; a successful sign-in clears the count.
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "core.client.client_address"

# Proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed for the
# client's address in audit rows, the security log and lock-out. Empty: REMOTE_ADDR only.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an address or a network.") from None

# Two-factor authentication (TOTP) for every role. Off by default outside production so the
# embedded demo and the tests sign in with a password alone; production turns it on.
OTP_REQUIRED = env_bool("OTP_REQUIRED", default=PRODUCTION)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Shared chronology")

# Security switches: on by default in production, each overridable.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: our own static files only, no inline script or style anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}
if env_bool("SECURE_PROXY_SSL_HEADER", default=PRODUCTION):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# While the database cannot be reached, requests answer 503 with this Retry-After.
DATABASE_OUTAGE_RETRY_AFTER_SECONDS = env_int("DATABASE_OUTAGE_RETRY_AFTER_SECONDS", 30)

# Graphviz: dot is always called with a timeout.
GRAPHVIZ_TIMEOUT_SECONDS = env_int("GRAPHVIZ_TIMEOUT_SECONDS", 10)

# Working days in the flag rules skip the bank holidays of the partnership's nation
# (reporting/flags/dates.py, from the `holidays` library).
BANK_HOLIDAYS_NATION = env_str("BANK_HOLIDAYS_NATION", "england_and_wales")
if BANK_HOLIDAYS_NATION not in ("england_and_wales", "scotland", "northern_ireland"):
    raise ImproperlyConfigured("BANK_HOLIDAYS_NATION must be england_and_wales, scotland or northern_ireland.")
# Genogram size: people in one case (a GEDCOM import may not take a case past it; a family over it is
# not drawn, with a message saying so), people in one GEDCOM import, and the size of a GEDCOM file.
GENOGRAM_MAX_PEOPLE_PER_CASE = env_int("GENOGRAM_MAX_PEOPLE_PER_CASE", 1000)
GENOGRAM_IMPORT_MAX_PEOPLE = env_int("GENOGRAM_IMPORT_MAX_PEOPLE", 500)
GENOGRAM_IMPORT_MAX_BYTES = env_int("GENOGRAM_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
# Routing a genogram's relationship lines round every name (genogram/routing.py): grid cells one
# drawing may search in all; past it the remaining lines are drawn straight.
GENOGRAM_ROUTING_BUDGET = env_int("GENOGRAM_ROUTING_BUDGET", 500_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
