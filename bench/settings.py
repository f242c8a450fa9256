"""Settings for `make bench`: production settings, served in-process over plain HTTP on loopback names.

Only what a benchmark must change: the bench urlconf (the app plus a minimal view to compare against), no HTTPS
redirect (there is no TLS in-process), and plain static storage so no collectstatic manifest is needed.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from aphub.settings.production import *  # noqa: E402,F403
from aphub.settings.production import STORAGES  # noqa: E402

ROOT_URLCONF = "bench.urls"
SECURE_SSL_REDIRECT = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Warnings and errors (a page's traceback when it answers 500) to stderr, so a failed run says why.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"level": "WARNING", "handlers": ["stderr"]},
    "loggers": {"django": {"level": "WARNING", "handlers": ["stderr"], "propagate": False}},
}
