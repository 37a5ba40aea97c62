"""Catalogue benchmark: requests per second of /en/programs/ against /healthz.

Builds 1,000 published programs with 10,000 sessions, counts the SQL queries of one
catalogue page, serves the app with gunicorn (2 workers, DEBUG off) and loads the
catalogue and the trivial /healthz view (the framework's ceiling) over loopback.

    .venv/bin/python bench/catalogue.py [--seconds 10] [--concurrency 8] [--show-queries]

Without DATABASE_URL it uses a fresh SQLite file in a temporary directory. With a
PostgreSQL URL, a missing database is created and dropped at the end; an existing one
is migrated and used as is, and the programs and hubs the benchmark creates (slugs
"bench-…") are deleted before and after the run: prefer a dedicated echohub_bench.
Progress goes to stderr; the last line on stdout is one JSON object.
"""

import argparse
import asyncio
import datetime as dt
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import django
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from common import log

PROGRAMS = 1000
SESSIONS_PER_PROGRAM = 10  # half past, half upcoming
HUBS = 6
PREFIX = "bench-"
MAX_REQUESTS = 500_000  # per phase, whatever the duration
REQUEST_TIMEOUT = 10.0
TOPICS_EN = ["Palliative care rounds", "Dementia care at home", "Grief and bereavement"]
TOPICS_FR = ["Rencontres en soins palliatifs", "Démence à domicile", "Deuil et accompagnement"]
PROFESSIONS = ["family-physician", "registered-nurse", "psw", "paramedic", "social-worker"]
SETTINGS = ["primary-care", "long-term-care", "home-care", "hospice", "indigenous-community"]


def pg_admin(url: str, statement: str) -> bool:
    """Run CREATE/DROP DATABASE for the database in `url`; False if it already exists."""
    import psycopg
    from psycopg import errors, sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = sql.Identifier(str(conninfo_to_dict(url)["dbname"]))
    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        try:
            conn.execute(sql.SQL(statement).format(name))
        except errors.DuplicateDatabase:
            return False
    return True


def remove_bench_data() -> None:
    from echohub.network.models import Hub
    from echohub.programs.models import Program

    Program.objects.filter(slug__startswith=PREFIX).delete()
    Hub.objects.filter(slug__startswith=PREFIX).delete()


def session_start(now: dt.datetime, i: int, k: int) -> dt.datetime:
    """5 weekly sessions in the past, 5 from tomorrow; program 0's next session is the soonest."""
    half = SESSIONS_PER_PROGRAM // 2
    days = -7 * (k + 1) if k < half else 1 + 7 * (k - half)
    return now + dt.timedelta(days=days, minutes=i)


def seed() -> tuple[str, int]:
    """Create the programs, sessions and audiences; return the title first in the catalogue."""
    from echohub.network.models import Hub
    from echohub.programs.models import Program, Session
    from echohub.programs.permissions import public_programs

    if others := public_programs().count():
        log(f"Warning: {others} public programs already in this database skew the results.")
    now = timezone.now()
    with transaction.atomic():
        names = [(f"{PREFIX}hub-{h}", f"Hub {h}", f"Carrefour {h}") for h in range(HUBS)]
        hubs = Hub.objects.bulk_create(
            Hub(slug=slug, name_en=en, name_fr=fr, scope="national") for slug, en, fr in names
        )
        programs = Program.objects.bulk_create(
            Program(
                hub=hubs[i % HUBS],
                slug=f"{PREFIX}program-{i:04d}",
                title_en=f"{TOPICS_EN[i % 3]} {i:04d}",
                title_fr=f"{TOPICS_FR[i % 3]} {i:04d}",
                description_en="A telementoring series: a short talk, then case discussions.",
                description_fr="Une série de télémentorat : un court exposé, puis des cas.",
                languages=("en", "fr", "both")[i % 3],
                status=Program.Status.PUBLISHED,
            )
            for i in range(PROGRAMS)
        )
        sessions = Session.objects.bulk_create(
            Session(
                program=program,
                title_en=f"Session {k + 1}",
                title_fr=f"Séance {k + 1}",
                starts_at=session_start(now, i, k),
            )
            for i, program in enumerate(programs)
            for k in range(SESSIONS_PER_PROGRAM)
        )
        professions = Program.audience_professions.through
        professions.objects.bulk_create(  # 0 to 3 per program; none means open to all
            professions(program_id=p.pk, profession_id=code)
            for i, p in enumerate(programs)
            for code in PROFESSIONS[i % 2 : i % 2 + i % 4]
        )
        practice = Program.audience_settings.through
        practice.objects.bulk_create(  # 1 or 2 per program
            practice(program_id=p.pk, practicesetting_id=code)
            for i, p in enumerate(programs)
            for code in SETTINGS[i % 3 : i % 3 + 1 + i % 2]
        )
    return programs[0].title_en, len(sessions)


