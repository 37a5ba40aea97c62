"""The supported production shape, started on loopback and checked (docs/deploy.md).

HAProxy (Debian's `haproxy` package) balances two gunicorn instances of EchoHub
(ports A and B, 2 sync workers each, DEBUG off) that share one PostgreSQL database
and one Redis (caches, login limits, page cache); two task workers send email to an
SMTP server on loopback (aiosmtpd) run by this script. Then it checks:

1. the race: 200 signed-in people register through the balancer for 100 seats,
   their requests split across both instances: exactly 100 confirmed, and B's
   kept session page says "full" within a second;
2. cache invalidation across processes: a program published, then cancelled,
   through instance A shows on instance B's kept pages within one second;
3. sessions: a person who logs in through A is signed in on B;
4. the outbox: 5,000 emails queued at once reach the SMTP server exactly once each,
   sent by the two workers, and so does each registration's confirmation;
5. a rolling stop: instance A is stopped (SIGTERM, gunicorn's graceful stop) while
   300 registrations and 300 page views go through the balancer: every request is
   answered, and every registration answered "registered" is in the database.

    DATABASE_URL=postgres://… REDIS_URL=redis://127.0.0.1:6379/15 \\
        .venv/bin/python bench/scaleout.py

Both are required. The database named is left alone: the script makes its own on
that server and drops it at the end. The Redis database named is EMPTIED (FLUSHDB)
before and after: give one nothing else uses. Progress goes to stderr; the last line
on stdout is one JSON object; the exit status is 1 if any check fails.
"""

import asyncio
import collections
import json
import logging
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path
from typing import TYPE_CHECKING
from urllib import error, parse, request

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from common import log, own_database  # noqa: E402
from registration import (  # noqa: E402
    Person,
    csrf_cookie,
    fetch,
    free_port,
    get_request,
    post_request,
    seed,
)

if TYPE_CHECKING:
    from echohub.accounts.models import User

BENCH_DB = "echohub_scaleout"
RACE_PEOPLE, RACE_SEATS = 200, 100
EMAILS = 5000
STOP_PEOPLE = 300
VISIBLE_WITHIN = 1.0  # seconds
FULL = "This session is full"
WAIT = 300  # seconds at most for any one thing
PASSWORD = "scale-out check password, long enough"  # noqa: S105 (a throwaway account)
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
TORONTO = zoneinfo.ZoneInfo("America/Toronto")


@dataclass
class Checks:
    failed: list[str] = field(default_factory=list)
    figures: dict[str, object] = field(default_factory=dict)

    def expect(self, ok: bool, what: str) -> None:
        log(f"  {'ok  ' if ok else 'FAIL'} {what}")
        if not ok:
            self.failed.append(what)


# --- The processes -------------------------------------------------------------


