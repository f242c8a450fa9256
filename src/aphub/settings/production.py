"""Production: secure by default. Only what the environment provides is trusted."""

from .base import *  # noqa: F403
from .env import env_bool, env_int

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# __Host- cookies are only sent over HTTPS, to this host, for the whole path: no subdomain can set them.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-aphub-session"
CSRF_COOKIE_NAME = "__Host-aphub-csrf"
