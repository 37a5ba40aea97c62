"""CPD: a program's accreditations, and the certificates issued from attendance.

A certificate is a snapshot: what it states (person, activity, dates, minutes,
credits, the accreditation's exact statement) is copied when it is issued, so a
later edit of the program or the accreditation never changes a certificate
already in someone's hands. Revoking keeps the row; re-issuing makes a new one
that points back to the one it replaces.
"""

import datetime as dt
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from echohub.bilingual import Bilingual, require_one_language, validate_no_html
from echohub.workers.models import Progress


class Accreditation(models.Model):
    class CreditType(models.TextChoices):
        MAINPRO_GROUP = "mainpro_group", _("Family medicine: Mainpro+ certified group learning")
        RCPSC_SECTION1 = "rcpsc_s1", _("Specialists: Section 1 accredited group learning")
        RCPSC_SECTION3 = "rcpsc_s3", _("Specialists: Section 3 self-assessment")
        NURSING = "nursing_ce", _("Nursing continuing education hours")
        HOURS = "hours", _("Hours of learning")
        OTHER = "other", _("Other")

    # Credit that is not any one profession's: naming no profession means everyone.
    # Every other type is a profession's credit and goes only to those it names.
    GENERIC_TYPES = frozenset({CreditType.HOURS})

    class Rounding(models.TextChoices):
        QUARTER = "quarter", _("Down to the quarter credit")
        HALF = "half", _("Down to the half credit")
        TENTH = "tenth", _("Down to the tenth")
        WHOLE = "whole", _("Down to the whole credit")
        NONE = "none", _("Two decimals")

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="accreditations"
    )
    body = models.CharField(
        _("accrediting body"),
        max_length=200,
        validators=[validate_no_html],
        help_text=_("e.g. The College of Family Physicians of Canada"),
    )
    credit_type = models.CharField(_("credit type"), max_length=20, choices=CreditType.choices)
    other_type_en = models.CharField(
        _("other credit type (English)"), max_length=120, blank=True, validators=[validate_no_html]
    )
    other_type_fr = models.CharField(
        _("other credit type (French)"), max_length=120, blank=True, validators=[validate_no_html]
    )
    credits_per_hour = models.DecimalField(
        _("credits per hour"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("10"))],
    )
    rounding = models.CharField(
        _("rounding"), max_length=8, choices=Rounding.choices, default=Rounding.QUARTER
    )
    minimum_percent = models.PositiveSmallIntegerField(
        _("minimum share of a session attended (%)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Below it, a session earns no credit."),
    )
    number = models.CharField(
        _("accreditation number"), max_length=80, blank=True, validators=[validate_no_html]
    )
    statement_en = models.TextField(
        _("accreditation statement (English)"), blank=True, validators=[validate_no_html]
    )
    statement_fr = models.TextField(
        _("accreditation statement (French)"), blank=True, validators=[validate_no_html]
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    professions = models.ManyToManyField(
        "reference.Profession",
        verbose_name=_("for the professions"),
        blank=True,
        related_name="+",
        help_text=_(
            "Only these professions get this credit; everyone else gets a certificate of "
            "attendance. Hours of learning naming no profession are for everyone."
        ),
    )
    requires_evaluation = models.BooleanField(
        _("credit needs the evaluation completed"),
        default=False,
        help_text=_(
            "Each person's certificate is issued once they have answered the evaluation "
            "(or a coordinator has waived it), not on attendance alone."
        ),
    )

    statement = Bilingual("statement")
    other_type = Bilingual("other_type")

    class Meta:
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        ordering = ["valid_from", "pk"]

    def __str__(self) -> str:
        return f"{self.body} — {self.type_label()}"

    def type_label(self) -> str:
        if self.credit_type == self.CreditType.OTHER:
            return str(self.other_type)
        return str(self.get_credit_type_display())

    def applies_to(self, profession_id: str | None) -> bool:
        """Whether a person of this profession gets this credit (professions prefetched)."""
        named = {profession.pk for profession in self.professions.all()}
        if not named:
            return self.credit_type in self.GENERIC_TYPES
        return profession_id in named

    def clean(self) -> None:
        require_one_language(self, "statement", _("accreditation statement"))
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end of validity comes after its start.")})
        if self.credit_type == self.CreditType.OTHER:
            require_one_language(self, "other_type", _("credit type"))


CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols: 5 bits each


def normalise_code(typed: str) -> str:
    """A code as printed (ABCD-EFGH-JKLM-NPQR), however it was typed: any spacing,
    dashes or case. Anything that is not 16 letters and digits comes back as typed
    letters and digits, upper-cased, so it matches nothing."""
    raw = "".join(char for char in typed.upper() if char.isascii() and char.isalnum())
    return _grouped(raw) if len(raw) == 16 else raw


def _grouped(raw: str) -> str:
    """16 characters in four groups of four, as printed."""
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def new_code() -> str:
    """80 random bits in 16 characters, read in four groups: ABCD-EFGH-JKLM-NPQR."""
    return _grouped("".join(secrets.choice(CODE_ALPHABET) for _i in range(16)))


class Certificate(models.Model):
    """What was attended and earned, as it stood when issued (a snapshot)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="issued_certificates"
    )
    # A session's certificate; empty for a cycle's (the whole program).
    session = models.ForeignKey(
        "programs.Session",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
    )
    code = models.CharField(_("verification code"), max_length=19, unique=True, default=new_code)
    language = models.CharField(_("language"), max_length=4, default="en")
    person_name = models.CharField(max_length=200)
    licence_number = models.CharField(max_length=40, blank=True)
    activity_en = models.CharField(max_length=400, blank=True)
    activity_fr = models.CharField(max_length=400, blank=True)
    hub_en = models.CharField(max_length=200, blank=True)
    hub_fr = models.CharField(max_length=200, blank=True)
    contact = models.CharField(max_length=300, blank=True)
    days = models.JSONField(default=list)  # ISO dates of the sessions attended
    minutes = models.PositiveIntegerField(default=0)
    # [{"type", "label_en", "label_fr", "amount" (str), "body", "number",
    #   "statement_en", "statement_fr", "expires" (ISO date)}]
    credits = models.JSONField(default=list)
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_reason = models.CharField(_("reason"), max_length=300, blank=True)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )

    activity = Bilingual("activity")
    hub = Bilingual("hub")

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "program", "session"],
                condition=models.Q(revoked_at__isnull=True, session__isnull=False),
                name="one_valid_certificate_per_session",
            ),
            models.UniqueConstraint(
                fields=["person", "program"],
                condition=models.Q(revoked_at__isnull=True, session__isnull=True),
                name="one_valid_certificate_per_cycle",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.person_name}"

    def get_absolute_url(self) -> str:
        return reverse("certificates:verify", kwargs={"code": self.code})

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def dates(self) -> list[dt.date]:
        return [dt.date.fromisoformat(day) for day in self.days]


class CertificateBatch(Progress):
    """A bulk issue running in the background, so the page can show how far it got.

    `total` and `done` count the people looked at, `issued` the certificates this
    batch issued (counted in each certificate's own transaction, so exact even
    after a crash). A batch whose worker died is run again (echohub.workers) and
    resumes: whoever holds a certificate is skipped. `beat_at` moves with every
    step; a batch that has not moved for SILENT_AFTER says so on its page.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Issuing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    WORKING = (Status.QUEUED, Status.RUNNING)  # silent too long in these: stalled

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(
        "programs.Session", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"batch {self.pk}: {self.done}/{self.total}"