def wait_until(what: str, done: Callable[[], bool], timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out waiting for {what}")
        time.sleep(0.05)


def answers(port: int, path: str = "/readyz") -> bool:
    try:
        with request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
            return bool(response.status == 200)
    except (OSError, error.HTTPError):
        return False


class Shape:
    """HAProxy, two gunicorn instances and two task workers, with their logs in `folder`."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.folder, self.env = folder, env
        self.ports = {"a": free_port(), "b": free_port()}
        self.balancer = free_port()
        self.web: dict[str, subprocess.Popen[bytes]] = {}
        self.workers: list[subprocess.Popen[bytes]] = []
        self.haproxy: subprocess.Popen[bytes] | None = None

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        with (self.folder / f"{name}.log").open("ab") as out:
            return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)

    def start_web(self, name: str) -> None:
        metrics = self.folder / f"metrics-{name}"
        shutil.rmtree(metrics, ignore_errors=True)
        metrics.mkdir()
        command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.ports[name]}"]
        command += ["--workers", "2", "--graceful-timeout", "30", "echohub.wsgi"]
        env = dict(self.env, PROMETHEUS_MULTIPROC_DIR=str(metrics))
        self.web[name] = self._spawn(f"gunicorn-{name}", command, env)
        wait_until(f"instance {name} to be ready", lambda: answers(self.ports[name]), 60)

    def stop_web(self, name: str) -> None:
        process = self.web[name]
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # gunicorn: finish what is in flight, then exit
            process.wait(timeout=60)

    def start(self) -> None:
        for name in self.ports:
            self.start_web(name)
        for n in (1, 2):
            command = [sys.executable, "-m", "echohub", "worker", "--no-startup-delay"]
            self.workers.append(self._spawn(f"worker-{n}", [*command, "--interval=0.2"], self.env))
        config = self.folder / "haproxy.cfg"
        config.write_text(haproxy_config(self.balancer, self.ports))
        check = subprocess.run([HAPROXY, "-c", "-q", "-f", str(config)], capture_output=True)
        if check.returncode:
            raise RuntimeError(f"haproxy refused its configuration: {check.stderr.decode()}")
        self.haproxy = self._spawn("haproxy", [HAPROXY, "-db", "-f", str(config)], self.env)
        wait_until("the balancer", lambda: answers(self.balancer), 30)

    def stop(self) -> None:
        for process in [*self.web.values(), *self.workers, self.haproxy]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [*self.web.values(), *self.workers, self.haproxy]:
            if process is not None:
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()


def haproxy_config(port: int, servers: dict[str, int]) -> str:
    """Round robin over both instances; a refused connection is tried on the other one.

    The readiness probe takes an instance out within a second of refusing it;
    `retry-on conn-failure` with `option redispatch` sends a request whose connection
    was refused (an instance that is stopping) to the other instance instead.
    """
    lines = [
        "global",
        "    log stderr format short local0 warning",
        "defaults",
        "    mode http",
        "    log global",
        "    timeout connect 2s",
        "    timeout client 60s",
        "    timeout server 60s",
        "    timeout check 10s",  # a busy instance answers its probe late, not never
        "    retries 3",
        "    option redispatch 1",
        "    retry-on conn-failure empty-response",
        "frontend echohub",
        f"    bind 127.0.0.1:{port}",
        "    default_backend instances",
        "backend instances",
        "    balance roundrobin",
        "    option forwardfor",
        "    option httpchk GET /readyz",
        "    http-check expect status 200",
        "    http-response set-header X-Served-By %[srv_name]",
    ]
    lines += [
        f"    server {name} 127.0.0.1:{server_port} check inter 500ms fall 2 rise 1"
        for name, server_port in servers.items()
    ]
    return "\n".join(lines) + "\n"


# --- HTTP ----------------------------------------------------------------------


class Browser:
    """A person's browser on one port: cookies kept, forms posted with their token."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.jar = CookieJar()
        self.opener = request.build_opener(request.HTTPCookieProcessor(self.jar))

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.url(path), timeout=30) as response:
                return response.status, response.read().decode()
        except error.HTTPError as refused:
            return refused.code, refused.read().decode()

    def post(self, path: str, data: dict[str, str], token_from: str) -> tuple[int, str]:
        """Read `token_from` for the form's token, then post `data` with it."""
        _, page = self.get(token_from)
        token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        body = parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        posted = request.Request(
            self.url(path), data=body, headers={"Referer": self.url(token_from)}, method="POST"
        )
        try:
            with self.opener.open(posted, timeout=30) as response:
                return response.status, response.read().decode()
        except error.HTTPError as refused:
            return refused.code, refused.read().decode()

    def move_to(self, port: int) -> None:
        """The same cookies, sent to another port (another instance)."""
        self.port = port


@dataclass
class Answer:
    status: int
    served_by: str


