"""What every questionnaire is made of: numbered versions of questions asked in English and French.

These models are abstract: each app that asks questions keeps its own tables
(`cases.CaseForm`/`CaseField`, `evaluations.QuestionnaireVersion`/`Item`), so
case answers and evaluation answers never share a table and each app keeps
its own permissions, while the versioning rule (`engine`), the builder pages
(`builder`), the answer forms (`forms`) and the display (`display`) are one
copy here.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from echohub.bilingual import Bilingual, validate_no_html


class QuestionType(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    CHOICE = "choice", _("Choice (one)")
    MULTI_CHOICE = "multi_choice", _("Choice (several)")
    NUMBER = "number", _("Number")
    AGE_BAND = "age_band", _("Age band")
    YES_NO = "yes_no", _("Yes or no")
    LIKERT = "likert", _("Scale of 1 to 5")


FREE_TEXT_TYPES = (QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT)
CHOICE_TYPES = (QuestionType.CHOICE, QuestionType.MULTI_CHOICE)
LIKERT_POINTS = (1, 2, 3, 4, 5)

# Ages go in bands; 90 and over is one band, since an exact great age can identify a person.
AGE_BANDS = [
    ("0-17", _("Under 18")),
    ("18-39", _("18 to 39")),
    ("40-59", _("40 to 59")),
    ("60-69", _("60 to 69")),
    ("70-79", _("70 to 79")),
    ("80-89", _("80 to 89")),
    ("90+", _("90 or older")),
]


class AbstractVersion(models.Model):
    """One numbered version of a questionnaire. A version that has answers is never changed."""

    version = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class AbstractQuestion(models.Model):
    """One question of a version, asked in English and French.

    A concrete model adds the foreign key to its version and names it in
    `version_field`.
    """

    version_field: ClassVar[str] = "version"

    key = models.SlugField(_("key"), max_length=40)
    position = models.PositiveSmallIntegerField(default=0)
    type = models.CharField(_("type"), max_length=12, choices=QuestionType.choices)
    label_en = models.CharField(
        _("label (English)"), max_length=200, blank=True, validators=[validate_no_html]
    )
    label_fr = models.CharField(
        _("label (French)"), max_length=200, blank=True, validators=[validate_no_html]
    )
    help_en = models.CharField(
        _("help (English)"), max_length=400, blank=True, validators=[validate_no_html]
    )
    help_fr = models.CharField(
        _("help (French)"), max_length=400, blank=True, validators=[validate_no_html]
    )
    required = models.BooleanField(_("required"), default=False)
    # [{"value": "home", "en": "Home", "fr": "Domicile"}, …] for the choice types.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    # The words at each end of a 1–5 scale ("Not at all" … "Completely").
    low_en = models.CharField(
        _("1 means (English)"), max_length=60, blank=True, validators=[validate_no_html]
    )
    low_fr = models.CharField(
        _("1 means (French)"), max_length=60, blank=True, validators=[validate_no_html]
    )
    high_en = models.CharField(
        _("5 means (English)"), max_length=60, blank=True, validators=[validate_no_html]
    )
    high_fr = models.CharField(
        _("5 means (French)"), max_length=60, blank=True, validators=[validate_no_html]
    )

    label = Bilingual("label")
    help = Bilingual("help")
    low = Bilingual("low")
    high = Bilingual("high")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.label)

    @property
    def is_free_text(self) -> bool:
        return self.type in FREE_TEXT_TYPES
