"""People: one account per email address, with the profile that programs are matched to."""

import contextlib
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from echohub.bilingual import validate_no_html
from echohub.reference.postal import normalise_postal_code, validate_postal_code
from echohub.timezones import validate_zone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractUser):
    class Language(models.TextChoices):
        EN = "en", _("English")
        FR = "fr", _("French")

    # None removes an inherited field: Django supports it, the stubs cannot express it.
    username = None  # type: ignore[assignment]  # removes AbstractUser's field
    first_name = None  # type: ignore[assignment]  # removes AbstractUser's field
    last_name = None  # type: ignore[assignment]  # removes AbstractUser's field
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(
        _("full name"), max_length=150, blank=True, validators=[validate_no_html]
    )
    profession = models.ForeignKey(
        "reference.Profession",
        verbose_name=_("profession"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    practice_setting = models.ForeignKey(
        "reference.PracticeSetting",
        verbose_name=_("practice setting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    province = models.ForeignKey(
        "reference.Province",
        verbose_name=_("province or territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    spoke = models.ForeignKey(
        "network.Spoke",
        verbose_name=_("team or site (spoke)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    practice_postal_code = models.CharField(
        _("practice postal code"),
        max_length=7,
        blank=True,
        validators=[validate_postal_code],
        help_text=_(
            "Optional. The postal code where you practise; it lets your hub report how many "
            "rural and remote providers it reaches."
        ),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.EN
    )
    timezone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_zone]
    )
    licence_number = models.CharField(
        _("licence or membership number"),
        max_length=40,
        blank=True,
        validators=[validate_no_html],
        help_text=_(
            "Printed on your CPD certificates when you give it (e.g. your college or CFPC number)."
        ),
    )
    is_national_admin = models.BooleanField(
        _("national admin"),
        default=False,
        help_text=_("Sees and manages every hub, program and figure of the network."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # The stubs expect auth's UserManager, whose create_user takes a username; this one doesn't.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]  # email-only

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.name or self.email

    def clean(self) -> None:
        super().clean()
        # Stored as Canada Post writes it, so reports read the FSA from the first three.
        # A code that does not normalise is left as it is: its field's validator says why.
        with contextlib.suppress(ValidationError):
            if self.practice_postal_code:
                self.practice_postal_code = normalise_postal_code(self.practice_postal_code)

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class PrivacyNotice(models.Model):
    """One version of the privacy notice, as it was published (the site's Privacy page).

    Each change of the page's text publishes a new version; the old ones are kept,
    so that a consent can be shown against the very notice its giver could read.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    body_fr = models.TextField(_("text (French)"), blank=True)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("privacy notice version")
        verbose_name_plural = _("privacy notice versions")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.version} ({self.published_at:%Y-%m-%d})"

    @classmethod
    def current(cls) -> "PrivacyNotice | None":
        return cls.objects.order_by("-version").first()


class PrivacyConsent(models.Model):
    """The privacy notice a person agreed to, exactly as it was worded for them, and when.

    Law 25 and PIPEDA ask that consent can be shown: the words, their language
    and the page are kept as shown, with the version of the notice they could
    read then (`notice`; empty for accounts made before versions were kept).
    """

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="privacy_consents")
    notice = models.ForeignKey(
        PrivacyNotice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("privacy notice version"),
    )
    wording = models.TextField(_("wording shown"))
    language = models.CharField(_("language"), max_length=2)
    page = models.CharField(_("page"), max_length=300)
    given_at = models.DateTimeField(_("given"))

    class Meta:
        verbose_name = _("privacy consent")
        verbose_name_plural = _("privacy consents")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.person} — {self.given_at:%Y-%m-%d %H:%M} UTC ({self.language})"
