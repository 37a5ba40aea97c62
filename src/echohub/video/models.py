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
from echohub.library.models import Resource


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


# Who sees a recording put in the library.
VISIBILITY = Resource.Visibility.choices


class ProgramVideo(models.Model):
    """A program whose sessions' meetings EchoHub makes on one of its hub's connections."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="video"
    )
    connection = models.ForeignKey(
        Connection,
        verbose_name=_("video platform"),
        on_delete=models.CASCADE,
        related_name="programs",
    )
    auto_apply = models.BooleanField(
        _("apply attendance by itself"),
        default=False,
        help_text=_(
            "When every line of a fetched report matched someone with confidence, it is "
            "applied without waiting for you. Otherwise it waits for you, as an upload does."
        ),
    )
    fetch_after_minutes = models.PositiveSmallIntegerField(
        _("fetch attendance after (minutes)"),
        default=20,
        help_text=_(
            "How long after a session's end EchoHub asks for its attendance, if the platform "
            "has not told of the end by then."
        ),
    )
    recording_visibility = models.CharField(
        _("recordings are seen by"), max_length=10, choices=VISIBILITY, default="members"
    )
    # Whose name fetched reports and the library items made from recordings carry.
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("program's video platform")
        verbose_name_plural = _("programs' video platforms")

    def __str__(self) -> str:
        return f"{self.program_id} on {self.connection_id}"


class Meeting(models.Model):
    """A session's meeting on a platform: what EchoHub asked for, and what came of it.

    `state` says where making it stands; a failed call keeps its problem and is
    tried again by the worker (`next_try_at`), or at once with the retry button.
    After the session, `attendance` says whether its report was fetched.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Being made")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed, will try again")
        REMOVED = "removed", _("Removed")

    class Fetch(models.TextChoices):
        NOT_YET = "", _("After the session")
        WAITING = "waiting", _("Waiting for the platform")
        FETCHED = "fetched", _("Fetched")
        FAILED = "failed", _("Could not be fetched")

    session = models.OneToOneField(
        "programs.Session", on_delete=models.CASCADE, related_name="video_meeting"
    )
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="meetings")
    key = models.CharField(max_length=80, unique=True)
    external_id = models.CharField(max_length=300, blank=True, db_index=True)
    details = models.JSONField(default=dict)
    # What the platform was last told (title, start, minutes): a change is sent once.
    told = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    problem = models.CharField(max_length=20, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)
    # Claimed by a worker until then: two workers never call a platform for one meeting;
    # `again` says the session changed while it was claimed (see meetings._claim).
    busy_until = models.DateTimeField(null=True, blank=True)
    again = models.BooleanField(default=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(max_length=10, choices=Fetch.choices, blank=True)
    attendance_import = models.ForeignKey(
        "attendance.AttendanceImport", on_delete=models.SET_NULL, null=True, blank=True
    )
    recordings = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"
