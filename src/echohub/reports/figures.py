"""Every reach figure, defined once. Pages, exports and the funder report read them here.

Definitions (a "participation" is a person attending a session):

- **sessions held**: sessions in the period, not cancelled, that have begun.
- **participations**: present rows: registered and attended + attended without
  registering + walk-ins without an account + hub staff (`classify`).
- **unique participants**: people with an account counted once however often they
  came, plus each walk-in (walk-ins cannot be told apart). A person counts once in
  each hub they attended: a hub's figure counts them there, the network once.
- **new participants**: those whose first participation (in the hub, or in the
  network) falls in the period; **returning** = unique minus new.
- **hours of learning**: attended minutes of every participation, in hours.
- **registered**: confirmed registrations of sessions with attendance recorded;
  **no-shows** = registered who did not attend; **attendance rate** = registered
  and attended ÷ registered.
- **retention**: of the people who attended a program, the share who attended at
  least its completion rule (`completion_percent`) of its sessions with attendance,
  over the programs with a session in the period.
- **rural**: the practice postal code's forward sortation area has 0 as its second
  character (`reference.postal.is_rural`); unknown without a postal code.
- **certificates** issued in the period and not revoked, and their **credits by type**;
  **cases presented**: accepted cases of sessions held in the period;
  **library use**: views of recordings and other resources in the period.

Breakdowns of people below MIN_CELL show "fewer than 5" wherever `suppress` is set
(everywhere except a hub's own staff reading their own hub).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from echohub.bilingual import active_lang
from echohub.cases.models import Case
from echohub.certificates.models import Certificate
from echohub.library.models import Resource
from echohub.library.services import views_by_kind
from echohub.network.models import Hub, Spoke
from echohub.programs.models import Group, Program, Session
from echohub.reference.models import PracticeSetting, Profession, Province
from echohub.reports import aggregates
from echohub.reports.aggregates import TALLY_PARTS
from echohub.reports.models import PRESENT_KINDS, Cycle, Freshness, Kind, Participation, Tally
from echohub.reports.periods import (
    ALL_TIME,
    Period,
    add_months,
    fiscal_label,
    fiscal_quarter,
    fiscal_year,
    quarter_start,
)

MIN_CELL = 5


@dataclass(frozen=True)
class Scope:
    """What a page counts: a period and, optionally, one hub, program, profession, province."""

    period: Period = ALL_TIME
    hub: Hub | None = None
    program: Program | None = None
    profession: Profession | None = None
    province: Province | None = None
    # What a page has read once and several figures fold (see `_base`); not part of the scope.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def people_scope(self) -> str:
        """Whose first participations make unique people: the hub's, or the network's."""
        return "hub" if self.hub or self.program else "net"

    def _where(self) -> Q:
        where = Q()
        if self.hub:
            where &= Q(hub=self.hub)
        if self.profession:
            where &= Q(profession=self.profession)
        if self.province:
            where &= Q(province=self.province)
        if self.period.start:
            where &= Q(month__gte=self.period.start)
        if self.period.end:
            where &= Q(month__lt=self.period.end)
        return where

    def participations(self) -> QuerySet[Participation]:
        rows = Participation.objects.filter(self._where())
        return rows.filter(program=self.program) if self.program else rows

    @property
    def coarse(self) -> bool:
        """Unfiltered by profession and province: the coarse tallies answer."""
        return self.profession is None and self.province is None

    def tallies(self) -> QuerySet[Tally]:
        """The tallies of the scope's hub (tallies hold no program: see `from_tally`)."""
        return Tally.objects.filter(self._where(), coarse=self.coarse)

    @property
    def from_tally(self) -> bool:
        """Tallies answer unless a program is chosen or the period fits no flag's grain."""
        return self.program is None and self.period.grain != "range"

    def programs(self) -> QuerySet[Program]:
        if self.program:
            return Program.objects.filter(pk=self.program.pk)
        if self.hub:
            return Program.objects.filter(hub=self.hub)
        return Program.objects.all()

    def sessions(self) -> QuerySet[Session]:
        return Session.objects.filter(
            self.period.moments("starts_at"),
            program__in=self.programs(),
            starts_at__lte=timezone.now(),
        ).exclude(status=Session.Status.CANCELLED)

    def query(self, **extra: Any) -> dict[str, str]:
        """The filter as query string values, for links and forms."""
        found = {"period": self.period.key}
        if self.hub:
            found["hub"] = self.hub.slug
        if self.program:
            found["program"] = self.program.slug
        if self.profession:
            found["profession"] = self.profession.code
        if self.province:
            found["province"] = self.province.code
        found.update(extra)
        return found


