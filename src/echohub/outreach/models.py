"""The outbox: every email EchoHub sends, recorded before it is sent."""

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One email to one person, rendered once in their language and zone.

    `reason_key` names why it was sent (a registration confirmed, a reminder
    for one start time…); it is unique, so the same reason never sends twice
    however often the code that queues it runs.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SUPPRESSED = "suppressed", _("Not sent: the address is suppressed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    to_email = models.EmailField(_("to"))
    from_email = models.CharField(_("from"), max_length=255, blank=True)
    language = models.CharField(_("language"), max_length=2)
    kind = models.CharField(_("kind"), max_length=60)
    reason_key = models.CharField(_("reason"), max_length=200, unique=True)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    transactional = models.BooleanField(
        _("transactional"),
        default=True,
        help_text=_(
            "About something the person did (a registration, a certificate). Other emails "
            "(updates, digests, follows) need consent and carry a one-click unsubscribe."
        ),
    )
    bulk = models.BooleanField(
        _("sent in batches"),
        default=False,
        help_text=_("Sent by the batch sender at the configured rate, not one task per email."),
    )
    unsubscribe_url = models.URLField(_("unsubscribe link"), max_length=500, blank=True)
    calendar_ics = models.TextField(_("calendar attachment"), blank=True)
    calendar_filename = models.CharField(_("calendar file name"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A batch sender claims rows (SENDING) at this time, under its worker lease
    # (echohub.workers); a retry waits until `not_before`.
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    not_before = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["bulk", "status", "id"], name="outbox_batch_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_email} ({self.status})"


def normalise_email(address: str) -> str:
    """One spelling per address: trimmed, lower-cased."""
    return address.strip().lower()


def new_token() -> str:
    return secrets.token_urlsafe(18)


class MailAddress(models.Model):
    """An address EchoHub writes to, its unsubscribe token, and whether it is suppressed.

    The token (random, 24 characters) is what unsubscribe links carry, so no
    address appears in a link or a web server's log. The suppressed addresses
    are the suppression list: an unsubscribed address gets no email that needs
    consent (updates, digests, follows) but still its transactional ones (a
    registration it makes); a hard bounce gets nothing at all, since the address
    does not exist. Only the person confirming a new subscription lifts an
    unsubscribe; an import never does.
    """

    class Suppressed(models.TextChoices):
        NO = "", _("Not suppressed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        BOUNCED = "bounced", _("Bounced (permanent)")

    email = models.EmailField(_("email"), unique=True)
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    suppressed = models.CharField(
        _("suppressed"), max_length=12, choices=Suppressed.choices, blank=True, default=""
    )
    suppressed_at = models.DateTimeField(_("suppressed since"), null=True, blank=True)
    suppression_source = models.CharField(_("why"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("email address")
        verbose_name_plural = _("email addresses and the suppression list")
        ordering = ["email"]

    def __str__(self) -> str:
        return f"{self.email} ({self.suppressed})" if self.suppressed else self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)
