"""Registration benchmark: 2,000 logged-in people race for one 1,000-seat session over HTTP.

Creates a hub, a published open program, one session starting tomorrow with 1,000
seats, and 2,000 people already logged in (a Django session row each, as a browser
that has logged in looks to the server; the login page itself is not measured). It
serves the app with gunicorn (DEBUG off) on loopback; each person GETs the session page
with their session cookie for the csrftoken cookie and the form's token, then all of
them POST the register form, 16 at a time, then GET /healthz as often (a view with no
database work: the most this server and client reach at all). It checks that exactly
1,000 are confirmed and 1,000 waitlisted, and measures in the same run the database's
raw ceiling: as many single-row INSERTs, each in its own transaction, over as many
connections at once.

    DATABASE_URL=postgres://… .venv/bin/python bench/registration.py
        [--people 2000] [--capacity 1000] [--concurrency 16]
        [--workers 4] [--worker-class sync] [--threads 1] [--max-seconds 300]

PostgreSQL only: it refuses to run without a PostgreSQL DATABASE_URL. A missing
database is created and dropped at the end; an existing one is migrated and used, and
the rows the benchmark creates (slugs and emails "regbench-…", session keys
"regbench…") are deleted before and after the run: prefer a dedicated database.
Progress goes to stderr; the last line on stdout is one JSON object. The exit status is
1 if the counts do not add up or any request failed.
"""

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import django
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import get_random_string

from common import (
    cpu_by_process,
    cpu_seconds,
    cpu_since,
    log,
    percentile,
    postgres_processes,
    workers,
)

PREFIX = "regbench-"
KEY_PREFIX = "regbench"  # session keys allow only lowercase letters and digits
BACKEND = "django.contrib.auth.backends.ModelBackend"
REQUEST_TIMEOUT = 30.0
SCRATCH_TABLE = "regbench_insert_ceiling"
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Person:
    session_key: str
    csrf_cookie: str = ""
    csrf_token: str = ""


@dataclass
class Phase:
    ok: int
    errors: int
    elapsed: float
    latencies_ms: list[float]
    server_cpu_ms: float = 0.0  # gunicorn's workers, per successful request
    database_cpu_ms: float = 0.0  # PostgreSQL's processes, per successful request


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
    from django.contrib.sessions.models import Session as LoginSession

    from echohub.accounts.models import User
    from echohub.network.models import Hub
    from echohub.programs.models import Program

    Program.objects.filter(slug__startswith=PREFIX).delete()  # sessions, registrations
    Hub.objects.filter(slug__startswith=PREFIX).delete()
    User.objects.filter(email__startswith=PREFIX).delete()
    LoginSession.objects.filter(session_key__startswith=KEY_PREFIX).delete()