async def register_through(port: int, page: str, action: str, person: Person) -> Answer:
    """GET the session page for the token, POST the form: both through the balancer."""
    status, headers, body = await fetch(
        port, get_request(port, page, f"sessionid={person.session_key}")
    )
    marker = f'action="{action}"'.encode()
    found = body.partition(marker)[2].split(b'name="csrfmiddlewaretoken" value="', 1)
    if status != 200 or len(found) < 2:
        return Answer(status if status != 200 else 0, headers.get("x-served-by", ["?"])[0])
    person.csrf_cookie = csrf_cookie(headers) or person.csrf_cookie
    person.csrf_token = found[1].split(b'"', 1)[0].decode()
    status, headers, _ = await fetch(port, post_request(port, action, page, person))
    if status == 302 and headers.get("location") != [page]:
        status = 0  # not back on the session page, registered: to the login page, say
    return Answer(status, headers.get("x-served-by", ["?"])[0])


async def view_through(port: int, path: str) -> Answer:
    status, headers, _ = await fetch(port, get_request(port, path, ""))
    return Answer(status, headers.get("x-served-by", ["?"])[0])


def session_paths(session_pk: int) -> tuple[str, str]:
    from django.urls import reverse
    from django.utils import translation

    with translation.override("en"):
        return (
            reverse("programs:session", kwargs={"pk": session_pk}),
            reverse("registration:register", kwargs={"pk": session_pk}),
        )


def registrations(session_pk: int) -> dict[str, int]:
    from django.db.models import Count

    from echohub.registration.models import Registration

    rows = Registration.objects.filter(session_id=session_pk).values("status")
    return {row["status"]: row["n"] for row in rows.annotate(n=Count("pk")).order_by()}


# --- The checks ----------------------------------------------------------------


def race(shape: Shape, checks: Checks) -> int:
    log(f"1. {RACE_PEOPLE} people race for {RACE_SEATS} seats through the balancer")
    session_pk, people = seed(RACE_PEOPLE, RACE_SEATS, tag="race-")
    page, action = session_paths(session_pk)
    reader = Browser(shape.ports["b"])
    for _ in range(2):  # B keeps the session page, signed out, with seats free
        status, before = reader.get(page)
    kept = urlopen_header(shape.ports["b"], page, "X-Page-Cache")
    checks.expect(status == 200 and FULL not in before and kept == "hit", "B keeps the page")

    async def everyone() -> list[Answer]:
        queue = iter(people)
        found: list[Answer] = []

        async def one_at_a_time() -> None:
            for person in queue:
                found.append(await register_through(shape.balancer, page, action, person))

        await asyncio.gather(*(one_at_a_time() for _ in range(16)))
        return found

    started = time.perf_counter()
    got = asyncio.run(everyone())
    took = time.perf_counter() - started
    counts = registrations(session_pk)
    served = collections.Counter(answer.served_by for answer in got)
    answered = collections.Counter(answer.status for answer in got)
    log(f"  {len(got)} registrations in {took:.1f} s, answered {dict(answered)}")
    log(f"  served by {dict(served)}; {counts}")
    checks.expect(all(answer.status == 302 for answer in got), "every registration answered 302")
    checks.expect(counts.get("confirmed") == RACE_SEATS, f"exactly {RACE_SEATS} confirmed")
    checks.expect(
        counts.get("waitlisted") == RACE_PEOPLE - RACE_SEATS,
        f"exactly {RACE_PEOPLE - RACE_SEATS} waitlisted",
    )
    checks.expect(served["a"] > 0 and served["b"] > 0, "both instances took registrations")
    full = seen_within(reader, page, lambda status, text: FULL in text)
    checks.expect(
        full is not None and full <= VISIBLE_WITHIN,
        f"B's kept session page says full within {VISIBLE_WITHIN} s ({full})",
    )
    checks.figures["race"] = {"seconds": round(took, 1), "served": dict(served), **counts}
    checks.figures["race"]["full_on_b_seconds"] = None if full is None else round(full, 3)
    return session_pk


def coordinator_and_draft() -> tuple[str, str, str]:
    """A hub coordinator with a password (the instances ask no second factor) and a draft."""
    from echohub.network.models import Hub, StaffRole
    from echohub.programs.models import Program

    hub = Hub.objects.create(slug="scaleout-hub", name_en="Scale-out hub", scope="national")
    coordinator = person("coordinator@scaleout.example.org", "Coordinator")
    StaffRole.objects.create(hub=hub, person=coordinator, role=StaffRole.Role.COORDINATOR)
    program = Program.objects.create(
        hub=hub,
        slug="scaleout-publish-check",
        title_en="Scale-out publish check",
        title_fr="Vérification de la publication",
        status=Program.Status.DRAFT,
    )
    return coordinator.email, program.slug, program.title_en


