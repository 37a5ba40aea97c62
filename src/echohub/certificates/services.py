"""Issuing, revoking and re-issuing certificates from saved attendance.

Issuing is idempotent: a person with a valid certificate for a session (or for
the program's cycle) is skipped, so a coordinator can press "issue" after every
import and only the newly eligible get one. Each new certificate emails its
holder a link once the transaction commits.

Who is eligible is `roster`'s to say (the coordinator's page reads the same);
which credit lines a certificate carries follows the holder's profession.
"""

import datetime as dt
import logging
from collections.abc import Callable, Collection
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from echohub.accounts.models import User
from echohub.certificates import credits as cpd
from echohub.certificates import roster
from echohub.certificates.models import Accreditation, Certificate, CertificateBatch
from echohub.evaluations.models import Completion, Phase
from echohub.programs.models import Program, Session
from echohub.workers.queue import enqueue_atomically

log = logging.getLogger(__name__)


class CertificateError(ValueError):
    """Why certificates cannot be issued now, in words for the coordinator."""


def _label(accreditation: Accreditation, lang: str) -> str:
    with translation.override(lang):
        return accreditation.type_label()


def _credit_lines(
    earned: dict[int, Decimal], accreditations: dict[int, Accreditation]
) -> list[dict[str, str]]:
    lines = []
    for pk, amount in earned.items():
        accreditation = accreditations[pk]
        lines.append(
            {
                "type": accreditation.credit_type,
                "label_en": _label(accreditation, "en"),
                "label_fr": _label(accreditation, "fr"),
                "amount": str(amount),
                "body": accreditation.body,
                "number": accreditation.number,
                "statement_en": accreditation.statement_en,
                "statement_fr": accreditation.statement_fr,
                "expires": accreditation.valid_to.isoformat(),
            }
        )
    return lines


def _language(person: User, program: Program) -> str:
    """The holder's language; both when the program runs in both and they read French."""
    lang = person.preferred_language or settings.LANGUAGE_CODE
    return "both" if program.languages == Program.Languages.BOTH and lang == "fr" else lang


def _new_certificate(
    person: User,
    program: Program,
    session: Session | None,
    *,
    days: list[dt.date],
    minutes: int,
    lines: list[dict[str, str]],
    by: User | None,
    batch: CertificateBatch | None = None,
) -> Certificate | None:
    title_en = program.title_en or program.title_fr
    title_fr = program.title_fr or program.title_en
    if session is not None:
        title_en = f"{title_en} — {session.title_en or session.title_fr}"
        title_fr = f"{title_fr} — {session.title_fr or session.title_en}"
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                person=person,
                program=program,
                session=session,
                language=_language(person, program),
                person_name=person.name or person.email,
                licence_number=person.licence_number,
                activity_en=title_en[:400],
                activity_fr=title_fr[:400],
                hub_en=program.hub.name_en or program.hub.name_fr,
                hub_fr=program.hub.name_fr or program.hub.name_en,
                contact=program.hub.contact_email,
                days=[day.isoformat() for day in days],
                minutes=minutes,
                credits=lines,
                issued_by=by,
            )
            if batch is not None:  # counted with the certificate: exact after a crash
                CertificateBatch.objects.filter(pk=batch.pk).update(
                    issued=F("issued") + 1, beat_at=timezone.now()
                )
            from echohub.certificates import tasks  # the task module imports this one

            # Its email is queued with it: a crash cannot leave one without the other.
            enqueue_atomically(tasks.tell_issued, certificate.pk)
    except IntegrityError:
        return None  # issued meanwhile by another run: theirs stands
    return certificate


def _check_program(program: Program) -> list[Accreditation]:
    accreditations = list(program.accreditations.prefetch_related("professions"))
    if not accreditations:
        raise CertificateError(_("Add the program's accreditation before issuing certificates."))
    return accreditations


def _issue(
    program: Program,
    session: Session | None,
    standings: list[roster.Standing],
    accreditations: list[Accreditation],
    *,
    by: User | None,
    people: Collection[int] | None,
    batch: CertificateBatch | None = None,
    step: Callable[[], None] = lambda: None,
) -> list[Certificate]:
    """A certificate to each eligible person who holds no valid one.

    When an accreditation requires the evaluation, only those whose evaluation is done
    (`Standing.due`): the others get theirs when they answer it (`issue_after_evaluation`).
    Everyone eligible gets a certificate of attendance; its credit lines are those of
    the accreditations that apply to their profession, never another profession's.
    Issuing to everyone (`people` None) leaves alone whoever had a certificate revoked:
    that one comes back only when chosen by name, or re-issued.
    """
    by_pk = {a.pk: a for a in accreditations}
    issued = []
    for standing in roster.with_certificates(standings, program, session):
        step()
        person = standing.person
        chosen = person.pk in people if people is not None else standing.certificate is None
        if not (standing.due and chosen) or standing.status == roster.ISSUED:
            continue
        earned = cpd.for_profession(accreditations, person.profession_id, standing.minutes_under)
        certificate = _new_certificate(
            person,
            program,
            session,
            days=standing.days,
            minutes=standing.minutes,
            lines=_credit_lines({e.accreditation.pk: e.amount for e in earned}, by_pk),
            by=by,
            batch=batch,
        )
        if certificate is not None:
            issued.append(certificate)
    return issued


def issue_for_session(
    session: Session, *, by: User | None, people: Collection[int] | None = None
) -> list[Certificate]:
    """One certificate per person who attended enough of `session` (or of those in `people`)."""
    program = session.program
    accreditations = _check_program(program)
    standings = roster.for_session(session, accreditations)
    issued = _issue(program, session, standings, accreditations, by=by, people=people)
    log.info("%s certificates issued for session %s", len(issued), session.pk)
    return issued


