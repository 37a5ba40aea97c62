"""Attendance benchmark: a 10,000-row Zoom report for 3,000 people against 3,000 registrants.

It writes a Zoom participants report ("Name (Original Name),User Email,Join Time,…")
of 10,000 join/leave rows: 3,000 people, most of them joining two to five times
(rejoins, second devices), their display names as people type them (plain, "Last,
First", "iPhone (First Last)", lower case) and an email for seven in ten. It
registers the same 3,000 people (names and emails as their accounts have them) for
one session, then measures in the same run:

- parse_only_seconds: `echohub.attendance.parse_report(data)` alone;
- seconds: the whole import, `preview_import` (parse, match against the
  registrants, keep the preview) then `apply_import` with the suggested decisions
  (one transaction writing every attendance record);
- preview_seconds, apply_seconds: each step alone, and preview_peak_mb,
  apply_peak_mb: the process's peak resident memory during each (Linux: the
  peak is reset before each step through /proc/self/clear_refs; null elsewhere).

    .venv/bin/python bench/attendance.py [--people 3000] [--rows 10000]

Without DATABASE_URL it uses a fresh SQLite file in a temporary directory (removed
at the end); with one, it creates its rows under slugs and emails "attbench-" and
deletes them before and after. The last line on stdout is one JSON object.
"""

import argparse
import datetime as dt
import json
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

from common import log

PREFIX = "attbench-"
FIRST = [
    "Amélie",
    "Brian",
    "Priya",
    "Chidi",
    "Fatima",
    "Erik",
    "Marie",
    "Jean",
    "Aroha",
    "Wei",
    "Sofia",
    "Noah",
    "Léa",
    "Mohamed",
    "Anika",
    "Jacob",
    "Zoë",
    "Luc",
    "Nadia",
    "Omar",
    "Hana",
    "Kai",
    "Inès",
    "Ravi",
    "Sara",
    "Tomás",
    "Yuki",
    "Émile",
    "Grace",
    "Idris",
]
LAST = [
    "Tremblay",
    "Okafor",
    "Haddad",
    "Larsen",
    "Gagnon",
    "Roy",
    "Côté",
    "Bouchard",
    "Gauthier",
    "Morin",
    "Lavoie",
    "Fortin",
    "Gagné",
    "Ouellet",
    "Pelletier",
    "Bélanger",
    "Lévesque",
    "Bergeron",
    "Leblanc",
    "Paquette",
    "Girard",
    "Simard",
    "Boucher",
    "Caron",
    "Beaulieu",
    "Cloutier",
    "Dubé",
    "Poirier",
    "Fournier",
    "Lapointe",
    "Smith",
    "Brown",
    "Wilson",
    "Taylor",
    "Campbell",
    "Anderson",
    "Patel",
    "Singh",
    "Nguyen",
    "Chen",
    "Wong",
    "Kim",
    "Martin",
    "Thompson",
    "White",
]


