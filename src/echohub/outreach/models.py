"""The outbox: every email EchoHub sends, recorded before it is sent."""

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
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

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
    calendar_ics = models.TextField(_("calendar attachment"), blank=True)
    calendar_filename = models.CharField(_("calendar file name"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to_email} ({self.status})"