@dataclass
class Counts:
    """Participations and people of a scope or of one cell of a breakdown."""

    participations: int = 0
    people: int = 0
    minutes: int = 0
    new: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    hidden: bool = False

    @property
    def hours(self) -> float:
        return self.minutes / 60

    @property
    def returning(self) -> int:
        return self.people - self.new

    @property
    def registered(self) -> int:
        return self.by_kind.get(Kind.REGISTERED, 0) + self.by_kind.get(Kind.NO_SHOW, 0)

    @property
    def registered_attended(self) -> int:
        return self.by_kind.get(Kind.REGISTERED, 0)

    @property
    def no_shows(self) -> int:
        return self.by_kind.get(Kind.NO_SHOW, 0)

    @property
    def walk_ins(self) -> int:
        return self.by_kind.get(Kind.WALK_IN, 0)

    @property
    def staff(self) -> int:
        return self.by_kind.get(Kind.STAFF, 0)

    @property
    def unregistered(self) -> int:
        return self.by_kind.get(Kind.UNREGISTERED, 0)

    @property
    def attendance_rate(self) -> float | None:
        return self.registered_attended / self.registered if self.registered else None

    # The names the attendance pages know these by.
    @property
    def attended(self) -> int:
        return self.participations

    @property
    def rate(self) -> float | None:
        return self.attendance_rate

    @property
    def average_minutes(self) -> float:
        return round(self.minutes / self.participations, 1) if self.participations else 0.0


def _flag(scope: Scope, grain: str | None = None, *, hub_scope: bool = False) -> str:
    which = "hub" if hub_scope or scope.people_scope == "hub" else "net"
    return f"new_{grain or scope.period.grain}_{which}"


BASE_KEY = ("hub_id", "profession_id", "province_id")


def _base(scope: Scope) -> list[dict[str, Any]]:
    """The scope's tallies without a breakdown, summed by hub, profession and province with
    both the hub's and the network's flags: one read that the headline and the hub,
    profession and province breakdowns all fold (a few thousand rows at most)."""
    if "base" not in scope.memo:
        grain = scope.period.grain
        flags = {f"new_{g}_{w}" for g in (grain, "ever") for w in ("hub", "net")}
        sums = {
            "n": Sum("participations"),
            "m": Sum("minutes"),
            **{column: Sum(column) for column in TALLY_PARTS.values()},
            **{flag: Sum(flag) for flag in flags},
        }
        scope.memo["base"] = list(
            scope.tallies().filter(dim="").order_by().values(*BASE_KEY).annotate(**sums)
        )
    return scope.memo["base"]


def _add(counts: Counts, row: dict[str, Any], people_flag: str, new_flag: str) -> None:
    counts.participations += row["n"] or 0
    counts.minutes += row["m"] or 0
    counts.people += row[people_flag] or 0
    counts.new += row[new_flag] or 0
    for part, column in TALLY_PARTS.items():
        if row[column]:
            counts.by_kind[Kind(part)] = counts.by_kind.get(Kind(part), 0) + row[column]


