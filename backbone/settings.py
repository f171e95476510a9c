"""Settings for Backbone, read from the environment.

Every value has a safe development default, so `make run` works with nothing but
Python: SQLite in the project folder, Celery tasks run eagerly in-process, mail
written to the console. Production sets DEBUG=false and gets secure cookies, HSTS
and a hard requirement for SECRET_KEY.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from exc


def envlist(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "backbone.apps.BackboneAdminConfig",  # django.contrib.admin, guarded (backbone/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_scopes",
    "template_partials",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by us (no CDN)
    # Our apps, in the one direction they depend on each other.
    "backbone",
    "stakeholders",
    "initiatives",
    "measures",
    "plans",
]

# Content-Security-Policy (django-csp): scripts only from our own origin, never inline
# (htmx comes from django-htmx's static files and is told not to eval, see base.html).
# Inline styles stay allowed: the e-mail-like newsletter page is styled inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

MIDDLEWARE = [
    # /healthz and /readyz, before host checks, HTTPS redirects, sessions and tenants.
    "backbone.health.HealthMiddleware",
    "backbone.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # django.contrib.auth's, with the session's user read at a fraction of the cost.
    "backbone.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "backbone.middleware.RefuseNulBytesMiddleware",
    "backbone.middleware.OrganizationMiddleware",
]

ROOT_URLCONF = "backbone.urls"
WSGI_APPLICATION = "backbone.wsgi.application"

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
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "backbone.context_processors.organization",
            ],
            "builtins": ["backbone.templatetags.backbone"],
        },
    },
]

# Django's form templates, but a <select> written in Python (a select of 200 options was
# the most expensive thing on the contacts list).
FORM_RENDERER = "backbone.form_renderer.FormRenderer"

_DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
# A server database keeps its connections for a minute (a connect costs ~9 ms) and checks
# them before reuse; the embedded SQLite file has nothing to keep. Behind PgBouncer in
# transaction mode, set DB_CONN_MAX_AGE=0 (the pooler keeps the connections instead).
DATABASES = {
    "default": dj_database_url.parse(
        _DATABASE_URL,
        conn_max_age=envint("DB_CONN_MAX_AGE", 0 if _DATABASE_URL.startswith("sqlite") else 60),
        conn_health_checks=True,
        # PgBouncer in transaction mode can't keep a server-side cursor across statements.
        disable_server_side_cursors=envbool("DISABLE_SERVER_SIDE_CURSORS", False),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "backbone.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

REDIS_URL = os.environ.get("REDIS_URL", "")

# A real cache even in development: allauth's login rate limits count in it.
if REDIS_URL:
    CACHES = {
        # Django's, keeping one client per connection pool (backbone/cache.py).
        "default": {"BACKEND": "backbone.cache.RedisCache", "LOCATION": REDIS_URL}
    }
    # Sessions are read from Redis (no query per request) and written through to PostgreSQL,
    # so a lost cache signs no one out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The shell's fragments (navigation, organization switcher; templates/base.html), kept in
# each process's memory: their keys hold everything they show, so nothing is to invalidate.
CACHES["shell"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "shell",
    "TIMEOUT": 3600,
    "OPTIONS": {"MAX_ENTRIES": 5000},
}

# --- django-allauth: e-mail is the login, verified before use.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_ADAPTER = "backbone.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "backbone.forms.SignupForm"
ACCOUNT_USER_DISPLAY = "backbone.adapters.user_display"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Backbone] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Backbone"
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"

# --- Mail
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
# A mail server that stops answering must not hold a worker forever (smtplib waits
# without limit by default): the send fails and is retried.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Backbone <backbone@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery: without a broker, tasks run eagerly in-process.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# Workers log through LOGGING below (JSON lines with LOG_FORMAT=json), not Celery's own setup.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Internationalization: text is translatable; dates in the organization's zone.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# French as written in Canada: "3 décembre 2026", "10 176,5", "12 500 $" (backbone/formats/fr).
FORMAT_MODULE_PATH = ["backbone.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
# Nothing serves MEDIA_ROOT: uploads and PDFs go out through views that check permission
# (backbone.files.file_response). Behind nginx or Apache, let the web server send the bytes:
# SENDFILE_HEADER=X-Accel-Redirect (nginx, with an `internal` location at SENDFILE_PREFIX
# aliased to MEDIA_ROOT) or X-Sendfile (Apache).
SENDFILE_HEADER = os.environ.get("SENDFILE_HEADER", "")
SENDFILE_PREFIX = os.environ.get("SENDFILE_PREFIX", "/protected/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
# With S3_BUCKET set, uploads and rendered PDFs live in an S3-compatible object store
# (django-storages), shared by every web and worker node: nothing is kept on a node's disk.
# The bucket stays private: files go out only through the permission-checking views,
# which stream them (backbone.files.file_response), never as public bucket URLs.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
            "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Security: strict in production, relaxed only for local HTTP development.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if envbool("BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Invitations expire after this many days.
INVITATION_DAYS = 7

# --- The API (/api/v1/, backbone/api/): personal tokens only, JSON only, one error shape.
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/minute")  # per token
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["backbone.api.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["backbone.api.permissions.RolePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["backbone.api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "backbone.api.pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "backbone.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Backbone API",
    "DESCRIPTION": "Read and report shared measurement from your own systems. "
    "Authenticate with a personal token (Profile → API tokens): `Authorization: Bearer <token>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
}

# LOG_FORMAT=json: one JSON object per line on stdout, with the request id, and one line
# per request and per job run (backbone.observability); plain text otherwise.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "refusals": {"()": "backbone.log_filters.RefusalsWithoutTraceback"},
        "request_id": {"()": "backbone.observability.RequestIdFilter"},
    },
    "formatters": {
        "json": {"()": "backbone.observability.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout" if LOG_FORMAT == "json" else "ext://sys.stderr",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # aiosmtpd (the test and benchmark SMTP sink) logs every SMTP command at INFO;
    # WeasyPrint every layout step (already on import: the URLs import the PDF code).
    "loggers": {
        "mail.log": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "django.request": {"filters": ["refusals"]},
        # The development server logs each request itself; JSON logs need their own line.
        "backbone.request": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
    },
}

# Error reporting (optional): with SENTRY_DSN set and sentry-sdk installed
# (`pip install -e ".[sentry]"`), errors of the web and the workers go to Sentry,
# without personal data (no cookies, bodies, query strings; users by id only).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    # Imported only when asked for: sentry-sdk is an optional dependency.
    import sentry_sdk

    from backbone.observability import scrub_event

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        before_send=scrub_event,
        traces_sample_rate=0.0,
    )

# Recurring jobs (run by `celery -A backbone beat`). Each entry only fans out one
# job per organization; the organization's own time zone decides what is due.
CELERY_BEAT_SCHEDULE = {
    "weekly-newsletter-drafts": {
        "task": "plans.dispatch_weekly_newsletters",
        "schedule": 15 * 60,
    },
    "scheduled-newsletters": {
        "task": "plans.dispatch_scheduled_newsletters",
        "schedule": 60,
    },
    "scheduled-report-cards": {
        "task": "plans.dispatch_report_card_schedules",
        "schedule": 60 * 60,
    },
    "data-due-reminders": {
        "task": "measures.dispatch_data_reminders",
        "schedule": 60 * 60,
    },
    "agreement-expiry-reminders": {
        "task": "measures.dispatch_agreement_reminders",
        "schedule": 24 * 60 * 60,
    },
    "notification-mails": {
        "task": "backbone.dispatch_notification_mails",
        "schedule": 60,
    },
    # The jobs page shows when beat last ran and warns when it has stopped.
    "heartbeat": {
        "task": "backbone.heartbeat",
        "schedule": 30,
    },
}