def issue_for_cycle(
    program: Program, *, by: User | None, people: Collection[int] | None = None
) -> list[Certificate]:
    """One certificate for the program to each person who met its completion rule."""
    accreditations = _check_program(program)
    standings = roster.for_cycle(program, accreditations)
    issued = _issue(program, None, standings, accreditations, by=by, people=people)
    log.info("%s cycle certificates issued for program %s", len(issued), program.pk)
    return issued


def issue_after_evaluation(completion_id: int) -> list[Certificate]:
    """Automatic issuing: the certificate that waited for this person's evaluation, now done.

    Only for a program that issues by itself and whose accreditation needs the evaluation
    (otherwise attendance alone issued it already), and only for the certificate this
    evaluation counts towards: its session's, or the cycle's (`evaluations.credit`). Whoever
    holds one for it already, even revoked, is left alone: a revoked certificate comes back
    only by a coordinator's hand.
    """
    completion = (
        Completion.objects.select_related("program", "session").filter(pk=completion_id).first()
    )
    if completion is None or not completion.is_done:
        return []
    program = completion.program
    if not program.certificates_automatic:
        return []
    if not program.accreditations.filter(requires_evaluation=True).exists():
        return []
    cycle = program.certificates == Program.Certificates.CYCLE
    session = None if cycle else completion.session
    if cycle and completion.phase not in (Phase.SESSION, Phase.POST):
        return []
    if not cycle and (session is None or completion.phase != Phase.SESSION):
        return []
    person_id = completion.person_id
    if Certificate.objects.filter(person_id=person_id, program=program, session=session).exists():
        return []
    if session is not None:
        return issue_for_session(session, by=None, people={person_id})
    return issue_for_cycle(program, by=None, people={person_id})


@transaction.atomic
def revoke(certificate: Certificate, *, reason: str, by: User) -> Certificate:
    if not reason.strip():
        raise CertificateError(_("Say why the certificate is revoked."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise CertificateError(_("This certificate is already revoked."))
    certificate.revoked_at, certificate.revoked_by = timezone.now(), by
    certificate.revoked_reason = reason.strip()[:300]
    certificate.save(update_fields=["revoked_at", "revoked_by", "revoked_reason"])
    log.info("certificate %s revoked by %s", certificate.pk, by.pk)
    return certificate


@transaction.atomic
def reissue(certificate: Certificate, *, reason: str, by: User) -> Certificate:
    """Revoke and issue again from the attendance as it is now (e.g. after a correction)."""
    old = revoke(certificate, reason=reason, by=by)
    if old.session is not None:
        new = issue_for_session(old.session, by=by, people={old.person_id})
    else:
        new = issue_for_cycle(old.program, by=by, people={old.person_id})
    if not new:
        raise CertificateError(
            _(
                "With the attendance as it is now, or without the evaluation that its credit "
                "needs, no certificate is due."
            )
        )
    new[0].replaces = old
    new[0].save(update_fields=["replaces"])
    return new[0]


# --- Batches -------------------------------------------------------------


def start_batch(program: Program, session: Session | None, *, by: User) -> CertificateBatch:
    """Queue a bulk issue in the background; its row shows progress."""
    _check_program(program)
    batch = CertificateBatch.objects.create(program=program, session=session, requested_by=by)
    from echohub.certificates import tasks

    enqueue_atomically(tasks.run_batch, batch.pk)
    return batch


def run_batch(batch_id: int) -> CertificateBatch:
    """Issue what the batch asks for; run again after a crash, it resumes where it stopped."""
    batch = CertificateBatch.objects.select_related("program", "session", "requested_by").get(
        pk=batch_id
    )
    if batch.status in (CertificateBatch.Status.DONE, CertificateBatch.Status.FAILED):
        return batch
    program = batch.program
    try:
        accreditations = _check_program(program)
        work: list[tuple[Session | None, list[roster.Standing]]]
        if program.certificates == Program.Certificates.CYCLE and batch.session is None:
            work = [(None, roster.for_cycle(program, accreditations))]
        else:
            sessions = [batch.session] if batch.session else roster.held_sessions(program)
            work = [(s, roster.for_session(s, accreditations)) for s in sessions]
    except CertificateError as error:
        return _batch_failed(batch, error)
    batch.total, batch.done = sum(len(standings) for _, standings in work), 0
    batch.status, batch.beat_at = CertificateBatch.Status.RUNNING, timezone.now()
    batch.save(update_fields=["total", "done", "status", "beat_at"])

    def step() -> None:
        batch.done += 1
        if batch.done % BATCH_STEP == 0:
            CertificateBatch.objects.filter(pk=batch.pk).update(
                done=batch.done, beat_at=timezone.now()
            )

    for session, standings in work:
        _issue(
            program,
            session,
            standings,
            accreditations,
            by=batch.requested_by,
            people=None,
            batch=batch,
            step=step,
        )
    batch.refresh_from_db(fields=["issued"])
    batch.status, batch.done = CertificateBatch.Status.DONE, batch.total
    batch.finished_at = batch.beat_at = timezone.now()
    batch.save(update_fields=["status", "done", "finished_at", "beat_at"])
    log.info("batch %s done: %s certificate(s) issued", batch.pk, batch.issued)
    return batch


# A running batch writes how far it got every this many people.
BATCH_STEP = 25


def _batch_failed(batch: CertificateBatch, error: CertificateError) -> CertificateBatch:
    batch.status, batch.error = CertificateBatch.Status.FAILED, str(error)[:300]
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "error", "finished_at"])
    return batch
