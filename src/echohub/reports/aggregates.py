"""Keeping `Participation` and `Tally` equal to what the raw rows say.

`refresh_sessions` rewrites a few sessions' rows (after attendance is saved),
`refresh_people` a few people's (after their profile changes), and `rebuild`
everything; each then rewrites the tally of every hub and month it touched. All
three take the lock of the one `Freshness` row first, so they never interleave.

A session has participation rows once any attendance of it is recorded: its
present people and walk-ins, and its confirmed registrants who did not come
(no-shows). A session without attendance counts as held but has no rows: its
registrants are not no-shows until someone records who came.
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from echohub.accounts.models import User
from echohub.attendance.models import Attendance
from echohub.network.models import StaffRole
from echohub.programs.models import Session
from echohub.reference.postal import is_rural
from echohub.registration.models import Registration
from echohub.reports import classify
from echohub.reports.models import (
    FLAGS,
    PRESENT_KINDS,
    Cycle,
    Freshness,
    Kind,
    Participation,
    Tally,
)
from echohub.reports.periods import fiscal_year, month_of, network_day, quarter_start

log = logging.getLogger(__name__)

# The profile fields a row copies; `rural` comes from the practice postal code.
PERSON_FIELDS = ("profession_id", "practice_setting_id", "province_id", "spoke_id")
BATCH = 5000
SESSION_CHUNK = 500


@dataclass(slots=True)
class Row:
    """A participation row before it is written (tuples of these are cheap at 1.7 million)."""

    session_id: int
    program_id: int
    hub_id: int
    person_id: int | None
    day: dt.date
    kind: str
    minutes: int
    profile: tuple[Any, ...]  # PERSON_FIELDS, then language, then rural
    flags: list[bool] = field(default_factory=lambda: [False] * len(FLAGS))

    def values(self) -> tuple[Any, ...]:
        """The row's columns, in the order of INSERT_COLUMNS."""
        profession, setting, province, spoke, language, rural = self.profile
        return (
            self.session_id,
            self.program_id,
            self.hub_id,
            self.person_id,
            self.day,
            month_of(self.day),
            self.kind,
            self.minutes,
            profession,
            setting,
            province,
            spoke,
            language,
            rural,
            *(int(flag) for flag in self.flags),
        )


INSERT_COLUMNS = (
    "session_id",
    "program_id",
    "hub_id",
    "person_id",
    "day",
    "month",
    "kind",
    "minutes",
    "profession_id",
    "setting_id",
    "province_id",
    "spoke_id",
    "language",
    "rural",
    *FLAGS,
)


def _insert(rows: list[Row]) -> None:
    """Write participation rows: with COPY on PostgreSQL, one prepared INSERT run many times
    on SQLite. A rebuild writes millions, and a model instance for each would take most of
    its time."""
    table = connection.ops.quote_name(Participation._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in INSERT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row.values())
            return
        marks = ", ".join(["%s"] * len(INSERT_COLUMNS))
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608  # our own names
                [row.values() for row in rows[start : start + BATCH]],
            )


WALK_IN_PROFILE = (None, None, None, None, "", None)


