"""Settings, read from the environment.

With nothing set the system runs on its own: SQLite and a filesystem Celery broker under
``var/``. ``DATABASE_URL`` and ``REDIS_URL`` switch it to PostgreSQL and Redis.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CCC_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a yes/no value, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug-" + "x" * 20

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "ccc.apps.CCCAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ccc",
    "referrals",
    "triage",
    "irr",
    "discharge",
    "directory",
    "escalations",
    "reporting",
    "opel",
    "interop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ccc.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ccc.middleware.IdleTimeoutMiddleware",
    # After the password, managers and administrators give a code from their authenticator app.
    "ccc.middleware.SecondFactorMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the "locked" page.
    "axes.middleware.AxesMiddleware",
]
# The place benchmark reads each response's query count from a header; never on by default.
if env_bool("CCC_QUERY_COUNT_HEADER", False):
    MIDDLEWARE.insert(0, "ccc.middleware.QueryCountMiddleware")

ROOT_URLCONF = "ccc.urls"
WSGI_APPLICATION = "ccc.wsgi.application"

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
                "ccc.context_processors.navigation",
                "ccc.context_processors.idle_timeout",
                "escalations.context_processors.notifications",
            ],
        },
    },
]
FORM_RENDERER = "ccc.forms.NHSUKFormRenderer"

# Database: PostgreSQL from DATABASE_URL, SQLite under var/ otherwise.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Keep connections open between requests: opening one costs more than our queries.
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 600), conn_health_checks=True
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "ccc.sqlite3",
            # IMMEDIATE takes the write lock at BEGIN, so a read-check-write (a claim) cannot
            # interleave with another one on SQLite, as row locks guarantee on PostgreSQL.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "ccc.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # Then the password, refusing accounts disabled or past their end date (at login and mid-session).
    "ccc.backends.AccountBackend",
]
# The second factor (django-otp): the name authenticator apps show. Each wrong code doubles the wait
# before the next is checked, starting at this many seconds.
OTP_TOTP_ISSUER = "Care Co-ordination Centre"
OTP_TOTP_THROTTLE_FACTOR = env_int("CCC_SECOND_FACTOR_THROTTLE_SECONDS", 1)
# Lockout: this many failed logins for one username from one address lock that pair for the
# cool-off; a failure while locked starts it again. Failures older than the cool-off are forgotten.
AXES_FAILURE_LIMIT = env_int("CCC_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CCC_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Administrators unlock through the staff screens (ccc.accounts.account_unlock), behind our permission module.
AXES_ENABLE_ADMIN = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Stored in UTC, shown in UK local time.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static_build"]
if DEBUG:
    # WhiteNoise serves from the finders in DEBUG but still expects the collected folder to exist.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Celery: Redis in production; a filesystem broker under var/ when no REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Intake must not hang on a broker that is down: fail fast, the sweep catches up.
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
else:
    broker_dir = VAR_DIR / "celery-broker"
    for sub in ("out", "processed", "control"):
        (broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(broker_dir / "out"),
        "data_folder_out": str(broker_dir / "out"),
        "processed_folder": str(broker_dir / "processed"),
        "control_folder": str(broker_dir / "control"),
        "store_processed": False,
    }
# A queue name of its own lets a test run's worker take only that run's tasks.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CCC_CELERY_QUEUE", "celery")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "triage-notify-pending": {
        "task": "triage.tasks.notify_pending_queue_items",
        "schedule": env_int("CCC_SWEEP_SECONDS", 60),
    },
    # The escalation engine's poller: due times live in PostgreSQL, beat only asks "what is due?".
    "escalations-fire-due": {
        "task": "escalations.tasks.fire_due_escalations",
        "schedule": env_int("CCC_ESCALATION_SECONDS", 30),
        "options": {"expires": env_int("CCC_ESCALATION_SECONDS", 30)},
    },
    # System escalation: each partner's OPEL level from the live figures.
    "opel-evaluate-levels": {
        "task": "opel.tasks.evaluate_levels",
        "schedule": env_int("CCC_OPEL_SECONDS", 300),
        "options": {"expires": env_int("CCC_OPEL_SECONDS", 300)},
    },
}
# When the system is down: the hourly downtime copy written to a folder (docs/DOWNTIME.md). Off unless
# CCC_DOWNTIME_DIR is set; CCC_DOWNTIME_USER names the manager whose reading the access log records.
CCC_DOWNTIME_DIR = os.environ.get("CCC_DOWNTIME_DIR", "")
CCC_DOWNTIME_USER = os.environ.get("CCC_DOWNTIME_USER", "")
if CCC_DOWNTIME_DIR:
    if not CCC_DOWNTIME_USER:
        raise ImproperlyConfigured("CCC_DOWNTIME_DIR needs CCC_DOWNTIME_USER: the manager the copy is read as")
    CELERY_BEAT_SCHEDULE["reporting-downtime-copy"] = {
        "task": "reporting.tasks.write_downtime_copy",
        "schedule": env_int("CCC_DOWNTIME_SECONDS", 3600),
        "options": {"expires": env_int("CCC_DOWNTIME_SECONDS", 3600)},
    }
# Tests only: a pause after each escalation fires, so a worker can be killed in the middle of a run.
CCC_ESCALATION_FIRE_DELAY_SECONDS = float(os.environ.get("CCC_ESCALATION_FIRE_DELAY_SECONDS") or 0)
# Due clocks the poller fires per transaction: its queries are a constant per batch.
CCC_ESCALATION_BATCH_SIZE = int(os.environ.get("CCC_ESCALATION_BATCH_SIZE") or 500)
# Links in e-mails start with this.
CCC_SITE_URL = os.environ.get("CCC_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How long a new queue item may wait for its "new item" notification before the sweep sends it.
CCC_NOTIFY_GRACE_SECONDS = env_int("CCC_NOTIFY_GRACE_SECONDS", 60)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ccc-noreply@localhost")

REST_FRAMEWORK = {
    # Token first: DRF names the first class's scheme in WWW-Authenticate, so an anonymous
    # call is told 401 and how to log in, rather than a bare 403 (SessionAuthentication has none).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Every endpoint names its action; one without is refused.
    "DEFAULT_PERMISSION_CLASSES": ["ccc.permissions.ActionPermission"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "ccc.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "ccc.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Care Co-ordination Centre API",
    "DESCRIPTION": "Referrals, duty triage queues and triage decisions.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["ccc.permissions.ApiDocsPermission"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "QueueItemStatusEnum": "triage.models.QueueItem.Status",
        "FollowUpCallStatusEnum": "referrals.models.FollowUpCall.Status",
        "FollowUpOutcomeEnum": "referrals.serializers.FOLLOW_UP_OUTCOMES",
        "TransportBookingStatusEnum": "referrals.models.TransportBooking.Status",
        "TransportMoveEnum": "referrals.serializers.TRANSPORT_MOVES",
        "TocEntryStatusEnum": "discharge.models.RegisterEntry.Status",
        "TocBookingStatusEnum": "discharge.models.CapacityBooking.Status",
        "DischargePathwayEnum": "discharge.models.Pathway",
    },
}
# Duty triage and IRR: one schema name per choice set that shares a field name with another.
SPECTACULAR_SETTINGS.setdefault("ENUM_NAME_OVERRIDES", {}).update(
    {
        "RiskLevelEnum": "triage.models.RiskLevel.choices",
        "PriorityEnum": "triage.models.Priority.choices",
        "TriageOutcomeEnum": "triage.models.TriageOutcome.choices",
        "QueueItemStatusEnum": "triage.models.QueueItemStatus.choices",
        "EpisodeOutcomeEnum": "irr.models.EpisodeOutcome.choices",
        "EpisodeStatusEnum": "irr.models.EpisodeStatus.choices",
        "VisitKindEnum": "irr.models.VisitKind.choices",
        "VisitStatusEnum": "irr.models.VisitStatus.choices",
        "DisciplineEnum": "irr.models.Discipline.choices",
        # Call-back requests: "kind" and "status" are field names other choice sets use too.
        "CallBackKindEnum": "referrals.models.CallBackRequest.Kind",
        "CallBackStatusEnum": "referrals.models.CallBackRequest.Status",
        "CallBackUrgencyEnum": "referrals.models.CallBackRequest.Urgency",
        # A patient's phone numbers (mobile, home...): "kind" is a field name other choice sets use.
        "PatientPhoneKindEnum": "referrals.models.PatientPhone.Kind",
    }
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Production hardening: `manage.py check --deploy` passes with no warnings when DEBUG is off.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = 12 * 60 * 60  # one shift at most, however busy
# A session left alone this long ends (ccc.middleware.IdleTimeoutMiddleware); a warning shows
# two minutes before (static ccc/idle-timeout.js).
IDLE_TIMEOUT_SECONDS = env_int("CCC_IDLE_MINUTES", 30) * 60

# Content-Security-Policy (django-csp 4): only our own files run. The few inline scripts carry
# the per-response nonce (`{{ request.csp_nonce }}`); nothing may frame a page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
