import pytest
from django.core import signals
from django.db import close_old_connections

from aphub.insight import bench
from aphub.insight.demo import build_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_test_connection():
    """As django.test.Client does: the WSGI handler would otherwise close the test's transaction (PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_percentile_picks_the_nearest_rank():
    samples = [float(n) for n in range(1, 101)]
    assert bench.percentile(samples, 0.5) == 51.0
    assert bench.percentile(samples, 0.95) == 95.0
    assert bench.percentile([3.0], 0.95) == 3.0


def test_bench_requests_answer_with_pages_through_the_wsgi_application(settings, monkeypatch, keep_test_connection):
    """The bench's searches, provision pages and minimal view all work, so `make bench` measures real pages."""
    settings.ROOT_URLCONF = "aphub.insight.bench_urls"
    monkeypatch.setattr(bench, "REQUESTS", 5)
    monkeypatch.setattr(bench, "WARM_UP", 1)
    build_demo()
    server = bench.InProcessServer()
    searches = bench.search_requests()
    status, body, _ = server.get(*searches[0])
    assert status == 200 and b"govuk-error-summary" not in body  # the parameters are the search form's own
    for requests, expect in (
        (searches, b"<h1"),
        (bench.provision_requests(), b"<h1"),
        ([("/__bench__/minimal/", "")], b"ok"),
    ):
        figures = bench.measure(server, requests, expect=expect)
        assert figures["requests"] == 5 and 0 < figures["p50_ms"] <= figures["p95_ms"] and figures["rps"] > 0
