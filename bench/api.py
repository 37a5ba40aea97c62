"""Partner API benchmark: 100,000 sessions walked by cursor, and 2,000 registrations
racing for 1,000 seats, over HTTP with a token.

Builds, in a database of its own, one hub with a published program of 100,000
sessions (one every 20 minutes, so the cursor never meets a tie), one more session
with 1,000 seats, 2,000 people with accounts, and a token of the hub with the scope
`registrations:write`. It serves the app with gunicorn (DEBUG off, the rate limits
raised out of the way but still counted) on loopback, then:

- walks `GET /api/v1/sessions/?page_size=100` from the first page to the last by
  its `next` cursor (1,000 pages, one after the other, as a partner syncing its
  catalogue would), timing each page;
- sends the 2,000 `POST /api/v1/sessions/<id>/registrations/` at once, 16 in flight,
  and counts who is confirmed and who waits;
- times `GET /healthz` as often: the floor of this server and client, the ratio's
  baseline.

    .venv/bin/python bench/api.py [--sessions 100000] [--people 2000] [--capacity 1000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/api.py

Without DATABASE_URL it uses a fresh SQLite file in a temporary directory; with a
PostgreSQL URL it creates `echohub_bench_api` on that server and drops it at the end.
Progress goes to stderr; the last line on stdout is one JSON object: list_p95_ms,
list_p50_ms, pages, register_per_second, confirmed, waitlisted, errors, healthz_p95_ms,
engine, load. The exit status is 1 if the counts do not add up or a request failed.
"""

import argparse
import asyncio
import datetime as dt
import json
import os
import signal
import sys
import tempfile
import time

from common import log, own_database, percentile
from registration import fetch, free_port, get_request, start_server, stop_server

BENCH_DB = "echohub_bench_api"
CONCURRENCY = 16


def seed(sessions: int, people: int, capacity: int) -> tuple[int, str]:
    """The hub, its program and sessions, the racing session, the people and the token."""
    from django.utils import timezone

    from echohub.accounts.models import User
    from echohub.api.services import create_token
    from echohub.network.models import Hub
    from echohub.programs.models import Program, Session

    hub = Hub.objects.create(slug="bench", name_en="Bench Hub", name_fr="Carrefour du banc")
    program = Program.objects.create(
        hub=hub,
        slug="psw-series",
        title_en="PSW Series",
        title_fr="Série PAB",
        status=Program.Status.PUBLISHED,
    )
    start = timezone.now() + dt.timedelta(days=2)
    for first in range(0, sessions, 5_000):
        Session.objects.bulk_create(
            [
                Session(
                    program=program,
                    title_en=f"Session {n}",
                    title_fr=f"Séance {n}",
                    description_en="A short didactic, then a de-identified case.",
                    starts_at=start + dt.timedelta(minutes=20 * n),
                    duration_minutes=60,
                )
                for n in range(first, min(first + 5_000, sessions))
            ]
        )
    race = Session.objects.create(
        program=program, title_en="The rush", starts_at=start, capacity=capacity
    )
    User.objects.bulk_create(
        [User(email=f"p{n}@example.org", name=f"Person {n}") for n in range(people)]
    )
    admin = User.objects.create(email="admin@example.org", name="Admin", is_national_admin=True)
    _token, secret = create_token(
        hub,
        name="bench",
        scopes=["registrations:write"],
        expires_at=timezone.now() + dt.timedelta(days=1),
        by=admin,
    )
    return race.pk, secret


