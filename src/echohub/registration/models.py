"""Who is registered for which session, and who is enrolled in which cohort program."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from echohub.accounts.models import User
from echohub.bilingual import LANGS, Bilingual, require_one_language, validate_no_html
from echohub.workers.models import Progress


class Enrolment(models.Model):
    """A person's place in a cohort program: it registers them for every session of it."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("enrolment", "Enrolled")
        PENDING = "pending", _("Awaiting approval")
        DECLINED = "declined", pgettext_lazy("enrolment", "Declined")
        CANCELLED = "cancelled", pgettext_lazy("enrolment", "Cancelled")

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="enrolments"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # In a program with groups, the one group this person follows.
    group = models.ForeignKey(
        "programs.Group",
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolments",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["program", "person"], name="one_enrolment_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.program}"


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        PENDING = "pending", _("Awaiting approval")
        DECLINED = "declined", pgettext_lazy("registration", "Declined")
        CANCELLED = "cancelled", pgettext_lazy("registration", "Cancelled")

    ACTIVE = (Status.CONFIRMED, Status.WAITLISTED, Status.PENDING)

    session = models.ForeignKey(
        "programs.Session", on_delete=models.CASCADE, related_name="registrations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # The waiting list is served in the order people (re)joined it.
    queued_at = models.DateTimeField(_("in the queue since"), default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not a column: set by the registration service when it already knows, under the
    # session's lock, whether this save left the session full (the page cache is told
    # without counting again). None: not known, counted after the commit.
    full_after: bool | None = None

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="one_registration_per_person"
            )
        ]
        indexes = [models.Index(fields=["session", "status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.session} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class CalendarToken(models.Model):
    """The secret in a person's private calendar feed address (calendar apps cannot log in).

    Anyone with the address reads the feed, join links included; resetting the
    token (echohub.registration.feeds.reset_feed_token) turns the old address off.
    """

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.person}"


class SessionMessage(models.Model):
    """A coordinator's email to a session's registrants, kept as sent (who, when, what)."""

    class Audience(models.TextChoices):
        ACTIVE = "active", _("Everyone registered, waiting or awaiting approval")
        CONFIRMED = "confirmed", _("Registered only")
        WAITLISTED = "waitlisted", _("Waiting list only")

    session = models.ForeignKey(
        "programs.Session", on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    audience = models.CharField(
        _("send to"), max_length=10, choices=Audience.choices, default=Audience.ACTIVE
    )
    subject_en = models.CharField(
        _("subject (English)"), max_length=150, blank=True, validators=[validate_no_html]
    )
    subject_fr = models.CharField(
        _("subject (French)"), max_length=150, blank=True, validators=[validate_no_html]
    )
    body_en = models.TextField(
        _("message (English)"), max_length=5000, blank=True, validators=[validate_no_html]
    )
    body_fr = models.TextField(
        _("message (French)"), max_length=5000, blank=True, validators=[validate_no_html]
    )
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    subject = Bilingual("subject")
    body = Bilingual("body")

    class Meta:
        verbose_name = _("message to registrants")
        verbose_name_plural = _("messages to registrants")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return str(self.subject)

    @property
    def reason_prefix(self) -> str:
        """Every email of this message has a reason key that starts so (one per registrant)."""
        return f"message:{self.pk}:"

    def clean(self) -> None:
        require_one_language(self, "subject", _("subject"))
        # A reader gets the subject and the message in one language, never half of each.
        errors = {}
        for lang in LANGS:
            subject = getattr(self, f"subject_{lang}").strip()
            body = getattr(self, f"body_{lang}").strip()
            if subject and not body:
                errors[f"body_{lang}"] = _("Write the message in this language too.")
            elif body and not subject:
                errors[f"subject_{lang}"] = _("Give the subject in this language too.")
        if errors:
            raise ValidationError(errors)


class InvitationBatch(Progress):
    """Invitations a coordinator asked for at once (pasted or uploaded addresses), sent by
    the task worker so the page can show how far it got.

    `addresses` holds the parsed list ([address, language or ""], …) until the batch
    is done; `done` counts the addresses dealt with, and each chunk of them is written
    in the same transaction as `done`, so a batch run again after a crash resumes
    where it stopped and sends nobody a second invitation.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Sending")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    WORKING = (Status.QUEUED, Status.RUNNING)

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    addresses = models.JSONField(default=list)
    language = models.CharField(max_length=2, choices=User.Language.choices)
    group = models.ForeignKey("programs.Group", on_delete=models.SET_NULL, null=True)
    days = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    invited = models.PositiveIntegerField(default=0)
    already_in = models.PositiveIntegerField(default=0)
    not_sent = models.PositiveIntegerField(default=0)  # to an unsubscribed or bounced address
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitations {self.pk}: {self.done}/{self.total}"
