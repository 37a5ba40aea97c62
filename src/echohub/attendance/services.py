"""Importing participant reports, marking attendance by hand, and checking in by code.

An import goes in two steps. `receive_report` keeps the file and queues a task,
`read_import`, that reads it, matches each person to the session's registrants
(and the hub's staff, who host and present) and keeps what it found on the
`AttendanceImport` row, changing no attendance; the page shows its progress
(a 50,000-line report takes seconds, not a request's whole budget).
`preview_import` does both at once, for commands. A line
whose email is an account's goes to that account even if it did not register
(its credit is not lost); that account is offered to that line only. The
coordinator then settles every row (the suggested person, another one, a walk-in
record, or nothing) and `apply_import` writes it all in one transaction. A line
can only ever go to a registrant, the hub's staff or its own email's account.

Applying merges: a person's join–leave intervals are unioned with what earlier
reports gave, so importing the same report again changes nothing and a restarted
meeting's second report adds only its own time. Minutes are the union clipped to
the session. A coordinator's manual figure (with its reason) is kept over the
reports' until they change it again.
"""

import datetime as dt
import hashlib
import logging
import secrets
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from echohub.accounts.models import User
from echohub.attendance import parse_report
from echohub.attendance.matching import AMBIGUOUS_SCORE, Candidate, Found, match_people
from echohub.attendance.models import Attendance, AttendanceImport, CheckInCode
from echohub.attendance.parsing import Report, ReportError, Span, merge_spans, span_minutes
from echohub.attendance.signals import attendance_saved
from echohub.network.models import StaffRole
from echohub.programs.models import Session
from echohub.registration.models import Registration

log = logging.getLogger(__name__)

# Real participant reports are a few hundred kilobytes; 10,000 rows are about 2 MB.
MAX_REPORT_BYTES = 20 * 1024 * 1024


class AttendanceError(ValueError):
    """Why a report or a change cannot be taken, in words for the coordinator."""


# --- Intervals -----------------------------------------------------------


def _to_json(spans: Iterable[Span]) -> list[list[str]]:
    return [[start.isoformat(), end.isoformat()] for start, end in spans]


def _from_json(rows: Iterable[Sequence[str]]) -> list[Span]:
    return [(dt.datetime.fromisoformat(a), dt.datetime.fromisoformat(b)) for a, b in rows]


# --- Preview -------------------------------------------------------------


def _candidates(session: Session) -> list[Candidate]:
    """The session's registrants (any status: people come who cancelled) and hub staff.

    Speakers from outside the hub have no account: they come up unmatched, and the
    coordinator makes them walk-ins or leaves them out.
    """
    people: dict[int, User] = {}
    for registration in Registration.objects.filter(session=session).select_related("person"):
        people[registration.person_id] = registration.person
    staff = StaffRole.objects.filter(hub_id=session.program.hub_id).select_related("person")
    for role in staff:
        people[role.person_id] = role.person
    return [Candidate(pk, person.name or "", person.email) for pk, person in people.items()]


def _email_key(email: str) -> str:
    return email.strip().lower()


def _accounts_by_email(session: Session, emails: Iterable[str]) -> dict[str, User]:
    """The active accounts having these emails (any case), by lower-cased email, among
    the people the session's hub knows: who registered for, enrolled in or attended
    one of its programs, and its staff. Anyone else on the platform stays out of
    reach: a coordinator can neither attach them to a session nor learn from a
    report that their address has an account (they count as walk-ins)."""
    keys = {_email_key(email) for email in emails} - {""}
    if not keys:
        return {}
    hub = session.program.hub_id
    known_to_hub = (
        Q(registrations__session__program__hub_id=hub)
        | Q(enrolments__program__hub_id=hub)
        | Q(attendance__session__program__hub_id=hub)
        | Q(staff_roles__hub_id=hub)
    )
    accounts = (
        User.objects.annotate(key=Lower("email"))
        .filter(key__in=keys, is_active=True)
        .filter(pk__in=User.objects.filter(known_to_hub).values("pk"))
    )
    return {_email_key(account.email): account for account in accounts}


