"""Invitations to a program: sent in bulk by the task worker, accepted once, before they expire.

Staff paste or upload addresses (`parse_addresses` reads them, with an optional
language on each line); `start_batch` records them and the worker's
`run_batch` invites them chunk by chunk, each chunk written with the batch's
progress in one transaction. An invitation is a random token whose SHA-256 is
kept (`programs.Invitation`); the email carries the token, in the invitee's
language (their account's if they have one). Inviting an address again, or
resending, gives it a new token and a new expiry: the old link stops working.

The email needs consent, as updates do: an unsubscribed or bounced address is
not written to (the list says so), and the email carries the one-click
unsubscribe.

Accepting (`accept`) lets the person into the program as a member and, in a
cohort program, enrols them at once: the invitation is the hub's approval.
"""

import dataclasses
import datetime as dt
import hashlib
import logging
import re
import secrets
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from echohub.accounts.models import User
from echohub.outreach.models import MailAddress, OutboxMessage
from echohub.outreach.services import (
    UNSUBSCRIBE_MARK,
    BulkRecipient,
    Reader,
    Rendered,
    mail_addresses,
    queue_rendered,
    render_email,
    site_link,
)
from echohub.programs.models import Group, Invitation, Program, ProgramMember
from echohub.programs.services import add_member
from echohub.registration import services
from echohub.registration.models import Enrolment, InvitationBatch
from echohub.workers.queue import enqueue_atomically

log = logging.getLogger(__name__)

# At most this many addresses in one paste or file.
MOST_ADDRESSES = 10_000
# A link works this many days unless the coordinator chose otherwise.
DEFAULT_DAYS = 30
LONGEST_DAYS = 90
# Addresses invited per transaction (and per progress step).
CHUNK = 200
# The email is rendered once per language; each copy gets its own link in place of this.
LINK_MARK = "https://invitation.invalid/ECHOHUBINVITATIONMARK"

_LANGUAGE_WORDS = {
    "en": "en",
    "eng": "en",
    "english": "en",
    "anglais": "en",
    "fr": "fr",
    "fra": "fr",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
}
_CELLS = re.compile(r"[,;\t ]+")


class InvitationError(ValidationError):
    """Why this invitation cannot be used or changed, in words for the page."""


@dataclass(frozen=True)
class Parsed:
    addresses: list[tuple[str, str]]  # (address, "en" | "fr", or "" for the batch's language)
    bad_lines: list[tuple[int, str]]  # (line number, the line as typed)
    repeated: int


def parse_addresses(text: str) -> Parsed:
    """Addresses from pasted text or an uploaded CSV or text file: one per line, with an
    optional language beside it ("nadia@example.org, fr"). A first line without an
    address is a header; quotes around cells are ignored. An address given twice counts
    once (with its first language)."""
    found: dict[str, str] = {}
    bad: list[tuple[int, str]] = []
    repeated = 0
    for number, line in enumerate(text.splitlines(), start=1):
        cells = [c.strip().strip("\"'").strip() for c in _CELLS.split(line.strip())]
        cells = [c for c in cells if c]
        if not cells:
            continue
        emails = [c for c in cells if "@" in c]
        languages = [_LANGUAGE_WORDS[c.lower()] for c in cells if c.lower() in _LANGUAGE_WORDS]
        if not emails and number == 1:
            continue  # a header: "email, language"
        if len(emails) != 1 or len(cells) > 1 + len(languages) or len(languages) > 1:
            bad.append((number, line.strip()[:200]))
            continue
        address = Invitation.address(emails[0])
        try:
            validate_email(address)
        except ValidationError:
            bad.append((number, line.strip()[:200]))
            continue
        if address in found:
            repeated += 1
            continue
        found[address] = languages[0] if languages else ""
    return Parsed(list(found.items()), bad, repeated)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find(token: str) -> Invitation | None:
    """The invitation a link's token opens; None for a token never issued (mistyped,
    tampered with, or replaced by a newer link)."""
    if not token or len(token) > 64:
        return None
    return Invitation.objects.select_related("program__hub").filter(token_hash=_hash(token)).first()


