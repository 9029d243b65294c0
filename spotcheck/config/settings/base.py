"""Settings shared by every environment. Environment variables carry the SPOTCHECK_ prefix."""

from pathlib import Path

import environ

# ---------------------------------------------------------------- paths
ROOT_DIR = Path(__file__).resolve().parents[3]
APPS_DIR = ROOT_DIR / "spotcheck"

env = environ.Env()
env.prefix = "SPOTCHECK_"
VAR_DIR = Path(env("VAR_DIR", default=str(ROOT_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# ---------------------------------------------------------------- core
DEBUG = env.bool("DEBUG", default=False)
# No SECRET_KEY here: production.py requires one from the environment, development.py and
# test.py fall back to a demo key. Running on base.py alone fails instead of running insecurely.
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
ROOT_URLCONF = "spotcheck.config.urls"
WSGI_APPLICATION = "spotcheck.config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------- apps
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "ninja",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "spotcheck.accounts",
    "spotcheck.audit",
    "spotcheck.common",
    "spotcheck.directory",
    "spotcheck.items",
    "spotcheck.imports",
    "spotcheck.plans",
    "spotcheck.draws",
    "spotcheck.inspections",
    "spotcheck.credit",
    "spotcheck.checks",
    "spotcheck.publication",
    "spotcheck.portal",
    "spotcheck.firms",
    "spotcheck.stats",
    "spotcheck.demo",
    "spotcheck.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "spotcheck.common.middleware.ChineseFirstLocaleMiddleware",
    "spotcheck.common.middleware.RejectNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "spotcheck.accounts.sessions.IdleTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "spotcheck.accounts.middleware.OfficeSecondFactorMiddleware",
    "spotcheck.accounts.middleware.FirmAreaMiddleware",
    "spotcheck.common.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout into the Chinese "locked" page.
    "axes.middleware.AxesMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [APPS_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# ---------------------------------------------------------------- database
# One DATABASE_URL for every environment; SQLite under var/ is the embedded default.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'spotcheck.sqlite3'}")
}
# Each web worker keeps its connection between requests: a new PostgreSQL connection is a new
# server process with cold catalogue caches, which cost more than the page's own queries
# (about 80 ms a request on a loaded 2-core machine). Checked before reuse, so a restarted
# database costs one reconnect, not an error page.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of deadlocking.
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# ---------------------------------------------------------------- auth
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out name is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend with the user's department and inspector in one query.
    "spotcheck.accounts.backends.RoleUserBackend",
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
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lockout (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one user name, that
# name is refused (even with the right password) for LOGIN_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.int("LOGIN_LOCKOUT_MINUTES", default=30) / 60  # hours
# By name only: a department's staff share one NAT address, and locking the address would lock
# the whole office out after a few typos. axes.W006 warns of cookie or user-agent rotation,
# which does not apply when the key is the name alone.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Idle timeout: the session ends SESSION_IDLE_MINUTES after the last request
# (spotcheck.accounts.sessions.IdleTimeoutMiddleware pushes the expiry forward).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
# Office admins see every department's data: they sign in with a TOTP code as well.
SPOTCHECK_OFFICE_OTP_REQUIRED = True
OTP_TOTP_ISSUER = "Spotcheck"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# ---------------------------------------------------------------- i18n
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [APPS_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------- static and uploads
STATIC_URL = "static/"
STATICFILES_DIRS = [APPS_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Uploads live outside the web root and are served only through scoped views.
MEDIA_ROOT = VAR_DIR / "uploads"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

# ---------------------------------------------------------------- background jobs
# Jobs: the database queue (`spotcheck db_worker`) by default; with TASKS_BACKEND=rq, Redis
# (REDIS_URL, `spotcheck rqworker`) through django-tasks-rq.
if env("TASKS_BACKEND", default="database") == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": env("REDIS_URL"), "DEFAULT_TIMEOUT": 3600}}
    INSTALLED_APPS += ["django_rq"]
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# ---------------------------------------------------------------- security
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
}

# ---------------------------------------------------------------- logging
# JSON lines on standard error, one object per record; a 500 is logged by django.request with
# its traceback (exc_info), the request and the status code.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            "json_ensure_ascii": False,
        }
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stderr"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own handlers print plain text (console) or mail (no ADMINS): use ours.
        "django": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        # django-axes announces itself at every start; lockouts are in the audit trail.
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every document they build (and WeasyPrint its own
        # stylesheet at import): only their warnings are worth a line.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# ---------------------------------------------------------------- cache
# Shared by web and queue workers (import progress); Redis when several machines run workers.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}
        if env("REDIS_URL", default="")
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    )
}

# ---------------------------------------------------------------- supervision rules
# Defaults from the national rules and the seed documents; each district may change them.
SPOTCHECK_RULES = {
    "MIN_RATIO_UNDIRECTED": "0.03",  # 不定向抽查比例不低于3%
    "MIN_RATIO_DIRECTED": "0.10",  # 定向抽查比例不低于10%
    # Cap of a general item whose list sets none, unless its department sets its own.
    "DEFAULT_RATIO_CAP": "0.05",
    # Credit-risk class → probability of being drawn (A 无事不扰 … D sharply raised).
    "CREDIT_CLASS_PROBABILITIES": {"A": "0.02", "B": "0.05", "C": "1", "D": "1"},
    "COOLDOWN_MONTHS": 12,  # same entity, general items: at most once a year
    "INSPECTORS_PER_VISIT": 2,  # at least two certified inspectors
    "RESULT_DAYS": 10,  # results to the lead department within 10 days of the visit
    "PUBLICATION_WORKING_DAYS": 20,
}

# Credit-risk classes (企业信用风险分类, docs/credit.md): points per fact on record, the lowest
# score of each class. Raise VERSION with any change: every class keeps the version it came from.
SPOTCHECK_CREDIT_RULES = {
    "VERSION": "2026.1",
    "LOOKBACK_MONTHS": 36,  # results and leads older than this no longer count
    "YOUNG_MONTHS": 24,  # firms younger than this are not yet "low risk"
    "POINTS": {
        "problem_visit": 3,  # per visit whose approved result found a problem
        "unreachable_visit": 2,  # per visit where the firm could not be found or checked
        "abnormal_listed": 4,
        "open_follow_up": 1,
        "open_case": 6,  # 立案查处 still open
        "confirmed_lead": 2,
        "young": 1,
        "age_unknown": 1,  # no date of establishment: not enough on record for A
        "high_risk_industry": 1,
    },
    "CLASS_MIN_SCORE": {"B": 1, "C": 3, "D": 6},
    # GB/T 4754 code prefixes of industries with high inherent risk.
    "HIGH_RISK_INDUSTRIES": {
        "13": "农副食品加工业",
        "14": "食品制造业",
        "15": "酒、饮料和精制茶制造业",
        "27": "医药制造业",
        "358": "医疗仪器设备及器械制造",
        "62": "餐饮业",
    },
}

# Limits on routine on-site checks of one firm (国办发〔2024〕54号, docs/credit.md).
SPOTCHECK_CHECK_LIMITS = {
    "YEARLY_CAP_PER_DEPARTMENT": 2,  # routine checks by one department per firm per year
    "YEARLY_CAP_TOTAL": 4,  # by all departments together (a joint visit counts once)
    "EMERGENCY_FILING_WORKING_DAYS": 3,  # an emergency check is filed within this after it
    # 企业安静日: days of the month without routine on-site checks, e.g. list(range(1, 16)).
    "QUIET_DAYS_OF_MONTH": env.list("QUIET_DAYS_OF_MONTH", cast=int, default=[]),
    # Warnings for the office and the dashboards (checks.frequency): the same firm checked
    # this often within this many days.
    "REPEAT_WARNING_DAYS": 60,
    "REPEAT_WARNING_CHECKS": 2,
    "FREQUENT_WARNING_CHECKS": 3,  # … or this many times in the calendar year
}

# Early warning on the dashboards and in the weekly digest.
SPOTCHECK_STATS = {
    "PROBLEM_RATE_RISE": 10,  # percentage points above the year before
    "MIN_RESULTS": 5,  # fewer approved results in either year: no rate compared
    "WARNING_ROWS": 50,  # rows per warning list on the page and in the digest
    "ONSITE_REDUCTION_TARGET": 25,  # target: this % fewer on-site checks than last year
    # A draw's stratum drawn under a probability design this many standard deviations from
    # the expected p·N is shown as deviating (count and ratio designs: any difference).
    "SAMPLE_DEVIATION_SIGMAS": 3,
}

# Committed draw inputs and verification kits; published, so kept outside the database.
DRAWS_ROOT = VAR_DIR / "draws"
# Evidence files (photos, PDF); the reverse proxy's body limit should sit a little above it.
SPOTCHECK_EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
# The registration authority (登记机关) that decides abnormal-list proposals.
SPOTCHECK_REGISTRATION_DEPARTMENT = env("REGISTRATION_DEPARTMENT", default="SCJGJ")
# Processes for the ticket pass of one draw (forked from the queue worker).
SPOTCHECK_DRAW_WORKERS = env.int("DRAW_WORKERS", default=2)
# USCC ranges of one draw's ticket pass, each a job for any queue worker (draw-spec §8); 1 draws
# in the one job. Several workers (machines): a few ranges per worker.
SPOTCHECK_DRAW_RANGES = env.int("DRAW_RANGES", default=1)
# A batch drawing this long without a sign of progress (randomness entered, resumed, split
# planned, a range drawn) is shown as stalled with a button to resume it. A province's draw
# takes about 30 s (docs/deploy.md): keep this well above the longest draw, since resuming a
# draw still running only queues a second, identical one.
SPOTCHECK_DRAW_STALL_MINUTES = env.int("DRAW_STALL_MINUTES", default=10)
# The portal's address as printed on paper: notice letters carry a QR code to the entity's proof.
SPOTCHECK_PUBLIC_URL = env("PUBLIC_URL", default="http://localhost:8000")
# Hostile spreadsheets: an .xlsx is measured before it is parsed (a zip bomb stops at once), and
# the rejected-rows report keeps this many rows (its summary still counts every rejected row).
SPOTCHECK_IMPORT_MAX_UNCOMPRESSED_BYTES = env.int(
    "IMPORT_MAX_UNCOMPRESSED_BYTES", default=500 * 1024 * 1024
)
SPOTCHECK_IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=2_000_000)
SPOTCHECK_IMPORT_MAX_REPORT_ROWS = env.int("IMPORT_MAX_REPORT_ROWS", default=10_000)
# A list export of more rows than this is written by a background job, not in the request.
SPOTCHECK_EXPORT_IMMEDIATE_ROWS = env.int("EXPORT_IMMEDIATE_ROWS", default=20_000)
# Export files and notice archives are removed this many days after they were made.
SPOTCHECK_FILE_JOB_KEEP_DAYS = env.int("FILE_JOB_KEEP_DAYS", default=7)
# Publication-deadline reminders also go by email (needs EMAIL_* configured); in-app always.
SPOTCHECK_REMINDER_EMAILS = env.bool("REMINDER_EMAILS", default=False)
# Anonymous /api/public/… requests per client address (django-ninja throttle syntax).
SPOTCHECK_PUBLIC_API_RATE = env("PUBLIC_API_RATE", default="120/m")

# Reverse proxies in front of the app servers (1 behind the documented nginx, which appends the
# client's address to X-Forwarded-For). Rate limits, the public API's throttle and the audit
# trail read the client's address through `common.client.client_ip` with this count; with 0
# they use the socket's peer and never trust a client-written X-Forwarded-For.
SPOTCHECK_TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
NINJA_NUM_PROXIES = SPOTCHECK_TRUSTED_PROXIES
