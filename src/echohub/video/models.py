"""A hub's connection to a video platform: Zoom, Microsoft Teams or BigBlueButton.

What a platform needs is described once, in its module (`video.platforms`):
the plain settings (an account id, a server's address) are kept as they are,
the secrets sealed (`echohub.sealing`) and never shown again. A connection is
tested by the worker, which signs in and makes the calls meetings will need;
what it found is kept for the hub's admins to read.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from echohub.bilingual import validate_no_html


class Platform(models.TextChoices):
    ZOOM = "zoom", "Zoom"
    TEAMS = "teams", "Microsoft Teams"
    BIGBLUEBUTTON = "bigbluebutton", "BigBlueButton"


def new_hook_key() -> str:
    return secrets.token_urlsafe(24)


class Connection(models.Model):
    class Check(models.TextChoices):
        UNTESTED = "untested", _("Not tested yet")
        TESTING = "testing", _("Being tested")
        WORKS = "works", _("Works")
        FAILED = "failed", _("Does not work")

    hub = models.ForeignKey(
        "network.Hub",
        verbose_name=_("hub"),
        on_delete=models.CASCADE,
        related_name="video_connections",
    )
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    name = models.CharField(_("name"), max_length=100, validators=[validate_no_html])
    # The platform's plain settings (ids, addresses): its module says which.
    options = models.JSONField(default=dict)
    # Its secrets, as one JSON object sealed with SECRETS_KEYS; never shown again.
    sealed = models.TextField(editable=False)
    # The unguessable part of the address the platform tells of ended meetings.
    hook_key = models.CharField(max_length=40, unique=True, default=new_hook_key, editable=False)
    check_status = models.CharField(
        _("status"), max_length=10, choices=Check.choices, default=Check.UNTESTED
    )
    # What the last test found: a problem's code (its words are the page's, in
    # the reader's language) and what the platform itself answered.
    check_problem = models.CharField(max_length=20, blank=True)
    check_detail = models.CharField(max_length=500, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("video platform connection")
        verbose_name_plural = _("video platform connections")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "name"], name="video_connection_name_per_hub")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_platform_display()})"
