"""Who attended, and whether their attendance earns a certificate: for one session, or for
a program's whole cycle. Issuing (services) and the coordinator's page read the same
standings, so the page's "eligible" is exactly whom "issue all eligible" reaches.

When an accreditation of the program `requires_evaluation`, someone eligible by
attendance whose evaluation is not done yet (`evaluations.credit`) is AWAITING: no
certificate until they answer it or a coordinator waives it.

Whether attendance counts does not depend on profession: a session counts when it
meets an accreditation's minimum share within its validity. Profession decides only
which credit lines the certificate carries (`credits.for_profession`).
"""

import datetime as dt
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from echohub.accounts.models import User
from echohub.attendance.models import Attendance
from echohub.certificates import credits as cpd
from echohub.certificates.models import Accreditation, Certificate
from echohub.evaluations import credit
from echohub.programs.models import Program, Session
from echohub.registration.models import Enrolment

ELIGIBLE, ISSUED, NOT_ELIGIBLE, REVOKED = "eligible", "issued", "not_eligible", "revoked"
AWAITING = "awaiting_evaluation"
STATUSES = (ELIGIBLE, AWAITING, ISSUED, NOT_ELIGIBLE, REVOKED)


@dataclass
class Standing:
    person: User
    eligible: bool
    minutes: int  # minutes in the sessions that count (all attended minutes when none do)
    days: list[dt.date] = field(default_factory=list)  # days of the sessions that count
    minutes_under: dict[int, int] = field(default_factory=dict)  # accreditation pk → minutes
    sessions: int = 0  # sessions that count
    certificate: Certificate | None = None  # the valid one, else the latest revoked
    evaluation_done: bool = True  # False when credit needs the evaluation and it is not done

    @property
    def due(self) -> bool:
        """Eligible by attendance, and the evaluation done when credit needs it."""
        return self.eligible and self.evaluation_done

    @property
    def status(self) -> str:
        if self.certificate is not None:
            return REVOKED if self.certificate.is_revoked else ISSUED
        if self.eligible:
            return ELIGIBLE if self.evaluation_done else AWAITING
        return NOT_ELIGIBLE


def needs_evaluation(accreditations: list[Accreditation]) -> bool:
    return any(accreditation.requires_evaluation for accreditation in accreditations)


def _with_evaluations(
    standings: list[Standing],
    program: Program,
    session: Session | None,
    accreditations: list[Accreditation],
) -> list[Standing]:
    """Mark who still owes the evaluation, when an accreditation needs it (two queries)."""
    if needs_evaluation(accreditations) and standings:
        done = credit.done_people(program, session)
        for standing in standings:
            standing.evaluation_done = standing.person.pk in done
    return standings


def held_sessions(program: Program) -> QuerySet[Session]:
    return program.sessions.exclude(status=Session.Status.CANCELLED).filter(
        starts_at__lte=timezone.now()
    )


def day_of(session: Session, program: Program) -> dt.date:
    return timezone.localtime(session.starts_at, program.zone).date()


def for_session(
    session: Session, accreditations: list[Accreditation], *, person: User | None = None
) -> list[Standing]:
    """Everyone with an account marked present at `session` (walk-ins hold no certificate),
    or only `person`."""
    day = day_of(session, session.program)
    standings = []
    present = session.attendance.filter(present=True, person__isnull=False)
    if person is not None:
        present = present.filter(person=person)
    for record in present.select_related("person__profession"):
        if record.person is None:
            continue
        under = cpd.counting(
            accreditations, minutes=record.minutes, duration=session.duration_minutes, day=day
        )
        standings.append(
            Standing(
                person=record.person,
                eligible=bool(under),
                minutes=record.minutes,
                days=[day],
                minutes_under={a.pk: record.minutes for a in under},
                sessions=1 if under else 0,
            )
        )
    return _with_evaluations(standings, session.program, session, accreditations)


def for_cycle(
    program: Program, accreditations: list[Accreditation], *, person: User | None = None
) -> list[Standing]:
    """Everyone present at a held session (or only `person`), eligible when they met the
    completion rule over their own sessions: in a program with groups, those for everyone
    and those of their group (`own_sessions`)."""
    sessions = {s.pk: s for s in held_sessions(program)}
    groups = dict(
        Enrolment.objects.filter(program=program, group__isnull=False).values_list(
            "person_id", "group_id"
        )
    )
    days = {pk: day_of(session, program) for pk, session in sessions.items()}
    per_person: dict[int, list[Attendance]] = defaultdict(list)
    people: dict[int, User] = {}
    present = Attendance.objects.filter(session_id__in=sessions, present=True, person__isnull=False)
    if person is not None:
        present = present.filter(person=person)
    for record in present.select_related("person__profession"):
        if record.person is not None:
            per_person[record.person.pk].append(record)
            people[record.person.pk] = record.person
    standings = []
    for person_id, records in per_person.items():
        minutes_under: dict[int, int] = defaultdict(int)
        counted = []
        for record in records:
            under = cpd.counting(
                accreditations,
                minutes=record.minutes,
                duration=sessions[record.session_id].duration_minutes,
                day=days[record.session_id],
            )
            if under:
                counted.append(record)
            for accreditation in under:
                minutes_under[accreditation.pk] += record.minutes
        own = own_sessions(sessions, groups.get(person_id), records)
        standings.append(
            Standing(
                person=people[person_id],
                eligible=cpd.meets_completion(
                    min(len(counted), own), own, program.completion_percent
                ),
                minutes=sum(r.minutes for r in counted or records),
                days=sorted(days[r.session_id] for r in counted),
                minutes_under=dict(minutes_under),
                sessions=len(counted),
            )
        )
    return _with_evaluations(standings, program, None, accreditations)


def own_sessions(
    sessions: dict[int, Session], group_id: int | None, records: list[Attendance]
) -> int:
    """How many held sessions a person's completion is measured against: those for
    everyone, and those of their group (or, not enrolled in one, of the groups whose
    sessions they attended). A program without groups: all of them."""
    groups: set[int | None] = (
        {group_id} if group_id else {sessions[r.session_id].group_id for r in records}
    )
    return sum(1 for s in sessions.values() if s.group_id is None or s.group_id in groups)


def with_certificates(
    standings: list[Standing], program: Program, session: Session | None
) -> list[Standing]:
    """Attach each person's certificate for this session (or the cycle), in one query."""
    found: dict[int, Certificate] = {}
    for certificate in Certificate.objects.filter(program=program, session=session).order_by(
        "issued_at", "pk"
    ):
        held = found.get(certificate.person_id)
        if held is None or held.is_revoked:  # a valid one wins; else the latest revoked
            found[certificate.person_id] = certificate
    for standing in standings:
        standing.certificate = found.get(standing.person.pk)
    return standings


def folded(value: str) -> str:
    """Lower case without accents, so "amelie" finds Amélie."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def matching(standings: list[Standing], *, status: str, query: str) -> list[Standing]:
    needle = folded(" ".join(query.split()))
    return [
        s
        for s in standings
        if (not status or s.status == status)
        and (not needle or needle in folded(f"{s.person.name} {s.person.email}"))
    ]


def counts(standings: list[Standing]) -> dict[str, int]:
    tally = dict.fromkeys(STATUSES, 0)
    for standing in standings:
        tally[standing.status] += 1
    return tally
