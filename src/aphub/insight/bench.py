"""`make bench`: server time of the public directory on a large LA, measured, not guessed.

How it is served: every request goes through Django's production WSGI application (the same callable gunicorn
calls, with the production middleware and settings) in this process, with no network in between. The search and
the minimal view are timed the same way in the same run, one after the other, so their ratio compares the
application's work with the floor of a Django request on this machine.

A fresh SQLite database under var/bench/ is created and loaded with `demo --scale large`, unless DATABASE_URL is
set, in which case that database is migrated and the demo loaded if it is not there yet.

Figures: p50 and p95 server time of the search (words + filters + distance from a postcode) and of a provision
page; requests per second of the search divided by those of a minimal view. Goals: search p95 <= 50 ms,
ratio >= 0.5. One summary line on stdout; the details as JSON in var/bench/bench-<UTC time>.json.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

SEARCH_P95_GOAL_MS = 50.0
RATIO_GOAL = 0.5
WARM_UP = 30
REQUESTS = 400  # per measured phase; bounded also by PHASE_SECONDS
PHASE_SECONDS = 30.0


def var_dir() -> Path:
    project = Path(os.environ.get("APHUB_PROJECT_DIR", Path(__file__).resolve().parents[3]))
    return Path(os.environ.get("APHUB_VAR_DIR", project / "var"))


def configure() -> tuple[Path, str]:
    """Point Django at the bench settings and database before it is set up."""
    bench_dir = var_dir() / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    if not os.environ.get("DATABASE_URL"):
        # A fresh database each run; the previous run's is dropped (its figures stay in its JSON).
        for old in bench_dir.glob("bench-*.sqlite3*"):
            old.unlink()
        database = bench_dir / f"bench-{stamp}.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "aphub.insight.bench_settings"
    return bench_dir, stamp


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


class InProcessServer:
    """Calls the WSGI application as a server would, and times each call until the body is fully produced."""

    def __init__(self) -> None:
        from django.core.wsgi import get_wsgi_application

        self.application = get_wsgi_application()

    def get(self, path: str, query: str = "") -> tuple[int, bytes, float]:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        status_holder: list[str] = []

        def start_response(status: str, headers: list, exc_info=None) -> None:
            status_holder.append(status)

        started = time.perf_counter()
        result = self.application(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        elapsed = time.perf_counter() - started
        return int(status_holder[0].split()[0]), body, elapsed


def measure(server: InProcessServer, requests: list[tuple[str, str]], expect: bytes | None = None) -> dict:
    """Warm up, then time each request of a bounded loop; the wall time gives requests per second."""
    for path, query in requests[:WARM_UP]:
        server.get(path, query)
    samples: list[float] = []
    started = time.perf_counter()
    for index in range(REQUESTS):
        path, query = requests[index % len(requests)]
        status, body, elapsed = server.get(path, query)
        if status != 200 or (expect is not None and expect not in body):
            raise SystemExit(f"bench: {path}?{query} answered {status}; the benchmark needs a working page")
        samples.append(elapsed)
        if time.perf_counter() - started > PHASE_SECONDS:
            break
    wall = time.perf_counter() - started
    return {
        "requests": len(samples),
        "p50_ms": round(percentile(samples, 0.50) * 1000, 2),
        "p95_ms": round(percentile(samples, 0.95) * 1000, 2),
        "mean_ms": round(statistics.fmean(samples) * 1000, 2),
        "max_ms": round(max(samples) * 1000, 2),
        "rps": round(len(samples) / wall, 1),
    }


def queries_per_request(server: InProcessServer, path: str, query: str = "") -> int:
    """How many SQL statements one request runs: the first thing to look at when a page is slow."""
    from django.db import connection

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        server.get(path, query)
    return count


def search_requests() -> list[tuple[str, str]]:
    """Parent-like searches: a word, a tier, a key stage, a need, a delivery mode, within a distance of a postcode."""
    from django.urls import reverse

    from aphub.insight.demo import demo_postcodes

    postcodes = [p for p, _lat, _lon in demo_postcodes() if not p.startswith("CV7")]
    shapes = [
        {"words": "centre", "tier": "tier-2", "key_stage": "ks3", "need": "semh", "within": 10, "sort": "distance"},
        {"words": "learning", "key_stage": "ks4", "need": "semh", "delivery_mode": "on-site", "within": 5},
        {"words": "tuition", "tier": "tier-1", "delivery_mode": "one-to-one-tuition", "within": 25},
        {"words": "school", "key_stage": "ks3", "need": "anxiety-ebsa", "with_vacancies": "on", "within": 10},
        {"words": "skills", "tier": "tier-3", "delivery_mode": "vocational", "within": 10, "sort": "distance"},
    ]
    path = reverse("directory:search")
    return [
        (path, urlencode({**shape, "postcode": postcodes[(i * 7) % len(postcodes)]}))
        for i, shape in enumerate(shapes * 8)
    ]


def provision_requests() -> list[tuple[str, str]]:
    from django.urls import reverse

    from aphub.directory.models import Provision

    pks = list(
        Provision.objects.filter(status=Provision.Status.PUBLISHED).order_by("?").values_list("pk", flat=True)[:50]
    )
    return [(reverse("directory:provision", kwargs={"pk": pk}), "") for pk in pks]


def load_data() -> dict:
    from django.core.management import call_command

    from aphub.directory.models import Provision
    from aphub.insight.demo import DEMO_LA_CODE, build_demo, demo_exists
    from aphub.organisations.models import Provider, School

    call_command("migrate", verbosity=0, interactive=False)
    loaded_seconds = None
    if not demo_exists():
        started = time.perf_counter()
        build_demo(scale="large")
        loaded_seconds = round(time.perf_counter() - started, 1)
    return {
        "schools": School.objects.filter(local_authority__la_code=DEMO_LA_CODE).count(),
        "providers": Provider.objects.filter(local_authority__la_code=DEMO_LA_CODE).count(),
        "provisions": Provision.objects.filter(local_authority__la_code=DEMO_LA_CODE).count(),
        "published": Provision.objects.filter(status=Provision.Status.PUBLISHED).count(),
        "demo_load_seconds": loaded_seconds,
    }


def main() -> int:
    bench_dir, stamp = configure()
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    data = load_data()
    server = InProcessServer()
    minimal = measure(server, [("/__bench__/minimal/", "")], expect=b"ok")
    searches, provisions = search_requests(), provision_requests()
    search = measure(server, searches, expect=b"<h1")
    search["queries_per_request"] = queries_per_request(server, *searches[0])
    provision = measure(server, provisions, expect=b"<h1")
    provision["queries_per_request"] = queries_per_request(server, *provisions[0])
    # The floor again after the others, so a drifting machine shows up as two different minimal figures.
    minimal_after = measure(server, [("/__bench__/minimal/", "")], expect=b"ok")
    minimal_rps = (minimal["rps"] + minimal_after["rps"]) / 2
    ratio = round(search["rps"] / minimal_rps, 3) if minimal_rps else 0.0

    report = {
        "when": stamp,
        "served": "in-process through Django's production WSGI application (no network), one request at a time",
        "database": connection.vendor,
        "settings": settings.SETTINGS_MODULE,
        "data": data,
        "search": search,
        "provision_page": provision,
        "minimal_view": minimal,
        "minimal_view_after": minimal_after,
        "search_to_minimal_rps_ratio": ratio,
        "goals": {"search_p95_ms": SEARCH_P95_GOAL_MS, "ratio": RATIO_GOAL},
        "met": {"search_p95": search["p95_ms"] <= SEARCH_P95_GOAL_MS, "ratio": ratio >= RATIO_GOAL},
        "python": platform.python_version(),
        "django": django.get_version(),
        "machine": platform.platform(),
    }
    out = bench_dir / f"bench-{stamp}.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(
        f"bench ({connection.vendor}, {data['provisions']} provisions, in-process WSGI): "
        f"search p50 {search['p50_ms']} ms p95 {search['p95_ms']} ms (goal <= {SEARCH_P95_GOAL_MS:g}) | "
        f"provision page p50 {provision['p50_ms']} ms p95 {provision['p95_ms']} ms | "
        f"search {search['rps']} rps / minimal {minimal_rps:.0f} rps = {ratio} (goal >= {RATIO_GOAL}) | {out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