def seed(people: int, capacity: int, tag: str = "") -> tuple[int, list[Person]]:
    """The session to register for and its would-be registrants, each logged in.

    `tag` tells apart the slugs and emails of several seeds in one database.
    """
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore

    from echohub.accounts import security
    from echohub.accounts.models import User
    from echohub.network.models import Hub
    from echohub.programs.models import Program, Session

    unusable = make_password(None)  # nobody logs in with a password: no hashing cost
    with transaction.atomic():
        hub = Hub.objects.create(
            slug=f"{PREFIX}{tag}hub",
            name_en="Bench hub",
            name_fr="Carrefour banc",
            scope="national",
        )
        program = Program.objects.create(
            hub=hub,
            slug=f"{PREFIX}{tag}program",
            title_en="Registration rush",
            title_fr="Ruée sur les inscriptions",
            status=Program.Status.PUBLISHED,
            enrolment=Program.Enrolment.OPEN,
        )
        session = Session.objects.create(
            program=program,
            title_en="Headline session",
            title_fr="Séance vedette",
            starts_at=timezone.now() + dt.timedelta(days=1),
            capacity=capacity,
        )
        users = User.objects.bulk_create(
            User(email=f"{PREFIX}{tag}{i:05d}@example.invalid", password=unusable)
            for i in range(people)
        )
        store, chars = SessionStore(), string.ascii_lowercase + string.digits
        expires = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        # What logging in stamps on the session (accounts.security._signed_in): without
        # it, each person's first page would look their roles up and write the session.
        now = timezone.now().timestamp()
        stamps = {security._SIGNED_IN: now, security._SEEN: now, security._STAFF: [False, now]}
        rows = [
            store.get_model_class()(
                session_key=KEY_PREFIX + get_random_string(24, chars),
                session_data=store.encode(
                    {
                        SESSION_KEY: str(user.pk),
                        BACKEND_SESSION_KEY: BACKEND,
                        HASH_SESSION_KEY: user.get_session_auth_hash(),
                        **stamps,
                    }
                ),
                expire_date=expires,
            )
            for user in users
        ]
        store.get_model_class().objects.bulk_create(rows)
    return session.pk, [Person(row.session_key) for row in rows]


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    port: int, workers: int, worker_class: str, threads: int, output: IO[bytes]
) -> subprocess.Popen[bytes]:
    """gunicorn with the environment prepared in main() (DEBUG unset, cookies over http)."""
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", worker_class]
    command += ["--threads", str(threads), "--log-level", "warning", "echohub.wsgi"]
    env = dict(os.environ, SECURE_COOKIES="0")
    server = subprocess.Popen(command, env=env, stdout=output, stderr=output)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {server.returncode}")
        try:
            status, _, _ = asyncio.run(fetch(port, get_request(port, "/healthz", "")))
            if status == 200:
                return server
        except (OSError, ValueError, IndexError):
            time.sleep(0.2)
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


def get_request(port: int, path: str, cookie: str) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    lines += [f"Cookie: {cookie}"] if cookie else []
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def post_request(port: int, path: str, referer: str, person: Person) -> bytes:
    """The register form as a browser submits it: cookies, token, Origin and Referer."""
    origin = f"http://127.0.0.1:{port}"
    body = f"csrfmiddlewaretoken={person.csrf_token}"
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    lines += [f"Cookie: sessionid={person.session_key}; csrftoken={person.csrf_cookie}"]
    lines += [f"Origin: {origin}", f"Referer: {origin}{referer}"]
    lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


async def fetch(port: int, request: bytes) -> tuple[int, dict[str, list[str]], bytes]:
    """One request on a new connection: status, headers (lower-case names), body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        data = await reader.read(-1)
    finally:
        writer.close()
        await writer.wait_closed()
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return int(status_line.split()[1]), headers, body


def csrf_cookie(headers: dict[str, list[str]]) -> str:
    for cookie in headers.get("set-cookie", []):
        name, _, rest = cookie.partition("=")
        if name == "csrftoken":
            return rest.split(";")[0]
    return ""


async def get_form(port: int, page: str, action: str, person: Person) -> bool:
    """The session page as this person sees it: their csrftoken cookie and form token."""
    cookie = f"sessionid={person.session_key}"
    status, headers, body = await fetch(port, get_request(port, page, cookie))
    form = f'action="{action}"'.encode()
    match = TOKEN.search(body.partition(form)[2])
    if status != 200 or form not in body or not match:
        return False
    person.csrf_cookie, person.csrf_token = csrf_cookie(headers), match.group(1).decode()
    return bool(person.csrf_cookie)


async def register(port: int, page: str, action: str, person: Person) -> bool:
    """Submit the form; success is the redirect back to the session page."""
    status, headers, _ = await fetch(port, post_request(port, action, page, person))
    return status == 302 and headers.get("location") == [page]


async def no_op(port: int, page: str, action: str, person: Person) -> bool:
    """The framework's floor: a view that touches no database, over the same loopback."""
    status, _, _ = await fetch(port, get_request(port, "/healthz", ""))
    return status == 200


