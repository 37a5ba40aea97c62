"""The space between sessions: each program's (and, if it chooses, each group's) discussion
space, its threads and posts, "helpful" marks, reports, moderation and follows.

Every post's text passes the de-identification gate in `Post.save()` (and the
thread's title in `Thread.save()`), as cases do, so neither a form, the admin
nor an import can store an identifier; a possible finding the writer confirmed
"not an identifier" is kept in `confirmed`, by place, kind and characters.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from echohub.bilingual import validate_no_html
from echohub.deidentify.gate import Confirmation, ensure_deidentified

LANGUAGES = [("en", _("English")), ("fr", _("French"))]


class SpaceSettings(models.Model):
    """A program's choices for its discussion spaces."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="community_settings"
    )
    open = models.BooleanField(
        _("discussion space open"),
        default=True,
        help_text=_("Members and staff read and write between sessions."),
    )
    group_spaces = models.BooleanField(
        _("a space for each group"),
        default=False,
        help_text=_("Besides the program's space, each group has its own, for its members."),
    )
    hold_first_posts = models.BooleanField(
        _("hold new members' first posts"),
        default=False,
        help_text=_("A moderator approves someone's first post before others see it."),
    )

    class Meta:
        verbose_name = _("discussion settings")
        verbose_name_plural = _("discussion settings")

    def __str__(self) -> str:
        return f"discussion settings of program {self.program_id}"


class Space(models.Model):
    """The program's space (no group), or one group's."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="spaces")
    group = models.ForeignKey(
        "programs.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="spaces"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("discussion space")
        verbose_name_plural = _("discussion spaces")
        constraints = [
            models.UniqueConstraint(
                fields=["program"],
                condition=models.Q(group__isnull=True),
                name="one_space_per_program",
            ),
            models.UniqueConstraint(fields=["group"], name="one_space_per_group"),
        ]

    def __str__(self) -> str:
        return str(self.group.name if self.group else self.program.title)

    def get_absolute_url(self) -> str:
        if self.group_id:
            return reverse(
                "community:group_space", kwargs={"slug": self.program.slug, "pk": self.group_id}
            )
        return reverse("community:space", kwargs={"slug": self.program.slug})


class Thread(models.Model):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("Discussion")
        QUESTION = "question", _("Question to the panel")
        CASE = "case", _("Follow-up to a case")
        RESOURCE = "resource", _("A resource to share")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DISCUSSION)
    title = models.CharField(_("title"), max_length=150, validators=[validate_no_html])
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    # A follow-up names the case by its number only, never its text.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A resource shared by its author: a members-only library item of the program,
    # stored through the library's upload checks.
    resource = models.ForeignKey(
        "library.Resource", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False)
    answered_at = models.DateTimeField(_("answered by the panel"), null=True, blank=True)
    replies = models.PositiveIntegerField(default=0)  # visible posts after the first
    last_post_at = models.DateTimeField()
    confirmed = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            # A space's page: pinned first, then the latest activity.
            models.Index(
                fields=["space", "hidden", "-pinned", "-last_post_at"], name="thread_listing"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        ensure_deidentified({"title": self.title}, confirmations(self.confirmed))
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("community:thread", kwargs={"pk": self.pk})


class Post(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", _("Visible")
        HELD = "held", _("Awaiting approval")
        HIDDEN = "hidden", _("Hidden by a moderator")

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("message"), max_length=10_000, validators=[validate_no_html])
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.VISIBLE
    )
    opening = models.BooleanField(default=False)  # the thread's first post
    panel_answer = models.BooleanField(_("answered by the panel"), default=False)
    helpful = models.PositiveIntegerField(default=0)
    confirmed = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["thread", "status", "created_at"], name="post_in_thread"),
            models.Index(fields=["author", "created_at"], name="post_by_author"),
        ]

    def __str__(self) -> str:
        return f"post {self.pk} in thread {self.thread_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        ensure_deidentified({"body": self.body}, confirmations(self.confirmed))
        super().save(*args, **kwargs)


def confirmations(stored: object) -> list[Confirmation]:
    values = stored if isinstance(stored, list) else []
    return [found for value in values if (found := Confirmation.parse(value)) is not None]


class Helpful(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="marks")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "person"], name="helpful_once_per_person")
        ]

    def __str__(self) -> str:
        return f"post {self.post_id} helpful to {self.person_id}"


class Report(models.Model):
    """A member's report of a post, with why; a moderator resolves it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("why"), max_length=500, validators=[validate_no_html])
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_report_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"report {self.pk} of post {self.post_id}"


class ModerationAction(models.Model):
    """Every moderation, with who did it and why: the log a hub answers from."""

    class Action(models.TextChoices):
        HIDE_POST = "hide_post", _("Hid a post")
        SHOW_POST = "show_post", _("Showed a post again")
        APPROVE_POST = "approve_post", _("Approved a held post")
        HIDE_THREAD = "hide_thread", _("Hid a thread")
        SHOW_THREAD = "show_thread", _("Showed a thread again")
        LOCK = "lock", _("Locked a thread")
        UNLOCK = "unlock", _("Unlocked a thread")
        PIN = "pin", _("Pinned a thread")
        UNPIN = "unpin", _("Unpinned a thread")
        MOVE = "move", _("Moved a thread")
        DISMISS = "dismiss", _("Dismissed a report")

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="moderation_log"
    )
    thread = models.ForeignKey(Thread, on_delete=models.SET_NULL, null=True, related_name="+")
    post = models.ForeignKey(Post, on_delete=models.SET_NULL, null=True, related_name="+")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    reason = models.CharField(_("why"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} by {self.moderator_id}"


class Follow(models.Model):
    """What a person is told of a thread or a whole space: each post, a daily digest, or
    nothing (a "nothing" row silences a thread inside a followed space)."""

    class How(models.TextChoices):
        EACH = "each", _("Each post, by email")
        DAILY = "daily", _("A daily digest")
        NONE = "none", _("Nothing")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_follows"
    )
    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="follows"
    )
    how = models.CharField(max_length=5, choices=How.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "space"], name="one_space_follow"),
            models.UniqueConstraint(fields=["person", "thread"], name="one_thread_follow"),
            models.CheckConstraint(
                condition=models.Q(space__isnull=False, thread__isnull=True)
                | models.Q(space__isnull=True, thread__isnull=False),
                name="follow_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} follows {self.thread_id or self.space_id}: {self.how}"
