"""Development on one machine: `make run`. Never use these settings on a server."""

import os

os.environ.setdefault("SECRET_KEY", "development-only-not-secret-" + "x" * 32)
# Links in e-mails (printed on the console) are absolute, to the address `make run` serves.
os.environ.setdefault("APHUB_BASE_URL", "http://127.0.0.1:8000")

from .base import *  # noqa: E402,F403

DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
