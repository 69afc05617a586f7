"""lvzhi settings: one file, every value from the environment (see .env.example)."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from lvzhi.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("LVZHI_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and not env_bool("LVZHI_DEMO", False):
        raise ImproperlyConfigured("SECRET_KEY must be set (or DEBUG / LVZHI_DEMO for local use)")
    SECRET_KEY = "lvzhi-insecure-local-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Served under a real host name (not only this machine): HTTPS-only defaults, per Django's
# deployment checklist. Each can still be turned off from the environment.
PUBLIC = not DEBUG and any(h not in ("127.0.0.1", "localhost", "::1", "[::1]")
                           for h in ALLOWED_HOSTS)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_tasks",
    "django_rq",
    "django_tasks_rq",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "lvzhi.core",
    "lvzhi.proposals",
    "lvzhi.opinions",
    "lvzhi.activities",
    "lvzhi.supervision",
    "lvzhi.ledgers",
    "lvzhi.duties",
    "lvzhi.reports",
    "lvzhi.search",
    "lvzhi.api",
]

MIDDLEWARE = [
    "lvzhi.core.logs.RequestIdMiddleware",
    "lvzhi.core.metrics.MetricsMiddleware",
    "lvzhi.core.middleware.BodySizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "lvzhi.api.middleware.RepeatedQueryMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lvzhi.core.middleware.AuditMiddleware",
    "lvzhi.core.middleware.IdleTimeoutMiddleware",
    "lvzhi.core.middleware.PasswordChangeRequiredMiddleware",
    "lvzhi.core.middleware.TwoFactorRequiredMiddleware",
    "lvzhi.core.middleware.IdempotencyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "lvzhi.urls"
WSGI_APPLICATION = "lvzhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lvzhi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lvzhi.core.context.navigation",
            ],
        },
    },
    # The rows of the longest lists ({% jinja %} in core/templatetags/lvzhi.py), from each
    # app's jinja2/ folder: Jinja2 draws thirty rows in a fifth of the time.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {"environment": "lvzhi.core.jinja.environment"},
    },
]

# --- Database: SQLite in WAL mode by default, DATABASE_URL selects PostgreSQL -------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    if not DATABASE_URL.startswith(("postgres://", "postgresql://", "sqlite:")):
        raise ImproperlyConfigured("DATABASE_URL must be a postgresql:// or sqlite: URL")
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASE_URL.startswith("sqlite:"):
        DATABASES["default"]["ENGINE"] = "lvzhi.core.sqlite"  # with the writer queue
    else:
        # No JIT compiling: it is for long analytic queries, and a page's query the planner
        # thinks costly (a common word's matches at a province's scale) paid 40–50 ms of
        # compiling to save none (docs/performance.md).
        # Kept beside any `?options=` the URL gives.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "lvzhi.core.sqlite",  # django.db.backends.sqlite3 + a writer queue
            "NAME": VAR_DIR / "lvzhi.sqlite3",
            "OPTIONS": {
                # WAL lets readers go on while one process writes; IMMEDIATE takes the write
                # lock at BEGIN so concurrent writers queue instead of failing mid-transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # A file, not memory, so tests see the same locking as the running platform.
            "TEST": {"NAME": VAR_DIR / "test-lvzhi.sqlite3"},
            # Keep each worker thread's connection: opening one and running the PRAGMAs
            # again on every request cost about a millisecond.
            "CONN_MAX_AGE": None,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (login throttling, shared by every worker process) ------------------------------
REDIS_URL = env_str("REDIS_URL")
DATABASE_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                  "LOCATION": "lvzhi_cache"}
if REDIS_URL:
    # The database cache stands in for the login throttle while Redis is unreachable.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
              "fallback": DATABASE_CACHE}
else:
    CACHES = {"default": DATABASE_CACHE}
# Worked-out figures each worker keeps for itself, keyed by what they depend on (a list's
# count by the newest event of its bodies): no round trip, nothing written on a page view.
CACHES["local"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                   "LOCATION": "lvzhi-local", "OPTIONS": {"MAX_ENTRIES": 2000}}

# Full-text search ranks at most this many of the newest matches (search/engine.py): the
# cost of a search stays that of this many, however large the index grows.
SEARCH_RANK_WINDOW = env_int("SEARCH_RANK_WINDOW", 5000, minimum=1)

# --- Background tasks: in-process by default, RQ workers on Redis in production ------------
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}
if env_str("TASKS_BACKEND", "immediate") == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL")
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif env_str("TASKS_BACKEND", "immediate") == "immediate":
    # In the web process, after the response is sent (lvzhi/core/after_response.py).
    TASKS = {"default": {"BACKEND": "lvzhi.core.after_response.AfterResponseBackend"}}
else:
    raise ImproperlyConfigured("TASKS_BACKEND must be immediate or rq")

# --- Authentication --------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["lvzhi.core.auth.UsernameOrMobileBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "lvzhi.core.passwords.MinimumLengthValidator",
     "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "lvzhi.core.passwords.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "lvzhi.core.passwords.NoPersonalDataValidator"},
    {"NAME": "lvzhi.core.passwords.NotRecentValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 900, minimum=1)
# Reverse proxies in front of the app (nginx = 1): how many X-Forwarded-For entries, counted
# from the right, our own proxies wrote. 0 = no proxy: the client is REMOTE_ADDR.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0, minimum=0)
CHECKIN_FAILURE_LIMIT = env_int("CHECKIN_FAILURE_LIMIT", 10, minimum=1)
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30, minimum=1)

SESSION_ENGINE = "lvzhi.core.every_request"  # Django's database sessions, read in plain SQL
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600, minimum=60)
# Idle sign-out: staff and admins sooner (their pages hold the body's data); members on
# phones later. SESSION_COOKIE_AGE stays the absolute limit.
IDLE_MINUTES_STAFF = env_int("IDLE_MINUTES_STAFF", 30, minimum=1)
IDLE_MINUTES = env_int("IDLE_MINUTES", 240, minimum=1)
# Two-factor sign-in: always for superusers and the three administrators; for staff,
# leaders and oversight too when set.
OTP_FOR_STAFF = env_bool("OTP_FOR_STAFF", False)
# Days a password lasts before it must be changed (0: never): staff and administrators, and
# everyone else.
PASSWORD_EXPIRY_DAYS_STAFF = env_int("PASSWORD_EXPIRY_DAYS_STAFF", 90, minimum=0)
PASSWORD_EXPIRY_DAYS = env_int("PASSWORD_EXPIRY_DAYS", 0, minimum=0)
OTP_TOTP_ISSUER = "政协履职平台"

# --- HTTPS and browser protections ------------------------------------------------------------
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PUBLIC)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PUBLIC)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # probes speak plain HTTP to the app
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PUBLIC else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The preload list is for names on the public Internet; a government intranet name is not
# in it, so Django's reminder to preload (W021) is silenced rather than obeyed.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
X_FRAME_OPTIONS = "DENY"
# No inline script anywhere (htmx and Bootstrap are files); styles, fonts and images come from
# the platform itself (Bootstrap's form controls draw with data: SVGs).
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}}

# --- Language and time -----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Chinese is the platform's language, whatever the browser asks for: a language is offered
# only once its catalogue is complete (the English one is partial), so none other is yet.
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "lvzhi" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
FRONTEND_DIR = BASE_DIR / "frontend" / "node_modules"
STATICFILES_DIRS = [
    ("vendor/bootstrap", FRONTEND_DIR / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", FRONTEND_DIR / "bootstrap-icons" / "font"),
    ("vendor/htmx", FRONTEND_DIR / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Uploads live outside the static tree and are only served through a permission check.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/attachments/raw/"  # never routed: files go out only through core.views
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 20, minimum=1) * 1024 * 1024
ATTACHMENT_EXTENSIONS = env_list(
    "ATTACHMENT_EXTENSIONS",
    ["pdf", "jpg", "jpeg", "png", "docx", "xlsx", "doc", "xls", "txt"],
)
# Refused by Content-Length before the body is read: the largest attachment and its form.
REQUEST_MAX_BYTES = ATTACHMENT_MAX_BYTES + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Backups (lvzhi backup / restore; the daily task keeps BACKUP_KEEP_DAYS of them) -------
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP_DAYS = env_int("BACKUP_KEEP_DAYS", 14, minimum=1)
# The security audit log stays in the database at least AUDIT_KEEP_DAYS (等保: 180 or more);
# older rows go to compressed files in AUDIT_ARCHIVE_DIR, never silently dropped.
AUDIT_KEEP_DAYS = env_int("AUDIT_KEEP_DAYS", 180, minimum=180)
AUDIT_ARCHIVE_DIR = Path(env_str("AUDIT_ARCHIVE_DIR", str(VAR_DIR / "audit-archive")))

# --- Notifications ---------------------------------------------------------------------------
# Prometheus at /metrics with `Authorization: Bearer <METRICS_TOKEN>`; empty: no /metrics.
METRICS_TOKEN = env_str("METRICS_TOKEN")

EMAIL_NOTIFICATIONS = env_bool("EMAIL_NOTIFICATIONS", False)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)  # a stuck server fails the job
EMAIL_BACKENDS = {"smtp": "django.core.mail.backends.smtp.EmailBackend",
                  "console": "django.core.mail.backends.console.EmailBackend",
                  "file": "django.core.mail.backends.filebased.EmailBackend"}
if env_str("EMAIL_BACKEND", "smtp") not in EMAIL_BACKENDS:
    raise ImproperlyConfigured("EMAIL_BACKEND must be smtp, console or file")
EMAIL_BACKEND = EMAIL_BACKENDS[env_str("EMAIL_BACKEND", "smtp")]
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "lvzhi@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
NOTIFICATION_CHANNELS = ["lvzhi.core.notifications.InboxChannel",
                         "lvzhi.core.notifications.SmsChannel"] + (
    ["lvzhi.core.notifications.EmailChannel"] if EMAIL_NOTIFICATIONS else []
)

# --- Accounts -------------------------------------------------------------------------------
# The address members are sent to on activation letters (defaults to the one staff use).
SITE_URL = env_str("SITE_URL")
ACTIVATION_DAYS = env_int("ACTIVATION_DAYS", 14, minimum=1)

# --- Text messages (lvzhi.core.sms; the provider's HTTP gateway in production) ---------------
SMS_BACKEND = {
    "console": "lvzhi.core.sms.ConsoleBackend", "file": "lvzhi.core.sms.FileBackend",
    "memory": "lvzhi.core.sms.MemoryBackend", "http": "lvzhi.core.sms.HttpGatewayBackend",
}[env_choice("SMS_BACKEND", "console", ["console", "file", "memory", "http"])]
SMS_FILE_PATH = Path(env_str("SMS_FILE_PATH", str(VAR_DIR / "sms.jsonl")))
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL")
SMS_GATEWAY_USER = env_str("SMS_GATEWAY_USER")
SMS_GATEWAY_PASSWORD = env_str("SMS_GATEWAY_PASSWORD")
SMS_GATEWAY_TEMPLATE = env_str("SMS_GATEWAY_TEMPLATE",
                               '{"phone": "{mobile}", "content": "{text}"}')
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT", 10, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # key=value lines: time with its zone, level, request id, user and bodies (core/logs.py)
    "filters": {"request": {"()": "lvzhi.core.logs.RequestContext"}},
    "formatters": {"kv": {"()": "lvzhi.core.logs.KeyValueFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "kv",
                             "filters": ["request"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every step of a layout at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}
