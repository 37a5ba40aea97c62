"""EchoHub settings: one file, every deploy-time knob read from the environment.

The defaults make a clone run on the embedded SQLite database with no other
service; production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and friends
(see docs/deploy.md).
"""

import os
import tempfile
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
DATA_DIR = Path(os.environ.get("ECHOHUB_DATA_DIR", PROJECT_DIR / "var"))

# Without SECRET_KEY a clone still runs, on a key that `manage.py check
# --deploy` rejects (security.W009) so no production deploy passes with it.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-development-key-not-for-production"

# Pairs one person's answers before and after a series without naming them
# (evaluations.services.pair_key). Its own key, so rotating SECRET_KEY does not
# break the pairing of a series in progress; set it once and keep it.
EVALUATION_PAIRING_KEY = os.environ.get("EVALUATION_PAIRING_KEY") or SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# The name people know the site by: in page titles and account emails ("Hello from EchoHub!").
SITE_NAME = os.environ.get("SITE_NAME", "EchoHub")

INSTALLED_APPS = [
    "echohub",
    "echohub.workers",
    "echohub.pagecache",
    "echohub.reference",
    "echohub.accounts",
    "echohub.network",
    "echohub.programs",
    "echohub.registration",
    "echohub.outreach",
    "echohub.attendance",
    "echohub.questionnaires",
    "echohub.evaluations",
    "echohub.certificates",
    "echohub.cases",
    "echohub.library",
    "echohub.sitepages",
    "echohub.updates",
    "echohub.community",
    "echohub.privacy",
    "echohub.reports",
    "echohub.api",
    "echohub.webhooks",
    "echohub.video",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "echohub.middleware.RequestTiming",
    "django.middleware.security.SecurityMiddleware",
    "echohub.middleware.RefuseNulCharacters",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Public pages, signed out, answered from the shared cache before anything below runs.
    "echohub.pagecache.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "echohub.middleware.PrivatePages",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "echohub.accounts.security.RequireSecondFactor",
    "echohub.accounts.security.StaffSessionLimits",
    "echohub.timezones.ReaderTimezoneMiddleware",
]

ROOT_URLCONF = "echohub.urls"
WSGI_APPLICATION = "echohub.wsgi.application"

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
                "echohub.context_processors.site",
            ],
        },
    },
]

# Selects and text inputs drawn in Python, the same HTML as Django's widget templates
# at a fraction of the cost (echohub/formrenderer.py).
FORM_RENDERER = "echohub.formrenderer.Renderer"

