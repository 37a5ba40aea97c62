"""A hub's webhooks: an HTTPS address told of chosen events, and each delivery's log.

Each event for a hub becomes one `Delivery` per subscription that wants it, in
the same transaction as the change it tells of; the task worker sends them
(`webhooks.services.send_due`), signed with the subscription's secret, retried
with growing waits, one object's deliveries in the order they happened.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from echohub.bilingual import validate_no_html


class Event(models.TextChoices):
    SESSION_PUBLISHED = "session.published", _("A session is published")
    SESSION_CHANGED = "session.changed", _("A published session is changed")
    SESSION_CANCELLED = "session.cancelled", _("A session is cancelled")
    REGISTRATION_CREATED = "registration.created", _("Someone registers")
    REGISTRATION_CANCELLED = "registration.cancelled", _("A registration is cancelled")
    ATTENDANCE_SAVED = "attendance.saved", _("A session's attendance is saved")
    CERTIFICATE_ISSUED = "certificate.issued", _("A certificate is issued")
    EVALUATION_COMPLETED = "evaluation.completed", _("An evaluation is completed")


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Subscription(models.Model):
    """A hub's webhook; or, of kind `xapi`, a program's learning record store, which is
    sent xAPI statements of attendance and certificates through the same deliveries."""

    class Kind(models.TextChoices):
        WEBHOOK = "webhook", _("Webhook")
        XAPI = "xapi", _("Learning record store (xAPI)")

    hub = models.ForeignKey(
        "network.Hub", verbose_name=_("hub"), on_delete=models.CASCADE, related_name="webhooks"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.WEBHOOK)
    # A learning record store belongs to one program, and hears of that program only.
    program = models.OneToOneField(
        "programs.Program",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="learning_record_store",
    )
    # The store's HTTP Basic credentials (its "key" and "secret"); never shown again.
    lrs_key = models.CharField(_("key"), max_length=200, blank=True)
    lrs_secret = models.CharField(max_length=200, blank=True, editable=False)
    name = models.CharField(_("name"), max_length=100, validators=[validate_no_html])
    url = models.URLField(_("address"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    # The key both sides sign with: kept as it is (a signature needs it), shown once.
    secret = models.CharField(max_length=80, default=new_secret, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.url})"

    def event_labels(self) -> list[str]:
        labels = dict(Event.choices)
        return [str(labels[event]) for event in self.events if event in labels]


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        RETRYING = "retrying", _("Failed, will try again")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed, given up")

    WAITING = (Status.PENDING, Status.RETRYING)

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    # The object it is about ("registration:812"): its deliveries leave in order.
    about = models.CharField(max_length=60)
    payload = models.JSONField()
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    response_status = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    response_body = models.TextField(_("answer's text"), blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["subscription", "status", "about"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id} ({self.status})"