def _profiles(person_ids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    """Each person's profile as rows copy it, read a few thousand at a time (SQLite takes
    at most 32,766 parameters in a query)."""
    ids = sorted(set(person_ids))
    found = {}
    for start in range(0, len(ids), BATCH):
        for pk, *fields, language, postal in User.objects.filter(
            pk__in=ids[start : start + BATCH]
        ).values_list("pk", *PERSON_FIELDS, "preferred_language", "practice_postal_code"):
            found[pk] = (*fields, language, is_rural(postal))
    return found


def staff_roles() -> set[tuple[int, int]]:
    """(hub, person) of every role: hub staff count apart at their hub's sessions."""
    return set(StaffRole.objects.values_list("hub_id", "person_id"))


def rows_of(
    sessions: list[tuple[int, int, int, dt.datetime]], staff: set[tuple[int, int]]
) -> list[Row]:
    """The rows of these sessions (id, program, hub, start), flags not set yet: the
    aggregates write them, and the attendance pages count them live (`figures.live`)."""
    by_id = {pk: (program, hub, network_day(starts)) for pk, program, hub, starts in sessions}
    present: dict[int, list[tuple[int | None, int]]] = defaultdict(list)
    recorded = set()
    for session_id, person_id, minutes, is_present in Attendance.objects.filter(
        session_id__in=by_id
    ).values_list("session_id", "person_id", "minutes", "present"):
        recorded.add(session_id)
        if is_present:
            present[session_id].append((person_id, minutes))
    confirmed: dict[int, set[int]] = defaultdict(set)
    for session_id, person_id in Registration.objects.filter(
        session_id__in=recorded, status=Registration.Status.CONFIRMED
    ).values_list("session_id", "person_id"):
        confirmed[session_id].add(person_id)
    people = {p for rows in present.values() for p, _m in rows if p is not None}
    people.update(p for ids in confirmed.values() for p in ids)
    profiles = _profiles(people)
    rows = []
    for session_id in recorded:
        program_id, hub_id, day = by_id[session_id]
        came: set[int | None] = set()
        for who, minutes in present[session_id]:
            part = classify.kind(
                has_account=who is not None,
                confirmed=who in confirmed[session_id],
                staff=(hub_id, who) in staff,
                present=True,
            )
            came.add(who)
            profile = WALK_IN_PROFILE if who is None else profiles[who]
            rows.append(Row(session_id, program_id, hub_id, who, day, part, minutes, profile))
        for absent in confirmed[session_id] - came:
            rows.append(
                Row(
                    session_id,
                    program_id,
                    hub_id,
                    absent,
                    day,
                    Kind.NO_SHOW,
                    0,
                    profiles[absent],
                )
            )
    return rows


def _flag(rows: list[Row]) -> None:
    """Set each present row's first-participation flags; `rows` are one person's, sorted by
    day and session. A walk-in (no account) is always new: walk-ins cannot be told apart."""
    seen: set[tuple[Any, ...]] = set()
    for row in rows:
        if row.kind == Kind.NO_SHOW:
            row.flags = [False] * len(FLAGS)
            continue
        grains = (
            ("month", month_of(row.day)),
            ("quarter", quarter_start(row.day)),
            ("year", fiscal_year(row.day)),
            ("ever", None),
        )
        keys = [(grain, value, row.hub_id) for grain, value in grains] + [
            (grain, value, None) for grain, value in grains
        ]
        row.flags = [row.person_id is None or key not in seen for key in keys]
        if row.person_id is not None:
            seen.update(keys)


def _order(row: Row) -> tuple[Any, ...]:
    return (row.day, row.session_id)


def _by_person(rows: Iterable[Row]) -> Iterator[list[Row]]:
    grouped: dict[int | None, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row.person_id].append(row)
    for person_id, its_rows in grouped.items():
        if person_id is None:
            for row in its_rows:
                yield [row]
        else:
            yield sorted(its_rows, key=_order)


def _lock() -> Freshness:
    Freshness.objects.get_or_create(pk=1)
    return Freshness.objects.select_for_update().get(pk=1)


def _tally(buckets: set[tuple[int, dt.date]]) -> None:
    """Rewrite the tally of these (hub, month) buckets from their participation rows."""
    months_of: dict[int, set[dt.date]] = defaultdict(set)
    for hub_id, month in buckets:
        months_of[hub_id].add(month)
    for hub_id, months in months_of.items():
        Tally.objects.filter(hub_id=hub_id, month__in=months).delete()
        marks = ", ".join(["%s"] * len(months))
        days = [connection.ops.adapt_datefield_value(month) for month in sorted(months)]
        _write_tally(f"hub_id = %s AND month IN ({marks})", [hub_id, *days])


# Each tally's breakdown value, as text, from a participation row's column.
BREAKDOWN_VALUES = {
    "": "''",
    "setting": "COALESCE(setting_id, '')",
    "language": "language",
    "rural": "CASE WHEN rural THEN 'rural' WHEN NOT rural THEN 'urban' ELSE '' END",
    "profession": "COALESCE(profession_id, '')",
    "province": "COALESCE(province_id, '')",
}


def _write_tally(where: str = "", params: Sequence[Any] = ()) -> None:
    """Sum the participation rows (those matching `where`, an SQL condition) into tallies:
    by hub, month, profession and province, then by those and each breakdown in turn;
    then the coarse ones, by hub and month alone and by each breakdown. One INSERT …
    SELECT per kind of tally, the same on SQLite and PostgreSQL."""
    parts = ", ".join(f"SUM(CASE WHEN kind = '{part}' THEN 1 ELSE 0 END)" for part in TALLY_PARTS)
    flags = ", ".join(f"SUM({flag})" for flag in FLAGS)
    columns = (
        "coarse, hub_id, month, profession_id, province_id, dim, value, participations, "
        + ", ".join(TALLY_PARTS.values())
        + ", minutes, "
        + ", ".join(FLAGS)
    )
    participation = connection.ops.quote_name(Participation._meta.db_table)
    tally = connection.ops.quote_name(Tally._meta.db_table)
    kinds = [(False, dim) for dim in Tally.DIMS] + [(True, dim) for dim in Tally.COARSE_DIMS]
    with connection.cursor() as cursor:
        for coarse, dim in kinds:
            value = BREAKDOWN_VALUES[dim]
            key = "hub_id, month" if coarse else "hub_id, month, profession_id, province_id"
            filters = "NULL, NULL" if coarse else "profession_id, province_id"
            cursor.execute(
                f"INSERT INTO {tally} ({columns}) "  # noqa: S608  # our own names and constants
                f"SELECT %s, hub_id, month, {filters}, '{dim}', {value}, "
                f"SUM(CASE WHEN kind = 'no_show' THEN 0 ELSE 1 END), {parts}, "
                f"SUM(minutes), {flags} "
                f"FROM {participation} {'WHERE ' + where if where else ''} "
                f"GROUP BY {key}{', ' + value if dim else ''}",
                [coarse, *params],
            )


# The tally's column for each part of attendance.
TALLY_PARTS = {
    Kind.REGISTERED.value: "registered",
    Kind.UNREGISTERED.value: "unregistered",
    Kind.WALK_IN.value: "walk_in",
    Kind.STAFF.value: "staff",
    Kind.NO_SHOW.value: "no_show",
}


def _cycles(program_ids: set[int] | None) -> None:
    """Rewrite the retention rows of these programs (all of them for None)."""
    rows = Participation.objects.filter(kind__in=PRESENT_KINDS).exclude(person=None)
    cycles = Cycle.objects.all()
    if program_ids is not None:
        rows = rows.filter(program_id__in=program_ids)
        cycles = cycles.filter(program_id__in=program_ids)
    cycles.delete()
    spans: dict[int, tuple[Any, ...]] = {}
    # A program's held sessions are those with attendance recorded.
    for program, hub, percent, first, last, held in (
        rows.order_by()
        .values("program_id", "hub_id", "program__completion_percent")
        .annotate(first=Min("month"), last=Max("month"), held=Count("session_id", distinct=True))
        .values_list("program_id", "hub_id", "program__completion_percent", "first", "last", "held")
    ):
        spans[program] = (hub, first, last, held, percent)
    counts: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
    for program, profession, province, attended in (
        rows.order_by()
        .values("program_id", "person_id", "profession_id", "province_id")
        .annotate(n=Count("pk"))
        .values_list("program_id", "profession_id", "province_id", "n")
    ):
        hub, first, last, held, percent = spans[program]
        key = (program, hub, first, last, profession, province)
        counts[key][0] += 1
        counts[key][1] += attended * 100 >= held * percent
    Cycle.objects.bulk_create(
        [
            Cycle(
                program_id=program,
                hub_id=hub,
                first_month=first,
                last_month=last,
                profession_id=profession,
                province_id=province,
                participants=participants,
                completers=completers,
            )
            for (program, hub, first, last, profession, province), (
                participants,
                completers,
            ) in counts.items()
        ],
        batch_size=BATCH,
    )


def _sessions(where: Q) -> list[tuple[int, int, int, dt.datetime]]:
    return list(
        Session.objects.filter(where).values_list(
            "pk", "program_id", "program__hub_id", "starts_at"
        )
    )


@transaction.atomic
def refresh_sessions(session_ids: Iterable[int]) -> None:
    """Rewrite these sessions' rows, their people's flags, and the tallies they touch."""
    ids = set(session_ids)
    freshness = _lock()
    old = Participation.objects.filter(session_id__in=ids)
    buckets = set(old.values_list("hub_id", "month"))
    people = set(old.exclude(person=None).values_list("person_id", flat=True))
    old.delete()
    sessions = _sessions(Q(pk__in=ids))
    new = rows_of(sessions, staff_roles())
    people.update(row.person_id for row in new if row.person_id is not None)
    buckets.update((row.hub_id, month_of(row.day)) for row in new)
    buckets |= _reflag(people, new)
    _insert(new)
    _tally(buckets)
    _cycles({program for _pk, program, _hub, _starts in sessions})
    freshness.refreshed_at = timezone.now()
    freshness.save(update_fields=["refreshed_at"])
    log.info("report aggregates refreshed for %s sessions", len(ids))


def _reflag(people: set[int], new: list[Row]) -> set[tuple[int, dt.date]]:
    """Flag the new rows with the people's other rows, update those whose flags changed and
    return their buckets."""
    existing = {}
    kept: list[Row] = []
    for pk, session_id, hub_id, person_id, day, part, *flags in Participation.objects.filter(
        person_id__in=people
    ).values_list("pk", "session_id", "hub_id", "person_id", "day", "kind", *FLAGS):
        row = Row(session_id, 0, hub_id, person_id, day, part, 0, (), list(flags))
        existing[id(row)] = (pk, list(flags))
        kept.append(row)
    for rows in _by_person(kept + [row for row in new if row.person_id is not None]):
        _flag(rows)
    for row in new:
        if row.person_id is None:
            _flag([row])
    changed = []
    buckets = set()
    for row in kept:
        pk, before = existing[id(row)]
        if row.flags != before:
            changed.append(Participation(pk=pk, **dict(zip(FLAGS, row.flags, strict=True))))
            buckets.add((row.hub_id, month_of(row.day)))
    Participation.objects.bulk_update(changed, FLAGS, batch_size=BATCH)
    return buckets


@transaction.atomic
def refresh_people(person_ids: Iterable[int]) -> None:
    """Copy these people's profiles again into their rows (a profile changed)."""
    ids = set(person_ids)
    freshness = _lock()
    buckets: set[tuple[int, dt.date]] = set()
    for person_id, profile in _profiles(ids).items():
        profession, setting, province, spoke, language, rural = profile
        rows = Participation.objects.filter(person_id=person_id)
        buckets.update(rows.values_list("hub_id", "month"))
        rows.update(
            profession_id=profession,
            setting_id=setting,
            province_id=province,
            spoke_id=spoke,
            language=language,
            rural=rural,
        )
    _tally(buckets)
    _cycles(
        set(Participation.objects.filter(person_id__in=ids).values_list("program_id", flat=True))
    )
    freshness.refreshed_at = timezone.now()
    freshness.save(update_fields=["refreshed_at"])


@transaction.atomic
def rebuild() -> int:
    """Every row and every tally again from attendance, registrations and profiles."""
    freshness = _lock()
    Cycle.objects.all().delete()
    Tally.objects.all().delete()
    Participation.objects.all().delete()
    staff = staff_roles()
    ids = list(Attendance.objects.order_by().values_list("session_id", flat=True).distinct())
    rows: list[Row] = []
    for start in range(0, len(ids), SESSION_CHUNK):
        rows.extend(rows_of(_sessions(Q(pk__in=ids[start : start + SESSION_CHUNK])), staff))
    for person_rows in _by_person(rows):
        _flag(person_rows)
    _insert(rows)
    _write_tally()
    _cycles(None)
    now = timezone.now()
    freshness.refreshed_at = freshness.rebuilt_at = now
    freshness.save(update_fields=["refreshed_at", "rebuilt_at"])
    log.info("report aggregates rebuilt: %s participation rows", len(rows))
    return len(rows)


__all__ = ["PRESENT_KINDS", "rebuild", "refresh_people", "refresh_sessions"]