def count_queries(expected: str, show: bool) -> int:
    """The SQL queries of one anonymous catalogue page, after a warm-up request."""
    with translation.override("en"):
        url = reverse("programs:catalogue")
    client = Client()
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    assert escape(expected) in response.content.decode(), f"{expected!r} not on {url}"
    if show:
        for query in captured.captured_queries:
            log(f"  [{query['time']}s] {query['sql']}")
    return len(captured)


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    """gunicorn with the environment prepared in main() (DATABASE_URL set, DEBUG unset)."""
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--log-level", "warning", "echohub.wsgi"]
    server = subprocess.Popen(command, env=dict(os.environ))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {server.returncode}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
        finally:
            conn.close()
    stop_server(server)
    raise RuntimeError("gunicorn did not answer /healthz within 30 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # gunicorn's graceful shutdown
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


async def fetch(port: int, request: bytes, expect: bytes | None) -> bool:
    """One request on a new connection (gunicorn's sync workers close it after answering)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        data = await reader.read(-1)
    finally:
        writer.close()
        await writer.wait_closed()
    head, _, body = data.partition(b"\r\n\r\n")
    return head.startswith(b"HTTP/1.1 200 ") and (expect is None or expect in body)


async def hammer(
    port: int, path: str, expect: bytes | None, seconds: float, concurrency: int
) -> tuple[float, int]:
    """Requests per second answered correctly on `path`, and the number of failures."""
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    raw, ok, errors = request.encode(), 0, 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal ok, errors
        while time.perf_counter() < deadline and ok + errors < MAX_REQUESTS:
            try:
                good = await asyncio.wait_for(fetch(port, raw, expect), REQUEST_TIMEOUT)
            except (OSError, TimeoutError):
                good = False
            ok, errors = ok + good, errors + (not good)

    start, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - start
    client_cpu = (time.process_time() - cpu) / elapsed
    log(f"  {path}: {ok / elapsed:8.1f} req/s, {ok} ok, {errors} errors in {elapsed:.1f} s")
    log(f"    (load generator used {client_cpu:.0%} of one core)")
    return ok / elapsed, errors


async def measure(
    port: int, expected: str, seconds: float, concurrency: int
) -> tuple[float, float, int]:
    """Baseline, catalogue, baseline again (after 2 s warm-ups); returns req/s and errors."""
    catalogue, healthz = ("/en/programs/", escape(expected).encode()), ("/healthz", None)
    log(f"Warm-up 2 s each, then {seconds:g} s each, at concurrency {concurrency}:")
    measured = [(healthz, seconds), (catalogue, seconds), (healthz, seconds)]
    plan = [(healthz, 2.0), (catalogue, 2.0), *measured]
    runs = [await hammer(port, *target, secs, concurrency) for target, secs in plan]
    base = (runs[2][0] + runs[4][0]) / 2
    return runs[3][0], base, sum(errors for _, errors in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="per measured phase")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--show-queries", action="store_true", help="print the page's SQL")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up as on Ctrl-C
    tmp = Path(tempfile.mkdtemp(prefix="echohub-bench-"))
    given_url = os.environ.get("DATABASE_URL")
    url = given_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.update(DATABASE_URL=url, ECHOHUB_DATA_DIR=str(tmp))
    os.environ["DJANGO_SETTINGS_MODULE"] = "echohub.settings"
    os.environ.pop("DEBUG", None)
    server, migrated, created_db = None, False, False
    try:
        if url.startswith(("postgres://", "postgresql://")):
            created_db = pg_admin(url, "CREATE DATABASE {}")
        throwaway = given_url is None or created_db
        django.setup()
        kind, load = "throwaway" if throwaway else "existing", os.getloadavg()[0]
        log(f"Database: {connection.vendor} ({kind}); load average {load:.2f} before the run")
        call_command("migrate", verbosity=0)
        migrated = True
        if not throwaway:
            remove_bench_data()
        started = time.perf_counter()
        expected, sessions = seed()
        took = time.perf_counter() - started
        log(f"Seeded {PROGRAMS} programs, {sessions} sessions in {took:.1f} s")
        queries = count_queries(expected, args.show_queries)
        log(f"One catalogue page: {queries} SQL queries")
        connections.close_all()
        port = free_port()
        server = start_server(port)
        log(f"gunicorn (2 workers) on 127.0.0.1:{port}")
        cat, base, errors = asyncio.run(measure(port, expected, args.seconds, args.concurrency))
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(tmp, ignore_errors=True)
        if migrated and not throwaway:
            remove_bench_data()
        connections.close_all()
        if created_db:
            pg_admin(url, "DROP DATABASE {}")
    result: dict[str, object] = {"catalogue_rps": round(cat, 1), "baseline_rps": round(base, 1)}
    result |= {"ratio": round(cat / base, 3), "queries": queries, "programs": PROGRAMS}
    result |= {"sessions": sessions, "engine": connection.vendor, "errors": errors}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