def request(port: int, method: str, path: str, secret: str, body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    lines += [f"Authorization: Bearer {secret}"]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def walk(port: int, secret: str) -> tuple[list[float], int, int]:
    """Every page of the sessions, one after the other by cursor: latencies, rows, errors."""
    path: str | None = "/api/v1/sessions/?page_size=100"
    latencies, rows, errors = [], 0, 0
    while path:
        started = time.perf_counter()
        status, _headers, body = await fetch(port, request(port, "GET", path, secret))
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            errors += 1
            break
        page = json.loads(body)
        rows += len(page["results"])
        following = page["next"]
        path = following.split(f"127.0.0.1:{port}", 1)[1] if following else None
        if len(latencies) % 200 == 0:
            log(f"  {len(latencies)} pages, {rows} sessions")
    return latencies, rows, errors


async def rush(port: int, secret: str, race: int, people: int) -> tuple[float, int, list[float]]:
    """Everyone registers at once (CONCURRENCY in flight): seconds, errors, latencies."""
    queue = iter(range(people))
    errors, latencies = 0, []
    path = f"/api/v1/sessions/{race}/registrations/"

    async def worker() -> None:
        nonlocal errors
        for n in queue:
            body = json.dumps({"email": f"p{n}@example.org"}).encode()
            started = time.perf_counter()
            try:
                status, _h, _b = await fetch(port, request(port, "POST", path, secret, body))
            except OSError:
                status = 0
            latencies.append((time.perf_counter() - started) * 1000)
            errors += status != 201

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return time.perf_counter() - started, errors, latencies


async def floor(port: int, times: int) -> list[float]:
    latencies = []
    for _ in range(times):
        started = time.perf_counter()
        await fetch(port, get_request(port, "/healthz", ""))
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--capacity", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn's")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up as on Ctrl-C
    load = os.getloadavg()[0]
    with own_database(BENCH_DB, "echohub-apibench-"):
        import logging

        logging.getLogger("echohub").setLevel(logging.WARNING)
        from django.db import connection

        from echohub.registration.models import Registration

        started = time.perf_counter()
        race, secret = seed(args.sessions, args.people, args.capacity)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        engine = connection.vendor
        connection.close()
        log(f"Seeded {args.sessions:,} sessions in {time.perf_counter() - started:.1f} s")
        # Counted as ever, never reached: the limiter's cost is in every request timed.
        os.environ["API_TOKEN_RATE_LIMIT"] = str(10**8)
        os.environ["LOG_LEVEL"] = "WARNING"
        port = free_port()
        with tempfile.TemporaryFile() as output:
            server = start_server(port, args.workers, "sync", 1, output)
            try:
                # Each worker's first answer loads what it keeps for the next: not timed.
                for _ in range(args.workers * 3):
                    asyncio.run(fetch(port, request(port, "GET", "/api/v1/sessions/", secret)))
                log("Walking the sessions by cursor…")
                pages, rows, list_errors = asyncio.run(walk(port, secret))
                log(f"Registering {args.people:,} people for {args.capacity:,} seats…")
                seconds, rush_errors, rush_ms = asyncio.run(rush(port, secret, race, args.people))
                healthz = asyncio.run(floor(port, len(pages)))
            finally:
                stop_server(server)
        counts = {
            status: Registration.objects.filter(session_id=race, status=status).count()
            for status in ("confirmed", "waitlisted")
        }
    result = {
        "list_p95_ms": round(percentile(pages, 95), 1),
        "list_p50_ms": round(percentile(pages, 50), 1),
        "pages": len(pages),
        "register_per_second": round(args.people / seconds, 1),
        "register_p95_ms": round(percentile(rush_ms, 95), 1),
        "confirmed": counts["confirmed"],
        "waitlisted": counts["waitlisted"],
        "errors": list_errors + rush_errors,
        "healthz_p95_ms": round(percentile(healthz, 95), 2),
        "engine": engine,
        "load": round(load, 2),
    }
    log(
        f"List: {len(pages)} pages ({rows:,} sessions), p50 {result['list_p50_ms']} ms, "
        f"p95 {result['list_p95_ms']} ms; /healthz p95 {result['healthz_p95_ms']} ms"
    )
    log(
        f"Rush: {result['register_per_second']}/s, {counts['confirmed']} confirmed, "
        f"{counts['waitlisted']} waitlisted, {rush_errors} errors"
    )
    print(json.dumps(result))
    good = (
        rows == args.sessions + 1
        and counts == {"confirmed": args.capacity, "waitlisted": args.people - args.capacity}
        and result["errors"] == 0
    )
    sys.exit(0 if good else 1)


if __name__ == "__main__":
    main()
