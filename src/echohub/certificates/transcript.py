"""A person's transcript: every session attended, and credits by year and type.

Credits come from the person's valid certificates only (what they can show an
accreditor); sessions attended without credit are listed with none. Certificates
that wait only for the person's evaluation are listed apart (`awaiting`), each with
their own link to answer it while it is open.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from echohub import spreadsheets
from echohub.accounts.models import User
from echohub.attendance.models import Attendance
from echohub.bilingual import pick
from echohub.certificates import roster
from echohub.certificates.models import Certificate
from echohub.evaluations import credit
from echohub.programs.models import Program


@dataclass
class Row:
    day: dt.date
    activity: str
    activity_lang: str  # the language the activity's name is written in ("" when mixed)
    hub: str
    minutes: int
    credits: list[tuple[str, Decimal]] = field(default_factory=list)
    certificate: Certificate | None = None


@dataclass(frozen=True)
class Transcript:
    person: User
    rows: list[Row]
    totals: list[tuple[int, str, Decimal]]  # (year, credit type label, total)


def _label(line: dict[str, str], lang: str) -> str:
    return str(pick({"en": line.get("label_en", ""), "fr": line.get("label_fr", "")}, lang))


def build(person: User, lang: str) -> Transcript:
    certificates = list(
        Certificate.objects.filter(person=person, revoked_at__isnull=True).select_related("session")
    )
    by_session = {c.session_id: c for c in certificates if c.session_id is not None}
    rows: list[Row] = []
    attended = Attendance.objects.filter(person=person, present=True).select_related(
        "session__program__hub"
    )
    for record in attended.order_by("session__starts_at"):
        session, program = record.session, record.session.program
        program_title = pick({"en": program.title_en, "fr": program.title_fr}, lang)
        session_title = pick({"en": session.title_en, "fr": session.title_fr}, lang)
        certificate = by_session.get(session.pk)
        rows.append(
            Row(
                day=timezone.localtime(session.starts_at, program.zone).date(),
                activity=f"{program_title} — {session_title}",
                activity_lang=program_title.lang
                if program_title.lang == session_title.lang
                else "",
                hub=str(pick({"en": program.hub.name_en, "fr": program.hub.name_fr}, lang)),
                minutes=record.minutes,
                credits=[
                    (_label(line, lang), Decimal(line["amount"]))
                    for line in (certificate.credits if certificate else [])
                ],
                certificate=certificate,
            )
        )
    for certificate in certificates:
        if certificate.session_id is None:  # a cycle's certificate: one row of its own
            days = [dt.date.fromisoformat(day) for day in certificate.days]
            activity = pick({"en": certificate.activity_en, "fr": certificate.activity_fr}, lang)
            rows.append(
                Row(
                    day=max(days) if days else certificate.issued_at.date(),
                    activity=f"{activity} — {_('completion')}",
                    activity_lang=activity.lang,
                    hub=str(pick({"en": certificate.hub_en, "fr": certificate.hub_fr}, lang)),
                    minutes=certificate.minutes,
                    credits=[
                        (_label(line, lang), Decimal(line["amount"]))
                        for line in certificate.credits
                    ],
                    certificate=certificate,
                )
            )
    rows.sort(key=lambda row: row.day)
    sums: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for row in rows:
        for label, amount in row.credits:
            sums[(row.day.year, label)] += amount
    totals = [(year, label, amount) for (year, label), amount in sorted(sums.items())]
    return Transcript(person, rows, totals)


@dataclass(frozen=True)
class Awaiting:
    """A certificate the person's attendance earned, waiting for their evaluation."""

    activity: str
    activity_lang: str
    day: dt.date | None  # the session's day; None for a program's cycle
    contact: str  # the hub's address, for when the evaluation closed unanswered
    evaluation: credit.Standing


def awaiting(person: User, lang: str) -> list[Awaiting]:
    """Each certificate due on attendance that waits for this person's evaluation."""
    programs = (
        Program.objects.filter(
            sessions__attendance__person=person,
            sessions__attendance__present=True,
            accreditations__requires_evaluation=True,
        )
        .distinct()
        .select_related("hub")
    )
    found = []
    for program in programs:
        accreditations = list(program.accreditations.prefetch_related("professions"))
        title = pick({"en": program.title_en, "fr": program.title_fr}, lang)
        contact = program.hub.contact_email
        if program.certificates == Program.Certificates.CYCLE:
            standings = roster.with_certificates(
                roster.for_cycle(program, accreditations, person=person), program, None
            )
            if any(s.status == roster.AWAITING for s in standings):
                evaluation = credit.standing(person, program, None)
                found.append(Awaiting(str(title), title.lang, None, contact, evaluation))
            continue
        sessions = roster.held_sessions(program).filter(
            attendance__person=person, attendance__present=True
        )
        for session in sessions.order_by("starts_at"):
            standings = roster.with_certificates(
                roster.for_session(session, accreditations, person=person), program, session
            )
            if any(s.status == roster.AWAITING for s in standings):
                session_title = pick({"en": session.title_en, "fr": session.title_fr}, lang)
                found.append(
                    Awaiting(
                        f"{title} — {session_title}",
                        title.lang if title.lang == session_title.lang else "",
                        roster.day_of(session, program),
                        contact,
                        credit.standing(person, program, session),
                    )
                )
    return found


def as_csv(transcript: Transcript) -> bytes:
    """The transcript as the one CSV helper writes every table (no cell read as a formula)."""
    return spreadsheets.as_csv(
        [_("Date"), _("Activity"), _("Hub"), _("Minutes"), _("Credits"), _("Verification code")],
        (
            [
                row.day.isoformat(),
                row.activity,
                row.hub,
                row.minutes,
                "; ".join(f"{amount} {label}" for label, amount in row.credits),
                row.certificate.code if row.certificate else "",
            ]
            for row in transcript.rows
        ),
    )