def _counts_from_tally(
    rows: QuerySet[Tally], scope: Scope, by: str | None, *, hub_scope: bool = False
) -> dict[Any, Counts]:
    """Sum the tallies of the scope, grouped by `by`: a column of every tally (hub,
    profession, province), or a breakdown whose own tallies hold it as `value`."""
    people_flag = _flag(scope, hub_scope=hub_scope)
    new_flag = _flag(scope, "ever", hub_scope=hub_scope)
    found: dict[Any, Counts] = defaultdict(Counts)
    # Coarse tallies hold professions and provinces as breakdowns of their own.
    if by is None or by == "hub" or (f"{by}_id" in BASE_KEY and not scope.coarse):
        for row in _base(scope):
            _add(found[row[f"{by}_id"] if by else None], row, people_flag, new_flag)
        return found
    sums = {
        "n": Sum("participations"),
        "m": Sum("minutes"),
        people_flag: Sum(people_flag),
        new_flag: Sum(new_flag),
        **{column: Sum(column) for column in TALLY_PARTS.values()},
    }
    for row in rows.filter(dim=by).order_by().values("value").annotate(**sums):
        key = row["value"]
        if by == "rural":
            key = {"rural": True, "urban": False, "": None}[key]
        elif by in ("setting", "profession", "province"):
            key = key or None
        _add(found[key], row, people_flag, new_flag)
    return found


def _counts_from_rows(
    rows: QuerySet[Participation], scope: Scope, by: str | None
) -> dict[Any, Counts]:
    """The same counts from participation rows (a program, or a range no flag fits)."""
    fields = [by] if by else []
    new_flag = _flag(scope, "ever")
    found: dict[Any, Counts] = defaultdict(Counts)
    for row in rows.order_by().values(*fields, "kind").annotate(n=Count("pk"), m=Sum("minutes")):
        counts = found[row[by] if by else None]
        counts.by_kind[row["kind"]] = row["n"]
        if row["kind"] != Kind.NO_SHOW:
            counts.participations += row["n"]
            counts.minutes += row["m"] or 0
    present = rows.filter(kind__in=PRESENT_KINDS).order_by()
    measures = {
        "accounts": Count("person", distinct=True),
        "walk_ins": Count("pk", filter=Q(kind=Kind.WALK_IN)),
        "new": Sum(new_flag),
    }
    people = present.values(by).annotate(**measures) if by else [present.aggregate(**measures)]
    for row in people:
        counts = found[row[by] if by else None]
        counts.people = (row["accounts"] or 0) + (row["walk_ins"] or 0)
        counts.new = row["new"] or 0
    return found


def counts(scope: Scope, by: str | None = None, *, hub_scope: bool = False) -> dict[Any, Counts]:
    """Counts of the scope, or of each value of `by` (a Tally/Participation field); people
    by the hubs' flags (`hub_scope`: in a breakdown by hub) or the scope's own."""
    if scope.from_tally:
        return _counts_from_tally(scope.tallies(), scope, by, hub_scope=hub_scope)
    return _counts_from_rows(scope.participations(), scope, by)


# --- Breakdowns -------------------------------------------------------------------------------


@dataclass
class Cell:
    key: str
    label: str
    counts: Counts
    link: str = ""  # the report behind the cell, for a hub or a program

    @property
    def hidden(self) -> bool:
        return self.counts.hidden


@dataclass
class Breakdown:
    name: str  # a stable key: "professions", "provinces", …
    title: str
    cells: list[Cell]

    @property
    def shown(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.counts.participations]


def _hide(found: dict[Any, Counts], suppress: bool) -> None:
    """Hide each cell of 1 to 4 people; and when that hides only one, the smallest other
    too, or the total shown beside them would give the hidden one away."""
    if not suppress:
        return
    cells = [cell for cell in found.values() if cell.participations]
    for cell in cells:
        cell.hidden = cell.people < MIN_CELL
    if sum(cell.hidden for cell in cells) == 1:
        shown = [cell for cell in cells if not cell.hidden]
        if shown:
            min(shown, key=lambda cell: (cell.people, cell.participations)).hidden = True


def _named(model: Any, ids: Iterable[Any]) -> dict[Any, Any]:
    return {obj.pk: obj for obj in model.objects.filter(pk__in=[i for i in ids if i is not None])}


UNKNOWN = gettext_lazy("Not given")


FOLDED = {"spokes": 25, "programs": 25}


