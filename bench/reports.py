"""Reports benchmark: the reach dashboards at a hundred times today's network.

Builds, in a database of its own, a network of 20 hubs, 300 programs, 30,000
held sessions over three and a half years, 200,000 people and 1.7 million
participations (with registrations, no-shows, walk-ins, hub staff and 60,000
certificates), the attendance and registrations written with COPY. It then:

- rebuilds the report aggregates from those raw rows (`rebuild_seconds`);
- times, in process through the whole middleware stack with DEBUG off, GETs of
  the national dashboard (unfiltered, and nurses in Ontario over a fiscal year), a
  hub's dashboard, and a program's report filtered to a quarter, `--pages` times
  each, counting each page's queries;
- times GET /healthz as often: the framework's floor in the same run, so the
  figures read as ratios on a noisy machine.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/reports.py
        [--participations 1700000] [--people 200000] [--sessions 30000] [--pages 20]

PostgreSQL only. The database named by DATABASE_URL is used only to create and
finally drop `echohub_bench_reports`. Progress goes to stderr; the last line on
stdout is one JSON object:
{"participations": …, "p95_ms": …, "queries": …, "rebuild_seconds": …, …}.
"""

import argparse
import datetime as dt
import io
import json
import os
import random
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from common import log, percentile

DATABASE = "echohub_bench_reports"


