"""What a mail server or a sending provider says about an email that did not arrive.

Pure (no database, no settings): `parse_dsn` reads a delivery status
notification (RFC 3464: a multipart/report whose delivery-status part has a
block per recipient), `parse_provider_event` a provider's bounce webhook
payload, already decoded from JSON. Each returns the recipients with whether
the failure is permanent (`hard`: the address must be suppressed) or not.
"""

import email
import email.policy
import json
import re
from dataclasses import dataclass
from email.message import Message
from typing import Any

MAX_DIAGNOSTIC = 200
_STATUS = re.compile(r"\b([245]\.\d{1,3}\.\d{1,3})\b")
_SMTP_CODE = re.compile(r"\b([245])\d\d\b")


class NotABounce(ValueError):
    """The input is not a bounce this module understands (an auto-reply, a complaint…)."""


@dataclass(frozen=True)
class Bounce:
    email: str
    hard: bool
    status: str
    diagnostic: str


def _address(value: str) -> str:
    """The address of a recipient field ("rfc822; Reader@Example.org"), lower-cased."""
    value = (value or "").strip()
    if ";" in value:
        value = value.split(";", 1)[1]
    value = value.strip().strip("<>").strip().lower()
    return value if value.count("@") == 1 and " " not in value else ""


def _short(text: str) -> str:
    return " ".join((text or "").split())[:MAX_DIAGNOSTIC]


def _status_of(status: str, diagnostic: str) -> str:
    for text in (status, diagnostic):
        if found := _STATUS.search(text or ""):
            return found.group(1)
    if found := _SMTP_CODE.search(diagnostic or ""):
        return f"{found.group(1)}.0.0"
    return ""


# --- Delivery status notifications --------------------------------------------------


def _status_blocks(part: Message) -> list[Message]:
    """The per-recipient blocks of a message/delivery-status part.

    Python's parser gives the part's payload as a list of header blocks: the
    first is about the message, the rest one per recipient. Some servers send
    it as text; it is parsed here the same way.
    """
    payload = part.get_payload()
    if isinstance(payload, list):
        blocks = [b for b in payload if isinstance(b, Message)]
    else:
        raw = part.get_payload(decode=True) or b""
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        blocks = [
            email.message_from_string(chunk.strip() + "\n")
            for chunk in re.split(r"\r?\n\s*\r?\n", text)
            if chunk.strip()
        ]
    return blocks[1:] if blocks and not blocks[0].get("Final-Recipient") else blocks


def parse_dsn(raw: bytes) -> list[Bounce]:
    """The failed and delayed recipients of a delivery status notification."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    part = next(
        (p for p in message.walk() if p.get_content_type() == "message/delivery-status"), None
    )
    if part is None:
        raise NotABounce("no message/delivery-status part: not a delivery status notification")
    bounces = []
    for block in _status_blocks(part):
        action = (block.get("Action") or "").strip().lower()
        recipient = _address(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
        if not recipient or action in ("delivered", "relayed", "expanded"):
            continue
        diagnostic = _short(block.get("Diagnostic-Code") or "")
        status = _status_of(block.get("Status") or "", diagnostic)
        hard = action == "failed" and status.startswith("5")
        bounces.append(Bounce(recipient, hard, status, diagnostic))
    return bounces


# --- Providers' webhooks ----------------------------------------------------------


def _ses(event: dict[str, Any]) -> list[Bounce]:
    # Amazon SES, directly or inside an SNS notification (whose "Message" is JSON text):
    # {"notificationType": "Bounce", "bounce": {"bounceType": "Permanent",
    #  "bouncedRecipients": [{"emailAddress", "status", "diagnosticCode"}]}}
    kind = event.get("notificationType") or event.get("eventType")
    if kind != "Bounce":
        raise NotABounce(f"an Amazon SES {kind or 'event'} notification, not a bounce")
    bounce = event.get("bounce") or {}
    hard = bounce.get("bounceType") == "Permanent"
    found = []
    for recipient in bounce.get("bouncedRecipients") or []:
        diagnostic = _short(recipient.get("diagnosticCode") or "")
        address = _address(recipient.get("emailAddress") or "")
        if address:
            status = _status_of(recipient.get("status") or "", diagnostic)
            found.append(Bounce(address, hard, status, diagnostic))
    return found


# Postmark's bounce types that mean the address will never take mail.
POSTMARK_HARD = {"HardBounce", "BadEmailAddress", "ManuallyDeactivated", "SpamNotification"}


def _postmark(event: dict[str, Any]) -> list[Bounce]:
    # Postmark: {"RecordType": "Bounce", "Type": "HardBounce", "Email", "Description", "Details"}
    address = _address(event.get("Email") or "")
    if not address:
        return []
    diagnostic = _short(event.get("Details") or event.get("Description") or "")
    hard = event.get("Type") in POSTMARK_HARD
    return [Bounce(address, hard, _status_of("", diagnostic), diagnostic)]


def _mailgun(data: dict[str, Any]) -> list[Bounce]:
    # Mailgun: {"event-data": {"event": "failed", "severity": "permanent", "recipient",
    #  "delivery-status": {"code": 550, "description" or "message"}}}
    if data.get("event") != "failed":
        raise NotABounce(f"a Mailgun {data.get('event') or 'event'} event, not a failure")
    address = _address(data.get("recipient") or "")
    if not address:
        return []
    status_block = data.get("delivery-status") or {}
    diagnostic = _short(status_block.get("description") or status_block.get("message") or "")
    code = str(status_block.get("code") or "")
    status = _status_of("", f"{diagnostic} {code}")
    return [Bounce(address, data.get("severity") == "permanent", status, diagnostic)]


def _sendgrid(events: list[Any]) -> list[Bounce]:
    # SendGrid: a list of events; {"event": "bounce", "email", "status", "reason",
    #  "type": "bounce" (permanent) or "blocked" (temporary)}. Other events are skipped.
    found = []
    for event in events:
        if not isinstance(event, dict) or event.get("event") not in ("bounce", "dropped"):
            continue
        address = _address(event.get("email") or "")
        if not address:
            continue
        diagnostic = _short(event.get("reason") or "")
        hard = event.get("event") == "bounce" and event.get("type", "bounce") == "bounce"
        found.append(
            Bounce(address, hard, _status_of(event.get("status") or "", diagnostic), diagnostic)
        )
    if not found and not any(isinstance(e, dict) and "event" in e for e in events):
        raise NotABounce("a list, but not of SendGrid events")
    return found


UNDERSTOOD = "Amazon SES (directly or through SNS), Postmark, Mailgun and SendGrid"


def parse_provider_event(payload: object) -> list[Bounce]:
    """The bounced recipients in a provider's webhook payload (decoded JSON)."""
    if isinstance(payload, list):
        return _sendgrid(payload)
    if not isinstance(payload, dict):
        raise NotABounce(f"not a bounce event: the understood shapes are {UNDERSTOOD}")
    if payload.get("Type") == "Notification" and isinstance(payload.get("Message"), str):
        try:
            inner = json.loads(payload["Message"])
        except ValueError:
            raise NotABounce("an SNS notification whose message is not JSON") from None
        return parse_provider_event(inner)
    if "notificationType" in payload or ("eventType" in payload and "mail" in payload):
        return _ses(payload)
    if payload.get("RecordType") == "Bounce":
        return _postmark(payload)
    if isinstance(payload.get("event-data"), dict):
        return _mailgun(payload["event-data"])
    raise NotABounce(f"not a bounce event: the understood shapes are {UNDERSTOOD}")
