"""Reading settings from the environment, with a clear stop when a required one is missing."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def env(name: str, default: str | None = None, *, required: bool = False) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(
                f"AP Hub needs the environment variable {name}; see .env.example for what it means."
            )
        return default if default is not None else ""
    return value


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = env(name, str(default))
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from error


def webauthn_party(base_url: str) -> tuple[str, str]:
    """The WebAuthn relying party's id (a domain) and origin for the service at `base_url`. An IP address is no
    relying party (WebAuthn Level 3, section 5.1.4: the browser refuses it): a loopback one gives localhost."""
    address = urlsplit(base_url)
    host = address.hostname or "localhost"
    netloc = address.netloc
    if host in {"127.0.0.1", "::1"}:
        host = "localhost"
        netloc = "localhost" + (f":{address.port}" if address.port else "")
    return host, f"{address.scheme}://{netloc}"