def unusable(invitation: Invitation, person: User | None) -> str | None:
    """Why this invitation's link no longer works (for `person`, when signed in), or None."""
    if invitation.status == Invitation.Status.ACCEPTED:
        if person is not None and invitation.accepted_by_id == person.pk:
            return None  # their own: accepting again changes nothing
        return _("This invitation has already been used. Ask the hub for a new one if you need it.")
    if invitation.status == Invitation.Status.REVOKED:
        return _("This invitation was withdrawn by the hub.")
    if invitation.is_expired:
        return _("This invitation has expired. Ask the hub to send you a new one.")
    if invitation.program.status != Program.Status.PUBLISHED:
        return _("This program is no longer open.")
    return None


@transaction.atomic
def accept(invitation: Invitation, person: User) -> Enrolment | None:
    """Let `person` into the program (and enrol them in a cohort program); returns the
    enrolment, if any. Only once: a second person with the same link is refused."""
    invitation = (
        Invitation.objects.select_for_update().select_related("program").get(pk=invitation.pk)
    )
    if reason := unusable(invitation, person):
        raise InvitationError(reason)
    program = invitation.program
    if invitation.status != Invitation.Status.ACCEPTED:
        invitation.status = Invitation.Status.ACCEPTED
        invitation.accepted_by, invitation.accepted_at = person, timezone.now()
        invitation.save(update_fields=["status", "accepted_by", "accepted_at"])
        log.info("invitation %s accepted by person %s", invitation.pk, person.pk)
    add_member(program, person, source=ProgramMember.Source.INVITED)
    if program.enrolment != Program.Enrolment.COHORT:
        return None
    if invitation.group is None and program.groups.exists():
        return None  # invited to no group in particular: they choose one on its page
    return services.enrol(person, program, group=invitation.group, approved=True)


# Inviting: a batch in the background, or one address again


@transaction.atomic
def start_batch(
    program: Program,
    parsed: Parsed,
    *,
    language: str,
    days: int,
    by: User,
    group: Group | None = None,
) -> InvitationBatch:
    """Record the addresses and have the worker invite them; its row shows progress."""
    if program.status != Program.Status.PUBLISHED:
        raise InvitationError(_("Publish the program before inviting anyone to it."))
    if group is not None and group.program_id != program.pk:
        raise InvitationError(_("Choose a group of this program."))
    batch = InvitationBatch.objects.create(
        program=program,
        requested_by=by,
        addresses=[list(pair) for pair in parsed.addresses],
        language=language,
        group=group,
        days=days,
        total=len(parsed.addresses),
    )
    from echohub.registration import tasks

    enqueue_atomically(tasks.run_invitation_batch, batch.pk)
    log.info("invitation batch %s of %s address(es) by %s", batch.pk, batch.total, by.pk)
    return batch


def run_batch(batch_id: int) -> InvitationBatch:
    """Invite every address of the batch; run again after a crash, it resumes."""
    batch = InvitationBatch.objects.select_related("program__hub", "requested_by", "group").get(
        pk=batch_id
    )
    if batch.status in (InvitationBatch.Status.DONE, InvitationBatch.Status.FAILED):
        return batch
    if batch.program.status != Program.Status.PUBLISHED:
        batch.status = InvitationBatch.Status.FAILED
        batch.error = _("The program is no longer published.")
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "error", "finished_at"])
        return batch
    batch.status, batch.beat_at = InvitationBatch.Status.RUNNING, timezone.now()
    batch.save(update_fields=["status", "beat_at"])
    mailer = _Mailer(batch.program, batch.days)
    while batch.done < batch.total:
        chunk = batch.addresses[batch.done : batch.done + CHUNK]
        with transaction.atomic():  # the chunk and how far the batch got, together
            invited, already_in, not_sent = _invite(batch, chunk, mailer)
            batch.done += len(chunk)
            batch.invited += invited
            batch.already_in += already_in
            batch.not_sent += not_sent
            batch.beat_at = timezone.now()
            batch.save(update_fields=["done", "invited", "already_in", "not_sent", "beat_at"])
    batch.status, batch.addresses = InvitationBatch.Status.DONE, []
    batch.finished_at = batch.beat_at = timezone.now()
    batch.save(update_fields=["status", "addresses", "finished_at", "beat_at"])
    log.info("invitation batch %s done: %s invited", batch.pk, batch.invited)
    return batch