async def run_phase(
    label: str,
    port: int,
    page: str,
    action: str,
    people: list[Person],
    args: argparse.Namespace,
    server: "subprocess.Popen[bytes] | None" = None,
) -> Phase:
    """Everyone once, `concurrency` in flight, stopping early at the phase's time limit."""
    step = {"GET": get_form, "POST": register, "healthz": no_op}[label]
    queue = iter(people)
    ok, errors, latencies = 0, 0, []
    deadline = time.perf_counter() + args.max_seconds

    async def worker() -> None:
        nonlocal ok, errors
        for person in queue:
            if time.perf_counter() > deadline:
                errors += 1
                continue
            started = time.perf_counter()
            try:
                good = await asyncio.wait_for(step(port, page, action, person), REQUEST_TIMEOUT)
            except (OSError, TimeoutError, ValueError, IndexError):
                good = False
            latencies.append((time.perf_counter() - started) * 1000)
            ok, errors = ok + good, errors + (not good)

    # Where the machine's CPU went: the web workers' and the database's, from /proc.
    web = workers(server.pid) if server is not None else []
    web_cpu, database_before = cpu_seconds(web), cpu_by_process(postgres_processes())
    start, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(args.concurrency)))
    elapsed = time.perf_counter() - start
    client_cpu = (time.process_time() - cpu) / elapsed
    web_cpu = (cpu_seconds(web) - web_cpu) * 1000 / max(ok, 1)
    # The database's processes counted afresh: a connection opened meanwhile counts too.
    database_cpu = cpu_since(database_before, postgres_processes()) * 1000 / max(ok, 1)
    log(f"  {label}: {ok / elapsed:7.1f}/s, {ok} ok, {errors} errors in {elapsed:.1f} s")
    log(f"    p50 {percentile(latencies, 50):.1f} ms, p95 {percentile(latencies, 95):.1f} ms")
    log(f"    CPU per request: gunicorn {web_cpu:.1f} ms, PostgreSQL {database_cpu:.1f} ms")
    log(f"    (load generator used {client_cpu:.0%} of one core)")
    return Phase(ok, errors, elapsed, latencies, web_cpu, database_cpu)


async def insert_ceiling(url: str, rows: int, concurrency: int) -> float:
    """Single-row INSERTs, each in its own transaction, over `concurrency` connections."""
    import psycopg

    conns = [
        await psycopg.AsyncConnection.connect(url, autocommit=True) for _ in range(concurrency)
    ]
    try:
        await conns[0].execute(
            f"CREATE TABLE {SCRATCH_TABLE} (id bigserial PRIMARY KEY, person bigint NOT NULL,"
            " status varchar(10) NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
        )
        todo = iter(range(rows))

        async def worker(conn: psycopg.AsyncConnection[tuple[object, ...]]) -> None:
            for i in todo:
                async with conn.transaction():
                    await conn.execute(
                        f"INSERT INTO {SCRATCH_TABLE} (person, status) VALUES (%s, %s)",  # noqa: S608
                        (i, "confirmed"),
                    )

        start = time.perf_counter()
        await asyncio.gather(*(worker(conn) for conn in conns))
        elapsed = time.perf_counter() - start
        cursor = await conns[0].execute(f"SELECT count(*) FROM {SCRATCH_TABLE}")  # noqa: S608
        inserted = (await cursor.fetchone() or (0,))[0]
        assert inserted == rows, f"{inserted} rows in the scratch table, not {rows}"
    finally:
        await conns[0].execute(f"DROP TABLE IF EXISTS {SCRATCH_TABLE}")
        for conn in conns:
            await conn.close()
    log(f"  database ceiling: {rows / elapsed:7.1f} INSERT transactions/s ({elapsed:.2f} s)")
    return rows / elapsed


