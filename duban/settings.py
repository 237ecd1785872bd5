"""Duban settings: one module, read from environment variables only (see .env.example)."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from duban.core.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DUBAN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# The demo mode serves the seeded district on a developer's machine over plain HTTP.
DEMO = env_bool("DUBAN_DEMO", False)
DEBUG = env_bool("DEBUG", False)

DEMO_SECRET_KEY = "duban-demo-secret-key-do-not-use-in-production-6b1f0c9e2d"  # noqa: S105 - refused in production
SECRET_KEY = env_secret("SECRET_KEY") or (DEMO_SECRET_KEY if (DEMO or DEBUG) else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set outside demo and debug mode.")
if SECRET_KEY == DEMO_SECRET_KEY and not (DEMO or DEBUG):
    raise ImproperlyConfigured("Refusing to start in production with the demo SECRET_KEY.")
if not (DEMO or DEBUG) and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long in production.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if (DEMO or DEBUG) else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "axes",
    "simple_history",
    "duban.core",
    "duban.orgs",
    "duban.ledger",
    "duban.rectification",
    "duban.reforms",
    "duban.campaigns",
    "duban.rules",
    "duban.fleet",
    "duban.payments",
    "duban.research",
    "duban.renewal",
    "duban.contracts",
    "duban.bulletins",
    "duban.notifications",
    "duban.downloads",
    "duban.cockpit",
    "duban.opendata",
    "duban.portal",
    "duban.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "duban.core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "duban.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "duban.core.middleware.TextInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "duban.core.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "duban.core.middleware.RefusalMiddleware",
    "duban.core.busy.BusyDatabaseMiddleware",
]

ROOT_URLCONF = "duban.urls"
FORM_RENDERER = "duban.core.forms.FormRenderer"  # required fields marked (asterisk, aria-required)
WSGI_APPLICATION = "duban.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "duban" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "duban.core.context_processors.site",
                "duban.portal.context_processors.navigation",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'duban.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL") or _default_sqlite, conn_max_age=60)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Prepared statements for the hot statements that ask for them (duban.core.prepared); the ORM's
    # own queries stay client-bound. 0 turns them off, for a pooler that cannot keep them.
    DATABASES["default"]["OPTIONS"] = {"prepare_threshold": env_int("DUBAN_DB_PREPARE_THRESHOLD", 5, minimum=0) or None}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # One writer at a time: a transaction takes the write lock as it begins (IMMEDIATE, so it
    # never has to give up half-way), and a request waits up to `timeout` seconds for it before
    # answering 503 (duban.core.busy). Services keep slow work (hashing, images, sending) out of
    # their transactions, so the lock is held for milliseconds.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("DUBAN_SQLITE_TIMEOUT_SECONDS", 20, minimum=1, maximum=120),
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("DUBAN_TEST_SQLITE_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ----------------------------------------------------------------------------------
# Shared by every worker process, so rate limits hold across workers and restarts: Redis when
# REDIS_URL is set (production), else a table in the database (`duban migrate` creates it).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "duban.core.cache.DatabaseCache",
            "LOCATION": "duban_cache",
            # Past this many rows a write first deletes the expired ones (counters of past windows);
            # live counters go only in a flood of more distinct clients than this in one window.
            "OPTIONS": {"MAX_ENTRIES": 50_000},
        }
    }

# --- accounts and security -------------------------------------------------------------------
AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:landing"  # each person's work (duban.portal.landing)
LOGOUT_REDIRECT_URL = "portal:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AXES_FAILURE_LIMIT = env_int("DUBAN_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("DUBAN_LOGIN_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client address as every other limit reads it: behind the proxy, the hop the proxy added.
AXES_CLIENT_IP_CALLABLE = "duban.core.throttle.client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SECURE = not (DEMO or DEBUG) and env_bool("DUBAN_HTTPS", True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = SECURE and env_bool("DUBAN_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DUBAN_BEHIND_PROXY", False) else None
SECURE_HSTS_SECONDS = env_int("DUBAN_HSTS_SECONDS", 31536000 if SECURE else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = env_int("DUBAN_SESSION_HOURS", 12, minimum=1) * 3600

# Resident verification codes: the demo logs them; production plugs in an SMS or mail sender.
DUBAN_CODE_SENDER = env_str("DUBAN_CODE_SENDER", "duban.orgs.verification.ConsoleCodeSender")
DUBAN_CODE_TTL_MINUTES = env_int("DUBAN_CODE_TTL_MINUTES", 10, minimum=1, maximum=60)

# --- mail -----------------------------------------------------------------------------------
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    _mail = urlsplit(EMAIL_URL)
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or 25
    EMAIL_HOST_USER = _mail.username or ""
    EMAIL_HOST_PASSWORD = _mail.password or ""
    EMAIL_USE_TLS = _mail.scheme == "smtp+tls"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "duban@localhost")
# Notices beyond the inbox (duban/notifications): mail when EMAIL_URL is set; text messages through
# an SMS gateway and the government work app through its group robot when their webhook URLs are
# set, else written to the log (the demo).
# The site's own address, for the links in notices that leave it (https://duban.example.org).
DUBAN_SITE_URL = env_str("DUBAN_SITE_URL")
DUBAN_SMS_WEBHOOK_URL = env_str("DUBAN_SMS_WEBHOOK_URL")
DUBAN_WORKAPP_WEBHOOK_URL = env_str("DUBAN_WORKAPP_WEBHOOK_URL")
DUBAN_NOTIFICATION_CHANNELS = {
    "email": "duban.notifications.channels.Email",
    "sms": "duban.notifications.channels." + ("SMSWebhook" if DUBAN_SMS_WEBHOOK_URL else "ConsoleSMS"),
    "workapp": "duban.notifications.channels." + ("WorkAppWebhook" if DUBAN_WORKAPP_WEBHOOK_URL else "ConsoleWorkApp"),
}

# --- language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "duban" / "locale"]
FORMAT_MODULE_PATH = ["duban.formats"]  # amounts grouped by thousands in Chinese too (floatformat "g")
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "duban" / "static"]
# Third-party browser libraries come from npm (package.json) and are never committed.
_NODE_MODULES = BASE_DIR / "node_modules"
for _prefix, _folder in [("vendor/echarts", "echarts/dist"), ("vendor/leaflet", "leaflet/dist")]:
    if (_NODE_MODULES / _folder).is_dir():
        STATICFILES_DIRS.append((_prefix, _NODE_MODULES / _folder))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads and generated files: a folder every app host and worker mounts (DUBAN_MEDIA_ROOT, the
# shared mount of several hosts), or an S3-compatible store (DUBAN_STORAGE=s3; docs/deploy.md).
MEDIA_ROOT = Path(env_str("DUBAN_MEDIA_ROOT", str(VAR_DIR / "media")))
if env_str("DUBAN_STORAGE", "files") == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("DUBAN_S3_BUCKET"),
            "endpoint_url": env_str("DUBAN_S3_ENDPOINT_URL") or None,
            "region_name": env_str("DUBAN_S3_REGION") or None,
            "access_key": env_str("DUBAN_S3_ACCESS_KEY"),
            "secret_key": env_str("DUBAN_S3_SECRET_KEY"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if not STORAGES["default"]["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("DUBAN_STORAGE=s3 needs DUBAN_S3_BUCKET (and the endpoint and keys).")
    if find_spec("storages") is None:
        raise ImproperlyConfigured("DUBAN_STORAGE=s3 needs the s3 extra: uv sync --extra s3.")
elif env_str("DUBAN_STORAGE", "files") != "files":
    raise ImproperlyConfigured("DUBAN_STORAGE is 'files' (the default: MEDIA_ROOT) or 's3'.")

# --- background work ------------------------------------------------------------------------
# With CELERY_BROKER_URL (redis://… or amqp://… for RabbitMQ) imports, the sweep, notification
# delivery and the other background work are Celery tasks run by `duban worker`, on the schedule
# `duban beat` keeps; without it they run as the embedded install always did (an import in a
# process of its own, the sweep on a timer beside `duban serve`, mail right after the commit).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_IGNORE_RESULT = True  # a task's outcome is written where it belongs (the job, the delivery)
CELERY_TASK_ACKS_LATE = True  # a task lost with its worker is delivered again …
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # … and every task may safely run twice (each is idempotent)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
# Redis hands an unacknowledged task to another worker after this many seconds: longer than any
# task runs (an import of 100,000 rows takes about a minute).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("DUBAN_TASK_VISIBILITY_SECONDS", 1800, minimum=60)}
# A long job that has not reported progress for this long has stopped (its process or worker was
# killed): its transaction was rolled back, and it is started again or failed (duban.core.progress).
DUBAN_STALLED_AFTER_SECONDS = env_int("DUBAN_STALLED_AFTER_SECONDS", 300, minimum=1)
# Exports (duban/downloads): a list longer than this is written in the background, its file kept so many days.
DUBAN_EXPORT_INLINE_ROWS = env_int("DUBAN_EXPORT_INLINE_ROWS", 10_000, minimum=1)
DUBAN_EXPORT_KEEP_DAYS = env_int("DUBAN_EXPORT_KEEP_DAYS", 7, minimum=1)
# The district's bulletins drafted by the upkeep when their period ends: "weekly,monthly", either, or none ("").
DUBAN_BULLETIN_DRAFTS = [part.strip() for part in env_str("DUBAN_BULLETIN_DRAFTS", "weekly,monthly").split(",")
                         if part.strip()]  # fmt: skip
if set(DUBAN_BULLETIN_DRAFTS) - {"weekly", "monthly"}:
    raise ImproperlyConfigured("DUBAN_BULLETIN_DRAFTS lists weekly, monthly, or both.")
# The workers' sweep: the open items in this many shares, one task each.
DUBAN_SWEEP_PARTS = env_int("DUBAN_SWEEP_PARTS", 4, minimum=1, maximum=64)
CELERY_BEAT_SCHEDULE = {
    "sweep": {"task": "duban.ledger.tasks.sweep", "schedule": env_int("DUBAN_SWEEP_EVERY", 3600, minimum=60)},
    "recover-stalled-jobs": {"task": "duban.ledger.tasks.recover", "schedule": 120},
    "deliver-due-notices": {"task": "duban.notifications.tasks.deliver_due", "schedule": 60},
    "notice-digests": {"task": "duban.notifications.tasks.digests", "schedule": 300},
    "fold-campaign-statistics": {"task": "duban.campaigns.tasks.tally_fold", "schedule": 600},
}
# Problem report photos and the Open311 endpoint (duban/campaigns).
DUBAN_PHOTO_MAX_MB = env_int("DUBAN_PHOTO_MAX_MB", 8, minimum=1, maximum=50)
DUBAN_OPEN311_JURISDICTION = env_str("DUBAN_OPEN311_JURISDICTION", "luohu.sz.gov.cn")
DUBAN_OPEN311_CONTACT = env_str("DUBAN_OPEN311_CONTACT", "")
# Residents reporting without signing in: reports per client address per hour.
DUBAN_ANONYMOUS_REPORTS_PER_HOUR = env_int("DUBAN_ANONYMOUS_REPORTS_PER_HOUR", 10, minimum=1)
# The map: a tile URL template (empty: the map draws without tiles), its attribution, the letters
# or digits its {s} stands for, and the coordinates the tiles are drawn in: "gcj02" for Chinese
# tile sources (AutoNavi/AMap, Tencent; the default for their hosts), else "wgs84".
DUBAN_MAP_TILES = env_str("DUBAN_MAP_TILES", "")
DUBAN_MAP_ATTRIBUTION = env_str("DUBAN_MAP_ATTRIBUTION", "")
DUBAN_MAP_SUBDOMAINS = env_str("DUBAN_MAP_SUBDOMAINS") or "abc"
_GCJ02_HOSTS = (".autonavi.com", ".amap.com", ".gtimg.com")
DUBAN_MAP_COORDINATES = env_str("DUBAN_MAP_COORDINATES").lower() or (
    "gcj02" if (urlsplit(DUBAN_MAP_TILES).hostname or "").endswith(_GCJ02_HOSTS) else "wgs84"
)
if DUBAN_MAP_COORDINATES not in ("wgs84", "gcj02"):
    raise ImproperlyConfigured("DUBAN_MAP_COORDINATES must be wgs84 or gcj02.")
if DUBAN_MAP_TILES:
    # A CSP source may only wildcard a whole leading label: webrd0{s}.is.autonavi.com → *.is.autonavi.com.
    _labels = urlsplit(DUBAN_MAP_TILES).netloc.split(".")
    _labels[0] = "*" if "{s}" in _labels[0] else _labels[0]
    DUBAN_CSP_EXTRA_IMG_SRC = [f"{urlsplit(DUBAN_MAP_TILES).scheme}://{'.'.join(_labels)}"]
MEDIA_URL = "media/"

# --- logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("DUBAN_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
