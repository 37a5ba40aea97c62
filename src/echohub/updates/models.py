"""Updates (a hub's or the network's news) and the people who asked to hear about them.

A `Subscriber` exists only once its address confirmed: a form's request is a
`Consent` until its link is followed, so nothing is ever sent to an address
that did not say yes, and nobody can change another person's choices by
typing their address. Each `Consent` keeps what CASL and Law 25 ask a sender
to show: the exact words of the box in the language shown, who asked, when,
from which page and address.
"""

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from echohub.bilingual import Bilingual, require_one_language, validate_no_html
from echohub.network.models import private_storage


def update_image_path(instance: Any, filename: str) -> str:
    # network.branding.check_image has already named the file at random.
    return f"updates/{secrets.token_hex(4)}/{filename}"


class UpdateQuerySet(models.QuerySet["Update"]):
    def published(self) -> "UpdateQuerySet":
        return self.filter(publish_at__isnull=False, publish_at__lte=timezone.now())


class Update(models.Model):
    """News from a hub, or from the whole network when `hub` is empty.

    No publication time is a draft; one in the future is scheduled, and the
    update appears by itself when it passes (`publish_due_updates` sends its
    email then).
    """

    hub = models.ForeignKey(
        "network.Hub",
        verbose_name=_("hub"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="updates",
        help_text=_("Empty for an update from the whole network."),
    )
    title_en = models.CharField(
        _("title (English)"), max_length=200, blank=True, validators=[validate_no_html]
    )
    title_fr = models.CharField(
        _("title (French)"), max_length=200, blank=True, validators=[validate_no_html]
    )
    body_en = models.TextField(_("text (English)"), blank=True)
    body_fr = models.TextField(_("text (French)"), blank=True)
    image = models.FileField(
        _("image"), storage=private_storage, upload_to=update_image_path, max_length=200, blank=True
    )
    image_alt_en = models.CharField(
        _("image description (English)"), max_length=300, blank=True, validators=[validate_no_html]
    )
    image_alt_fr = models.CharField(
        _("image description (French)"), max_length=300, blank=True, validators=[validate_no_html]
    )
    programs = models.ManyToManyField(
        "programs.Program", verbose_name=_("programs"), blank=True, related_name="updates"
    )
    sessions = models.ManyToManyField(
        "programs.Session", verbose_name=_("sessions"), blank=True, related_name="updates"
    )
    resources = models.ManyToManyField(
        "library.Resource", verbose_name=_("library items"), blank=True, related_name="updates"
    )
    topics = models.ManyToManyField(
        "reference.Topic", verbose_name=_("topics"), blank=True, related_name="updates"
    )
    send_email = models.BooleanField(
        _("email it to subscribers"),
        default=True,
        help_text=_(
            "When it is published, to those who chose this hub or one of its topics and asked "
            "for each update. Digest readers find it in their next digest either way."
        ),
    )
    publish_at = models.DateTimeField(_("publication"), null=True, blank=True, db_index=True)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    title = Bilingual("title")
    body = Bilingual("body")
    image_alt = Bilingual("image_alt")

    objects = UpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["hub", "publish_at"])]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("updates:detail", kwargs={"pk": self.pk, "slug": self.slug})

    def clean(self) -> None:
        require_one_language(self, "title", _("title"))
        if self.image and not (self.image_alt_en.strip() or self.image_alt_fr.strip()):
            raise ValidationError(
                {"image_alt_en": _("Describe the image for people who cannot see it.")}
            )

    @property
    def slug(self) -> str:
        return slugify(self.title_en or self.title_fr)[:60] or "update"

    @property
    def status(self) -> str:
        if self.publish_at is None:
            return "draft"
        return "scheduled" if self.publish_at > timezone.now() else "published"

    def image_url(self) -> str:
        if not self.image:
            return ""
        return reverse(
            "updates:image", kwargs={"pk": self.pk, "name": self.image.name.rsplit("/", 1)[-1]}
        )


class Frequency(models.TextChoices):
    EACH = "each", _("Each update, as it is published")
    WEEKLY = "weekly", _("A weekly digest")
    MONTHLY = "monthly", _("A monthly digest")


def new_key() -> str:
    return secrets.token_urlsafe(18)


class Subscriber(models.Model):
    """A confirmed address, what it wants to hear about and how often.

    Interests are all optional: none in a kind means every one of that kind.
    Whether it may be written to is its `address` (the outbox's suppression
    list), so an unsubscribe from any email stops everything at once.
    """

    address = models.OneToOneField(
        "outreach.MailAddress", on_delete=models.CASCADE, related_name="subscriber"
    )
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subscriber",
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    timezone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    frequency = models.CharField(
        _("how often"), max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    professions = models.ManyToManyField(
        "reference.Profession", verbose_name=_("professions"), blank=True, related_name="+"
    )
    provinces = models.ManyToManyField(
        "reference.Province", verbose_name=_("provinces"), blank=True, related_name="+"
    )
    hubs = models.ManyToManyField(
        "network.Hub", verbose_name=_("hubs"), blank=True, related_name="+"
    )
    programs = models.ManyToManyField(
        "programs.Program", verbose_name=_("programs"), blank=True, related_name="+"
    )
    topics = models.ManyToManyField(
        "reference.Topic", verbose_name=_("topics"), blank=True, related_name="+"
    )
    # The key of "Choose what you receive" links in emails (no sign-in needed).
    key = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    consent = models.ForeignKey(
        "Consent", on_delete=models.PROTECT, related_name="+", verbose_name=_("consent")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["pk"]
        indexes = [models.Index(fields=["frequency", "id"])]

    def __str__(self) -> str:
        return f"subscriber {self.pk}"


class Consent(models.Model):
    """One "yes" to updates, as it was asked: the words, who asked, when, where, from where.

    A form's consent waits for its confirmation link; a signed-in person's
    (their address is already confirmed) and an import's (given earlier,
    elsewhere, with its date and source) are confirmed when recorded.
    `choices` holds what the form asked for, applied only on confirmation.
    Kept after an unsubscribe: it is the proof of what was consented to.
    """

    class Via(models.TextChoices):
        FORM = "form", _("Subscription form")
        PROFILE = "profile", _("Signed-in preferences")
        IMPORT = "import", _("Imported list")

    email = models.EmailField(_("email"))
    via = models.CharField(_("given through"), max_length=8, choices=Via.choices)
    wording = models.TextField(_("exact wording shown"))
    language = models.CharField(_("language shown"), max_length=2)
    asked_by = models.CharField(_("who asked"), max_length=200)
    hub = models.ForeignKey(
        "network.Hub", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    page = models.CharField(_("page"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("Where an imported consent was given.")
    )
    choices = models.JSONField(default=dict, blank=True)
    given_at = models.DateTimeField(_("given"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("consent to updates")
        verbose_name_plural = _("consents to updates")
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return f"{self.get_via_display()} {self.given_at:%Y-%m-%d}"