def _invite(
    batch: InvitationBatch, chunk: list[list[str]], mailer: "_Mailer"
) -> tuple[int, int, int]:
    """Invite these addresses (in the caller's transaction); returns how many were
    invited, how many were in the program already and how many could not be written to."""
    program = batch.program
    emails = [email for email, _language in chunk]
    # Addresses are kept lower-cased here; an account's as it was typed.
    accounts = {
        u.address: u
        for u in User.objects.annotate(address=Lower("email"))
        .filter(address__in=emails)
        .only("email", "preferred_language")
    }
    members = set(
        ProgramMember.objects.filter(program=program)
        .annotate(address=Lower("person__email"))
        .filter(address__in=emails)
        .values_list("address", flat=True)
    )
    existing = {i.email: i for i in Invitation.objects.filter(program=program, email__in=emails)}
    issued: list[tuple[Invitation, str]] = []
    already_in = 0
    for email, chosen in chunk:
        invitation = existing.get(email)
        accepted = invitation is not None and invitation.status == Invitation.Status.ACCEPTED
        if email in members or accepted:
            already_in += 1
            continue
        account = accounts.get(email)
        language = account.preferred_language if account else (chosen or batch.language)
        issued.append(
            _issue(
                invitation or Invitation(program=program, email=email, times_sent=0),
                language=language,
                days=batch.days,
                by=batch.requested_by,
                group=batch.group,
            )
        )
    queued = mailer.send(issued)
    return len(issued), already_in, len(issued) - queued


def _issue(
    invitation: Invitation,
    *,
    language: str,
    days: int,
    by: User | None,
    group: Group | None = None,
) -> tuple[Invitation, str]:
    """A new token for this invitation (new, or sent again), saved; returns it with the
    token, which only its email will carry."""
    token = secrets.token_urlsafe(24)
    now = timezone.now()
    invitation.token_hash = _hash(token)
    invitation.language = language
    invitation.status = Invitation.Status.PENDING
    invitation.expires_at = now + dt.timedelta(days=days)
    invitation.sent_at = now
    invitation.times_sent += 1
    invitation.invited_by = by
    invitation.group = group
    invitation.accepted_by, invitation.accepted_at = None, None
    invitation.save()
    return invitation, token


def reason_key(invitation: Invitation) -> str:
    """Each sending of an invitation is its own email, sent once."""
    return f"invitation:{invitation.pk}:{invitation.times_sent}"


class _Mailer:
    """The invitation email of a program, rendered once per language; each copy gets its
    own link and unsubscribe link. Queued in the outbox, sent by its batch sender."""

    def __init__(self, program: Program, days: int) -> None:
        self.program, self.days = program, days
        self.renderings: dict[str, Rendered] = {}
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)  # the email names no time

    def _rendered(self, language: str) -> Rendered:
        if language not in self.renderings:
            self.renderings[language] = render_email(
                Reader(email="", name="", language=language, zone=self.zone),
                "invitation",
                {
                    "program": self.program,
                    "accept_url": LINK_MARK,
                    "days": self.days,
                    "invited": True,
                },
                hub=self.program.hub,
                unsubscribe_url=UNSUBSCRIBE_MARK,
            )
        return self.renderings[language]

    def send(self, issued: list[tuple[Invitation, str]]) -> int:
        """Queue one email per invitation; returns how many were queued (a suppressed
        address is not written to)."""
        if not issued:
            return 0
        addresses = mail_addresses(invitation.email for invitation, _token in issued)
        links: dict[str, str] = {}
        recipients = []
        for invitation, token in issued:
            key = reason_key(invitation)
            with translation.override(invitation.language):
                links[key] = str(site_link("registration:invitation", token=token))
            recipients.append(
                BulkRecipient(
                    address=addresses[invitation.email],
                    reason_key=key,
                    language=invitation.language,
                    zone=self.zone,
                )
            )

        def render(recipient: BulkRecipient) -> Rendered:
            rendered = self._rendered(recipient.language)
            link = links[recipient.reason_key]
            return dataclasses.replace(
                rendered,
                text=rendered.text.replace(LINK_MARK, link),
                html=rendered.html.replace(LINK_MARK, link),
            )

        return queue_rendered(kind="invitation", recipients=recipients, render=render)


