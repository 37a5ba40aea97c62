"""Digest benchmark: the weekly digest for 30,000 subscribers, built and handed to SMTP.

Builds, in a database of its own, 20 hubs, 200 items new or upcoming this week
(120 sessions, 30 programs published last week, 40 public library items, 10
updates) and 30,000 confirmed subscribers with mixed interests: a province or
two (their time zone follows the first), professions, now and then a hub, a
program or topics, in English or French, weekly. Then:

- `send_digests("weekly")` matches and queues every digest (`built_per_second`:
  digests queued per second, matching and rendering included);
- `send_batch()` is called until the queue is empty, handing every message to
  a real SMTP server (aiosmtpd) running in a separate process on loopback
  (`sent_per_second`); the server's count must equal the digests queued.

    .venv/bin/python bench/digest.py [--subscribers 30000]         # SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/digest.py

On PostgreSQL, the database named by DATABASE_URL is used only to create and
finally drop `echohub_bench_digest`. Progress goes to stderr; the last line on
stdout is one JSON object:
{"subscribers": 30000, "built_per_second": …, "sent_per_second": …, …}.
"""

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import socket
import sys
import tempfile
import time
import zoneinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from common import log

DATABASE = "echohub_bench_digest"
TORONTO = zoneinfo.ZoneInfo("America/Toronto")
# Provinces with the zone most of their providers read in, weighted roughly by population.
PROVINCES = {
    "ON": ("America/Toronto", 38),
    "QC": ("America/Toronto", 22),
    "BC": ("America/Vancouver", 14),
    "AB": ("America/Edmonton", 12),
    "MB": ("America/Winnipeg", 4),
    "SK": ("America/Regina", 3),
    "NS": ("America/Halifax", 3),
    "NB": ("America/Moncton", 2),
    "NL": ("America/St_Johns", 1),
    "PE": ("America/Halifax", 1),
}