def person(email: str, name: str) -> "User":
    """Someone who signed up and confirmed their address, with a password."""
    from allauth.account.models import EmailAddress

    from echohub.accounts.models import User

    made = User.objects.create(email=email, name=name)
    made.set_password(PASSWORD)
    made.save()
    EmailAddress.objects.create(user=made, email=email, verified=True, primary=True)
    return made


def log_in(browser: Browser, email: str) -> bool:
    from django.urls import reverse
    from django.utils import translation

    with translation.override("en"):
        login = reverse("account_login")
    status, page = browser.post(login, {"login": email, "password": PASSWORD}, login)
    if status != 200 or "Log out" not in page:
        log(f"  logging in answered {status}: {page[:3000]}")
        return False
    return True


def seen_within(browser: Browser, path: str, wanted: Callable[[int, str], bool]) -> float | None:
    """Seconds until the page at `path` shows what is wanted (polled every 20 ms), or None."""
    started = time.perf_counter()
    while time.perf_counter() - started < 5 * VISIBLE_WITHIN:
        if wanted(*browser.get(path)):
            return time.perf_counter() - started
        time.sleep(0.02)
    return None


def invalidation(shape: Shape, checks: Checks) -> None:
    from django.urls import reverse
    from django.utils import translation

    log("2. a program published, then cancelled, through A; B's kept pages follow")
    email, slug, title = coordinator_and_draft()
    with translation.override("en"):
        catalogue = reverse("programs:catalogue")
        program_page = reverse("programs:program", kwargs={"slug": slug})
        manage = reverse("programs:manage_program", kwargs={"slug": slug})
        publish = reverse("programs:program_publish", kwargs={"slug": slug})
        cancel = reverse("programs:program_cancel", kwargs={"slug": slug})
    reader = Browser(shape.ports["b"])
    for _ in range(2):  # B renders the catalogue, then keeps it
        status, page = reader.get(catalogue)
    kept = urlopen_header(shape.ports["b"], catalogue, "X-Page-Cache")
    checks.expect(status == 200 and title not in page and kept == "hit", "B keeps its catalogue")
    coordinator = Browser(shape.ports["a"])
    checks.expect(log_in(coordinator, email), "the coordinator logs in through A")
    status, _ = coordinator.post(publish, {}, manage)
    checks.expect(status == 200, "A publishes the program")
    published = seen_within(reader, catalogue, lambda status, page: title in page)
    checks.expect(
        published is not None and published <= VISIBLE_WITHIN,
        f"the program is in B's catalogue within {VISIBLE_WITHIN} s ({published})",
    )
    for _ in range(2):
        reader.get(program_page)
    status, _ = coordinator.post(cancel, {}, manage)
    checks.expect(status == 200, "A cancels the program")
    cancelled = seen_within(
        reader, program_page, lambda status, page: "This program is cancelled." in page
    )
    checks.expect(
        cancelled is not None and cancelled <= VISIBLE_WITHIN,
        f"B's program page says cancelled within {VISIBLE_WITHIN} s ({cancelled})",
    )
    checks.figures["visible_on_b_seconds"] = {
        "published": None if published is None else round(published, 3),
        "cancelled": None if cancelled is None else round(cancelled, 3),
    }

    log("3. a person logs in through A and is signed in on B")
    participant = person("participant@scaleout.example.org", "Nurse")
    with translation.override("en"):
        profile = reverse("accounts:profile")
    browser = Browser(shape.ports["a"])
    checks.expect(log_in(browser, participant.email), "the participant logs in through A")
    browser.move_to(shape.ports["b"])
    status, page = browser.get(profile)
    checks.expect(status == 200 and participant.email in page, "B knows them: their profile")
    browser.move_to(shape.balancer)
    statuses = {browser.get(profile)[0] for _ in range(6)}  # round robin: both instances
    checks.expect(statuses == {200}, "signed in on every request through the balancer")