@transaction.atomic
def resend(invitation: Invitation, *, by: User) -> bool:
    """Send the invitation again with a new link (the old one stops working) and a new
    expiry; returns whether an email was queued (not to a suppressed address)."""
    invitation = (
        Invitation.objects.select_for_update().select_related("program__hub").get(pk=invitation.pk)
    )
    if invitation.status == Invitation.Status.ACCEPTED:
        raise InvitationError(_("This invitation has already been accepted."))
    if invitation.program.status != Program.Status.PUBLISHED:
        raise InvitationError(_("Publish the program before inviting anyone to it."))
    account = User.objects.filter(email__iexact=invitation.email).first()
    language = account.preferred_language if account else invitation.language
    issued = _issue(invitation, language=language, days=DEFAULT_DAYS, by=by, group=invitation.group)
    queued = _Mailer(invitation.program, DEFAULT_DAYS).send([issued])
    log.info("invitation %s sent again by %s", invitation.pk, by.pk)
    return queued == 1


@transaction.atomic
def withdraw(invitation: Invitation, *, by: User) -> None:
    """The link stops working (it says so); inviting the address again gives a new one."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status == Invitation.Status.ACCEPTED:
        raise InvitationError(_("This invitation has already been accepted."))
    invitation.status = Invitation.Status.REVOKED
    invitation.save(update_fields=["status"])
    log.info("invitation %s withdrawn by %s", invitation.pk, by.pk)


# What the coordinator's list shows


SHOWN = {
    "sent": pgettext_lazy("invitation", "Sent"),
    "accepted": pgettext_lazy("invitation", "Accepted"),
    "expired": pgettext_lazy("invitation", "Expired"),
    "bounced": pgettext_lazy("invitation", "Bounced"),
    "unsubscribed": gettext_lazy("Not sent: unsubscribed"),
    "withdrawn": pgettext_lazy("invitation", "Withdrawn"),
}


def _filters() -> dict[str, Q]:
    """Each shown status as a filter; together they split the invitations exactly."""
    now = timezone.now()
    bounced = MailAddress.objects.filter(suppressed=MailAddress.Suppressed.BOUNCED).values("email")
    unsubscribed = MailAddress.objects.filter(
        suppressed=MailAddress.Suppressed.UNSUBSCRIBED
    ).values("email")
    live = Q(status=Invitation.Status.PENDING, expires_at__gt=now)
    return {
        "sent": live & ~Q(email__in=bounced) & ~Q(email__in=unsubscribed),
        "accepted": Q(status=Invitation.Status.ACCEPTED),
        "expired": Q(status=Invitation.Status.PENDING, expires_at__lte=now),
        "bounced": live & Q(email__in=bounced),
        "unsubscribed": live & Q(email__in=unsubscribed),
        "withdrawn": Q(status=Invitation.Status.REVOKED),
    }


def counts(program: Program) -> dict[str, int]:
    """How many invitations of the program are in each shown status (one query)."""
    found = Invitation.objects.filter(program=program).aggregate(
        **{name: Count("pk", filter=q) for name, q in _filters().items()}
    )
    return {name: found[name] or 0 for name in SHOWN}


def listed(program: Program, status: str = "", query: str = "") -> QuerySet[Invitation]:
    """The program's invitations, each with the status it shows (`shown`, by the same
    filters as `counts`)."""
    filters = _filters()
    shown = Case(*(When(q, then=Value(name)) for name, q in filters.items()))
    invitations = (
        Invitation.objects.filter(program=program)
        .select_related("accepted_by", "group")
        .annotate(shown=shown)
    )
    if status in SHOWN:
        invitations = invitations.filter(filters[status])
    if query:
        invitations = invitations.filter(email__icontains=query.strip().lower())
    return invitations


@dataclass(frozen=True)
class Row:
    invitation: Invitation
    status: str
    label: str
    sending: str  # for one sent: "" once delivered to the mail server, else queued/failed


def rows(invitations: Iterable[Invitation]) -> list[Row]:
    """A page of `listed` invitations with the status each shows, and whether its last
    email left."""
    page = list(invitations)
    outbox = dict(
        OutboxMessage.objects.filter(reason_key__in=[reason_key(i) for i in page]).values_list(
            "reason_key", "status"
        )
    )
    shown = []
    for invitation in page:
        status = invitation.shown  # type: ignore[attr-defined]  # listed() annotates it
        sending = ""
        if status == "sent":
            left = outbox.get(reason_key(invitation), OutboxMessage.Status.SENT)
            if left in (OutboxMessage.Status.QUEUED, OutboxMessage.Status.SENDING):
                sending = _("Being sent")
            elif left == OutboxMessage.Status.FAILED:
                sending = _("Sending failed: send it again")
        shown.append(Row(invitation, status, str(SHOWN[status]), sending))
    return shown
