"""Evaluations: hubs' questionnaires, what a program asks and when, who has answered, and answers.

Who answered and what they answered are kept apart on purpose. A `Completion`
says that a person was asked, and whether they answered (credit needs it); a
`Response` holds the answers and carries no person, no account and no time:
its key is random, so neither its id nor its order can be matched to a
completion. Pre- and post-series answers of one person are paired by
`pair_key`, a keyed hash of the program and the person that staff cannot
reverse (`services.pair_key`).
"""

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from echohub.bilingual import Bilingual, require_one_language, validate_no_html
from echohub.questionnaires.models import FREE_TEXT_TYPES, AbstractQuestion, AbstractVersion


class Phase(models.TextChoices):
    SESSION = "session", _("After a session")
    PRE = "pre", _("Before the series")
    POST = "post", _("After the series")
    FOLLOW_UP = "follow_up", _("Follow-up")


class MooreLevel(models.TextChoices):
    # Level 1 (participation) comes from attendance, never from a question.
    SATISFACTION = "2", _("2 · Satisfaction")
    KNOWLEDGE_DECLARATIVE = "3a", _("3a · Knowledge (knows)")
    KNOWLEDGE_PROCEDURAL = "3b", _("3b · Knowledge (knows how)")
    COMPETENCE = "4", _("4 · Competence (confidence, self-efficacy)")
    PERFORMANCE = "5", _("5 · Performance (practice change)")


class Questionnaire(models.Model):
    """A hub's evaluation questionnaire: a line of versions, the current one asked from now on."""

    class Kind(models.TextChoices):
        SESSION = "session", _("Session evaluation")
        PRE_POST = "pre_post", _("Before and after a series")
        FOLLOW_UP = "follow_up", _("Follow-up")

    hub = models.ForeignKey(
        "network.Hub", on_delete=models.CASCADE, related_name="evaluation_questionnaires"
    )
    kind = models.CharField(_("used for"), max_length=10, choices=Kind.choices)
    title_en = models.CharField(
        _("title (English)"), max_length=200, blank=True, validators=[validate_no_html]
    )
    title_fr = models.CharField(
        _("title (French)"), max_length=200, blank=True, validators=[validate_no_html]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    title = Bilingual("title")

    class Meta:
        verbose_name = _("evaluation questionnaire")
        verbose_name_plural = _("evaluation questionnaires")
        ordering = ["hub", "kind", "pk"]

    def __str__(self) -> str:
        return str(self.title)

    def clean(self) -> None:
        require_one_language(self, "title", _("title"))


class QuestionnaireVersion(AbstractVersion):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="versions"
    )

    class Meta:
        verbose_name = _("questionnaire version")
        verbose_name_plural = _("questionnaire versions")
        ordering = ["questionnaire", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "version"], name="one_questionnaire_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} v{self.version}"


class Item(AbstractQuestion):
    """One question of an evaluation questionnaire's version."""

    version_field = "form"

    form = models.ForeignKey(QuestionnaireVersion, on_delete=models.CASCADE, related_name="items")
    moore_level = models.CharField(
        _("Moore's level"), max_length=2, choices=MooreLevel.choices, blank=True
    )
    paired = models.BooleanField(
        _("paired before and after"),
        default=False,
        help_text=_("Asked before and after the series, so the change can be shown per person."),
    )

    class Meta:
        verbose_name = _("evaluation question")
        verbose_name_plural = _("evaluation questions")
        ordering = ["form", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "key"], name="one_key_per_questionnaire")
        ]


class Plan(models.Model):
    """What a program asks, and when each questionnaire opens and closes."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="evaluation_plan"
    )
    session_questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("after each session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    session_opens_hours = models.PositiveSmallIntegerField(
        _("opens this many hours after the session ends"),
        default=0,
        validators=[MaxValueValidator(72)],
    )
    session_open_days = models.PositiveSmallIntegerField(
        _("open for (days)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    pre_post_questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("before and after the series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pre_days_before = models.PositiveSmallIntegerField(
        _("before the series: sent this many days before the first session"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("And to whoever enrols later, on enrolment. It closes when the series starts."),
    )
    post_open_days = models.PositiveSmallIntegerField(
        _("after the series: open for (days) after the last session"),
        default=21,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    follow_up_questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("follow-up"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    follow_up_after_days = models.PositiveSmallIntegerField(
        _("follow-up: sent this many days after the last session"),
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
    )
    follow_up_open_days = models.PositiveSmallIntegerField(
        _("follow-up: open for (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    reminder_after_days = models.PositiveSmallIntegerField(
        _("one reminder after (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Only to those who have not answered, and only while it is still open."),
    )

    class Meta:
        verbose_name = _("evaluation plan")
        verbose_name_plural = _("evaluation plans")

    def __str__(self) -> str:
        return str(self.program)

    # Each choice of questionnaire, and the kind it must be.
    CHOOSERS: ClassVar[dict[str, str]] = {
        "session_questionnaire": Questionnaire.Kind.SESSION,
        "pre_post_questionnaire": Questionnaire.Kind.PRE_POST,
        "follow_up_questionnaire": Questionnaire.Kind.FOLLOW_UP,
    }

    def questionnaire_for(self, phase: str) -> Questionnaire | None:
        if phase == Phase.SESSION:
            return self.session_questionnaire
        if phase in (Phase.PRE, Phase.POST):
            return self.pre_post_questionnaire
        return self.follow_up_questionnaire


class Completion(models.Model):
    """That a person was asked an evaluation and whether they answered: never what they answered."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("evaluation", "Not answered yet")
        SUBMITTED = "submitted", pgettext_lazy("evaluation", "Answered")
        WAIVED = "waived", pgettext_lazy("evaluation", "Waived")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluation_completions"
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="evaluation_completions"
    )
    session = models.ForeignKey(
        "programs.Session",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluation_completions",
    )
    phase = models.CharField(_("evaluation"), max_length=10, choices=Phase.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    waived_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("evaluation completion")
        verbose_name_plural = _("evaluation completions")
        ordering = ["program", "phase", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "session", "phase"],
                condition=Q(session__isnull=False),
                name="one_completion_per_session",
            ),
            models.UniqueConstraint(
                fields=["person", "program", "phase"],
                condition=Q(session__isnull=True),
                name="one_completion_per_program_phase",
            ),
        ]
        indexes = [models.Index(fields=["program", "phase", "status"])]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} · {self.program}"

    @property
    def is_done(self) -> bool:
        return self.status != self.Status.PENDING

    def is_open(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.PENDING and self.opens_at <= now < self.closes_at


class Response(models.Model):
    """One person's answers, carrying no person and no time: see the module's docstring."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="evaluation_responses"
    )
    session = models.ForeignKey(
        "programs.Session",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="evaluation_responses",
    )
    phase = models.CharField(max_length=10, choices=Phase.choices)
    version = models.ForeignKey(
        QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses"
    )
    answers = models.JSONField(default=dict)
    # Before and after a series only: the same for one person's two answers in one program.
    pair_key = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")
        indexes = [models.Index(fields=["program", "phase"])]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} · {self.program_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Free text passes the de-identification gate here too, not only in the form.
        from echohub.deidentify.gate import ensure_deidentified

        free = set(
            Item.objects.filter(form_id=self.version_id, type__in=FREE_TEXT_TYPES).values_list(
                "key", flat=True
            )
        )
        ensure_deidentified(
            {key: value for key, value in self.answers.items() if key in free and value}
        )
        super().save(*args, **kwargs)