@dataclass(frozen=True)
class _Reach:
    """Whom each line may be given to: the registrants and the hub's staff (`known`,
    one set for every line: a set per line was 8 GB for 15,000 people), and the
    account with the line's own email (`own`); never anyone else, whatever a form posts."""

    known: frozenset[int]
    own: list[int | None]

    def may(self, line: int, person_id: int) -> bool:
        return person_id in self.known or person_id == self.own[line]


def _reach(session: Session, rows: Sequence[dict[str, Any]]) -> _Reach:
    accounts = _accounts_by_email(session, (row["email"] for row in rows))
    return _Reach(
        known=frozenset(candidate.person_id for candidate in _candidates(session)),
        own=[
            accounts[key].pk if (key := _email_key(row["email"])) in accounts else None
            for row in rows
        ],
    )


def person_for_email(upload: AttendanceImport, index: int, email: str) -> int | None:
    """The person a coordinator names by email for a line, if the line may go to them.

    Any other address gets None alike, so the page tells nothing of who has an account.
    """
    account = next(iter(_accounts_by_email(upload.session, [email]).values()), None)
    if account is None:
        return None
    reach = _reach(upload.session, [upload.people[index]])
    return account.pk if reach.may(0, account.pk) else None


def _localize(moment: dt.datetime, zone: zoneinfo.ZoneInfo) -> dt.datetime:
    if moment.tzinfo is not None:
        return moment.astimezone(dt.UTC)
    return moment.replace(tzinfo=zone).astimezone(dt.UTC)