def server_url(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


def recreate(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        if not drop_only:
            connection.execute(f"CREATE DATABASE {DATABASE}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def smtp_sink(port: int, received: Any, ready: Any, stop: Any) -> None:
    """A real SMTP server in its own process: it counts messages and their bytes."""
    from aiosmtpd.controller import Controller

    class Count:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            with received.get_lock():
                received.value += 1
            return "250 OK"

    controller = Controller(Count(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=30_000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()
    given = os.environ.get("DATABASE_URL", "")
    scratch = None
    if given.startswith("postgres"):
        recreate(given)
        url = server_url(given, DATABASE)
    else:
        scratch = tempfile.TemporaryDirectory(prefix="echohub-digest-")
        url = f"sqlite:///{Path(scratch.name) / 'bench.sqlite3'}"
    port = free_port()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="echohub.settings",
        DEBUG="",
        DATABASE_URL=url,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        EMAIL_USE_TLS="",
        EMAIL_BATCH_SIZE=str(args.batch),
        TIME_ZONE="America/Toronto",
    )
    received = multiprocessing.Value("i", 0)
    ready, stop = multiprocessing.Event(), multiprocessing.Event()
    sink = multiprocessing.Process(target=smtp_sink, args=(port, received, ready, stop))
    sink.start()
    ready.wait(30)
    try:
        result = run(args, received)
    finally:
        stop.set()
        sink.join(30)
        from django.db import connections

        connections.close_all()
        if given.startswith("postgres"):
            recreate(given, drop_only=True)
        if scratch is not None:
            scratch.cleanup()
    print(json.dumps(result))


def run(args: argparse.Namespace, received: Any) -> dict[str, object]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from echohub.library.models import Resource
    from echohub.network.models import Hub
    from echohub.outreach.models import MailAddress, OutboxMessage
    from echohub.outreach.services import send_batch
    from echohub.programs.models import Program, Session
    from echohub.reference.models import Profession, Province, Topic
    from echohub.updates.digests import send_digests
    from echohub.updates.models import Consent, Subscriber, Update

    rng = random.Random(15)  # noqa: S311  # an invented list
    call_command("migrate", verbosity=0)
    engine = connection.vendor
    log(f"{engine}: building 20 hubs, 200 items and {args.subscribers} subscribers")
    today = dt.datetime.now(TORONTO).date()
    monday = dt.datetime.combine(
        today + dt.timedelta(days=7 - today.weekday()), dt.time(6), tzinfo=TORONTO
    )
    professions = list(Profession.objects.all())
    provinces = {p.code: p for p in Province.objects.all()}
    topics = list(Topic.objects.all())
    province_codes = list(PROVINCES)
    weights = [PROVINCES[c][1] for c in province_codes]
    hubs = [
        Hub.objects.create(
            slug=f"hub-{n}", name_en=f"Hub {n}", name_fr=f"Carrefour {n}", scope="provincial"
        )
        for n in range(20)
    ]

    def program(n: int, **fields: Any) -> Program:
        made = Program.objects.create(
            hub=hubs[n % 20],
            slug=f"program-{n}",
            title_en=f"Program {n}",
            title_fr=f"Programme {n}",
            status="published",
            scope=rng.choice(["national", "provincial", "provincial"]),
            **fields,
        )
        if rng.random() < 0.6:
            made.audience_professions.set(rng.sample(professions, rng.randint(1, 3)))
        if made.scope == "provincial":
            made.provinces.set([provinces[c] for c in rng.sample(province_codes, 2)])
        return made

    running = [program(n) for n in range(60)]
    for n in range(120):  # sessions this week, Monday to Sunday
        Session.objects.create(
            program=running[n % 60],
            title_en=f"Session {n}",
            title_fr=f"Séance {n}",
            starts_at=monday + dt.timedelta(hours=6 + n * 1.2),
            duration_minutes=60,
            capacity=100,
        )
    last_week = monday - dt.timedelta(days=4)
    fresh = [program(60 + n) for n in range(30)]
    Program.objects.filter(pk__in=[p.pk for p in fresh]).update(published_at=last_week)
    for n in range(40):
        resource = Resource.objects.create(
            hub=hubs[n % 20],
            kind="tool",
            title_en=f"Tool {n}",
            title_fr=f"Outil {n}",
            url=f"https://example.org/tools/{n}",
            visibility="public",
        )
        resource.topics.set(rng.sample(topics, 2))
    Resource.objects.update(created_at=last_week)
    for n in range(10):
        Update.objects.create(
            hub=hubs[n] if n else None,
            title_en=f"News {n}",
            body_en="Some **news**.",
            publish_at=last_week,
        )

    started = time.perf_counter()
    addresses = [MailAddress(email=f"reader{n}@example.org") for n in range(args.subscribers)]
    MailAddress.objects.bulk_create(addresses, batch_size=2000)
    addresses = list(MailAddress.objects.order_by("pk"))
    consent = Consent.objects.create(
        email="bench@example.org",
        via="import",
        wording="bench",
        language="en",
        asked_by="bench",
        given_at=last_week,
        confirmed_at=last_week,
    )
    chosen: list[tuple[str, list[str]]] = []
    subscribers = []
    for address in addresses:
        first = rng.choices(province_codes, weights)[0]
        picked = [first] + (rng.sample(province_codes, 1) if rng.random() < 0.15 else [])
        chosen.append((first, picked))
        subscribers.append(
            Subscriber(
                address=address,
                consent=consent,
                frequency="weekly",
                language="fr" if first == "QC" or rng.random() < 0.1 else "en",
                timezone=PROVINCES[first][0],
            )
        )
    with transaction.atomic():
        Subscriber.objects.bulk_create(subscribers, batch_size=2000)
        subscribers = list(Subscriber.objects.order_by("pk"))
        through = {kind: getattr(Subscriber, kind).through for kind in
                   ("provinces", "professions", "hubs", "programs", "topics")}  # fmt: skip
        rows: dict[str, list[Any]] = {kind: [] for kind in through}
        for subscriber, (_first, picked) in zip(subscribers, chosen, strict=True):
            for code in set(picked):
                rows["provinces"].append(
                    through["provinces"](subscriber_id=subscriber.pk, province=provinces[code])
                )
            for profession in rng.sample(professions, rng.choice([0, 1, 1, 1, 2])):
                rows["professions"].append(
                    through["professions"](subscriber_id=subscriber.pk, profession=profession)
                )
            if rng.random() < 0.1:
                rows["hubs"].append(
                    through["hubs"](subscriber_id=subscriber.pk, hub=rng.choice(hubs))
                )
            if rng.random() < 0.05:
                rows["programs"].append(
                    through["programs"](subscriber_id=subscriber.pk, program=rng.choice(running))
                )
            if rng.random() < 0.2:
                for topic in rng.sample(topics, 2):
                    rows["topics"].append(
                        through["topics"](subscriber_id=subscriber.pk, topic=topic)
                    )
        for kind, made in rows.items():
            through[kind].objects.bulk_create(made, batch_size=5000)
    log(f"subscribers written in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    queued = send_digests("weekly", now=monday + dt.timedelta(hours=1))
    build_seconds = time.perf_counter() - started
    log(f"{queued} digests queued in {build_seconds:.1f} s")

    started = time.perf_counter()
    handled = 0
    while taken := send_batch():
        handled += taken
        if handled % 5000 < args.batch:
            log(f"  {handled} handed over")
    send_seconds = time.perf_counter() - started
    deadline = time.monotonic() + 30
    while received.value < queued and time.monotonic() < deadline:
        time.sleep(0.1)
    sent = OutboxMessage.objects.filter(status="sent").count()
    log(f"{sent} sent in {send_seconds:.1f} s; the SMTP server received {received.value}")
    again = send_digests("weekly", now=monday + dt.timedelta(hours=5))
    assert again == 0, f"a second run queued {again}"
    assert received.value == queued == sent, (received.value, queued, sent)
    sizes = [len(m) for m in OutboxMessage.objects.values_list("body_html", flat=True)[:200]]
    return {
        "subscribers": args.subscribers,
        "engine": engine,
        "items": 200,
        "digests": queued,
        "nothing_matched": args.subscribers - queued,
        "build_seconds": round(build_seconds, 1),
        "built_per_second": round(queued / build_seconds),
        "send_seconds": round(send_seconds, 1),
        "sent_per_second": round(sent / send_seconds),
        "total_seconds": round(build_seconds + send_seconds, 1),
        "html_bytes_median": sorted(sizes)[len(sizes) // 2] if sizes else 0,
        "finished_at": timezone.now().isoformat(timespec="seconds"),
        "load_average": os.getloadavg()[0],
    }


if __name__ == "__main__":
    sys.exit(main())