# --- Database -------------------------------------------------------------
# SQLite in WAL mode with IMMEDIATE transactions: writers queue on the lock
# (up to `timeout` seconds) instead of failing with "database is locked".
# Each web worker keeps its connection (checked before reuse): opening one per
# request halved the registration rush's throughput on PostgreSQL (docs/benchmarks.md).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'echohub.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Tests run on a file too: an in-memory database shares one cache between
    # connections, whose table locks ignore the busy timeout ("table is locked").
    # One file per process, so that two test runs never share (and destroy) one.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"echohub-test-{os.getpid()}.sqlite3")
    }
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People and sign-in ---------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    # Staff (who read case text) need 15 characters.
    {"NAME": "echohub.accounts.security.StaffPasswordLength"},
    # Not one seen in a data breach (Pwned Passwords, by k-anonymity).
    {"NAME": "echohub.accounts.security.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "programs:home"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "echohub.accounts.forms.SignupProfileForm"
ACCOUNT_ADAPTER = "echohub.outreach.account_mail.BrandedAccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# Failed logins are limited per account first, then per address: once an account
# is locked, more guesses at it are refused without counting against the address,
# so a storm on one account never locks out a colleague behind the same address.
# allauth's limit on every login attempt per address ("login") is off for the same
# reason: it counted the refused guesses too.
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/key,30/m/ip", "login": None}
# How many proxies (nginx, a load balancer) stand in front and append to
# X-Forwarded-For; the client's address is the one the outermost of them saw. 0
# trusts no header (the default: a client could write one itself).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# A second factor (allauth.mfa): an authenticator app (TOTP), a security key or
# passkey (WebAuthn), and recovery codes. Offered to everyone; required of
# national and hub staff and panel members (echohub.accounts.security).
# On in production; off on the development server, so `make run`'s demo staff can
# look around without an authenticator app (they may still add one).
REQUIRE_SECOND_FACTOR = env_bool("REQUIRE_SECOND_FACTOR", default=not DEBUG)
# Where the breached-password check asks (Pwned Passwords' range API); empty turns it
# off, as on the development server, which may have no internet.
PWNED_PASSWORDS_URL = os.environ.get(
    "PWNED_PASSWORDS_URL", "" if DEBUG else "https://api.pwnedpasswords.com/range/"
)
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_PASSKEY_LOGIN_ENABLED = False
# WebAuthn needs HTTPS, except on the development server.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# --- Email ----------------------------------------------------------------
# Development prints messages on the console so the confirmation link of a
# new account is right there in the terminal; production sets EMAIL_HOST.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "EchoHub <noreply@echohub.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Emails that go to many (updates, digests) leave in batches over one SMTP
# connection, at most this many a second (0: as fast as the server takes them);
# match it to the provider's sending quota.
EMAIL_BATCH_SIZE = int(os.environ.get("EMAIL_BATCH_SIZE", "200"))
EMAIL_RATE_PER_SECOND = float(os.environ.get("EMAIL_RATE_PER_SECOND", "0"))
# CASL: every email names its sender with a mailing address and a contact. They
# come from the sending hub (or the national lead hub); these are the fallback
# when no hub has them yet.
SENDER_MAILING_ADDRESS = os.environ.get("SENDER_MAILING_ADDRESS", "")
SENDER_CONTACT = os.environ.get("SENDER_CONTACT", "")

# --- Background tasks -----------------------------------------------------
# Emails and reminders run as tasks queued in the database and run by
# `echohub worker` (several workers may share one PostgreSQL database).
# TASKS_BACKEND=immediate runs each task at once in the process that queues it.
TASKS_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {
    "default": {
        "BACKEND": TASKS_BACKENDS[os.environ.get("TASKS_BACKEND", "database")],
        "QUEUES": ["default"],
    }
}
# A worker renews its lease every quarter of this; one silent this long is
# taken for dead and its work is taken up again (echohub.workers.leases).
TASK_LEASE_SECONDS = float(os.environ.get("TASK_LEASE_SECONDS", "120"))
# Reminders go this many minutes before a session starts (a day and an hour by default).
REMINDER_OFFSETS_MINUTES = [
    int(minutes) for minutes in env_list("REMINDER_OFFSETS_MINUTES", "1440,60")
]

# --- Languages and time ---------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["echohub.formats"]
USE_I18N = True
USE_TZ = True
# Stored times are UTC; this zone is only the last fallback for a reader
# whose zone is known neither from their profile nor from their browser.
TIME_ZONE = os.environ.get("TIME_ZONE", "America/Toronto")

# --- Static files ---------------------------------------------------------
STATIC_URL = "/static/"
# Only a production deploy that runs collectstatic sets STATIC_ROOT.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None
# WhiteNoise serves the app directories directly, so a clone runs (and
# gunicorn serves) without a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
# Library uploads are private: outside any served directory, handed out only by
# a view that checks who may see them. LIBRARY_STORAGE=s3 keeps them in
# S3-compatible object storage instead (django-storages; see docs/deploy.md).
_PRIVATE_STORAGE: dict[str, object] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": DATA_DIR / "private", "base_url": None},
}
if os.environ.get("LIBRARY_STORAGE") == "s3":
    _PRIVATE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", ""),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": _PRIVATE_STORAGE,
}