def read_report(data: bytes) -> Report:
    """The parsed report, or an AttendanceError saying what is wrong with the file."""
    if len(data) > MAX_REPORT_BYTES:
        raise AttendanceError(
            _(
                "This file is %(size)s MB; participant reports are far smaller (at most "
                "%(limit)s MB here). Is it the right file?"
            )
            % {"size": len(data) // (1024 * 1024), "limit": MAX_REPORT_BYTES // (1024 * 1024)}
        )
    try:
        return parse_report(data)
    except ReportError as error:
        raise AttendanceError(str(error)) from error


# A meeting opens early and runs late: an hour either side is still the session.
MEETING_SLACK = dt.timedelta(hours=1)


def _meeting_span(report: Report, zone: zoneinfo.ZoneInfo) -> Span | None:
    """When the report's meeting ran, in UTC: its header's dates, else its first join
    and last leave; None when it gives neither (a plain list of minutes)."""
    if report.starts_at is not None:
        start = _localize(report.starts_at, zone)
        end = _localize(report.ends_at, zone) if report.ends_at else start
        return start, max(start, end)
    joins = [i.joined for a in report.attendees for i in a.intervals]
    leaves = [i.left for a in report.attendees for i in a.intervals]
    if not joins:
        return None
    return _localize(min(joins), zone), _localize(max(leaves), zone)


def _date_warnings(
    session: Session, report: Report, zone: zoneinfo.ZoneInfo, *, overlap: int | None
) -> list[str]:
    """Whether the report is of another meeting than the session, whatever its layout."""
    span = _meeting_span(report, zone)
    start, end = (
        timezone.localtime(session.starts_at, zone),
        timezone.localtime(session.ends_at, zone),
    )
    if span is None:
        return [
            _(
                "This report gives no date or time: check that it is the report of this "
                "session (%(day)s)."
            )
            % {"day": start.strftime("%Y-%m-%d")}
        ]
    if span[1] < session.starts_at - MEETING_SLACK or span[0] > session.ends_at + MEETING_SLACK:
        report_start, report_end = (timezone.localtime(moment, zone) for moment in span)
        return [
            _(
                "This report is of a meeting of %(report_day)s, %(report_start)s–%(report_end)s, "
                "and the session is on %(day)s, %(start)s–%(end)s (times in %(zone)s). Check "
                "that the report is this session's and that its time zone is right."
            )
            % {
                "report_day": report_start.strftime("%Y-%m-%d"),
                "report_start": report_start.strftime("%H:%M"),
                "report_end": report_end.strftime("%H:%M"),
                "day": start.strftime("%Y-%m-%d"),
                "start": start.strftime("%H:%M"),
                "end": end.strftime("%H:%M"),
                "zone": zone.key,
            }
        ]
    if overlap == 0:
        return [
            _(
                "No one's time in this report falls within the session (%(start)s). Check "
                "that the report is for this session and that its time zone is right."
            )
            % {"start": start.strftime("%Y-%m-%d %H:%M")}
        ]
    return []


def receive_report(
    session: Session, data: bytes, *, filename: str, by: User, report_zone: str
) -> AttendanceImport:
    """Keep an uploaded report and queue its reading; the import is READING until then.

    The task is queued in the same transaction as the row, so a worker never sees
    one without the other (the immediate backend reads it at once).
    """
    upload = AttendanceImport.objects.create(
        session=session,
        uploaded_by=by,
        filename=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        report_zone=report_zone,
        report=data,
        status=AttendanceImport.Status.READING,
    )
    from echohub.attendance import tasks  # the task module imports this one

    tasks.read_import.enqueue(upload.pk)
    log.info("attendance report %s received for session %s by %s", upload.pk, session.pk, by.pk)
    return upload


@transaction.atomic
def preview_import(
    session: Session, data: bytes, *, filename: str, by: User, report_zone: str
) -> AttendanceImport:
    """Receive and read a report now; raises AttendanceError (and keeps nothing) if unreadable."""
    upload = receive_report(session, data, filename=filename, by=by, report_zone=report_zone)
    upload = read_import(upload.pk)
    if upload.status == AttendanceImport.Status.FAILED:
        raise AttendanceError(upload.error)
    return upload


# The reading writes how far it got every this many lines.
READ_STEP = 500


def read_import(upload_id: int) -> AttendanceImport:
    """Read and match a received report; run again after a crash, it starts over."""
    upload = AttendanceImport.objects.select_related("session").get(pk=upload_id)
    if upload.status != AttendanceImport.Status.READING:
        return upload
    try:
        _read(upload, bytes(upload.report))
    except AttendanceError as error:
        upload.status, upload.error = AttendanceImport.Status.FAILED, str(error)[:500]
        log.info("attendance report %s could not be read: %s", upload.pk, error)
    else:
        upload.status = AttendanceImport.Status.PREVIEW
        log.info("attendance report %s read: %s lines", upload.pk, len(upload.people))
    upload.report = b""
    upload.beat_at = timezone.now()
    upload.save()
    return upload


@transaction.atomic
def receive_fetched(session: Session, report: Report, *, source: str, by: User) -> AttendanceImport:
    """A report a video platform gave EchoHub (echohub.video), read into a preview at once:
    the same matcher and the same preview as an uploaded file, applied the same way."""
    upload = AttendanceImport.objects.create(
        session=session,
        uploaded_by=by,
        filename=_("Fetched from %(platform)s") % {"platform": source},
        sha256="",
        report_zone="UTC",  # the platforms' APIs give UTC moments
        report=b"",
        status=AttendanceImport.Status.READING,
    )
    _read_report(upload, report)
    upload.status = AttendanceImport.Status.PREVIEW
    upload.beat_at = timezone.now()
    upload.save()
    log.info("attendance of session %s fetched: %s lines", session.pk, len(upload.people))
    return upload


def _read(upload: AttendanceImport, data: bytes) -> None:
    _read_report(upload, read_report(data))


def _read_report(upload: AttendanceImport, report: Report) -> None:
    session = upload.session
    zone = zoneinfo.ZoneInfo(upload.report_zone)
    attendees = [a for a in report.attendees if a.attended]
    AttendanceImport.objects.filter(pk=upload.pk).update(
        lines_total=len(attendees), lines_done=0, beat_at=timezone.now()
    )

    def step(done: int) -> None:
        AttendanceImport.objects.filter(pk=upload.pk).update(
            lines_done=done, beat_at=timezone.now()
        )

    candidates = _candidates(session)
    known = {candidate.person_id for candidate in candidates}
    by_email = [
        Candidate(account.pk, account.name or "", account.email)
        for account in _accounts_by_email(session, (a.email for a in attendees)).values()
        if account.pk not in known
    ]
    matches = match_people(
        [Found(a.name, a.email) for a in attendees],
        candidates,
        email_only=by_email,
        progress=step,
        every=READ_STEP,
    )
    emails = {candidate.person_id: candidate.email for candidate in (*candidates, *by_email)}
    people: list[dict[str, Any]] = []
    overlap = 0
    for attendee, match in zip(attendees, matches, strict=True):
        spans = [(_localize(i.joined, zone), _localize(i.left, zone)) for i in attendee.intervals]
        minutes = (
            span_minutes(spans, session.starts_at, session.ends_at)
            if spans
            else min(attendee.minutes, session.duration_minutes)
        )
        overlap += minutes
        people.append(
            {
                "name": attendee.name,
                "email": attendee.email,
                "role": attendee.role,
                "intervals": _to_json(merge_spans(spans)),
                "stated_minutes": 0 if spans else attendee.minutes,
                "minutes": minutes,
                "status": match.status,
                "person": match.person_id,
                "by_email": match.person_id is not None
                and _email_key(emails.get(match.person_id, "")) == _email_key(attendee.email),
                "confidence": match.confidence,
                "choices": [list(choice) for choice in match.choices],
            }
        )
    upload.platform = report.platform
    upload.people = people
    upload.warnings = _date_warnings(session, report, zone, overlap=overlap if attendees else None)
    upload.lines_total = upload.lines_done = len(people)


# --- Apply ---------------------------------------------------------------


def _announce(session: Session) -> None:
    transaction.on_commit(lambda: attendance_saved.send(sender=Session, session=session))


IGNORE = "ignore"
WALK_IN = "walk_in"


def _recompute(attendance: Attendance) -> None:
    session = attendance.session
    from_spans = span_minutes(_from_json(attendance.intervals), session.starts_at, session.ends_at)
    attendance.report_minutes = max(
        from_spans, min(attendance.stated_minutes, session.duration_minutes)
    )
    if not attendance.is_adjusted:
        attendance.minutes = attendance.report_minutes
        attendance.present = attendance.minutes > 0


def _merge(attendance: Attendance, row: dict[str, Any]) -> None:
    spans = _from_json(attendance.intervals) + _from_json(row["intervals"])
    attendance.intervals = _to_json(merge_spans(spans))
    attendance.stated_minutes = max(attendance.stated_minutes, int(row["stated_minutes"]))
    if row["role"] != Attendance.Role.ATTENDEE:
        attendance.role = row["role"]
    _recompute(attendance)


def line_refusal(row: dict[str, Any]) -> str:
    """Why a line may not go to the person named for it (whoever that was)."""
    return _(
        "The line of %(name)s can go only to someone registered for the session, to the "
        "hub's staff, or to the account with the line's email."
    ) % {"name": row["name"]}


def _check_line(row: dict[str, Any], decision: str, reach: _Reach, line: int) -> None:
    """A line goes to a walk-in record, nowhere, or one of the people it may go to."""
    if decision in (IGNORE, WALK_IN) or (decision.isdigit() and reach.may(line, int(decision))):
        return
    raise AttendanceError(line_refusal(row))


@transaction.atomic
def apply_import(upload: AttendanceImport, decisions: dict[int, str], *, by: User) -> int:
    """Write a previewed report: `decisions` maps each row to a person id, WALK_IN or IGNORE.

    Returns how many attendance records changed. Every row must be settled.
    """
    upload = AttendanceImport.objects.select_for_update().get(pk=upload.pk)
    if upload.status != AttendanceImport.Status.PREVIEW:
        raise AttendanceError(_("This report was already applied or discarded."))
    session = Session.objects.select_for_update().get(pk=upload.session_id)
    unsettled = [row["name"] for index, row in enumerate(upload.people) if index not in decisions]
    if unsettled:
        raise AttendanceError(
            _("Decide for every line first: %(names)s.") % {"names": ", ".join(unsettled[:5])}
        )
    reach = _reach(session, upload.people)
    for index, row in enumerate(upload.people):
        _check_line(row, decisions[index], reach, index)
    # Everything is read in one query and written in two (new rows, changed rows):
    # a 10,000-row report for 3,000 people is saved in well under a second.
    existing = list(session.attendance.all())
    by_person = {a.person_id: a for a in existing if a.person_id is not None}
    by_walk_in = {(a.walk_in_name, a.walk_in_email): a for a in existing if a.person_id is None}
    before = {a.pk: (a.intervals, a.stated_minutes, a.minutes, a.role) for a in existing}
    touched: dict[int, Attendance] = {}
    for index, row in enumerate(upload.people):
        decision = decisions[index]
        if decision == IGNORE:
            continue
        if decision == WALK_IN:
            key = (row["name"][:200], row["email"][:254])
            attendance = by_walk_in.get(key) or by_walk_in.setdefault(
                key,
                Attendance(
                    session=session,
                    walk_in_name=key[0],
                    walk_in_email=key[1],
                    source=Attendance.Source.REPORT,
                ),
            )
        else:
            person_id = int(decision)
            attendance = by_person.get(person_id) or by_person.setdefault(
                person_id,
                Attendance(session=session, person_id=person_id, source=Attendance.Source.REPORT),
            )
        _merge(attendance, row)
        touched[id(attendance)] = attendance
    new = [a for a in touched.values() if a.pk is None]
    changed_rows = [
        a
        for a in touched.values()
        if a.pk is not None and before[a.pk] != (a.intervals, a.stated_minutes, a.minutes, a.role)
    ]
    now = timezone.now()
    for attendance in changed_rows:
        attendance.updated_at = now
    Attendance.objects.bulk_create(new, batch_size=500)
    Attendance.objects.bulk_update(
        changed_rows,
        [
            "intervals",
            "stated_minutes",
            "report_minutes",
            "minutes",
            "present",
            "role",
            "updated_at",
        ],
        batch_size=500,
    )
    changed = len(new) + len(changed_rows)
    upload.status = AttendanceImport.Status.APPLIED
    upload.applied_at = timezone.now()
    upload.save(update_fields=["status", "applied_at"])
    _announce(session)
    log.info("attendance report %s applied by %s: %s changed", upload.pk, by.pk, changed)
    return changed


def suggested_decisions(upload: AttendanceImport) -> dict[int, str]:
    """What the preview proposes: matched people, walk-ins for the unmatched without an
    email (ambiguous ones, and an email that is no one's, are the coordinator's call)."""
    decisions: dict[int, str] = {}
    for index, row in enumerate(upload.people):
        if row["status"] == "matched":
            decisions[index] = str(row["person"])
        elif row["status"] == "unmatched" and not row["email"]:
            decisions[index] = WALK_IN
    return decisions


def is_certain(row: dict[str, Any]) -> bool:
    """Matched by email or by the exact name: accepted without a look, unless changed."""
    return row["status"] == "matched" and row["confidence"] == 100


def decisions_so_far(upload: AttendanceImport) -> dict[int, str]:
    """The suggestions, overridden by every choice the coordinator made."""
    chosen = {int(index): decision for index, decision in upload.decisions.items()}
    return {**suggested_decisions(upload), **chosen}


def best_choice(row: dict[str, Any]) -> str | None:
    """The matcher's person for a line, or its clearly best choice (no tie)."""
    if row["status"] == "matched":
        return str(row["person"])
    scores = [score for _pid, score in row["choices"]]
    if scores and scores[0] >= AMBIGUOUS_SCORE and (len(scores) == 1 or scores[0] > scores[1]):
        return str(row["choices"][0][0])
    return None


@transaction.atomic
def choose(upload: AttendanceImport, choices: dict[int, str], *, by: User) -> AttendanceImport:
    """Keep the coordinator's choices for some lines (no attendance is written yet)."""
    upload = AttendanceImport.objects.select_for_update().get(pk=upload.pk)
    if upload.status != AttendanceImport.Status.PREVIEW:
        raise AttendanceError(_("This report was already applied or discarded."))
    lines = sorted(index for index in choices if 0 <= index < len(upload.people))
    reach = _reach(upload.session, [upload.people[index] for index in lines])
    for position, index in enumerate(lines):
        _check_line(upload.people[index], choices[index], reach, position)
        upload.decisions[str(index)] = choices[index]
    upload.save(update_fields=["decisions"])
    log.info("attendance report %s: %s choices kept by %s", upload.pk, len(lines), by.pk)
    return upload


@transaction.atomic
def accept_suggestions(upload: AttendanceImport, *, by: User) -> int:
    """Every line not yet decided gets the matcher's person or its clearly best choice."""
    upload = AttendanceImport.objects.select_for_update().get(pk=upload.pk)
    so_far = decisions_so_far(upload)
    choices = {
        index: best
        for index, row in enumerate(upload.people)
        if index not in so_far and (best := best_choice(row)) is not None
    }
    choose(upload, choices, by=by)
    return len(choices)


@transaction.atomic
def settle_the_rest(upload: AttendanceImport, decision: str, *, by: User) -> int:
    """Every line still undecided becomes a walk-in, or is left out."""
    if decision not in (WALK_IN, IGNORE):
        raise AttendanceError(_("Choose walk-ins or leaving out."))
    upload = AttendanceImport.objects.select_for_update().get(pk=upload.pk)
    so_far = decisions_so_far(upload)
    rest = {index: decision for index in range(len(upload.people)) if index not in so_far}
    choose(upload, rest, by=by)
    return len(rest)


# --- By hand and by code -------------------------------------------------


@transaction.atomic
def mark(
    session: Session,
    person: User,
    *,
    present: bool,
    minutes: int | None,
    reason: str,
    by: User,
) -> Attendance:
    """A coordinator's own figure, with the reason; shown as adjusted, by whom."""
    if not reason.strip():
        raise AttendanceError(_("Say why you change this attendance."))
    if minutes is not None and not 0 <= minutes <= session.duration_minutes:
        raise AttendanceError(
            _("Minutes go from 0 to the session's %(duration)s.")
            % {"duration": session.duration_minutes}
        )
    attendance, _created = Attendance.objects.select_for_update().get_or_create(
        session=session, person=person, defaults={"source": Attendance.Source.MANUAL}
    )
    attendance.present = present
    attendance.minutes = (
        0 if not present else (minutes if minutes is not None else session.duration_minutes)
    )
    attendance.adjusted_by, attendance.adjusted_at = by, timezone.now()
    attendance.adjusted_reason = reason.strip()[:300]
    attendance.save()
    _announce(session)
    log.info("attendance of %s at session %s set by %s", person.pk, session.pk, by.pk)
    return attendance


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on a call


def check_in_code(session: Session) -> CheckInCode:
    code, _created = CheckInCode.objects.get_or_create(
        session=session,
        defaults={"code": "".join(secrets.choice(CODE_ALPHABET) for _i in range(6))},
    )
    return code


@transaction.atomic
def check_in(
    session: Session, person: User, code: str, *, now: dt.datetime | None = None
) -> Attendance:
    """A phone-in attendee enters the code read out in the session: present, whole session."""
    now = now or timezone.now()
    expected = CheckInCode.objects.filter(session=session).values_list("code", flat=True).first()
    entered = "".join(code.split()).upper()
    if expected is None or not secrets.compare_digest(entered, expected):
        raise AttendanceError(_("This code is not the session's check-in code."))
    if not (
        session.starts_at - CheckInCode.OPENS_BEFORE
        <= now
        <= session.ends_at + CheckInCode.CLOSES_AFTER
    ):
        raise AttendanceError(_("Check-in is open only during the session."))
    attendance, created = Attendance.objects.select_for_update().get_or_create(
        session=session, person=person, defaults={"source": Attendance.Source.CHECK_IN}
    )
    if created or (not attendance.is_adjusted and attendance.minutes < session.duration_minutes):
        attendance.stated_minutes = session.duration_minutes
        _recompute(attendance)
        attendance.save()
        _announce(session)
    return attendance
