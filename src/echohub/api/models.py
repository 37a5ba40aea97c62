"""Tokens that let a hub's own systems (or the network's) call the partner API.

A token is a secret shown once: only its SHA-256 is kept, with a short prefix to
recognise it in lists. It belongs to a hub (or, empty, to the whole network),
carries scopes, expires, and can be revoked; what it reads is what that hub's
staff read on the pages (`api.permissions`).
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echohub.bilingual import validate_no_html

# "eh_" and 43 URL-safe characters (256 random bits): recognisable in a leaked log.
TOKEN_PREFIX = "eh_"  # noqa: S105 (the visible start of every token, no secret)


class Scope(models.TextChoices):
    READ_REGISTRATIONS = "registrations:read", _("Read registrations")
    WRITE_REGISTRATIONS = "registrations:write", _("Register and cancel people")
    READ_ATTENDANCE = "attendance:read", _("Read attendance")
    WRITE_ATTENDANCE = "attendance:write", _("Import attendance")
    READ_CERTIFICATES = "certificates:read", _("Read certificates")
    WRITE_CERTIFICATES = "certificates:write", _("Issue certificates")
    READ_REPORTS = "reports:read", _("Read reports")
    READ_EVALUATIONS = "evaluations:read", _("Read evaluation results (aggregates)")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class ApiToken(models.Model):
    hub = models.ForeignKey(
        "network.Hub",
        verbose_name=_("hub"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_tokens",
        help_text=_("Empty for a token of the whole network."),
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        validators=[validate_no_html],
        help_text=_("What it is for, such as “Provincial LMS”."),
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    prefix = models.CharField(max_length=12, editable=False)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= timezone.now() else "active"

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    def allows(self, scope: str) -> bool:
        return scope in self.scopes

    def scope_labels(self) -> list[str]:
        labels = dict(Scope.choices)
        return [str(labels[scope]) for scope in self.scopes if scope in labels]


class IdempotentRequest(models.Model):
    """A write answered once for a token's `Idempotency-Key`: the same key with the same
    request gets the same answer again, whatever happened since (`api.idempotency`)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="one_answer_per_token_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