# --- Security -------------------------------------------------------------
SESSION_ENGINE = "echohub.accounts.sessions"  # Django's db sessions, read by the hot path
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# Asking browsers' preload lists to carry the domain is hard to undo: its own choice,
# so `check --deploy` does not warn while it is off (security.W021).
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Pages carry no inline script or style: everything comes from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        # Library recordings play in the hosts' own players, and our own files in <video>.
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "media-src": [SELF],
    }
}

# --- Caches ---------------------------------------------------------------
# The login limits (allauth) count in the cache, so it must be one cache for every
# web process: Redis when REDIS_URL is set, else a table in the database (made by
# the accounts app's migration). A cache in each process's memory let two workers
# take twice the guesses.
# Public pages kept for signed-out readers (echohub/pagecache) have a cache of their
# own, so that pages pushed out to make room never push out a login limit.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "echohub_cache",
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "echohub_pagecache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
        "KEY_PREFIX": "pages",
    }

# /metrics (echohub.metrics) answers only a scraper sending this token; unset: 404.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# --- The partner API (/api/v1/, echohub/api) --------------------------------
# Calls a minute, per token, and per address for calls without one.
API_TOKEN_RATE_LIMIT = int(os.environ.get("API_TOKEN_RATE_LIMIT", "600"))
API_ANONYMOUS_RATE_LIMIT = int(os.environ.get("API_ANONYMOUS_RATE_LIMIT", "120"))
# Webhooks (echohub/webhooks): seconds to wait for a receiver's answer; and whether
# addresses may be http or private (tests and closed networks only: see docs/api.md).
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOKS_ALLOW_PRIVATE = env_bool("WEBHOOKS_ALLOW_PRIVATE")
# Secrets kept at rest (a hub's video platform credentials) are sealed with the
# first of these Fernet keys and opened with any of them (echohub.sealing;
# `echohub reseal` after adding a key). Unset, a key derived from SECRET_KEY.
SECRETS_KEYS = env_list("SECRETS_KEYS", "")
# Video platforms (echohub/video, docs/video.md): seconds to wait for a platform's
# answer, and whether a BigBlueButton server may be on http or a private address.
VIDEO_TIMEOUT_SECONDS = float(os.environ.get("VIDEO_TIMEOUT_SECONDS", "15"))
VIDEO_ALLOW_PRIVATE = env_bool("VIDEO_ALLOW_PRIVATE")
# The platforms' own addresses (tests point them at servers on loopback).
ZOOM_OAUTH_URL = "https://zoom.us/oauth/token"
ZOOM_API_URL = "https://api.zoom.us/v2"
MICROSOFT_LOGIN_URL = "https://login.microsoftonline.com"
GRAPH_URL = "https://graph.microsoft.com/v1.0"
REST_FRAMEWORK = {
    # A token or nothing: the API never reads the session cookie, so a page's
    # visitor cannot be made to call it (no CSRF to guard).
    "DEFAULT_AUTHENTICATION_CLASSES": ["echohub.api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["echohub.api.ratelimit.TokenRateLimit"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "echohub.api.pagination.Cursor",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "echohub.api.problems.handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "EchoHub partner API",
    "DESCRIPTION": (
        "Programs, sessions, hubs, library items and updates for everyone. With a token, a "
        "hub's own systems read its registrations, attendance, certificates and figures, "
        "and register people, send attendance reports and issue certificates through the "
        "pages' own rules. Texts come in English and French side by side, times in UTC "
        "(ISO 8601), lists by cursor, errors as RFC 9457 problem details. Webhooks and "
        "xAPI statements: see docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        # A program's languages and a library item's: English, French or both.
        "ContentLanguage": "echohub.programs.models.Program.Languages",
        "Language": "echohub.accounts.models.User.Language",
        "ImportStatus": "echohub.attendance.models.AttendanceImport.Status",
        "SessionStatus": "echohub.programs.models.Session.Status",
        "ProgramStatus": "echohub.programs.models.Program.Status",
        "RegistrationStatus": "echohub.registration.models.Registration.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "echohub.api.schema.add_problems",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# --- Logging --------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