def count_registrations(session_pk: int) -> dict[str, int]:
    from django.db.models import Count

    from echohub.registration.models import Registration

    rows = Registration.objects.filter(session_id=session_pk).values("status")
    return {row["status"]: row["n"] for row in rows.annotate(n=Count("pk")).order_by()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--capacity", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="per worker (gthread)")
    parser.add_argument("--max-seconds", type=float, default=300.0, help="per HTTP phase")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "bench/registration.py measures PostgreSQL (row locks, concurrent writers): set "
            "DATABASE_URL=postgres://…; SQLite serialises all writers and is not measured."
        )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up as on Ctrl-C
    tmp = Path(tempfile.mkdtemp(prefix="echohub-regbench-"))
    os.environ.update(ECHOHUB_DATA_DIR=str(tmp), DJANGO_SETTINGS_MODULE="echohub.settings")
    os.environ.pop("DEBUG", None)
    workers = f"{args.workers} {args.worker_class}"
    workers += f" x {args.threads} threads" if args.worker_class == "gthread" else ""
    server, migrated, created_db, server_log = None, False, False, tmp / "gunicorn.log"
    try:
        created_db = pg_admin(url, "CREATE DATABASE {}")
        django.setup()
        kind, load = "throwaway" if created_db else "existing", os.getloadavg()[0]
        log(f"Database: {connection.vendor} ({kind}); load average {load:.2f} before the run")
        call_command("migrate", verbosity=0)
        migrated = True
        if not created_db:
            remove_bench_data()
        started = time.perf_counter()
        session_pk, people = seed(args.people, args.capacity)
        took = time.perf_counter() - started
        log(f"Seeded 1 session of {args.capacity} seats, {len(people)} people in {took:.1f} s")
        with translation.override("en"):
            page = reverse("programs:session", kwargs={"pk": session_pk})
            action = reverse("registration:register", kwargs={"pk": session_pk})
        connections.close_all()
        log(f"Database ceiling before, {args.people} rows at concurrency {args.concurrency}:")
        ceilings = [asyncio.run(insert_ceiling(url, args.people, args.concurrency))]
        port = free_port()
        with server_log.open("wb") as output:
            server = start_server(port, args.workers, args.worker_class, args.threads, output)
            log(f"gunicorn ({workers}) on 127.0.0.1:{port}; {page} then POST {action}:")
            gets = asyncio.run(run_phase("GET", port, page, action, people, args, server))
            ready = [person for person in people if person.csrf_cookie and person.csrf_token]
            posts = asyncio.run(run_phase("POST", port, page, action, ready, args, server))
            no_ops = asyncio.run(run_phase("healthz", port, page, action, people, args, server))
            stop_server(server)
        log("Database ceiling after:")
        ceilings.append(asyncio.run(insert_ceiling(url, args.people, args.concurrency)))
        counts = count_registrations(session_pk)
    except BaseException:
        if server_log.exists():
            log("gunicorn's output, last lines:\n" + server_log.read_text()[-3000:])
        raise
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(tmp, ignore_errors=True)
        if migrated and not created_db:
            remove_bench_data()
        connections.close_all()
        if created_db:
            pg_admin(url, "DROP DATABASE {}")
    errors = args.people - len(ready) + posts.errors  # a failed GET leaves a person out
    confirmed, waitlisted = counts.get("confirmed", 0), counts.get("waitlisted", 0)
    per_second, ceiling = posts.ok / posts.elapsed, sum(ceilings) / len(ceilings)
    result: dict[str, object] = {"registrations": sum(counts.values()), "confirmed": confirmed}
    result |= {"waitlisted": waitlisted, "errors": errors, "per_second": round(per_second, 1)}
    result |= {"p95_ms": round(percentile(posts.latencies_ms, 95), 1)}
    result |= {"p50_ms": round(percentile(posts.latencies_ms, 50), 1)}
    result |= {"db_ceiling_per_second": round(ceiling, 1), "ratio": round(per_second / ceiling, 3)}
    result |= {"healthz_per_second": round(no_ops.ok / no_ops.elapsed, 1)}
    result |= {"post_cpu_ms": round(posts.server_cpu_ms, 1)}
    result |= {"post_database_cpu_ms": round(posts.database_cpu_ms, 1)}
    result |= {"get_per_second": round(gets.ok / gets.elapsed, 1)}
    result |= {"get_cpu_ms": round(gets.server_cpu_ms, 1)}
    result |= {"healthz_cpu_ms": round(no_ops.server_cpu_ms, 1)}
    result |= {"workers": workers, "engine": connection.vendor}
    expected = {"confirmed": args.capacity, "waitlisted": args.people - args.capacity}
    expected |= {"registrations": args.people, "errors": 0}
    wrong = {key: (result[key], want) for key, want in expected.items() if result[key] != want}
    for key, (got, want) in wrong.items():
        log(f"MISMATCH: {key} is {got}, expected {want}")
    print(json.dumps(result))
    if wrong:
        sys.exit(1)


if __name__ == "__main__":
    main()