def urlopen_header(port: int, path: str, name: str) -> str:
    with request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return str(response.headers.get(name, ""))


def outbox(shape: Shape, checks: Checks, sink: "object", race_session: int) -> None:
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from echohub.outreach import services as outreach
    from echohub.outreach.models import OutboxMessage
    from echohub.outreach.tasks import send_outbox_batches
    from echohub.programs.models import Session

    log(f"4. {EMAILS} emails queued at once; two workers send them")
    session = Session.objects.select_related("program__hub").get(pk=race_session)
    addresses = outreach.mail_addresses([f"reader{i:05d}@example.org" for i in range(EMAILS)])
    started = time.perf_counter()
    queued = outreach.queue_bulk(
        kind="session.reminder",
        recipients=[
            outreach.BulkRecipient(
                a, f"scaleout:{a.pk}", "en", zoneinfo.ZoneInfo("America/Toronto")
            )
            for a in addresses.values()
        ],
        context={"session": session, "program": session.program, "offset_minutes": 60},
        hub=session.program.hub,
    )
    checks.expect(queued == EMAILS, f"{EMAILS} emails queued ({queued})")
    send_outbox_batches.enqueue()  # a second sender, as `echohub send_outbox` queues one

    def idle() -> bool:
        busy = DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        ).exists()
        return (
            not busy and not OutboxMessage.objects.filter(status__in=["queued", "sending"]).exists()
        )

    wait_until("every email to be sent", idle)
    took = time.perf_counter() - started
    rows = list(OutboxMessage.objects.all())
    expected = {outreach.message_id(row) for row in rows}
    with sink.lock:  # type: ignore[attr-defined]
        received = collections.Counter(str(m.message["Message-ID"]) for m in sink.messages)  # type: ignore[attr-defined]
    missing = expected - set(received)
    twice = sum(n - 1 for n in received.values() if n > 1)
    bulk = sum(1 for row in rows if row.reason_key.startswith("scaleout:"))
    senders = collections.Counter(
        row.claimed_by for row in rows if row.reason_key.startswith("scaleout:")
    )
    log(
        f"  {len(rows)} emails in the outbox ({bulk} of the bulk send), {len(received)} "
        f"arrived in {took:.1f} s, {twice} twice, {len(missing)} missing; "
        f"sent by {len(senders)} workers: {sorted(senders.values())}"
    )
    checks.expect(bulk == EMAILS, f"the outbox holds the {EMAILS} bulk emails")
    checks.expect(not missing, "every email of the outbox arrived (registrations' too)")
    checks.expect(twice == 0, "none arrived twice")
    checks.expect(all(row.status == "sent" for row in rows), "every email is marked sent")
    checks.expect(len(senders) == 2, "both workers sent some of the bulk emails")
    checks.figures["outbox"] = {"emails": len(rows), "seconds": round(took, 1), "twice": twice}
    checks.figures["outbox"]["per_worker"] = sorted(senders.values())