def people(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """Distinct names: first and last, then double-barrelled last names (as in Quebec)."""
    names = [f"{first} {last}" for first in FIRST for last in LAST]
    names += [f"{first} {a}-{b}" for first in FIRST for a in LAST for b in LAST if a != b]
    rng.shuffle(names)
    return [(name, f"{PREFIX}{i:05d}@example.invalid") for i, name in enumerate(names[:count])]


def display(name: str, rng: random.Random) -> str:
    first, last = name.split(" ", 1)
    return rng.choice([name, name, f"{last}, {first}", f"iPhone ({name})", name.lower()])


def report(
    persons: list[tuple[str, str]], rows: int, start: dt.datetime, rng: random.Random
) -> bytes:
    """One row per join; every person at least once, the rest as rejoins."""
    joins = [1] * len(persons)
    for _ in range(rows - len(persons)):
        joins[rng.randrange(len(persons))] += 1
    lines = ["Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest"]
    stamp = "%m/%d/%Y %I:%M:%S %p"
    for (name, email), count in zip(persons, joins, strict=True):
        shown = display(name, rng)
        address = email if rng.random() < 0.7 else ""
        for _ in range(count):
            joined = start + dt.timedelta(minutes=rng.randrange(-5, 80))
            left = joined + dt.timedelta(minutes=rng.randrange(1, 40), seconds=rng.randrange(60))
            minutes = round((left - joined).total_seconds() / 60)
            quoted = f'"{shown}"' if "," in shown else shown
            lines.append(
                f"{quoted},{address},{joined.strftime(stamp)},{left.strftime(stamp)},{minutes},No"
            )
    return ("\n".join(lines) + "\n").encode()


def _peak_mb() -> float | None:
    """The peak resident memory since the last reset, in MB (Linux only)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--rows", type=int, default=10000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="echohub-attbench-"))
    os.environ.update(ECHOHUB_DATA_DIR=str(tmp), DJANGO_SETTINGS_MODULE="echohub.settings")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    from echohub.accounts.models import User
    from echohub.attendance import parse_report, services
    from echohub.attendance.models import Attendance, AttendanceImport
    from echohub.network.models import Hub
    from echohub.programs.models import Program, Session
    from echohub.registration.models import Registration

    def clean() -> None:
        Attendance.objects.filter(session__program__slug__startswith=PREFIX).delete()
        AttendanceImport.objects.filter(session__program__slug__startswith=PREFIX).delete()
        Program.objects.filter(slug__startswith=PREFIX).delete()
        Hub.objects.filter(slug__startswith=PREFIX).delete()
        User.objects.filter(email__startswith=PREFIX).delete()

    try:
        call_command("migrate", verbosity=0)
        clean()
        rng = random.Random(2026)  # noqa: S311  (benchmark data, not secrets)
        persons = people(args.people, rng)
        hub = Hub.objects.create(slug=f"{PREFIX}hub", name_en="Bench", scope="national")
        program = Program.objects.create(
            hub=hub, slug=f"{PREFIX}program", title_en="Bench", status="published"
        )
        starts = dt.datetime(2026, 3, 5, 13, 0, tzinfo=dt.UTC)
        session = Session.objects.create(
            program=program, title_en="Bench", starts_at=starts, duration_minutes=90
        )
        unusable = make_password(None)
        users = User.objects.bulk_create(
            User(email=email, name=name, password=unusable) for name, email in persons
        )
        Registration.objects.bulk_create(
            Registration(session=session, person=user, status="confirmed") for user in users
        )
        by = users[0]
        data = report(persons, args.rows, starts.replace(tzinfo=None), rng)
        log(f"{connection.vendor}: report of {args.rows} rows, {len(data) / 1e6:.1f} MB")

        started = time.perf_counter()
        parsed = parse_report(data)
        parse_only = time.perf_counter() - started
        log(f"  parse only: {parse_only:.2f} s, {len(parsed.attendees)} people")

        _reset_peak()
        started = time.perf_counter()
        upload = services.preview_import(
            session, data, filename="bench.csv", by=by, report_zone="UTC"
        )
        preview_seconds = time.perf_counter() - started
        preview_peak = _peak_mb()
        decisions = services.suggested_decisions(upload)
        matched = sum(1 for row in upload.people if row["status"] == "matched")
        for index in range(len(upload.people)):
            decisions.setdefault(index, services.IGNORE)
        _reset_peak()
        applying = time.perf_counter()
        changed = services.apply_import(upload, decisions, by=by)
        apply_seconds = time.perf_counter() - applying
        apply_peak = _peak_mb()
        seconds = time.perf_counter() - started
        log(f"  whole import: {seconds:.2f} s, {matched} matched, {changed} records written")
        right = sum(
            1
            for row in upload.people
            if row["status"] == "matched"
            and User.objects.filter(pk=row["person"], email__startswith=PREFIX).exists()
        )
        result = {
            "rows": args.rows,
            "seconds": round(seconds, 2),
            "matched": matched,
            "parse_only_seconds": round(parse_only, 2),
            "preview_seconds": round(preview_seconds, 2),
            "apply_seconds": round(apply_seconds, 2),
            "preview_peak_mb": preview_peak,
            "apply_peak_mb": apply_peak,
            "people": len(parsed.attendees),
            "ambiguous": sum(1 for row in upload.people if row["status"] == "ambiguous"),
            "unmatched": sum(1 for row in upload.people if row["status"] == "unmatched"),
            "written": changed,
            "matched_to_a_registrant": right,
            "engine": connection.vendor,
        }
    finally:
        if "clean" in locals():
            clean()
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
