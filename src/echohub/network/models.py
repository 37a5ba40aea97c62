"""Hubs that run programs, spokes where participants work, and who is staff of which hub."""

import secrets
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from echohub.bilingual import Bilingual, require_one_language, validate_no_html
from echohub.network.branding import validate_hex_colour


def private_storage() -> Storage:
    # A callable, so tests and deployments can swap the storage in settings.
    return storages["private"]


def hub_image_path(instance: Any, filename: str) -> str:
    # network.branding.check_image has already named the file at random.
    return f"hubs/{secrets.token_hex(4)}/{filename}"


class Hub(models.Model):
    class Scope(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provinces or territories")
        SECTOR = "sector", _("Sector")

    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    name_en = models.CharField(
        _("name (English)"), max_length=200, blank=True, validators=[validate_no_html]
    )
    name_fr = models.CharField(
        _("name (French)"), max_length=200, blank=True, validators=[validate_no_html]
    )
    description_en = models.TextField(
        _("description (English)"), blank=True, validators=[validate_no_html]
    )
    description_fr = models.TextField(
        _("description (French)"), blank=True, validators=[validate_no_html]
    )
    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices)
    provinces = models.ManyToManyField(
        "reference.Province", verbose_name=_("provinces and territories"), blank=True
    )
    sector = models.ForeignKey(
        "reference.PracticeSetting",
        verbose_name=_("sector"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_lead = models.BooleanField(_("national lead"), default=False)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(
        _("contact email"),
        blank=True,
        help_text=_("Printed on certificates as the provider's contact."),
    )
    phone = models.CharField(
        _("contact phone"), max_length=40, blank=True, validators=[validate_no_html]
    )
    mailing_address = models.TextField(
        _("mailing address"), max_length=400, blank=True, validators=[validate_no_html]
    )
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        blank=True,
        validators=[validate_hex_colour],
        help_text=_(
            "As # and six hexadecimal digits (#0b5c8e). Text keeps a readable contrast: "
            "a light colour is darkened where it colours text."
        ),
    )
    # Logos and signatures are kept in the private storage like library files; the
    # logo is public and served by network.views.hub_logo, the signature only drawn
    # on certificates.
    logo = models.FileField(
        _("logo"), storage=private_storage, upload_to=hub_image_path, max_length=200, blank=True
    )
    signatory_name = models.CharField(
        _("certificate signatory"),
        max_length=200,
        blank=True,
        validators=[validate_no_html],
        help_text=_("The person whose name and signature are printed on certificates."),
    )
    signatory_title_en = models.CharField(
        _("signatory's title (English)"),
        max_length=200,
        blank=True,
        validators=[validate_no_html],
    )
    signatory_title_fr = models.CharField(
        _("signatory's title (French)"),
        max_length=200,
        blank=True,
        validators=[validate_no_html],
    )
    signature = models.FileField(
        _("signature image"),
        storage=private_storage,
        upload_to=hub_image_path,
        max_length=200,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    name = Bilingual("name")
    description = Bilingual("description")
    signatory_title = Bilingual("signatory_title")

    class Meta:
        verbose_name = _("hub")
        verbose_name_plural = _("hubs")
        ordering = [
            "-is_lead",
            Lower(  # type: ignore[list-item]  # Django takes any expression; stubs don't
                Coalesce(NullIf("name_en", Value("")), "name_fr")
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)

    def clean(self) -> None:
        require_one_language(self, "name", _("name"))
        self.brand_colour = self.brand_colour.lower()  # one spelling, as the stylesheet's key

    def logo_url(self) -> str:
        """The logo's address, which changes with the file (so browsers may keep it a year)."""
        if not self.logo:
            return ""
        name = self.logo.name.rsplit("/", 1)[-1]
        return reverse("network:hub_logo", kwargs={"slug": self.slug, "name": name})

    def brand_css_url(self) -> str:
        if not self.brand_colour:
            return ""
        url = reverse("network:hub_css", kwargs={"slug": self.slug})
        return f"{url}?v={self.brand_colour[1:]}"


class Spoke(models.Model):
    class Rurality(models.TextChoices):
        URBAN = "urban", _("Urban")
        RURAL = "rural", _("Rural")
        REMOTE = "remote", _("Remote")

    name = models.CharField(_("name"), max_length=200, validators=[validate_no_html])
    setting = models.ForeignKey(
        "reference.PracticeSetting",
        verbose_name=_("type of setting"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    province = models.ForeignKey(
        "reference.Province",
        verbose_name=_("province or territory"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("community"), max_length=120, validators=[validate_no_html])
    rurality = models.CharField(_("rural or urban"), max_length=8, choices=Rurality.choices)

    class Meta:
        verbose_name = _("spoke")
        verbose_name_plural = _("spokes")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.place}, {self.province_id})"


class StaffRole(models.Model):
    """One role a person holds in one hub; a person may hold several."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Hub admin")
        COORDINATOR = "coordinator", _("Coordinator")
        FACILITATOR = "facilitator", _("Facilitator")
        EXPERT = "expert", _("Hub expert")

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="staff_roles")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        ordering = ["hub", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "person", "role"], name="one_role_once_per_hub")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} ({self.hub})"


MANAGER_ROLES = (StaffRole.Role.ADMIN, StaffRole.Role.COORDINATOR)
PANEL_ROLES = (StaffRole.Role.FACILITATOR, StaffRole.Role.EXPERT)
