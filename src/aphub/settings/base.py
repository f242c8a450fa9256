"""Settings shared by every profile. Environment variables choose what differs per installation."""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE

from .env import env, env_bool, env_int, env_list, webauthn_party

BASE_DIR = Path(__file__).resolve().parent.parent  # src/aphub
PROJECT_DIR = Path(env("APHUB_PROJECT_DIR", str(BASE_DIR.parent.parent)))
VAR_DIR = Path(env("APHUB_VAR_DIR", str(PROJECT_DIR / "var")))

DEBUG = False
SECRET_KEY = env("SECRET_KEY", required=True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_forms_gds",
    "axes",
    # Two-factor sign-in (decision 0042): an authenticator app (TOTP) and single-use recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # ...and a security key or passkey (WebAuthn) beside them (decision 0044).
    "django_otp_webauthn",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "aphub.core",
    "aphub.organisations",
    "aphub.audit",
    "aphub.directory",
    "aphub.commissioning",
    "aphub.pupils",
    "aphub.placements",
    "aphub.quality",
    "aphub.duties",
    "aphub.funding",
    "aphub.insight",
    "aphub.finance",
    "aphub.exchange",
    "aphub.data_protection",
    "aphub.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "aphub.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "aphub.organisations.middleware.SessionExpiryMiddleware",
    # Deny by default: a signed-in session without its second factor reaches only the sign-in pages (decision 0042).
    "aphub.organisations.two_factor.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "aphub.core.web.middleware.RefuseNulCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "aphub.urls"
WSGI_APPLICATION = "aphub.wsgi.application"

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
                "aphub.organisations.context_processors.shell",
            ],
            # The GOV.UK table, summary list and button tags most pages use, without a {% load %} in each.
            "builtins": ["aphub.core.templatetags.govuk_tables"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'aphub.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisations.User"
LOGIN_URL = "organisations:sign-in"
LOGIN_REDIRECT_URL = "organisations:home"
LOGOUT_REDIRECT_URL = "directory:search"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Two-factor sign-in (decision 0042). The issuer names AP Hub in authenticator apps. django-otp's own throttling
# (a growing delay after each wrong code) is off: AP Hub's lockout (5 wrong codes, 30 minutes) replaces it, with one
# count across the app's codes and the recovery codes.
OTP_TOTP_ISSUER = "AP Hub"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock out one user from one IP, so one person's typos never lock a whole office behind a shared NAT.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "organisations/locked_out.html"
AXES_VERBOSE = False

# Idle expiry is the cookie age renewed on each request; absolute expiry is enforced by middleware.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "aphub.organisations.views.csrf_failure"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
REDIS_URL = env("REDIS_URL", "")
# The public search page is cached for people without a session (aphub.directory.public_cache); with REDIS_URL the
# cache is shared by every web process, else each process keeps its own for at most APHUB_PUBLIC_CACHE_SECONDS.
APHUB_PUBLIC_CACHE_SECONDS = env_int("APHUB_PUBLIC_CACHE_SECONDS", 60)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "aphub"}
    )
}
if env("TASKS_BACKEND", "database") == "rq":
    # Scale-out: RQ workers on Redis instead of the database worker.
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "aphub@localhost")
# Reminders and alerts: "email" through EMAIL_BACKEND, or "govuk-notify" (aphub.duties.notify).
APHUB_NOTIFY_BACKEND = env("APHUB_NOTIFY_BACKEND", "email")
NOTIFY_API_KEY = env("NOTIFY_API_KEY", "")
NOTIFY_TEMPLATE_ID = env("NOTIFY_TEMPLATE_ID", "")
# Where the service is, for links in reminders (e.g. https://aphub.example.gov.uk); empty: links are paths only.
APHUB_BASE_URL = env("APHUB_BASE_URL", "")

# Security keys and passkeys (WebAuthn, decision 0044) only after the password, never instead of it.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_HELPER_CLASS = "aphub.organisations.two_factor.security_keys.SecurityKeyHelper"
OTP_WEBAUTHN_RP_NAME = env("APHUB_SERVICE_NAME", "AP Hub")
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "aphub.security_keys"
# A key is bound to a domain (the "relying party") and answers only pages from the origins listed. Both come from
# APHUB_BASE_URL unless set. Browsers allow WebAuthn on https:// and on http://localhost, never on an IP address, so
# an address of 127.0.0.1 (development) gives localhost: open http://localhost:8000 to add a key there.
OTP_WEBAUTHN_RP_ID, _webauthn_origin = webauthn_party(APHUB_BASE_URL or "http://localhost:8000")
OTP_WEBAUTHN_RP_ID = env("APHUB_WEBAUTHN_RP_ID", OTP_WEBAUTHN_RP_ID)
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("APHUB_WEBAUTHN_ORIGINS", _webauthn_origin)

# The geocoder turns a postcode into a point for distance search (see docs/decisions).
APHUB_GEOCODER = env("APHUB_GEOCODER", "aphub.directory.geocoding.OfflinePostcodeGeocoder")
APHUB_SERVICE_NAME = env("APHUB_SERVICE_NAME", "AP Hub")
# The OCDS feed's ocid prefix: register one with the Open Contracting Partnership before publishing for real.
APHUB_OCDS_PREFIX = env("APHUB_OCDS_PREFIX", "ocds-aphub00")
# Uploaded evidence is scanned before it is stored: a dotted path to `scan(file) -> "clean" | "infected"`.
# The default only recognises the EICAR test file; plug ClamAV in here (see aphub.core.files.uploads).
APHUB_VIRUS_SCANNER = env("APHUB_VIRUS_SCANNER", "aphub.core.files.uploads.eicar_scanner")

CSP_DEFAULT = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # A chart's SVG carries its own style sheet (core.figures), allowed by the page's nonce.
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
CONTENT_SECURITY_POLICY = CSP_DEFAULT

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DEBUG_TOOLBAR = env_bool("DEBUG_TOOLBAR", False)