def breakdown(scope: Scope, name: str, *, suppress: bool, whole: bool = False) -> Breakdown:
    """One breakdown of the scope's participations and people (one or two queries).

    Spokes and programs beyond the 25 with most participations are added up in one
    "others" line (people are in one spoke each, so they add up too) unless `whole`
    is asked for, as the downloads do."""
    field_of = {
        "professions": "profession",
        "settings": "setting",
        "provinces": "province",
        "rurality": "rural",
        "languages": "language",
        "hubs": "hub",
        "spokes": "spoke",
        "programs": "program",
        "groups": "session__group",  # a program's groups: its sessions say which
    }
    by = field_of[name]
    if name in ("programs", "spokes", "groups"):
        # Read from one hub's (or program's) participation rows: not kept in tallies.
        found = _counts_from_rows(scope.participations(), scope, by)
    else:
        found = counts(scope, by, hub_scope=(name == "hubs"))
    _hide(found, suppress)
    models = {
        "profession": Profession,
        "setting": PracticeSetting,
        "province": Province,
        "hub": Hub,
        "spoke": Spoke,
        "program": Program,
        "session__group": Group,
    }
    cells = []
    if by in models:
        named = _named(models[by], found)
        order = sorted(named.values(), key=_sort_key(by))
        for obj in order:
            link = ""
            if by in ("hub", "program"):
                link = reverse(f"reports:{by}", kwargs={"slug": obj.slug})
            # Each model names itself in the reader's language (`bilingual`).
            cells.append(Cell(_key(obj), str(obj), found[obj.pk], link))
        if None in found:
            unknown = _("Sessions for everyone") if by == "session__group" else str(UNKNOWN)
            cells.append(Cell("", unknown, found[None]))
    elif by == "rural":
        for rural, key, label in (
            (True, "rural", _("Rural or remote")),
            (False, "urban", _("Urban")),
            (None, "", str(UNKNOWN)),
        ):
            if rural in found:
                cells.append(Cell(key, label, found[rural]))
    else:  # language
        for language, label in (
            ("en", _("English")),
            ("fr", _("French")),
            ("", _("Walk-ins (unknown)")),
        ):
            if language in found:
                cells.append(Cell(language, label, found[language]))
    limit = FOLDED.get(name)
    if limit and not whole and len(cells) > limit + 1:
        ranked = sorted(cells, key=lambda cell: -cell.counts.participations)
        kept, rest = ranked[:limit], ranked[limit:]
        others = Counts()
        for folded in rest:
            others.participations += folded.counts.participations
            others.people += folded.counts.people
            others.minutes += folded.counts.minutes
            for part, n in folded.counts.by_kind.items():
                others.by_kind[part] = others.by_kind.get(part, 0) + n
        others.hidden = suppress and others.people < MIN_CELL
        label = _("%(count)s others") % {"count": len(rest)}
        cells = [*kept, Cell("others", label, others)]
    titles = {
        "professions": _("Professions"),
        "settings": _("Practice settings"),
        "provinces": _("Provinces and territories"),
        "rurality": _("Rural and remote"),
        "languages": _("Languages"),
        "hubs": _("Hubs"),
        "spokes": _("Spokes (teams and sites)"),
        "programs": _("Programs"),
        "groups": _("Groups"),
    }
    return Breakdown(name, titles[name], cells)


def _key(obj: Any) -> str:
    return str(getattr(obj, "code", None) or getattr(obj, "slug", None) or obj.pk)


def _sort_key(by: str) -> Any:
    if by in ("profession", "setting", "province"):
        return lambda obj: (obj.position, obj.pk)
    return lambda obj: str(obj)


# --- Over time ------------------------------------------------------------------------------


@dataclass
class Point:
    key: str  # "2025-04", "2025q1" or "fy2025"
    label: str
    counts: Counts


