"""Who attended which session, for how long, and where each figure came from.

Attendance is what CPD credit and every reach figure stand on, and accreditors
ask for it years later: a session with attendance cannot be deleted (PROTECT),
each import is kept with what it read, and every manual change says who made
it and why.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from echohub.workers.models import Progress

# Accreditors ask for attendance records for at least five years.
RETENTION_YEARS = 5


PLATFORMS = {
    "zoom_meeting": _("a Zoom meeting report"),
    "zoom_webinar": _("a Zoom webinar report"),
    "teams": _("a Microsoft Teams attendance report"),
    "teams_legacy": _("a Microsoft Teams attendance list (older layout)"),
    "csv": _("a list of names, emails and minutes"),
    "bigbluebutton": _("a BigBlueButton meeting's learning analytics"),
}


class AttendanceImport(Progress):
    """One uploaded participant report: read in the background, previewed, then applied
    (or dropped).

    The file waits in `report` until a task reads it (`services.read_import`), which
    empties it; `lines_done` of `lines_total` say how far the matching got, and
    `beat_at` when it last moved: a reading that stopped moving says so on its page.
    """

    SILENT_AFTER = dt.timedelta(minutes=5)

    class Status(models.TextChoices):
        READING = "reading", _("Being read")
        FAILED = "failed", _("Could not be read")
        PREVIEW = "preview", _("Awaiting confirmation")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    WORKING = (Status.READING,)

    session = models.ForeignKey(
        "programs.Session", on_delete=models.PROTECT, related_name="attendance_imports"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    platform = models.CharField(_("platform"), max_length=20)
    report_zone = models.CharField(_("time zone of the report"), max_length=64)
    # What the parser read, with the matcher's suggestions: [{"name", "email", "role",
    # "attended", "minutes", "intervals": [[iso, iso], …], "match": {…}}, …]
    people = models.JSONField(default=list)
    warnings = models.JSONField(default=list)
    # The coordinator's choices so far, kept while they go through a long report in
    # parts: {"<line>": "<person id>" | "walk_in" | "ignore"}. Attendance is written
    # only when the whole report is applied.
    decisions = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    report = models.BinaryField(blank=True, editable=False)
    lines_total = models.PositiveIntegerField(default=0)
    lines_done = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.platform}) for session {self.session_id}"

    @property
    def platform_label(self) -> str:
        return str(PLATFORMS.get(self.platform, self.platform))


class Attendance(models.Model):
    """A person's (or a walk-in's) presence at a session, in minutes."""

    class Source(models.TextChoices):
        REPORT = "report", _("Video platform report")
        MANUAL = "manual", _("Marked by staff")
        CHECK_IN = "check_in", _("Check-in code")

    class Role(models.TextChoices):
        HOST = "host", _("Host")
        CO_HOST = "co-host", _("Co-host")
        PANELIST = "panelist", _("Panelist")
        ATTENDEE = "attendee", pgettext_lazy("attendance role", "Participant")

    session = models.ForeignKey(
        "programs.Session", on_delete=models.PROTECT, related_name="attendance"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendance",
    )
    # A walk-in: someone in the report who is not (yet) a known person.
    walk_in_name = models.CharField(_("name"), max_length=200, blank=True)
    walk_in_email = models.EmailField(_("email"), blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.ATTENDEE)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    # The union of every report's join–leave intervals, UTC ISO pairs: re-importing
    # the same report adds nothing, a restarted meeting's second report adds its time.
    intervals = models.JSONField(default=list, blank=True)
    # Minutes a report stated without join and leave times (totals-only exports).
    stated_minutes = models.PositiveIntegerField(default=0)
    report_minutes = models.PositiveIntegerField(_("minutes in the reports"), default=0)
    present = models.BooleanField(_("present"), default=True)
    minutes = models.PositiveIntegerField(_("minutes attended"), default=0)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    adjusted_at = models.DateTimeField(null=True, blank=True)
    adjusted_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                condition=models.Q(person__isnull=False),
                name="one_attendance_per_person",
            ),
            models.UniqueConstraint(
                fields=["session", "walk_in_name", "walk_in_email"],
                condition=models.Q(person__isnull=True),
                name="one_attendance_per_walk_in",
            ),
        ]

    def __str__(self) -> str:
        who = self.person or self.walk_in_name
        return f"{who} — session {self.session_id}: {self.minutes} min"

    @property
    def is_adjusted(self) -> bool:
        return self.adjusted_by_id is not None

    @property
    def display_name(self) -> str:
        return (self.person.name or self.person.email) if self.person else self.walk_in_name


class CheckInCode(models.Model):
    """The code phone-in attendees enter on their phone during the session."""

    session = models.OneToOneField(
        "programs.Session", on_delete=models.CASCADE, related_name="check_in_code"
    )
    code = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)

    # Open from a quarter of an hour before the start to an hour after the end.
    OPENS_BEFORE = dt.timedelta(minutes=15)
    CLOSES_AFTER = dt.timedelta(hours=1)

    def __str__(self) -> str:
        return f"check-in for session {self.session_id}"
