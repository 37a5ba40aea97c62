"""Hubs that run programs, spokes where participants work, and who is staff of which hub."""

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.translation import gettext_lazy as _

from echohub.bilingual import Bilingual, require_one_language, validate_no_html


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
    created_at = models.DateTimeField(auto_now_add=True)

    name = Bilingual("name")
    description = Bilingual("description")

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
