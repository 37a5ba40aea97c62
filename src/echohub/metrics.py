"""Prometheus metrics: how many requests, how long they took, how the page cache answered.

`/metrics` is off (404) until METRICS_TOKEN is set; then it answers a scraper that
sends `Authorization: Bearer <token>` and nobody else (401). A token rather than an
address rule: behind a load balancer every request comes from the balancer's address.

Under gunicorn each worker process counts for itself. With PROMETHEUS_MULTIPROC_DIR
set (an empty folder, emptied at each start, that every worker of the instance can
write), prometheus_client keeps each worker's figures in a file there and `/metrics`
adds them up, whichever worker answers the scrape. Without it (`make run`, one
process) the figures are this process's own.
"""

import os

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

# The methods a browser or an API client uses; anything else is counted as "other",
# so that a client inventing methods cannot grow the number of series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUEST_SECONDS = Histogram(
    "echohub_request_duration_seconds",
    "Time to answer a request, by method, URL pattern and status.",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
PAGE_CACHE = Counter(
    "echohub_page_cache_requests_total",
    "Public pages answered from the shared page cache (hit) or rendered (miss).",
    ["result"],
)


def observe(method: str, route: str, status: int, seconds: float, cache: str) -> None:
    """Count one answered request (called by echohub.middleware.RequestTiming)."""
    method = method if method in METHODS else "other"
    REQUEST_SECONDS.labels(method, route, str(status)).observe(seconds)
    if cache in ("hit", "miss"):
        PAGE_CACHE.labels(cache).inc()


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404
    if not constant_time_compare(request.headers.get("Authorization", ""), f"Bearer {token}"):
        refused = HttpResponse("A metrics token is needed.", status=401, content_type="text/plain")
        refused["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return refused
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