def series(scope: Scope, *, suppress: bool) -> list[Point]:
    """Participations and people by month (13 months or less) or fiscal quarter (longer).

    Each point is whole months, so its people come from the flags of its own grain
    (a month's or a quarter's first participations) whatever the scope's period; a
    program's come from its participation rows.
    """
    rows = scope.participations() if scope.program else scope.tallies()
    monthly = _monthly(rows, scope)
    if not monthly:
        return []
    months = sorted(monthly)
    first = scope.period.start or months[0]
    last = add_months(scope.period.end, -1) if scope.period.end else months[-1]
    span = (last.year - first.year) * 12 + last.month - first.month + 1
    grain = "month" if span <= 13 else "quarter"
    step = 1 if grain == "month" else 3
    people = _people_by_point(scope, grain)
    points = []
    month = first if grain == "month" else quarter_start(first)
    while month <= last:
        total = Counts()
        for offset in range(step):
            cell = monthly.get(add_months(month, offset))
            if cell:
                total.participations += cell.participations
                total.minutes += cell.minutes
        total.people = people.get(month, 0)
        if grain == "month":
            key, label = f"{month:%Y-%m}", str(date_format(month, "YEAR_MONTH_FORMAT"))
        else:
            year, quarter = fiscal_year(month), fiscal_quarter(month)
            key = f"{year}q{quarter}"
            label = _("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": fiscal_label(year)}
        points.append(Point(key, label, total))
        month = add_months(month, step)
    _hide({p.key: p.counts for p in points}, suppress)
    return points


def _monthly(rows: QuerySet[Any], scope: Scope) -> dict[dt.date, Counts]:
    """Participations and minutes by month; from tallies, also each month's people by the
    month's and the quarter's flags (kept in the scope's memo for `_people_by_point`)."""
    found: dict[dt.date, Counts] = defaultdict(Counts)
    if rows.model is Tally:
        flags = {grain: _flag(scope, grain) for grain in ("month", "quarter")}
        people: dict[str, dict[dt.date, int]] = {"month": {}, "quarter": {}}
        for row in (
            rows.filter(dim="")
            .order_by()
            .values("month")
            .annotate(
                n=Sum("participations"),
                m=Sum("minutes"),
                **{f"people_{grain}": Sum(flag) for grain, flag in flags.items()},
            )
        ):
            found[row["month"]].participations += row["n"] or 0
            found[row["month"]].minutes += row["m"] or 0
            for grain in flags:
                people[grain][row["month"]] = row[f"people_{grain}"] or 0
        scope.memo["people_by_month"] = people
        return found
    for month, n, minutes in (
        rows.exclude(kind=Kind.NO_SHOW)
        .order_by()
        .values("month")
        .annotate(n=Count("pk"), m=Sum("minutes"))
        .values_list("month", "n", "m")
    ):
        found[month].participations += n
        found[month].minutes += minutes or 0
    return found


def _people_by_point(scope: Scope, grain: str) -> dict[dt.date, int]:
    """Unique people of each month or quarter (keyed by its first month)."""
    start = quarter_start if grain == "quarter" else (lambda month: month)
    found: dict[dt.date, int] = defaultdict(int)
    if scope.program is None:
        for month, n in scope.memo["people_by_month"][grain].items():
            found[start(month)] += n
        return found
    seen: dict[dt.date, set[Any]] = defaultdict(set)
    for pk, month, person_id in (
        scope.participations()
        .filter(kind__in=PRESENT_KINDS)
        .values_list("pk", "month", "person_id")
    ):
        seen[start(month)].add(person_id if person_id is not None else f"walk-in {pk}")
    return {month: len(people) for month, people in seen.items()}


# --- The rest -------------------------------------------------------------------------------


@dataclass
class Credits:
    label: str
    amount: Decimal
    certificates: int


@dataclass
class Reach:
    scope: Scope
    sessions_held: int
    counts: Counts
    retention: float | None
    retained: int
    cycle_participants: int
    certificates: int
    credits: list[Credits]
    cases: int
    cases_by_program: list[tuple[Program, int]]
    library_views: dict[str, int]
    refreshed_at: dt.datetime | None


def _retention(scope: Scope) -> tuple[int, int]:
    cycles = Cycle.objects.all()
    if scope.program:
        cycles = cycles.filter(program=scope.program)
    if scope.hub:
        cycles = cycles.filter(hub=scope.hub)
    if scope.profession:
        cycles = cycles.filter(profession=scope.profession)
    if scope.province:
        cycles = cycles.filter(province=scope.province)
    if scope.period.start:
        cycles = cycles.filter(last_month__gte=scope.period.start)
    if scope.period.end:
        cycles = cycles.filter(first_month__lt=scope.period.end)
    found = cycles.aggregate(p=Sum("participants"), c=Sum("completers"))
    return found["p"] or 0, found["c"] or 0


