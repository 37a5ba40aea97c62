"""Queueing and sending emails through the outbox.

`queue_email` renders a message once, in its recipient's language and time
zone, records it under a unique reason and asks a task to send it when the
transaction commits. `send_message` is what that task calls: it sends a
message at most once and records every failed attempt.
"""

import datetime as dt
import logging
import re
import time
import uuid
import zoneinfo
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from email.headerregistry import Address
from email.mime.text import MIMEText
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import connection, connections, transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy

from echohub.accounts.models import User
from echohub.network.branding import ink_on
from echohub.network.models import Hub
from echohub.outreach.models import MailAddress, OutboxMessage, normalise_email
from echohub.pagecache.kept import kept_rows
from echohub.workers import leases
from echohub.workers.queue import enqueue_atomically

log = logging.getLogger(__name__)

# Waits before each next attempt: a mail server down for a weekend loses nothing.
# After the last (about two and a half days in all) a message stays failed, shown
# in the admin, where it can be sent again (or with `echohub resend_emails`).
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
    dt.timedelta(hours=3),
    dt.timedelta(hours=8),
    dt.timedelta(hours=24),
    dt.timedelta(hours=24),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed attempt."""
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


_BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")


@dataclass(frozen=True)
class CalendarFile:
    """An iCalendar attachment (METHOD:PUBLISH or CANCEL) that rides along with an email."""

    filename: str
    content: str


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    from_email: str


@dataclass(frozen=True)
class Reader:
    """Whoever an email is for: an account, or a subscriber who has none."""

    email: str
    name: str
    language: str
    zone: zoneinfo.ZoneInfo
    person: User | None = None

    @classmethod
    def of(cls, person: User) -> "Reader":
        return cls(
            email=person.email,
            name=person.get_short_name(),
            language=person.preferred_language or settings.LANGUAGE_CODE,
            zone=person_zone(person),
            person=person,
        )


@dataclass(frozen=True)
class Sender:
    """Who an email is from, as CASL asks a message to say: a name, a mailing
    address and a way to reach them. A hub's email names the hub; the network's
    names the national lead hub (else SITE_NAME), and a hub without an address
    of its own gives the lead's."""

    name: str
    mailing_address: str
    contact: str
    site_name: str
    colour: str
    ink: str
    hub: Hub | None = None


_SPACES = re.compile(r"[ \t\r\n]+")

# The header band of an email whose hub has no colour of its own.
DEFAULT_COLOUR = "#2a6f97"


def _site_link(name: str, query: str = "", **kwargs: object) -> str:
    path = reverse(name, kwargs=kwargs or None)
    return settings.SITE_URL.rstrip("/") + path + (f"?{query}" if query else "")


# An absolute address for an email, resolved only when the email renders, so its
# path is in the reader's language (/en/… or /fr/…).
site_link = lazy(_site_link, str)


def person_zone(person: User) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(person.timezone or settings.TIME_ZONE)


def _template(kind: str, part: str) -> str:
    # "registration.confirmed" lives in outreach/email/registration/confirmed/.
    return f"outreach/email/{kind.replace('.', '/')}/{part}"


