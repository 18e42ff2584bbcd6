"""Settings, read from the environment only.

Two runtime modes (DESIGN.md, "Runtime modes"):

* ``embedded`` (default): SQLite file under ``var/``, tasks run in-process,
  local-memory cache. Safe defaults so that one command starts a demo shop.
* ``production``: PostgreSQL (``DATABASE_URL``), Redis (``REDIS_URL``) as cache
  and Celery broker. Refuses to start with ``DEBUG`` on or a default secret key.

Every variable is documented in README.md ("Environment variables").
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core.plugins.discovery import discover_plugin_apps

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

DEFAULT_SECRET_KEY = "embedded-mode-insecure-secret-key-change-me"  # noqa: S105


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


APP_ENV = os.environ.get("APP_ENV", "embedded").strip().lower()
if APP_ENV not in {"embedded", "production"}:
    raise ImproperlyConfigured(f"APP_ENV must be 'embedded' or 'production', got {APP_ENV!r}")
PRODUCTION = APP_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)

if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("Refusing to start: DEBUG must be off in production mode.")
    if SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "Refusing to start: set SECRET_KEY to a random value of at least 32 characters "
            "in production mode."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- Database -------------------------------------------------------------------

_default_sqlite = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
if not PRODUCTION:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", "" if PRODUCTION else _default_sqlite)
if not DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL is required in production mode.")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery ----------------------------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
if PRODUCTION and not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL is required in production mode.")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "fc"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Tasks run in-process unless a broker is configured; production always has one.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TIMEZONE = "UTC"

# --- Applications ---------------------------------------------------------------------

BUILTIN_PLUGINS = [
    "plugins.notifications.plugin.EmailNotifierPlugin",
    "plugins.notifications.plugin.ConsoleSmsPlugin",
    "plugins.dummy_gateway.plugin.DummyGatewayPlugin",
    "plugins.flat_tax.plugin.FlatTaxPlugin",
    "plugins.vouchers.plugin.VouchersPlugin",
    # After vouchers: a code no voucher claims is tried as a gift card (and counted if wrong).
    "plugins.giftcards.plugin.GiftCardsPlugin",
    "plugins.invoices.plugin.InvoicesPlugin",
    "plugins.google_auth.plugin.GoogleAuthPlugin",
    "plugins.paystack.plugin.PaystackPlugin",
    "plugins.stripe_gateway.plugin.StripePlugin",
    "plugins.webhooks.plugin.WebhooksPlugin",
    "plugins.reviews.plugin.ReviewsPlugin",
    "plugins.wishlists.plugin.WishlistsPlugin",
]
# Plugins that must load: a failure to import one of these stops start-up.
PLUGINS_REQUIRED = env_list("PLUGINS_REQUIRED", [])
PLUGINS_DISABLED = env_list("PLUGINS_DISABLED", [])
PLUGIN_APPS, PLUGIN_APP_ERRORS = discover_plugin_apps(BUILTIN_PLUGINS, PLUGINS_DISABLED)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "graphene_django",
    "core",
    "account",
    "product",
    "warehouse",
    "checkout",
    "order",
    "payment",
    *PLUGIN_APPS,
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "core.urls"
WSGI_APPLICATION = "core.wsgi.application"
ASGI_APPLICATION = "core.asgi.application"
AUTH_USER_MODEL = "account.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
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
WHITENOISE_USE_FINDERS = not PRODUCTION

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)

if PRODUCTION:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- GraphQL ----------------------------------------------------------------------------

GRAPHENE = {"SCHEMA": "core.graphql.schema.schema"}
GRAPHQL_MAX_DEPTH = env_int("GRAPHQL_MAX_DEPTH", 12)
GRAPHQL_MAX_COST = env_int("GRAPHQL_MAX_COST", 50_000)
GRAPHQL_MAX_ALIASES = env_int("GRAPHQL_MAX_ALIASES", 30)
GRAPHQL_MAX_QUERY_BYTES = env_int("GRAPHQL_MAX_QUERY_BYTES", 100_000)
GRAPHQL_DOCUMENT_CACHE_SIZE = env_int("GRAPHQL_DOCUMENT_CACHE_SIZE", 512)
GRAPHQL_PAGE_MAX = 100

# --- Plugins and events --------------------------------------------------------------------

# Keys that encrypt plugin secrets at rest; the first encrypts, all decrypt (rotation).
PLUGIN_SECRET_KEYS = env_list("PLUGIN_SECRET_KEYS", [])
if PRODUCTION and not PLUGIN_SECRET_KEYS:
    raise ImproperlyConfigured("PLUGIN_SECRET_KEYS is required in production mode.")
PLUGIN_CONFIG_RECHECK_SECONDS = float(os.environ.get("PLUGIN_CONFIG_RECHECK_SECONDS", "2"))

OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_BACKOFF_BASE_SECONDS = float(os.environ.get("OUTBOX_BACKOFF_BASE_SECONDS", "10"))
OUTBOX_BACKOFF_MAX_SECONDS = float(os.environ.get("OUTBOX_BACKOFF_MAX_SECONDS", "3600"))
OUTBOX_LEASE_SECONDS = float(os.environ.get("OUTBOX_LEASE_SECONDS", "300"))
OUTBOX_SWEEP_INTERVAL_SECONDS = float(os.environ.get("OUTBOX_SWEEP_INTERVAL_SECONDS", "30"))
OUTBOX_SWEEP_BATCH = env_int("OUTBOX_SWEEP_BATCH", 500)

# --- Logging ----------------------------------------------------------------------------------

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "core.logging.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "celery.app.trace": {"level": "WARNING"},
        # The stripe library logs request and response bodies (client secrets) at DEBUG.
        "stripe": {"level": "INFO"},
    },
}
GRAPHQL_MAX_TOKENS = env_int("GRAPHQL_MAX_TOKENS", 5_000)
GRAPHQL_MAX_BATCH = env_int("GRAPHQL_MAX_BATCH", 10)
GRAPHQL_BEARER_AUTHENTICATORS = env_list(
    "GRAPHQL_BEARER_AUTHENTICATORS",
    ["account.authentication.authenticate_jwt", "plugins.webhooks.auth.authenticate_app"],
)
OUTBOX_SWEEP_GRACE_SECONDS = float(os.environ.get("OUTBOX_SWEEP_GRACE_SECONDS", "10"))
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "core.sweep_outbox", "schedule": OUTBOX_SWEEP_INTERVAL_SECONDS},
    "purge-expired-reservations": {"task": "warehouse.purge_reservations", "schedule": 600.0},
}

# --- Email -----------------------------------------------------------------------------------

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Fashionistar <no-reply@localhost>")

# --- Accounts, JWT, rate limits, audit log (docs/accounts.md) ------------------------------------

# Argon2 first: new and re-hashed passwords use it; older hashes still verify and are upgraded.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# Signing keys, newest first: the first signs, all verify (rotation). Each entry is an HS256
# secret (32+ characters), an RSA private key in PEM (RS256) or "file:/path/to/key.pem".
# Empty: one HS256 key derived from SECRET_KEY.
JWT_SIGNING_KEYS = env_list("JWT_SIGNING_KEYS", [])
JWT_ISSUER = os.environ.get("JWT_ISSUER", "fashionistar")
JWT_ACCESS_TOKEN_TTL = env_int("JWT_ACCESS_TOKEN_TTL", 5 * 60)
JWT_REFRESH_TOKEN_TTL = env_int("JWT_REFRESH_TOKEN_TTL", 30 * 24 * 3600)

ACCOUNT_CONFIRMATION_REQUIRED = env_bool("ACCOUNT_CONFIRMATION_REQUIRED", True)
# Hosts that links in account emails may point to (redirectUrl); empty: none accepted.
ALLOWED_CLIENT_HOSTS = env_list(
    "ALLOWED_CLIENT_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1"]
)
ACCOUNT_CONFIRMATION_TTL = env_int("ACCOUNT_CONFIRMATION_TTL", 3 * 24 * 3600)
ACCOUNT_PASSWORD_RESET_TTL = env_int("ACCOUNT_PASSWORD_RESET_TTL", 3600)
ACCOUNT_DELETION_TTL = env_int("ACCOUNT_DELETION_TTL", 3600)
ACCOUNT_CODE_MAX_ATTEMPTS = env_int("ACCOUNT_CODE_MAX_ATTEMPTS", 5)
# Proxies in front of the app that append to X-Forwarded-For (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Rate limits, "<count>/<seconds>", counted in the cache (Redis in production).
RATELIMIT_LOGIN_ACCOUNT = os.environ.get("RATELIMIT_LOGIN_ACCOUNT", "10/900")
RATELIMIT_LOGIN_IP = os.environ.get("RATELIMIT_LOGIN_IP", "60/300")
RATELIMIT_PASSWORD_RESET_ACCOUNT = os.environ.get("RATELIMIT_PASSWORD_RESET_ACCOUNT", "3/3600")
RATELIMIT_PASSWORD_RESET_IP = os.environ.get("RATELIMIT_PASSWORD_RESET_IP", "20/3600")

# The audit log (django-auditlog): staff writes through GraphQL and the dashboard.
INSTALLED_APPS.insert(INSTALLED_APPS.index("account"), "auditlog")
MIDDLEWARE.append("account.audit.AuditContextMiddleware")
AUDITLOG_LOGENTRY_MODEL = "account.AuditEvent"
# Our AuditEvent replaces auditlog's LogEntry; auditlog's own migrations would still create
# the unused (swapped-out) LogEntry table, whose foreign keys block TRUNCATE and flush.
MIGRATION_MODULES = {"auditlog": None}
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "sessions",
    "contenttypes",
    "auth.permission",
    "core.outboxevent",
    "core.eventdelivery",
    "account.onetimetoken",
)
AUDITLOG_EXCLUDE_TRACKING_FIELDS = ("last_login", "updated_at")
AUDITLOG_MASK_TRACKING_FIELDS = ("password", "jwt_token_key", "secrets")
AUDITLOG_MASK_CALLABLE = "account.audit.mask_secret"
AUDITLOG_CID_GETTER = "account.audit.current_request_id"
AUDITLOG_STORE_JSON_CHANGES = True

# --- Outgoing webhooks and apps (plugins/webhooks, docs/webhooks.md) -----------------------------

# Deliver to private, loopback and link-local addresses (SSRF guard off): development and tests.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", False)
WEBHOOKS_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOKS_TIMEOUT_SECONDS", "10"))
WEBHOOKS_MAX_ATTEMPTS = env_int("WEBHOOKS_MAX_ATTEMPTS", 10)
# A webhook whose deliveries have failed for this long (and at least 5 times) is disabled.
WEBHOOKS_DISABLE_AFTER_SECONDS = env_int("WEBHOOKS_DISABLE_AFTER_SECONDS", 24 * 3600)
AUDITLOG_MASK_TRACKING_FIELDS = (*AUDITLOG_MASK_TRACKING_FIELDS, "secret", "token_hash")