def server_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def recreate(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        if not drop_only:
            connection.execute(f"CREATE DATABASE {DATABASE}")


# Shares close to the program's own reports: nurses and PSWs most, then physicians.
PROFESSIONS = {
    "registered-nurse": 30,
    "practical-nurse": 12,
    "psw": 14,
    "family-physician": 10,
    "specialist-physician": 4,
    "nurse-practitioner": 6,
    "social-worker": 6,
    "pharmacist": 3,
    "paramedic": 4,
    "spiritual-care": 2,
    "occupational-therapist": 2,
    "physiotherapist": 1,
    "dietitian": 1,
    "psychologist": 1,
    "indigenous-health-worker": 2,
    "resident": 2,
}
PROVINCES = {
    "ON": 38,
    "QC": 22,
    "BC": 13,
    "AB": 11,
    "MB": 4,
    "SK": 3,
    "NS": 3,
    "NB": 2,
    "NL": 1.5,
    "PE": 0.5,
    "YT": 0.3,
    "NT": 0.3,
    "NU": 0.3,
}
FIRST_LETTER = {
    "ON": "KLMNP",
    "QC": "GHJ",
    "BC": "V",
    "AB": "T",
    "MB": "R",
    "SK": "S",
    "NS": "B",
    "NB": "E",
    "NL": "A",
    "PE": "C",
    "YT": "Y",
    "NT": "X",
    "NU": "X",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participations", type=int, default=1_700_000)
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--sessions", type=int, default=30_000)
    parser.add_argument("--hubs", type=int, default=20)
    parser.add_argument("--programs", type=int, default=300)
    parser.add_argument("--certificates", type=int, default=60_000)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the database (to look into it)")
    args = parser.parse_args()
    given = os.environ.get("DATABASE_URL", "")
    if not given.startswith("postgres"):
        sys.exit("bench/reports.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    recreate(given)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="echohub.settings",
        DEBUG="",
        DATABASE_URL=server_url(given, DATABASE),
    )
    try:
        result = run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate(given, drop_only=True)
    print(json.dumps(result))


def run(args: argparse.Namespace) -> dict[str, object]:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.http.response import HttpResponseBase
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from echohub.accounts.models import User
    from echohub.certificates.models import Certificate
    from echohub.network.models import Hub, Spoke, StaffRole
    from echohub.programs.models import Program, Session
    from echohub.reports import aggregates

    settings.ALLOWED_HOSTS = ["testserver"]
    rng = random.Random(17)  # noqa: S311  # an invented network
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    now = timezone.now()

    hubs = Hub.objects.bulk_create(
        Hub(slug=f"hub-{n:02d}", name_en=f"Hub {n}", name_fr=f"Carrefour {n}", scope="provincial")
        for n in range(args.hubs)
    )
    spokes = Spoke.objects.bulk_create(
        Spoke(
            name=f"Team {n}",
            setting_id=rng.choice(["primary-care", "long-term-care", "home-care", "hospice"]),
            province_id=(province := rng.choices(list(PROVINCES), list(PROVINCES.values()))[0]),
            place=f"Place {n}",
            rurality=rng.choice(["urban", "rural"]),
        )
        for n in range(2000)
    )
    settings_codes = [
        "primary-care",
        "hospital",
        "palliative-unit",
        "long-term-care",
        "home-care",
        "hospice",
        "paramedicine",
        "cancer-centre",
    ]

    def postal(province: str) -> str:
        letter = rng.choice(FIRST_LETTER[province])
        digit = "0" if rng.random() < 0.31 else str(rng.randint(1, 9))
        third = rng.choice("ABCEGHJKLMNPRSTVWXYZ")
        return f"{letter}{digit}{third} {rng.randint(1, 9)}A{rng.randint(1, 9)}"

    people = []
    for n in range(args.people):
        province = rng.choices(list(PROVINCES), list(PROVINCES.values()))[0]
        people.append(
            User(
                email=f"p{n:06d}@example.invalid",
                name=f"Person {n}",
                password="!",  # noqa: S106  # no password: nobody logs in as them
                profession_id=rng.choices(list(PROFESSIONS), list(PROFESSIONS.values()))[0],
                practice_setting_id=rng.choice(settings_codes),
                province_id=province,
                spoke=rng.choice(spokes) if rng.random() < 0.4 else None,
                preferred_language="fr" if province == "QC" or rng.random() < 0.05 else "en",
                practice_postal_code=postal(province) if rng.random() < 0.85 else "",
            )
        )
    people = User.objects.bulk_create(people, batch_size=10_000)
    staff = User.objects.bulk_create(
        User(email=f"staff{n}@example.invalid", name=f"Staff {n}", password="!")  # noqa: S106
        for n in range(args.hubs * 5)
    )
    StaffRole.objects.bulk_create(
        StaffRole(hub=hubs[n // 5], person=person, role="coordinator" if n % 5 else "admin")
        for n, person in enumerate(staff)
    )
    national = User.objects.create_user("national@example.invalid", None, is_national_admin=True)
    coordinator = staff[1]
    programs = Program.objects.bulk_create(
        Program(
            hub=hubs[n % args.hubs],
            slug=f"program-{n:03d}",
            title_en=f"Program {n}",
            title_fr=f"Programme {n}",
            status="published",
            completion_percent=rng.choice([60, 80]),
        )
        for n in range(args.programs)
    )
    first_day = now - dt.timedelta(days=365 * 3.5)
    span = (now - first_day).total_seconds() - 86400
    sessions = Session.objects.bulk_create(
        (
            Session(
                program=programs[n % args.programs],
                title_en=f"Session {n}",
                title_fr=f"Séance {n}",
                starts_at=first_day + dt.timedelta(seconds=rng.random() * span),
                duration_minutes=60,
            )
            for n in range(args.sessions)
        ),
        batch_size=10_000,
    )
    log(f"{len(people)} people, {len(sessions)} sessions ({time.perf_counter() - started:.0f} s)")

    # Each program draws from its own pool of people, as in the field: many come back, and a
    # provincial hub's come mostly from its province (the first three hubs are national).
    by_province: dict[str, list[User]] = {}
    for person in people:
        by_province.setdefault(str(person.province_id), []).append(person)
    home = {
        hub.pk: None if n < 3 else rng.choices(list(PROVINCES), list(PROVINCES.values()))[0]
        for n, hub in enumerate(hubs)
    }
    pools = []
    for program in programs:
        size = min(4000, len(people))
        local = by_province.get(str(home[program.hub_id]), [])
        if local:
            inside = rng.sample(local, min(len(local), size * 85 // 100))
            mixed = {p.pk: p for p in inside + rng.sample(people, size)}  # no one twice
            pools.append(list(mixed.values())[:size])
        else:
            pools.append(rng.sample(people, size))
    per_session = args.participations // args.sessions
    extra = args.participations - per_session * args.sessions
    attendance = io.StringIO()
    registrations = io.StringIO()
    stamp = now.isoformat()
    written = 0
    hub_staff = {
        hub.pk: [p for p in staff if p.pk and staff.index(p) // 5 == i]
        for i, hub in enumerate(hubs)
    }
    for index, session in enumerate(sessions):
        program_index = index % args.programs
        count = per_session + (1 if index < extra else 0)
        came = rng.sample(pools[program_index], count)
        hub = programs[program_index].hub_id
        for position, person in enumerate(came):
            minutes = rng.randint(20, 60)
            if position == 0:  # the hub's own host
                host = rng.choice(hub_staff[hub])
                attendance.write(
                    f"{session.pk}\t{host.pk}\t\t\thost\treport\t[]\t0\t{minutes}\tt\t{minutes}"
                    f"\t{stamp}\t{stamp}\t\n"
                )
            elif position % 50 == 1:  # a walk-in without an account
                attendance.write(
                    f"{session.pk}\t\\N\tGuest {index}-{position}\t\tattendee\treport\t[]\t0"
                    f"\t{minutes}\tt\t{minutes}\t{stamp}\t{stamp}\t\n"
                )
            else:
                attendance.write(
                    f"{session.pk}\t{person.pk}\t\t\tattendee\treport\t[]\t0\t{minutes}\tt"
                    f"\t{minutes}\t{stamp}\t{stamp}\t\n"
                )
                if rng.random() < 0.8:
                    registrations.write(
                        f"{session.pk}\t{person.pk}\tconfirmed\t{stamp}\t{stamp}\t{stamp}\n"
                    )
            written += 1
        # A quarter as many again registered and did not come.
        present = {person.pk for person in came}
        for person in rng.sample(pools[program_index], count // 4):
            if person.pk not in present:
                registrations.write(
                    f"{session.pk}\t{person.pk}\tconfirmed\t{stamp}\t{stamp}\t{stamp}\n"
                )
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(
            "COPY attendance_attendance (session_id, person_id, walk_in_name, walk_in_email, role,"
            " source, intervals, stated_minutes, report_minutes, present, minutes, created_at,"
            " updated_at, adjusted_reason) FROM STDIN"
        ) as copy:
            copy.write(attendance.getvalue())
        with raw.copy(
            "COPY registration_registration (session_id, person_id, status, queued_at,"
            " created_at, updated_at) FROM STDIN"
        ) as copy:
            copy.write(registrations.getvalue())
    credits = [
        {
            "type": "mainpro",
            "label_en": "Mainpro+ certified",
            "label_fr": "Mainpro+ certifiés",
            "amount": "1.0",
        }
    ]
    Certificate.objects.bulk_create(
        (
            Certificate(
                person=pools[n % args.programs][n // args.programs % len(pools[0])],
                program=programs[n % args.programs],
                session=None,
                code=f"B{n:07d}",
                person_name="Person",
                credits=credits,
            )
            for n in range(args.certificates)
        ),
        batch_size=10_000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log(f"{written} participations written ({time.perf_counter() - started:.0f} s)")

    began = time.perf_counter()
    rows = aggregates.rebuild()
    rebuild_seconds = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM reports_tally")
        tallies = cursor.fetchone()[0]
    log(f"aggregates rebuilt in {rebuild_seconds:.0f} s: {rows} rows, {tallies} tally rows")

    nurses = {"profession": "registered-nurse", "province": "ON", "period": "fy2025"}
    hub = hubs[0]
    program = programs[0]
    pages = {
        "national": (national, reverse("reports:national"), {}),
        "national_nurses_ontario": (national, reverse("reports:national"), nurses),
        "hub": (coordinator, reverse("reports:hub", kwargs={"slug": hub.slug}), {}),
        "program_quarter": (
            coordinator,
            reverse("reports:program", kwargs={"slug": program.slug}),
            {"period": "2025q2"},
        ),
    }

    def timed(call: Callable[[], HttpResponseBase]) -> float:
        began = time.perf_counter()
        response = call()
        elapsed = (time.perf_counter() - began) * 1000
        if response.status_code != 200:
            sys.exit(f"unexpected status {response.status_code}")
        return elapsed

    measured: dict[str, dict[str, float]] = {}
    everything: list[float] = []
    for name, (user, url, query) in pages.items():
        client = Client()
        client.force_login(user)

        def get(client: Client = client, url: str = url, query: dict = query) -> Any:
            return client.get(url, query)

        for _warm in range(2):
            timed(get)
        queries: list[str] = []

        def count(run: Any, sql: str, *rest: Any, queries: list[str] = queries) -> Any:
            queries.append(sql)
            return run(sql, *rest)

        with connection.execute_wrapper(count):
            get()
        times = [timed(get) for _ in range(args.pages)]
        everything += times
        measured[name] = {
            "p50_ms": round(percentile(times, 50), 1),
            "p95_ms": round(percentile(times, 95), 1),
            "queries": len(queries),
        }
        log(f"{name}: {measured[name]}")
    floor = Client()
    healthz = [timed(lambda: floor.get("/healthz")) for _ in range(args.pages)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reports_participation WHERE kind <> 'no_show'")
        participations = cursor.fetchone()[0]
    return {
        "participations": participations,
        "p95_ms": round(max(page["p95_ms"] for page in measured.values()), 1),
        "queries": max(int(page["queries"]) for page in measured.values()),
        "rebuild_seconds": round(rebuild_seconds, 1),
        "pages": measured,
        "tally_rows": tallies,
        "healthz_p95_ms": round(percentile(healthz, 95), 2),
        "people": len(people),
        "sessions": len(sessions),
        "engine": connection.vendor,
    }


if __name__ == "__main__":
    main()