def _sender(hub: Hub | None) -> str:
    """The hub's name in the reader's language, at EchoHub's sending address."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if hub is not None:
        name = f"{hub.name} · {settings.SITE_NAME}"
    elif settings.SITE_NAME:
        name = settings.SITE_NAME
    # Unencoded: Django encodes the header when it sends.
    return str(Address(display_name=name, addr_spec=address)) if name else address


def _one_line(text: str) -> str:
    return ", ".join(line.strip() for line in text.splitlines() if line.strip())


def sender_identity(hub: Hub | None) -> Sender:
    """Who signs an email from `hub` (or from the network when None), in the active language."""
    # The hubs are on the page already (kept per page-cache generation): no query.
    lead = min((h for h in kept_rows(Hub) if h.is_lead), key=lambda h: h.pk, default=None)
    signer = hub or lead
    address = next(
        (h.mailing_address for h in (hub, lead) if h is not None and h.mailing_address.strip()),
        settings.SENDER_MAILING_ADDRESS,
    )
    contact = ""
    if signer is not None:
        contact = signer.contact_email or signer.phone or signer.website
    colour = next(
        (h.brand_colour for h in (hub, lead) if h is not None and h.brand_colour), DEFAULT_COLOUR
    )
    return Sender(
        name=str(signer.name) if signer is not None else settings.SITE_NAME,
        colour=colour,
        ink=ink_on(colour),
        mailing_address=_one_line(address),
        # CASL accepts an email address, a telephone number or a web address.
        contact=contact or settings.SENDER_CONTACT or settings.SITE_URL,
        site_name=settings.SITE_NAME,
        hub=hub,
    )


def render_email(
    reader: "User | Reader",
    kind: str,
    context: dict[str, Any],
    *,
    hub: Hub | None = None,
    unsubscribe_url: str = "",
) -> Rendered:
    """The subject, text and HTML of `kind` as the reader reads them (language, zone).

    Every email ends with who sent it (CASL's identification); one that needs
    consent (`unsubscribe_url` given) ends with its one-click unsubscribe too.
    """
    if isinstance(reader, User):
        reader = Reader.of(reader)
    with translation.override(reader.language), timezone.override(reader.zone):
        full = {
            "reader": reader,
            "person": reader.person,
            "hub": hub,
            "site_url": settings.SITE_URL,
            "site_name": settings.SITE_NAME,
            "sender": sender_identity(hub),
            "unsubscribe_url": unsubscribe_url,
            **context,
        }
        # A header is one line, whatever the template's line breaks.
        # Runs of ordinary white space fold to one space; a no-break space (French
        # typography: « … », "Inscription :") is kept, where str.split() would drop it.
        subject = _SPACES.sub(" ", render_to_string(_template(kind, "subject.txt"), full)).strip()
        full["subject"] = subject
        text = render_to_string(_template(kind, "body.txt"), full)
        html = render_to_string(_template(kind, "body.html"), full)
        return Rendered(
            subject=subject,
            text=_BLANK_LINES.sub("\n\n", text).strip() + "\n",
            html=html,
            from_email=_sender(hub),
        )


def mail_address(email: str) -> MailAddress:
    """The address's row (made on first use), which holds its unsubscribe token."""
    address, _ = MailAddress.objects.get_or_create(email=normalise_email(email))
    return address


# Values per `IN (…)` query: SQLite refuses more than 32,766 parameters in one.
IN_CHUNK = 5000


def in_chunks(values: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


def mail_addresses(emails: Iterable[str]) -> dict[str, MailAddress]:
    """Rows for many addresses at once, keyed by normalised address (for fan-outs)."""
    wanted = sorted({normalise_email(e) for e in emails})
    found: dict[str, MailAddress] = {}
    for chunk in in_chunks(wanted):
        found.update((a.email, a) for a in MailAddress.objects.filter(email__in=chunk))
    missing = [e for e in wanted if e not in found]
    MailAddress.objects.bulk_create(
        [MailAddress(email=e) for e in missing], ignore_conflicts=True, batch_size=500
    )
    for chunk in in_chunks(missing):
        found.update((a.email, a) for a in MailAddress.objects.filter(email__in=chunk))
    return found


def unsubscribe_link(address: MailAddress) -> str:
    return _site_link("outreach:unsubscribe", token=address.token)


def may_receive(address: MailAddress | None, *, transactional: bool) -> bool:
    """A hard bounce gets nothing; an unsubscribed address gets only transactional email."""
    if address is None or not address.suppressed:
        return True
    return transactional and address.suppressed == MailAddress.Suppressed.UNSUBSCRIBED


def queue_email(
    *,
    person: "User | Reader",
    kind: str,
    reason_key: str,
    context: dict[str, Any],
    hub: Hub | None = None,
    calendar: CalendarFile | None = None,
    transactional: bool = True,
) -> OutboxMessage | None:
    """Record an email for `person` and send it after commit; None if this reason was used.

    `person` is an account, or a `Reader` for an address without one (a
    subscriber). An email that is not transactional (a follow, an update) needs
    consent: it is not queued for a suppressed address, and it carries the
    unsubscribe link in its footer and its List-Unsubscribe headers.
    """
    if OutboxMessage.objects.filter(reason_key=reason_key).exists():
        return None
    reader = Reader.of(person) if isinstance(person, User) else person
    address = mail_address(reader.email)
    if not may_receive(address, transactional=transactional):
        log.info("email (%s) not queued for address %s: suppressed", kind, address.pk)
        return None
    with translation.override(reader.language):
        unsubscribe_url = "" if transactional else unsubscribe_link(address)
    rendered = render_email(reader, kind, context, hub=hub, unsubscribe_url=unsubscribe_url)
    # Imported here: the task module calls back into this one.
    from echohub.outreach.tasks import send_outbox_message

    # The row and its sending task are written together: a crash cannot leave a
    # queued email that nothing will send.
    with transaction.atomic():
        message, created = OutboxMessage.objects.get_or_create(
            reason_key=reason_key,
            defaults={
                "recipient": reader.person,
                "to_email": reader.email,
                "from_email": rendered.from_email,
                "language": reader.language,
                "kind": kind,
                "subject": rendered.subject,
                "body_text": rendered.text,
                "body_html": rendered.html,
                "transactional": transactional,
                "unsubscribe_url": unsubscribe_url,
                "calendar_ics": calendar.content if calendar else "",
                "calendar_filename": calendar.filename if calendar else "",
            },
        )
        if not created:
            return None
        enqueue_atomically(send_outbox_message, message.pk)
    log.info("email %s (%s) queued for address %s", message.pk, kind, address.pk)
    return message


def message_id(message: OutboxMessage) -> str:
    """The same Message-ID every time a row is sent: a copy sent again after a
    crash (see `send_batch`) is recognised as the same message by mail clients."""
    sender = parseaddr(message.from_email or settings.DEFAULT_FROM_EMAIL)[1]
    domain = sender.rpartition("@")[2] or "echohub.invalid"
    return f"<outbox.{message.pk}.{message.created_at:%Y%m%d%H%M%S}@{domain}>"


def _email(message: OutboxMessage) -> EmailMultiAlternatives:
    headers = {"Message-ID": message_id(message)}
    if message.unsubscribe_url:
        # RFC 8058: a mail client's "Unsubscribe" button POSTs
        # "List-Unsubscribe=One-Click" to this address, no page and no sign-in.
        headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if message.bulk:
        headers["Auto-Submitted"] = "auto-generated"
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers=headers,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    if message.calendar_ics:
        part = MIMEText(message.calendar_ics, "calendar", "utf-8")
        # The MIME method must match the file's own (PUBLISH, or CANCEL to withdraw an event).
        method = "CANCEL" if "\nMETHOD:CANCEL" in message.calendar_ics else "PUBLISH"
        part.set_param("method", method)
        part.add_header(
            "Content-Disposition", "attachment", filename=message.calendar_filename or "invite.ics"
        )
        email.attach(part)
    return email


def _suppressed(message: OutboxMessage, address: MailAddress | None) -> bool:
    """Checked again at sending: an unsubscribe takes effect on what is already queued."""
    if may_receive(address, transactional=message.transactional):
        return False
    message.status = OutboxMessage.Status.SUPPRESSED
    message.save(update_fields=["status"])
    log.info("email %s not sent: the address is suppressed", message.pk)
    return True


# What an account email keeps once sent: its link or code must not outlive it.
SPENT = "(removed once sent: it held a one-time link or code)"


def _sent(message: OutboxMessage) -> None:
    message.status = OutboxMessage.Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    fields = ["status", "attempts", "last_error", "sent_at"]
    if message.kind.startswith("account."):
        message.body_text = message.body_html = SPENT
        fields += ["body_text", "body_html"]
    message.save(update_fields=fields)
    log.info("email %s sent", message.pk)


def _failed(message: OutboxMessage, error: Exception) -> None:
    message.status = OutboxMessage.Status.FAILED
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    message.save(update_fields=["status", "attempts", "last_error"])
    log.warning("email %s failed (attempt %s)", message.pk, message.attempts)


def send_message(message_id: int) -> bool:
    """Send a queued message; False when it was already sent (it never goes twice).

    A failure is recorded (attempts, last error) and raised again, so the task
    backend records it too and the task can try again.
    """
    message = OutboxMessage.objects.get(pk=message_id)
    if message.status in (OutboxMessage.Status.SENT, OutboxMessage.Status.SUPPRESSED):
        return False
    address = MailAddress.objects.filter(email=normalise_email(message.to_email)).first()
    if _suppressed(message, address):
        return False
    message.attempts += 1
    try:
        _email(message).send()
    except Exception as error:
        _failed(message, error)
        raise
    _sent(message)
    return True


# A claim made without a lease (a sender outside `echohub worker` and
# `send_outbox`) counts as abandoned after this long.
STALE_CLAIM = dt.timedelta(minutes=15)


def _claim(limit: int) -> list[int]:
    """Take up to `limit` queued bulk messages for this sender alone.

    On PostgreSQL concurrent senders skip each other's locked rows; SQLite has
    one writer at a time, so its transaction alone keeps two senders apart.
    Rows claimed by a sender that died (its lease stopped beating) are queued
    again first.
    """
    now = timezone.now()
    abandoned = Q(claimed_by="", claimed_at__lt=now - STALE_CLAIM) | (
        ~Q(claimed_by="") & ~Q(claimed_by__in=leases.alive(now))
    )
    with transaction.atomic():
        claimed = OutboxMessage.objects.filter(bulk=True, status=OutboxMessage.Status.SENDING)
        claimed.filter(abandoned).update(status=OutboxMessage.Status.QUEUED, claimed_by="")
        due = (
            OutboxMessage.objects.filter(bulk=True, status=OutboxMessage.Status.QUEUED)
            .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
            .order_by("pk")
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxMessage.Status.SENDING, claimed_at=now, claimed_by=leases.current() or ""
        )
    return ids


def _try_later(message: OutboxMessage, error: Exception) -> None:
    _failed(message, error)
    if message.attempts < MAX_ATTEMPTS:
        message.status = OutboxMessage.Status.QUEUED
        message.not_before = timezone.now() + retry_delay(message.attempts)
        message.save(update_fields=["status", "not_before"])


def send_batch(limit: int | None = None) -> int:
    """Send one batch of queued bulk email over one SMTP connection, at the configured rate.

    Returns how many messages it took (sent, suppressed or failed); 0 when none
    is due. A failed message is tried again later, up to MAX_ATTEMPTS in all.
    Each message is marked sent as soon as the server took it (`_Marks`): a
    sender killed in between sends at most the last two again, under the same
    Message-ID, once its claim lapses (its lease stops beating;
    `echohub.workers.leases`).
    """
    ids = _claim(limit or settings.EMAIL_BATCH_SIZE)
    if not ids:
        return 0
    messages = list(OutboxMessage.objects.filter(pk__in=ids).order_by("pk"))
    addresses = {
        a.email: a
        for a in MailAddress.objects.filter(
            email__in={normalise_email(m.to_email) for m in messages}
        ).exclude(suppressed="")
    }
    rate = settings.EMAIL_RATE_PER_SECOND
    started = time.monotonic()
    handed: list[int] = []
    marks = _Marks()
    with marks, get_connection() as smtp:
        for message in messages:
            if _suppressed(message, addresses.get(normalise_email(message.to_email))):
                continue
            if rate:
                # Hold back so that, over the batch, no more than `rate` go per second.
                wait = started + len(handed) / rate - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
            try:
                email = _email(message)
                email.connection = smtp
                email.send()
            except Exception as error:
                message.attempts += 1
                _try_later(message, error)
                continue
            handed.append(message.pk)
            marks.add(message.pk)
    log.info("batch: %s of %s email(s) sent", len(handed), len(messages))
    return len(messages)


def _mark_sent(pk: int) -> None:
    OutboxMessage.objects.filter(pk=pk).update(
        status=OutboxMessage.Status.SENT,
        sent_at=timezone.now(),
        attempts=F("attempts") + 1,
        last_error="",
    )


def _mark_and_close(pk: int | None) -> None:
    try:
        if pk is not None:
            _mark_sent(pk)
    finally:
        if pk is None:
            connections.close_all()  # the marking thread's own connection


class _Marks:
    """Marks each sent message as SENT, one behind the sender.

    One UPDATE and commit per message costs about as much as handing it to the
    mail server (1 to 2 ms on PostgreSQL). Committed on a second connection, a
    mark overlaps the sending of the next message: at most two messages are
    unmarked at any moment. Inside a transaction (a caller's, or a test's)
    a second connection would not see the rows, so marks are made in line.
    """

    def __init__(self) -> None:
        self.pool = None if connection.in_atomic_block else ThreadPoolExecutor(1, "outbox-mark")
        self.pending: Future[None] | None = None

    def add(self, pk: int) -> None:
        if self.pool is None:
            _mark_sent(pk)
            return
        self._wait()
        self.pending = self.pool.submit(_mark_and_close, pk)

    def _wait(self) -> None:
        if self.pending is not None:
            pending, self.pending = self.pending, None
            pending.result()  # a failed mark fails the batch: its claim is then taken back

    def __enter__(self) -> "_Marks":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is None:
            return
        try:
            self._wait()
        finally:
            self.pool.submit(_mark_and_close, None).result()
            self.pool.shutdown()


def _suppress(address: MailAddress, reason: str, source: str) -> None:
    address.suppressed = reason
    address.suppressed_at = timezone.now()
    address.suppression_source = source[:200]
    address.save(update_fields=["suppressed", "suppressed_at", "suppression_source"])
    log.info("address %s suppressed: %s (%s)", address.pk, reason, source[:60])


def unsubscribe(token: str, *, source: str) -> MailAddress | None:
    """Suppress the address behind an unsubscribe token, at once; None for an unknown token."""
    with transaction.atomic():
        address = MailAddress.objects.select_for_update().filter(token=token).first()
        if address is not None and not address.suppressed:
            _suppress(address, MailAddress.Suppressed.UNSUBSCRIBED, source)
    return address


def record_bounce(email: str, *, source: str) -> MailAddress:
    """A hard bounce: the address gets nothing more, not even transactional email."""
    with transaction.atomic():
        address = MailAddress.objects.select_for_update().get(pk=mail_address(email).pk)
        if address.suppressed != MailAddress.Suppressed.BOUNCED:
            _suppress(address, MailAddress.Suppressed.BOUNCED, source)
    return address


def lift_suppression(address: MailAddress) -> None:
    """The person confirmed a new subscription from this address: it works, and they want mail."""
    if address.suppressed:
        MailAddress.objects.filter(pk=address.pk).update(
            suppressed="", suppressed_at=None, suppression_source=""
        )
        address.suppressed, address.suppressed_at, address.suppression_source = "", None, ""
        log.info("address %s: suppression lifted by a confirmed subscription", address.pk)


# Stand-ins rendered once and replaced per recipient in a bulk email (no character
# that HTML escaping changes, so they come out of a template as they went in).
UNSUBSCRIBE_MARK = "https://unsubscribe.invalid/ECHOHUBUNSUBSCRIBEMARK"
PREFERENCES_MARK = "https://preferences.invalid/ECHOHUBPREFERENCESMARK"


@dataclass(frozen=True)
class BulkRecipient:
    address: MailAddress
    reason_key: str
    language: str
    zone: zoneinfo.ZoneInfo
    preferences_url: str = ""


def queue_bulk(
    *,
    kind: str,
    recipients: list[BulkRecipient],
    context: dict[str, Any],
    hub: Hub | None = None,
) -> int:
    """Queue one email that needs consent to many addresses; returns how many were queued.

    It is rendered once per language and time zone, not once per person: the
    greeting names nobody and each copy gets its own unsubscribe and
    preferences links.
    """
    renderings: dict[tuple[str, str], Rendered] = {}

    def render(recipient: BulkRecipient) -> Rendered:
        key = (recipient.language, recipient.zone.key)
        if key not in renderings:
            renderings[key] = render_email(
                Reader(email="", name="", language=key[0], zone=recipient.zone),
                kind,
                {**context, "preferences_url": PREFERENCES_MARK},
                hub=hub,
                unsubscribe_url=UNSUBSCRIBE_MARK,
            )
        return renderings[key]

    return queue_rendered(kind=kind, recipients=recipients, render=render)


def queue_rendered(
    *, kind: str, recipients: list[BulkRecipient], render: Callable[[BulkRecipient], Rendered]
) -> int:
    """Queue emails that need consent, each as `render` gives it with the two marks
    (UNSUBSCRIBE_MARK, PREFERENCES_MARK) where its own links go; returns how many.

    Suppressed addresses and reasons already used are skipped, so a second run
    queues nothing; the batch sender sends them.
    """
    used: set[str] = set()
    for chunk in in_chunks([r.reason_key for r in recipients]):
        used.update(
            OutboxMessage.objects.filter(reason_key__in=chunk).values_list("reason_key", flat=True)
        )
    rows = []
    for recipient in recipients:
        if recipient.reason_key in used or not may_receive(recipient.address, transactional=False):
            continue
        rendered = render(recipient)
        # Both links in the reader's language (/fr/… for a French reader).
        with translation.override(recipient.language):
            unsubscribe_url = unsubscribe_link(recipient.address)
            preferences_url = str(recipient.preferences_url) or unsubscribe_url

        def fill(text: str, u: str = unsubscribe_url, p: str = preferences_url) -> str:
            return text.replace(UNSUBSCRIBE_MARK, u).replace(PREFERENCES_MARK, p)

        rows.append(
            OutboxMessage(
                to_email=recipient.address.email,
                from_email=rendered.from_email,
                language=recipient.language,
                kind=kind,
                reason_key=recipient.reason_key,
                subject=rendered.subject,
                body_text=fill(rendered.text),
                body_html=fill(rendered.html),
                transactional=False,
                bulk=True,
                unsubscribe_url=unsubscribe_url,
            )
        )
    # A concurrent run that queued the same reason first wins; this one skips it.
    OutboxMessage.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    if rows:
        from echohub.outreach.tasks import send_outbox_batches

        enqueue_atomically(send_outbox_batches)
        log.info("%s email(s) (%s) queued in bulk", len(rows), kind)
    return len(rows)


def queue_prepared(
    email: EmailMessage, *, kind: str, person: User | None, language: str
) -> OutboxMessage:
    """Queue an email another library wrote (allauth's account emails), to be sent by
    the worker with the outbox's retries: a mail server that is down delays it
    instead of failing the page that asked for it."""
    alternatives = getattr(email, "alternatives", [])
    html = next((content for content, mime in alternatives if mime == "text/html"), "")
    from echohub.outreach.tasks import send_outbox_message

    # The row and its task together (see queue_email); the worker sees both at the commit.
    with transaction.atomic():
        message = _prepared_row(email, html, kind=kind, person=person, language=language)
        send_outbox_message.enqueue(message.pk)
    log.info("email %s (%s) queued", message.pk, kind)
    return message


def _prepared_row(
    email: EmailMessage, html: str, *, kind: str, person: User | None, language: str
) -> OutboxMessage:
    return OutboxMessage.objects.create(
        recipient=person,
        to_email=email.to[0],
        from_email=email.from_email,
        language=language,
        kind=kind,
        reason_key=f"{kind}:{uuid.uuid4().hex}",
        subject=str(email.subject),
        body_text=str(email.body),
        body_html=str(html),
        transactional=True,
    )


def resend(messages: "QuerySet[OutboxMessage]") -> int:
    """Try failed messages again from the start (a person asked, or the admin's action)."""
    ids = list(messages.filter(status=OutboxMessage.Status.FAILED).values_list("pk", flat=True))
    OutboxMessage.objects.filter(pk__in=ids).update(
        status=OutboxMessage.Status.QUEUED, attempts=0, not_before=None, last_error=""
    )
    from echohub.outreach.tasks import send_outbox_batches, send_outbox_message

    for pk in OutboxMessage.objects.filter(pk__in=ids, bulk=False).values_list("pk", flat=True):
        enqueue_atomically(send_outbox_message, pk)
    if OutboxMessage.objects.filter(pk__in=ids, bulk=True).exists():
        enqueue_atomically(send_outbox_batches)
    log.info("%s failed email(s) queued again", len(ids))
    return len(ids)
