"""The dashboards' tables as rows for CSV and XLSX, and a hub's own records as iECHO gives them.

Every table carries what the page shows, with the same "fewer than 5" cells.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence

from django.utils.text import slugify
from django.utils.translation import gettext as _

from echohub import spreadsheets
from echohub.attendance.models import Attendance
from echohub.evaluations.moore import moore_summary
from echohub.network.models import Hub
from echohub.programs.models import Session
from echohub.registration.models import Registration
from echohub.reports import figures
from echohub.reports.figures import Counts, Scope
from echohub.reports.periods import network_day
from echohub.spreadsheets import Cell

Table = tuple[str, list[str], list[list[Cell]]]


def _fewer() -> str:
    return _("fewer than 5")


def _share(part: int, whole: int) -> Cell:
    return round(part / whole * 100, 1) if whole else None


def _cells(counts: Counts, whole: int) -> list[Cell]:
    if counts.hidden:
        return [_fewer(), _fewer(), None, None]
    return [
        counts.participations,
        counts.people,
        _share(counts.participations, whole),
        round(counts.hours, 1),
    ]


def table(scope: Scope, name: str, *, suppress: bool) -> Table:
    if name == "summary":
        return summary(scope)
    header = [
        _("Participations"),
        _("Unique participants"),
        _("Share of participations (%)"),
        _("Hours of learning"),
    ]
    if name == "over-time":
        points = figures.series(scope, suppress=suppress)
        whole = sum(p.counts.participations for p in points)
        return (
            _("Participations over time"),
            [_("Period"), *header],
            [[p.label, *_cells(p.counts, whole)] for p in points],
        )
    found = figures.breakdown(scope, name, suppress=suppress, whole=True)
    whole = sum(c.counts.participations for c in found.cells)
    return (
        found.title,
        [found.title, *header],
        [[c.label, *_cells(c.counts, whole)] for c in found.cells],
    )


def summary(scope: Scope, *, outcomes: bool = True) -> Table:
    reach = figures.reach(scope)
    c = reach.counts
    rows: list[list[Cell]] = [
        [_("Sessions held"), reach.sessions_held],
        [_("Participations"), c.participations],
        [_("Unique participants"), c.people],
        [_("New participants"), c.new],
        [_("Returning participants"), c.returning],
        [_("Hours of learning"), round(c.hours, 1)],
        [_("Registered (sessions with attendance)"), c.registered],
        [_("Registered and attended"), c.registered_attended],
        [_("Registered, did not attend"), c.no_shows],
        [_("Attended without registering"), c.unregistered],
        [_("Walk-ins without an account"), c.walk_ins],
        [_("Hub staff"), c.staff],
        [_("Attendance rate (%)"), _share(c.registered_attended, c.registered)],
        [
            _("Retention: met the completion rule (%)"),
            _share(reach.retained, reach.cycle_participants),
        ],
        [_("Certificates issued"), reach.certificates],
    ]
    for credit in reach.credits:
        rows.append([_("Credits: %(type)s") % {"type": credit.label}, float(credit.amount)])
    rows.append([_("Cases presented"), reach.cases])
    if outcomes:
        rows += _outcomes(scope)
    for kind, views in sorted(reach.library_views.items()):
        rows.append([_("Library views: %(kind)s") % {"kind": kind}, views])
    return _("Summary"), [_("Figure"), _("Value")], rows


def _outcomes(scope: Scope) -> list[list[Cell]]:
    """Moore's levels 2 to 5, "fewer than 5" where a figure stands on too few answers."""
    moore = moore_summary(scope.programs(), scope.period.start, scope.period.last_day)

    def shown(value: float | None, count: int, places: int = 1) -> Cell:
        if value is None:
            return _fewer() if count else None
        return round(value * 100, places) if places == 1 else round(value, places)

    rows: list[list[Cell]] = [
        [_("Level 2: satisfaction, responses"), moore.satisfaction_responses],
        [_("Level 2: satisfied (%)"), shown(moore.satisfied, moore.satisfaction_responses)],
    ]
    for label, change in (
        (_("Level 3: knowledge"), moore.knowledge),
        (_("Level 4: competence"), moore.competence),
    ):
        if change is None:
            continue
        rows += [
            [_("%(level)s, pairs") % {"level": label}, change.pairs],
            [_("%(level)s, mean before") % {"level": label}, shown(change.before, change.pairs, 2)],
            [_("%(level)s, mean after") % {"level": label}, shown(change.after, change.pairs, 2)],
            [
                _("%(level)s, improved (%%)") % {"level": label},
                shown(change.improved, change.pairs),
            ],
        ]
    rows += [
        [_("Level 5: follow-up responses"), moore.follow_up_responses],
        [
            _("Level 5: practice changed (%)"),
            shown(moore.practice_change, moore.follow_up_responses),
        ],
    ]
    return rows


