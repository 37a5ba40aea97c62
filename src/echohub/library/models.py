"""The knowledge library: recordings, slides, tools, guides, articles, links and protocols.

A resource belongs to a hub; it may come from a program or a session. Its
files live in private storage (never under the web root) and are served by a
view that checks who may see them. Protocols change through versions; a
recording may carry a transcript whose lines are searchable and link to the
moment they were said.
"""

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from echohub.bilingual import Bilingual, validate_no_html
from echohub.library.storage import private_storage


def new_key() -> str:
    return secrets.token_urlsafe(9)


def upload_path(instance: Any, filename: str) -> str:
    # A random folder per file: names never collide and never reveal another upload.
    return f"library/{secrets.token_hex(8)}/{filename}"


class Resource(models.Model):
    class Kind(models.TextChoices):
        RECORDING = "recording", _("Session recording")
        SLIDES = "slides", _("Slides")
        TOOL = "tool", _("Tool (form, checklist, scale)")
        GUIDE = "guide", _("Guide")
        ARTICLE = "article", _("Article")
        LINK = "link", _("Link")
        PROTOCOL = "protocol", _("Protocol")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Everyone")
        SIGNED_IN = "signed_in", _("People signed in")
        MEMBERS = "members", _("Members of the program")

    class Language(models.TextChoices):
        EN = "en", _("English")
        FR = "fr", _("French")
        BOTH = "both", _("English and French")

    key = models.CharField(max_length=16, unique=True, default=new_key, editable=False)
    hub = models.ForeignKey(
        "network.Hub", verbose_name=_("hub"), on_delete=models.PROTECT, related_name="resources"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title_en = models.CharField(
        _("title (English)"), max_length=200, blank=True, validators=[validate_no_html]
    )
    title_fr = models.CharField(
        _("title (French)"), max_length=200, blank=True, validators=[validate_no_html]
    )
    description_en = models.TextField(
        _("description (English)"), blank=True, validators=[validate_no_html]
    )
    description_fr = models.TextField(
        _("description (French)"), blank=True, validators=[validate_no_html]
    )
    language = models.CharField(
        _("language of the content"), max_length=4, choices=Language.choices, default="en"
    )
    topics = models.ManyToManyField(
        "reference.Topic", verbose_name=_("topics"), blank=True, related_name="resources"
    )
    professions = models.ManyToManyField(
        "reference.Profession", verbose_name=_("professions"), blank=True, related_name="+"
    )
    practice_settings = models.ManyToManyField(
        "reference.PracticeSetting",
        verbose_name=_("practice settings"),
        blank=True,
        related_name="+",
    )
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
    )
    session = models.ForeignKey(
        "programs.Session",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resources",
    )
    visibility = models.CharField(
        _("who may see it"), max_length=10, choices=Visibility.choices, default="public"
    )
    url = models.URLField(
        _("link or video address"),
        max_length=500,
        blank=True,
        help_text=_("A YouTube, Vimeo or Zoom recording link is shown as a player."),
    )
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=upload_path, max_length=300, blank=True
    )
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    text = models.TextField(
        _("text"), blank=True, help_text=_("For a protocol written here: its current text.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    title = Bilingual("title")
    description = Bilingual("description")

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["visibility", "kind"])]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return reverse("library:resource", kwargs={"key": self.key})


class ProtocolVersion(models.Model):
    """One version of a protocol: its own file or text, and what changed."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=upload_path, max_length=300, blank=True
    )
    file_name = models.CharField(max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    changes_en = models.TextField(
        _("what changed (English)"), blank=True, validators=[validate_no_html]
    )
    changes_fr = models.TextField(
        _("what changed (French)"), blank=True, validators=[validate_no_html]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    changes = Bilingual("changes")

    class Meta:
        verbose_name = _("protocol version")
        verbose_name_plural = _("protocol versions")
        ordering = ["resource", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="one_protocol_version")
        ]

    def __str__(self) -> str:
        return f"{self.resource} v{self.number}"


class TranscriptSegment(models.Model):
    """One cue of a recording's WebVTT transcript: who said what, from when to when."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveIntegerField()
    start_ms = models.PositiveIntegerField()
    end_ms = models.PositiveIntegerField()
    speaker = models.CharField(max_length=200, blank=True)
    text = models.TextField()

    class Meta:
        verbose_name = _("transcript line")
        verbose_name_plural = _("transcript lines")
        ordering = ["resource", "position"]

    def __str__(self) -> str:
        return f"{self.start_ms // 1000}s {self.speaker}: {self.text[:40]}"

    @property
    def start_seconds(self) -> int:
        return self.start_ms // 1000


class Follow(models.Model):
    """A person follows one resource, one topic or one program, and is emailed what is new."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    resource = models.ForeignKey(
        Resource, null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    topic = models.ForeignKey(
        "reference.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    program = models.ForeignKey(
        "programs.Program", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(resource__isnull=False, topic__isnull=True, program__isnull=True)
                    | Q(resource__isnull=True, topic__isnull=False, program__isnull=True)
                    | Q(resource__isnull=True, topic__isnull=True, program__isnull=False)
                ),
                name="follow_exactly_one_thing",
            ),
            models.UniqueConstraint(
                fields=["person", "resource"],
                condition=Q(resource__isnull=False),
                name="follow_resource_once",
            ),
            models.UniqueConstraint(
                fields=["person", "topic"],
                condition=Q(topic__isnull=False),
                name="follow_topic_once",
            ),
            models.UniqueConstraint(
                fields=["person", "program"],
                condition=Q(program__isnull=False),
                name="follow_program_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.resource or self.topic or self.program}"


# The search index's model lives with the search code; imported here so Django registers it.
class ResourceViews(models.Model):
    """How often a resource was looked at on a day: a counter, never who looked.

    Reach reports count library use from these; a public recording is watched by
    people who never sign in, and their viewing is nobody's record to keep.
    """

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("resource views")
        verbose_name_plural = _("resource views")
        constraints = [
            models.UniqueConstraint(fields=["resource", "day"], name="one_counter_a_day")
        ]
        indexes = [models.Index(fields=["day", "resource"])]

    def __str__(self) -> str:
        return f"{self.resource_id} on {self.day}: {self.views}"


from echohub.library.search.entry import SearchEntry  # noqa: E402, F401
