"""Queueing and sending emails through the outbox.

`queue_email` renders a message once, in its recipient's language and time
zone, records it under a unique reason and asks a task to send it when the
transaction commits. `send_message` is what that task calls: it sends a
message at most once and records every failed attempt.
"""

import logging
import re
import zoneinfo
from dataclasses import dataclass
from email.headerregistry import Address
from email.mime.text import MIMEText
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy

from echohub.accounts.models import User
from echohub.network.models import Hub
from echohub.outreach.models import OutboxMessage

log = logging.getLogger(__name__)

# A message is tried this many times in all before it stays failed.
MAX_ATTEMPTS = 3

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


_SPACES = re.compile(r"[ \t\r\n]+")


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
        name = f"{hub.name} · EchoHub"
    # Unencoded: Django encodes the header when it sends.
    return str(Address(display_name=name, addr_spec=address)) if name else address


def render_email(
    person: User, kind: str, context: dict[str, Any], *, hub: Hub | None = None
) -> Rendered:
    """The subject, text and HTML of `kind` as `person` reads them (language, zone)."""
    language = person.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language), timezone.override(person_zone(person)):
        full = {"person": person, "hub": hub, "site_url": settings.SITE_URL, **context}
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


def queue_email(
    *,
    person: User,
    kind: str,
    reason_key: str,
    context: dict[str, Any],
    hub: Hub | None = None,
    calendar: CalendarFile | None = None,
) -> OutboxMessage | None:
    """Record an email for `person` and send it after commit; None if this reason was used."""
    if OutboxMessage.objects.filter(reason_key=reason_key).exists():
        return None
    rendered = render_email(person, kind, context, hub=hub)
    message, created = OutboxMessage.objects.get_or_create(
        reason_key=reason_key,
        defaults={
            "recipient": person,
            "to_email": person.email,
            "from_email": rendered.from_email,
            "language": person.preferred_language or settings.LANGUAGE_CODE,
            "kind": kind,
            "subject": rendered.subject,
            "body_text": rendered.text,
            "body_html": rendered.html,
            "calendar_ics": calendar.content if calendar else "",
            "calendar_filename": calendar.filename if calendar else "",
        },
    )
    if not created:
        return None
    # Imported here: the task module calls back into this one.
    from echohub.outreach.tasks import send_outbox_message

    transaction.on_commit(lambda: send_outbox_message.enqueue(message.pk))
    log.info("email %s (%s) queued for person %s", message.pk, kind, person.pk)
    return message


def _email(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
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


def send_message(message_id: int) -> bool:
    """Send a queued message; False when it was already sent (it never goes twice).

    A failure is recorded (attempts, last error) and raised again, so the task
    backend records it too and the task can try again.
    """
    message = OutboxMessage.objects.get(pk=message_id)
    if message.status == OutboxMessage.Status.SENT:
        return False
    message.attempts += 1
    try:
        _email(message).send()
    except Exception as error:
        message.status = OutboxMessage.Status.FAILED
        message.last_error = f"{type(error).__name__}: {error}"[:2000]
        message.save(update_fields=["status", "attempts", "last_error"])
        log.warning("email %s failed (attempt %s)", message.pk, message.attempts)
        raise
    message.status = OutboxMessage.Status.SENT
    message.sent_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["status", "attempts", "last_error", "sent_at"])
    log.info("email %s sent", message.pk)
    return True
