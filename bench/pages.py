"""Public pages benchmark: server CPU per request of each public page, signed out.

Builds, in a database of its own, the large data set: 1,000 published programs with
10,000 sessions (`bench/catalogue.py`'s seed) and a library of 100,000 documents
(`bench/search.py`'s seed, indexed with the bulk path). It counts each page's SQL
queries in-process, then serves the app with gunicorn (2 sync workers, DEBUG off) on
loopback and, page by page, sends requests one after the other and reads the CPU time
the two workers spent (user + system, from /proc/<pid>/stat) over those requests:
server CPU per request, the figure issue 18 sets its aims in, free of the load
generator's own time. /healthz, a view with no database work, is measured in the same
run: the framework's floor on this machine.

Each page is measured twice: `uncached_ms` sends every request with a query string
no one has asked before (`&_=n`), so the page cache misses and keeps a copy each time;
`cached_ms` repeats one address, which the page cache answers when the page may be kept
(signed out, no form that posts: `echohub/pagecache/cache.py`).

    .venv/bin/python bench/pages.py [--documents 100000] [--requests 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/pages.py

Without DATABASE_URL it uses a fresh SQLite file in a temporary directory. With a
PostgreSQL URL it never touches the database named there: it creates
`echohub_bench_pages` on that server (dropping one left by an interrupted run) and
drops it at the end. Linux only (/proc). Progress goes to stderr; the last line on
stdout is one JSON object: {"pages": {"front": {"cached_ms", "uncached_ms", "queries",
"bytes"}, …}, "healthz_ms", "engine", "programs", "sessions", "documents", "load"}.
"""

import argparse
import http.client
import json
import os
import random
import signal
import sys
import time

from django.conf import settings
from django.db import connection, connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

import catalogue
import search
from common import cpu_seconds, log, own_database, workers

BENCH_DB = "echohub_bench_pages"
WARM_UP = 10


def pages() -> dict[str, str]:
    """The public pages of issue 18, in English, on the large data set."""
    from echohub.network.models import Hub
    from echohub.programs.models import Program

    program = Program.objects.filter(slug__startswith=catalogue.PREFIX).order_by("slug").first()
    hub = Hub.objects.filter(slug__startswith=catalogue.PREFIX).order_by("slug").first()
    assert program is not None
    assert hub is not None
    session = program.sessions.order_by("starts_at").last()
    assert session is not None
    with translation.override("en"):
        home, programs = reverse("programs:home"), reverse("programs:catalogue")
        library = reverse("library:index")
        return {
            "front": home,
            "catalogue": programs,
            "catalogue_filtered": f"{programs}?profession=registered-nurse&when=upcoming",
            "catalogue_search": f"{programs}?q=dementia&language=fr",
            "program": program.get_absolute_url(),
            "session": session.get_absolute_url(),
            "hub": reverse("programs:hub", kwargs={"slug": hub.slug}),
            "library": library,
            "library_search": f"{library}?q=pain",
        }


def count(urls: dict[str, str]) -> dict[str, int]:
    """Each page's own SQL queries (the page cache left out), signed out, after a warm-up."""
    client, found = Client(), {}
    middleware = [m for m in settings.MIDDLEWARE if ".pagecache." not in m]
    with override_settings(MIDDLEWARE=middleware):
        for name, url in urls.items():
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            assert response.status_code == 200, f"{url} answered {response.status_code}"
            found[name] = len(captured)
    return found


def get(port: int, path: str) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        return body
    finally:
        conn.close()


def cpu_per_request(port: int, pids: list[int], paths: list[str]) -> float:
    """Milliseconds of worker CPU per request over `paths`, sent one after the other."""
    before = cpu_seconds(pids)
    for path in paths:
        get(port, path)
    return (cpu_seconds(pids) - before) * 1000 / len(paths)


def measure(port: int, master: int, urls: dict[str, str], requests: int) -> dict[str, dict]:
    pids = workers(master)
    found: dict[str, dict] = {}
    for url in urls.values():  # every page, on both workers, before any is measured
        for _ in range(WARM_UP):
            get(port, url)
    for name, url in urls.items():
        joiner = "&" if "?" in url else "?"
        body = get(port, url)
        cached = cpu_per_request(port, pids, [url] * requests)
        fresh = [f"{url}{joiner}_={name}-{n}" for n in range(requests)]
        uncached = cpu_per_request(port, pids, fresh)
        found[name] = {"cached_ms": round(cached, 2), "uncached_ms": round(uncached, 2)}
        found[name]["bytes"] = len(body)
        log(f"  {name:<20} cached {cached:6.2f} ms, uncached {uncached:6.2f} ms, {len(body)} B")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="per page and way")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up as on Ctrl-C
    load = os.getloadavg()[0]
    server = None
    with own_database(BENCH_DB, "echohub-pagesbench-"):
        try:
            started = time.perf_counter()
            _, sessions = catalogue.seed()
            search.seed(random.Random(7), args.documents)  # noqa: S311 — made-up data
            from echohub.library.models import Resource
            from echohub.library.search.index import index_resources

            index_resources(Resource.objects.order_by("pk").iterator(chunk_size=200))
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            log(f"Seeded and indexed in {time.perf_counter() - started:.1f} s")
            urls = pages()
            queries = count(urls)
            connections.close_all()
            port = catalogue.free_port()
            server = catalogue.start_server(port)
            log(
                f"gunicorn (2 workers) on 127.0.0.1:{port}; "
                f"{args.requests} requests per page and way"
            )
            found = measure(port, server.pid, urls, args.requests)
            floor = cpu_per_request(port, workers(server.pid), ["/healthz"] * (args.requests * 5))
            log(f"  /healthz             {floor:6.2f} ms")
        finally:
            if server is not None:
                catalogue.stop_server(server)
    for name, figures in found.items():
        figures["queries"] = queries[name]
    result = {
        "pages": found,
        "healthz_ms": round(floor, 2),
        "engine": connection.vendor,
        "programs": catalogue.PROGRAMS,
        "sessions": sessions,
        "documents": args.documents,
        "load": round(load, 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
