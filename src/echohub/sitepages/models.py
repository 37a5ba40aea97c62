"""The site's own pages, linked from every page's footer: about, contact, privacy, accessibility.

There is one row per page, created with default text by the migration that
makes the table; national admins change the text in both languages. Texts are
plain paragraphs: HTML is refused when saved and escaped when shown.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from echohub.bilingual import Bilingual, require_one_language, validate_no_html


class SitePage(models.Model):
    class Key(models.TextChoices):
        ABOUT = "about", _("About")
        CONTACT = "contact", _("Contact")
        PRIVACY = "privacy", _("Privacy")
        ACCESSIBILITY = "accessibility", _("Accessibility")

    key = models.SlugField(_("page"), max_length=20, choices=Key.choices, unique=True)
    title_en = models.CharField(
        _("title (English)"), max_length=200, blank=True, validators=[validate_no_html]
    )
    title_fr = models.CharField(
        _("title (French)"), max_length=200, blank=True, validators=[validate_no_html]
    )
    body_en = models.TextField(
        _("text (English)"),
        blank=True,
        validators=[validate_no_html],
        help_text=_("Plain text; leave an empty line between paragraphs."),
    )
    body_fr = models.TextField(
        _("text (French)"),
        blank=True,
        validators=[validate_no_html],
        help_text=_("Plain text; leave an empty line between paragraphs."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    title = Bilingual("title")
    body = Bilingual("body")

    class Meta:
        verbose_name = _("site page")
        verbose_name_plural = _("site pages")
        ordering = ["key"]

    def __str__(self) -> str:
        return str(self.title) or self.key

    def clean(self) -> None:
        require_one_language(self, "title", _("title"))
