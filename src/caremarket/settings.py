"""One settings module, configured from the environment (twelve-factor).

Safe by default: DEBUG is off, a SECRET_KEY must be given unless DEBUG is on, cookies are
secure unless told otherwise. The demo (``caremarket demo``/``serve``) sets DEBUG and a
SQLite file under ``var/``; production sets DATABASE_URL to PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parent.parent  # the repository root in a checkout

env = environ.Env()
VAR_DIR = Path(env.str("CAREMARKET_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for a local demo).")
    SECRET_KEY = "insecure-local-demo-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Security (issue 15; docs/security.md). Served over HTTPS unless told otherwise: behind a
# proxy that sets X-Forwarded-Proto, plain-HTTP requests are redirected and HSTS is sent.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SECURE_COOKIES)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE_COOKIES else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Idle timeout: the session ends after this long without a request (every request renews it).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
AUTHENTICATION_BACKENDS = ["caremarket.accounts.throttle.ThrottledModelBackend"]
SIGN_IN_MAX_FAILURES_PER_ACCOUNT = env.int("SIGN_IN_MAX_FAILURES_PER_ACCOUNT", default=5)
SIGN_IN_MAX_FAILURES_PER_ADDRESS = env.int("SIGN_IN_MAX_FAILURES_PER_ADDRESS", default=20)
SIGN_IN_WINDOW_MINUTES = env.int("SIGN_IN_WINDOW_MINUTES", default=15)
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)  # proxies appending X-Forwarded-For
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=90)
API_RATE_PER_MINUTE = env.int("API_RATE_PER_MINUTE", default=120)
# Council staff and platform administrators sign in with a TOTP code too (accounts.two_factor).
TWO_FACTOR_REQUIRED = env.bool("TWO_FACTOR_REQUIRED", default=SECURE_COOKIES)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "caremarket.core",
    "caremarket.accounts",
    "caremarket.market",
    "caremarket.providers",
    "caremarket.frameworks",
    "caremarket.supported_living",
    "caremarket.care_homes",
    "caremarket.brokerage",
    "caremarket.bookings",
    "caremarket.delivery",
    "caremarket.pricing",
    "caremarket.insight",
    "caremarket.directory",
    "caremarket.home",
    "caremarket.api",
    "caremarket.audit",
    "caremarket.returns",
    "caremarket.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "caremarket.accounts.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "caremarket.core.middleware.NotFoundMiddleware",
    "caremarket.core.security.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "caremarket.urls"
WSGI_APPLICATION = "caremarket.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "caremarket.core.context_processors.navigation",
            ],
            "builtins": ["caremarket.core.templatetags.govuk"],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'caremarket.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web app and the deadline worker read while one writes; IMMEDIATE makes a
    # write transaction take the lock up front, so concurrent awards queue instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home:dashboard"
LOGOUT_REDIRECT_URL = "home:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = Path(env.str("CAREMARKET_NODE_MODULES", default=str(BASE_DIR / "node_modules")))
STATICFILES_DIRS = [
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("htmx", NODE_MODULES / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# History is read in the back office, never "reverted": a change is a new, dated record.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Serve straight from the finders when no collectstatic has run (the demo, the tests).

WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="caremarket@localhost")
# In-app notifications (brokerage.services.inbox): also emailed to users with an address when
# on; "a deadline nears" within this many hours (an assumption, 2 by default).
CAREMARKET_NOTIFY_BY_EMAIL = env.bool("CAREMARKET_NOTIFY_BY_EMAIL", default=False)
CAREMARKET_DEADLINE_WARNING_HOURS = env.int("CAREMARKET_DEADLINE_WARNING_HOURS", default=2)

# DHSC Client Level Data (caremarket.returns, docs/cld.md). The key of the person pseudonym
# (HMAC): required to build a return outside DEBUG (a clear error then, not at start-up, so a
# deployment that makes no return needs none); keep it secret and the same every quarter.
# Assumptions to confirm with the council: calendar quarters (2026Q3 = July to September;
# "financial" makes Q1 April to June) and a rolling 12-month reporting period.
CLD_PSEUDONYM_KEY = env.str("CLD_PSEUDONYM_KEY", default="")
if not CLD_PSEUDONYM_KEY and DEBUG:
    CLD_PSEUDONYM_KEY = "insecure-local-demo-cld-key"
CLD_QUARTERS = env.str("CLD_QUARTERS", default="calendar")
CLD_REPORTING_MONTHS = env.int("CLD_REPORTING_MONTHS", default=12)
# Retention (caremarket retention): personal details of people whose care ended more than
# this many years ago are pseudonymised. 8 is an assumption (a council sets its own schedule).
CAREMARKET_RETENTION_YEARS = env.int("CAREMARKET_RETENTION_YEARS", default=8)

# The API's authentication, permissions, pagination and error mapping, named here so that each
# app's API (``<app>/api/``) gets them without importing ``caremarket.api``.
REST_FRAMEWORK = {
    # Token first, so an unauthenticated API call gets 401 with WWW-Authenticate: Token.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "caremarket.accounts.api_auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["caremarket.core.bounds.BoundedFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "caremarket.core.pagination.BoundedLimitOffsetPagination",
    "DEFAULT_THROTTLE_CLASSES": ["caremarket.accounts.api_auth.TokenRateThrottle"],
    # JSON only: errors are never HTML pages; the documented API is at /api/docs/.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "PAGE_SIZE": 50,
    "COERCE_DECIMAL_TO_STRING": True,
    "EXCEPTION_HANDLER": "caremarket.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "caremarket API",
    "DESCRIPTION": (
        "The adult social care market of a council: zones, frameworks, lots, appointments, "
        "prices and the public provider directory. Authenticate with a session or a token "
        "(`Authorization: Token <key>`). Every list is scoped to the acting user."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI served from this app (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation documents the 4xx it may answer (issue 15).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "caremarket.api.errors.document_error_statuses",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RouteToMarketEnum": "caremarket.frameworks.models.Framework.Route",
        "DeclineReasonEnum": "caremarket.brokerage.models.offers.Offer.DeclineReason",
        "BandLevelEnum": "caremarket.frameworks.models.Band.Level",
        "FeeReviewMethodEnum": "caremarket.pricing.models.FeeReview.Method",
        "FeeReviewStatusEnum": "caremarket.pricing.models.FeeReview.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Imports (core.imports): where uploaded files are kept (by SHA-256), and the largest file (in
# rows) checked and written during the request; larger ones wait for the worker.
IMPORTS_DIR = Path(env.str("CAREMARKET_IMPORTS_DIR", default=str(VAR_DIR / "imports")))
IMPORTS_INLINE_ROWS = env.int("CAREMARKET_IMPORTS_INLINE_ROWS", default=5000)
# Memory PostgreSQL may use for one bulk ECM import's sorts, hashes and temporary tables
# (per import transaction, not per connection; a million-visit file needs about 250 MB).
ECM_BULK_WORK_MEM = env.str("CAREMARKET_ECM_BULK_WORK_MEM", default="256MB")
# Memory for a pay run's GROUP BY over its period's visits (per build transaction): enough to
# hash a county's month of lines (17,500) in memory rather than sort a million rows on disk.
PAY_RUN_WORK_MEM = env.str("CAREMARKET_PAY_RUN_WORK_MEM", default="64MB")
