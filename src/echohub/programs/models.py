"""Programs (ECHO series), their dated sessions, speakers and panel."""

import datetime as dt
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from echohub.accounts.models import User
from echohub.bilingual import Bilingual, require_one_language, validate_no_html
from echohub.timezones import validate_zone

# Programs sort by their English title, or their French one when that is all they have.
TITLE_ORDER = Lower(Coalesce(NullIf("title_en", Value("")), "title_fr"))

validate_https = URLValidator(
    schemes=["https"], message=_("Give a secure link that starts with https://.")
)


def validate_meeting_link(value: str) -> None:
    """A secure link, or one of EchoHub's own: a BigBlueButton room's join and host links
    are EchoHub's address (echohub.video), on http on a developer's machine."""
    if value.startswith(settings.SITE_URL.rstrip("/") + "/"):
        return
    validate_https(value)


class TitledModel(models.Model):
    """A title (required in one language at least) and a description, in English and French."""

    title_en = models.CharField(
        _("title (English)"), max_length=200, blank=True, validators=[validate_no_html]
    )
    title_fr = models.CharField(
        _("title (French)"), max_length=200, blank=True, validators=[validate_no_html]
    )
    description_en = models.TextField(
        _("description (English)"), blank=True, validators=[validate_no_html]
    )
    description_fr = models.TextField(
        _("description (French)"), blank=True, validators=[validate_no_html]
    )

    title = Bilingual("title")
    description = Bilingual("description")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.title)

    def clean(self) -> None:
        require_one_language(self, "title", _("title"))


# Minutes before a session: the reminders a hub can choose for a program.
REMINDER_CHOICES = [
    (10080, _("A week before")),
    (2880, _("Two days before")),
    (1440, _("A day before")),
    (180, _("Three hours before")),
    (60, _("An hour before")),
    (15, _("15 minutes before")),
]
LONGEST_REMINDER_MINUTES = 14 * 24 * 60


def default_reminder_minutes() -> list[int]:
    """New programs remind as the site is configured (a day and an hour by default)."""
    return list(settings.REMINDER_OFFSETS_MINUTES)


def validate_reminder_minutes(value: object) -> None:
    if not isinstance(value, list) or not all(
        isinstance(minutes, int) and 0 < minutes <= LONGEST_REMINDER_MINUTES for minutes in value
    ):
        raise ValidationError(_("Reminders go between a minute and two weeks before a session."))