def rolling_stop(shape: Shape, checks: Checks) -> None:
    from django.urls import reverse
    from django.utils import translation

    log(f"5. instance A stops while {STOP_PEOPLE} registrations and page views go through")
    session_pk, people = seed(STOP_PEOPLE, STOP_PEOPLE * 2, tag="stop-")
    page, action = session_paths(session_pk)
    with translation.override("en"):
        views = [reverse("programs:catalogue"), reverse("programs:home"), page]
    done = 0
    stopped_at: list[int] = []

    def stop_a() -> None:
        stopped_at.append(done)
        shape.stop_web("a")

    async def everyone() -> tuple[list[Answer], list[Answer]]:
        nonlocal done
        queue = iter(people)
        posts: list[Answer] = []
        gets: list[Answer] = []
        stopper: threading.Thread | None = None

        async def one_at_a_time() -> None:
            nonlocal done, stopper
            for person in queue:
                posts.append(await register_through(shape.balancer, page, action, person))
                gets.append(await view_through(shape.balancer, views[done % len(views)]))
                done += 1
                if done == STOP_PEOPLE // 3 and stopper is None:
                    stopper = threading.Thread(target=stop_a)  # takes a while: not on the loop
                    stopper.start()

        await asyncio.gather(*(one_at_a_time() for _ in range(8)))
        if stopper is not None:
            stopper.join()
        return posts, gets

    posts, gets = asyncio.run(everyone())
    counts = registrations(session_pk)
    served = collections.Counter(answer.served_by for answer in posts + gets)
    failed = [a.status for a in posts if a.status != 302] + [
        a.status for a in gets if a.status != 200
    ]
    log(f"  A stopped after {stopped_at}; served by {dict(served)}; {counts}; failed {failed[:10]}")
    checks.expect(not failed, "every request answered while A stopped")
    checks.expect(counts.get("confirmed") == STOP_PEOPLE, f"all {STOP_PEOPLE} registrations kept")
    checks.expect(shape.web["a"].poll() is not None, "instance A is stopped")
    checks.expect(served["a"] > 0 and served["b"] > 0, "both instances served before the stop")
    checks.figures["rolling_stop"] = {"failed": len(failed), "served": dict(served), **counts}


# --- Main ----------------------------------------------------------------------


def main() -> None:
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            sys.exit(f"Set {name}: this shape shares PostgreSQL and Redis (see the docstring).")
    if not os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must name a PostgreSQL server: SQLite is one machine's database.")
    if not Path(HAPROXY).exists():
        sys.exit("haproxy is not installed: apt-get install haproxy (Debian's package).")
    import redis
    from aiosmtpd.controller import Controller

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up as on Ctrl-C
    # One key for this process (which writes the people's sessions) and both instances.
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(40)
    os.environ["TASKS_BACKEND"] = "database"
    cache = redis.Redis.from_url(os.environ["REDIS_URL"])
    cache.flushdb()
    checks = Checks()
    started = time.monotonic()
    with own_database(BENCH_DB, "echohub-scaleout-") as folder:
        from django.conf import settings
        from tests.outreach.smtp import Sink

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's every command
        sink = Sink()
        smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
        smtp.start()
        env = dict(
            os.environ,
            SECURE_COOKIES="0",  # plain http on loopback
            REQUIRE_SECOND_FACTOR="0",  # the coordinator logs in by password alone
            TASKS_BACKEND="database",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.port),
            EMAIL_USE_TLS="0",
            LOG_LEVEL="WARNING",
            PYTHONPATH=str(ROOT / "src"),
        )
        log(f"Shape: logs in {folder}; load average {os.getloadavg()[0]:.2f}")
        shape = Shape(folder, env)
        try:
            shape.start()
            log(
                f"HAProxy on {shape.balancer} -> A on {shape.ports['a']}, B on {shape.ports['b']};"
                f" 2 task workers; SMTP on {smtp.port}; {settings.DATABASES['default']['NAME']}"
            )
            race_session = race(shape, checks)
            invalidation(shape, checks)
            outbox(shape, checks, sink, race_session)
            rolling_stop(shape, checks)
        except BaseException:
            for name in ("gunicorn-a", "gunicorn-b", "worker-1", "worker-2", "haproxy"):
                path = folder / f"{name}.log"
                if path.exists():
                    log(f"--- {name}, last lines:\n{path.read_text()[-2000:]}")
            raise
        finally:
            shape.stop()
            smtp.stop()
            cache.flushdb()
    checks.figures["seconds"] = round(time.monotonic() - started)
    checks.figures["failed"] = checks.failed
    print(json.dumps(checks.figures))
    if checks.failed:
        log(f"FAILED: {len(checks.failed)} checks: {checks.failed}")
        sys.exit(1)
    log("The scale-out checks passed.")


if __name__ == "__main__":
    main()
