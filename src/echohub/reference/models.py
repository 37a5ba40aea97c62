"""Provinces and territories, professions and practice settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from echohub.bilingual import Bilingual


class ReferenceItem(models.Model):
    code = models.SlugField(_("code"), max_length=40, primary_key=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    name = Bilingual("name")

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self) -> str:
        return str(self.name)


class Province(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("province or territory")
        verbose_name_plural = _("provinces and territories")


class Profession(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("profession")
        verbose_name_plural = _("professions")


class PracticeSetting(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = _("practice setting")
        verbose_name_plural = _("practice settings")


class Topic(ReferenceItem):
    """A palliative care subject that library resources are filed under."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