def filename(scope: Scope, name: str) -> str:
    where = scope.program.slug if scope.program else scope.hub.slug if scope.hub else "network"
    return slugify(f"reach-{where}-{scope.period.key.replace('..', '-to-')}-{name}")


# --- A hub's own records ----------------------------------------------------------------------


def hub_records(hub: Hub) -> bytes:
    """Sessions, participants (profession, setting, province, status) and attendance: the
    hub's own copy of what it ran, in one XLSX file of three sheets."""
    return spreadsheets.as_workbook([_sessions(hub), _participants(hub), _attendance(hub)])


def _sessions(hub: Hub) -> spreadsheets.Sheet:
    sessions = (
        Session.objects.filter(program__hub=hub)
        .select_related("program")
        .order_by("starts_at", "pk")
    )
    registered: dict[int, int] = defaultdict(int)
    for session_id in Registration.objects.filter(
        session__program__hub=hub, status=Registration.Status.CONFIRMED
    ).values_list("session_id", flat=True):
        registered[session_id] += 1
    attended: dict[int, int] = defaultdict(int)
    for session_id in Attendance.objects.filter(
        session__program__hub=hub, present=True
    ).values_list("session_id", flat=True):
        attended[session_id] += 1

    def rows() -> Iterator[Sequence[Cell]]:
        for s in sessions.iterator(chunk_size=2000):
            yield [
                s.pk,
                str(s.program),
                str(s),
                network_day(s.starts_at).isoformat(),
                str(s.display_status),
                s.duration_minutes,
                registered[s.pk],
                attended[s.pk],
            ]

    return (
        _("Sessions"),
        [
            _("Session"),
            _("Program"),
            _("Title"),
            _("Date"),
            _("Status"),
            _("Minutes"),
            _("Registered"),
            _("Attended"),
        ],
        rows(),
    )


def _participants(hub: Hub) -> spreadsheets.Sheet:
    stats: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for person_id in Registration.objects.filter(
        session__program__hub=hub, status=Registration.Status.CONFIRMED
    ).values_list("person_id", flat=True):
        stats[person_id][0] += 1
    for person_id in Attendance.objects.filter(
        session__program__hub=hub, present=True, person__isnull=False
    ).values_list("person_id", flat=True):
        stats[person_id][1] += 1
    from echohub.accounts.models import User

    people = (
        User.objects.filter(pk__in=list(stats))
        .select_related("profession", "practice_setting", "province", "spoke")
        .order_by("name", "email")
    )

    def named(obj: object | None) -> str:
        return "" if obj is None else str(obj)

    def rows() -> Iterator[Sequence[Cell]]:
        for p in people.iterator(chunk_size=2000):
            registered, came = stats[p.pk]
            yield [
                p.name,
                p.email,
                named(p.profession),
                named(p.practice_setting),
                named(p.province),
                p.spoke.name if p.spoke else "",
                p.practice_postal_code,
                registered,
                came,
                _("Attended") if came else _("Registered, did not attend"),
            ]

    return (
        _("Participants"),
        [
            _("Name"),
            _("Email"),
            _("Profession"),
            _("Practice setting"),
            _("Province or territory"),
            _("Spoke"),
            _("Practice postal code"),
            _("Sessions registered"),
            _("Sessions attended"),
            _("Status"),
        ],
        rows(),
    )


def _attendance(hub: Hub) -> spreadsheets.Sheet:
    rows_qs = (
        Attendance.objects.filter(session__program__hub=hub, present=True)
        .select_related("person", "session")
        .order_by("session__starts_at", "session_id", "pk")
    )

    def rows() -> Iterator[Sequence[Cell]]:
        for a in rows_qs.iterator(chunk_size=2000):
            yield [
                a.session_id,
                network_day(a.session.starts_at).isoformat(),
                a.person.name if a.person else a.walk_in_name,
                a.person.email if a.person else a.walk_in_email,
                "" if a.person else _("Walk-in"),
                str(a.get_role_display()),
                str(a.get_source_display()),
                a.minutes,
            ]

    return (
        _("Attendance"),
        [
            _("Session"),
            _("Date"),
            _("Name"),
            _("Email"),
            _("Walk-in"),
            _("Role"),
            _("Source"),
            _("Minutes attended"),
        ],
        rows(),
    )