class Program(TitledModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", pgettext_lazy("program", "Cancelled")

    class Languages(models.TextChoices):
        EN = "en", _("English")
        FR = "fr", _("French")
        BOTH = "both", _("English and French")

    class Enrolment(models.TextChoices):
        OPEN = "open", _("Open: register for each session")
        COHORT = "cohort", _("Cohort: enrol once for the whole series")

    class Access(models.TextChoices):
        PUBLIC = "public", _("Public: listed in the catalogue, open to everyone")
        UNLISTED = "unlisted", _("Unlisted: open to whoever has its link, listed nowhere")
        INVITATION = (
            "invitation",
            _("By invitation: seen and joined only by those invited, its members and its staff"),
        )

    class Scope(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provinces or territories")
        SECTOR = "sector", _("Sector")

    hub = models.ForeignKey(
        "network.Hub", verbose_name=_("hub"), on_delete=models.PROTECT, related_name="programs"
    )
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    audience_professions = models.ManyToManyField(
        "reference.Profession", verbose_name=_("professions"), blank=True, related_name="+"
    )
    audience_settings = models.ManyToManyField(
        "reference.PracticeSetting",
        verbose_name=_("practice settings"),
        blank=True,
        related_name="+",
    )
    scope = models.CharField(
        _("scope"), max_length=12, choices=Scope.choices, default=Scope.NATIONAL
    )
    provinces = models.ManyToManyField(
        "reference.Province",
        verbose_name=_("provinces and territories"),
        blank=True,
        related_name="+",
        help_text=_("For a provincial program: where its participants work."),
    )
    languages = models.CharField(
        _("language of the sessions"), max_length=4, choices=Languages.choices, default="en"
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, default="America/Toronto", validators=[validate_zone]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    enrolment = models.CharField(
        _("enrolment"), max_length=8, choices=Enrolment.choices, default=Enrolment.OPEN
    )
    access = models.CharField(
        _("who finds it"),
        max_length=10,
        choices=Access.choices,
        default=Access.PUBLIC,
        help_text=_(
            "An unlisted program is left out of the catalogue, the hub's page, the front "
            "page and the digests, and its pages ask search engines not to index them. "
            "A program by invitation is shown only to those invited, its members and its "
            "staff; anyone else is told it does not exist. Changing this removes nobody "
            "already registered or enrolled."
        ),
    )
    requires_approval = models.BooleanField(
        _("registrations need approval"),
        default=False,
        help_text=_("A coordinator approves or declines each registration or enrolment."),
    )

    class Certificates(models.TextChoices):
        SESSION = "session", _("One for each session attended")
        CYCLE = "cycle", _("One for the whole program, when its completion rule is met")

    certificates = models.CharField(
        _("CPD certificates"),
        max_length=8,
        choices=Certificates.choices,
        default=Certificates.SESSION,
    )
    completion_percent = models.PositiveSmallIntegerField(
        _("completion rule: share of the sessions attended (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("For one certificate per program: e.g. 60 or 80."),
    )
    certificates_automatic = models.BooleanField(
        _("issue certificates automatically"),
        default=False,
        help_text=_("As soon as attendance is saved; otherwise a coordinator issues them."),
    )
    reminder_minutes = models.JSONField(
        _("reminders"),
        default=default_reminder_minutes,
        blank=True,
        validators=[validate_reminder_minutes],
        help_text=_("When confirmed registrants are reminded by email before each session."),
    )
    room_opens_minutes = models.PositiveSmallIntegerField(
        _("the room opens (minutes before)"),
        default=15,
        validators=[MaxValueValidator(120)],
        help_text=_("Registrants see the Join button this long before each session starts."),
    )
    # First publication: what digests call a new program.
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = [TITLE_ORDER]  # type: ignore[list-item]  # Django takes any expression; stubs don't
        indexes = [models.Index(fields=["status", "hub"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # However it gets there (the publish button, the admin, an import), the
        # first publication is dated.
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
            fields = kwargs.get("update_fields")
            if fields is not None:
                kwargs["update_fields"] = {*fields, "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("programs:program", kwargs={"slug": self.slug})

    @property
    def is_listed(self) -> bool:
        """Whether lists show it to everyone; if not, its pages ask not to be indexed."""
        return self.access == self.Access.PUBLIC

    @property
    def by_invitation(self) -> bool:
        return self.access == self.Access.INVITATION

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class ProgramStaff(models.Model):
    """A facilitator or expert from the program's hub, on this program's panel."""

    class Role(models.TextChoices):
        FACILITATOR = "facilitator", _("Facilitator")
        EXPERT = "expert", _("Hub expert")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="team")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_roles"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel")
        ordering = ["role", "person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "person", "role"], name="one_panel_role_once_per_program"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}"


class Group(models.Model):
    """A group of a cohort program (iECHO's cohorts): its own sessions and facilitator.

    A Tuesday noon group and a Thursday evening group follow the same series. Each
    enrolled person is in one group, and registered for its sessions and for the
    program's sessions that belong to no group (for everyone).
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="groups")
    name_en = models.CharField(
        _("name (English)"), max_length=100, blank=True, validators=[validate_no_html]
    )
    name_fr = models.CharField(
        _("name (French)"), max_length=100, blank=True, validators=[validate_no_html]
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_groups",
    )
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    name = Bilingual("name")

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return str(self.name)

    def clean(self) -> None:
        require_one_language(self, "name", _("name"))


class ProgramMember(models.Model):
    """Someone let into a program by invitation: they see it and may register or enrol.

    Open programs need no member rows; one by invitation admits its members, its
    panel and its hub's staff. A row is made when an invitation is accepted, when a
    coordinator adds the person to a session, and for everyone already registered
    or enrolled when the program becomes by invitation (nobody in is put out).
    """

    class Source(models.TextChoices):
        INVITED = "invited", _("Accepted an invitation")
        ADDED = "added", _("Added by the hub")
        ALREADY_IN = "already_in", _("Registered before the program became by invitation")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="program_memberships"
    )
    source = models.CharField(_("how they joined"), max_length=12, choices=Source.choices)
    created_at = models.DateTimeField(_("member since"), auto_now_add=True)

    class Meta:
        verbose_name = _("program member")
        verbose_name_plural = _("program members")
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="one_membership_per_program")
        ]
        # "Which programs is this person a member of", asked by every visibility check.
        indexes = [models.Index(fields=["person", "program"], name="member_person_program")]

    def __str__(self) -> str:
        return f"{self.person} — {self.program}"


class Invitation(models.Model):
    """An invitation to a program, sent to an address: a single-use link that expires.

    The link carries a random token; only its SHA-256 is kept, so the table cannot
    be turned into working links. One row per program and address: inviting the
    same address again (or resending) gives it a new token and a new expiry, and
    the old link stops working.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("invitation", "Sent")
        ACCEPTED = "accepted", pgettext_lazy("invitation", "Accepted")
        REVOKED = "revoked", pgettext_lazy("invitation", "Withdrawn")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="invitations")
    # The group accepting enrols them in (a cohort program with groups); None: they choose.
    group = models.ForeignKey(
        Group, verbose_name=_("group"), on_delete=models.SET_NULL, null=True, blank=True
    )
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=2, choices=User.Language.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    expires_at = models.DateTimeField(_("expires"))
    times_sent = models.PositiveSmallIntegerField(_("times sent"), default=1)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("last sent"))

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["program", "email"], name="one_invitation_per_address")
        ]
        # "Is this signed-in person invited anywhere", asked with their address.
        indexes = [models.Index(fields=["email", "status"], name="invitation_email_status")]

    def __str__(self) -> str:
        return f"{self.email} → {self.program}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.address(self.email)
        super().save(*args, **kwargs)

    @staticmethod
    def address(email: str) -> str:
        """One spelling per address (trimmed, lower-cased), as outreach's rows keep it."""
        return email.strip().lower()

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.PENDING and not self.is_expired


class Session(TitledModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", pgettext_lazy("session", "Scheduled")
        CANCELLED = "cancelled", pgettext_lazy("session", "Cancelled")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    # None: for everyone in the program; else for one group's members only.
    group = models.ForeignKey(
        Group,
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(12 * 60)],
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )
    join_url = models.CharField(
        _("join link"),
        max_length=500,
        blank=True,
        validators=[validate_meeting_link],
        help_text=_("The private video link; shown only to registrants and staff."),
    )
    host_url = models.CharField(
        _("host link"),
        max_length=500,
        blank=True,
        validators=[validate_meeting_link],
        help_text=_(
            "The link that starts the meeting as its host; shown only to the panel and hub staff."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        # A program's next and last session, asked for each program of a catalogue
        # page, home page and hub page: a seek, not a scan of the program's sessions.
        indexes = [
            models.Index(fields=["program", "starts_at"], name="session_program_starts"),
            # The catalogue asks it of every program it sorts (scheduled sessions only):
            # with the status in the index the answer is in the index, no row is read.
            models.Index(
                fields=["program", "status", "starts_at"], name="session_program_status_starts"
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("programs:session", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if self.group is not None and self.group.program_id != self.program_id:
            raise ValidationError({"group": _("Choose a group of this session's program.")})

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def display_status(self) -> str:
        """The status a reader sees: a scheduled session whose end is past has ended."""
        if self.is_cancelled:
            return str(self.get_status_display())
        if self.has_ended:
            return str(pgettext("session", "Ended"))
        return str(self.get_status_display())

    @property
    def room_opens_at(self) -> dt.datetime:
        """When registrants may join: the program's "room opens" minutes before the start."""
        return self.starts_at - dt.timedelta(minutes=self.program.room_opens_minutes)

    def room_is_open(self, now: dt.datetime | None = None) -> bool:
        """From the room's opening until the session's end, unless it is cancelled."""
        now = now or timezone.now()
        return not self.is_cancelled and self.room_opens_at <= now < self.ends_at


class Speaker(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=150, validators=[validate_no_html])
    affiliation = models.CharField(
        _("affiliation"), max_length=200, blank=True, validators=[validate_no_html]
    )
    bio_en = models.TextField(_("short bio (English)"), blank=True, validators=[validate_no_html])
    bio_fr = models.TextField(_("short bio (French)"), blank=True, validators=[validate_no_html])
    position = models.PositiveSmallIntegerField(default=0)

    bio = Bilingual("bio")

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name