def _certificates(scope: Scope) -> tuple[int, list[Credits]]:
    certificates = Certificate.objects.filter(revoked_at__isnull=True, program__in=scope.programs())
    certificates = certificates.filter(scope.period.moments("issued_at"))
    if scope.profession:
        certificates = certificates.filter(person__profession=scope.profession)
    if scope.province:
        certificates = certificates.filter(person__province=scope.province)
    lang = active_lang()
    issued = 0
    by_type: dict[str, Credits] = {}
    # Certificates of one accreditation and length carry the same lines: count each
    # distinct list once in the database, rather than read tens of thousands.
    for lines, count in (
        certificates.order_by()
        .values("credits")
        .annotate(n=Count("pk"))
        .values_list("credits", "n")
    ):
        issued += count
        for line in lines or []:
            label = line.get(f"label_{lang}") or line.get("label_en") or line.get("type", "")
            credit = by_type.setdefault(label, Credits(label, Decimal(0), 0))
            credit.amount += Decimal(str(line.get("amount") or 0)) * count
            credit.certificates += count
    return issued, sorted(by_type.values(), key=lambda c: c.label)


def _cases(scope: Scope) -> list[tuple[Program, int]]:
    found = dict(
        Case.objects.filter(status=Case.Status.ACCEPTED, session__in=scope.sessions())
        .order_by()
        .values("program_id")
        .annotate(n=Count("pk"))
        .values_list("program_id", "n")
    )
    programs = Program.objects.filter(pk__in=found).order_by("title_en")
    return [(program, found[program.pk]) for program in programs]


def reach(scope: Scope) -> Reach:
    """The headline figures of a scope, in a fixed number of queries."""
    total = counts(scope).get(None, Counts())
    participants, completers = _retention(scope)
    issued, credits = _certificates(scope)
    cases = _cases(scope)
    resources = Resource.objects.all()
    if scope.hub:
        resources = resources.filter(hub=scope.hub)
    if scope.program:
        resources = resources.filter(program=scope.program)
    freshness = Freshness.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
    return Reach(
        scope=scope,
        sessions_held=scope.sessions().count(),
        counts=total,
        retention=completers / participants if participants else None,
        retained=completers,
        cycle_participants=participants,
        certificates=issued,
        credits=credits,
        cases=sum(n for _p, n in cases),
        cases_by_program=cases,
        library_views=views_by_kind(resources, scope.period.start, scope.period.last_day),
        refreshed_at=freshness,
    )


# --- Live figures of a few sessions (the session and program attendance pages) -----------------


@dataclass
class Live:
    """Each session's counts and their total, straight from attendance and registrations."""

    sessions: list[tuple[Session, Counts]]
    total: Counts


def live(sessions: QuerySet[Session]) -> Live:
    """What the aggregates will hold for these sessions, computed now from attendance and
    registrations by the same code that writes the aggregates' rows (`aggregates.rows_of`),
    in a fixed number of queries whatever the number of sessions. A session counts its
    registered and no-shows once any attendance of it is recorded."""
    chosen = list(sessions.select_related("program").order_by("starts_at", "pk"))
    rows = aggregates.rows_of(
        [(s.pk, s.program_id, s.program.hub_id, s.starts_at) for s in chosen],
        aggregates.staff_roles(),
    )
    found = {s.pk: Counts() for s in chosen}
    total = Counts()
    people: set[Any] = set()
    for number, row in enumerate(rows):
        present = row.kind != Kind.NO_SHOW
        for counts in (found[row.session_id], total):
            counts.by_kind[Kind(row.kind)] = counts.by_kind.get(Kind(row.kind), 0) + 1
            if present:
                counts.participations += 1
                counts.minutes += row.minutes
        if present:
            found[row.session_id].people += 1
            people.add(row.person_id if row.person_id is not None else ("walk-in", number))
    total.people = len(people)
    return Live([(s, found[s.pk]) for s in chosen], total)
