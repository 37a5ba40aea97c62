"""Case presentations: a program's versioned case form, cases, recommendations and the audit trail.

No column here may hold a patient identifier: every text a person writes into
a case passes the de-identification gate (`echohub.deidentify.gate`) before it is
saved, here in `save()` as well as in the forms, so the admin, imports and any
later API are held to the same rule.
"""

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from echohub.questionnaires.models import AbstractQuestion, AbstractVersion

if TYPE_CHECKING:
    from echohub.deidentify.gate import Confirmation


def new_public_id() -> str:
    # Addresses of cases carry this, never the row id: nobody guesses another case's address.
    return secrets.token_urlsafe(12)


class CaseSettings(models.Model):
    """How a program runs its cases; made with defaults the first time it is needed."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, related_name="case_settings"
    )
    slots_per_session = models.PositiveSmallIntegerField(
        _("case slots per session"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
    )
    second_review = models.BooleanField(
        _("a second person reviews recommendations before they are sent"), default=False
    )
    share_with_participants = models.BooleanField(
        _("the session's participants receive the recommendations too"),
        default=False,
    )
    retention_days = models.PositiveIntegerField(
        _("keep cases for (days)"),
        default=3 * 365,
        validators=[MinValueValidator(30), MaxValueValidator(20 * 365)],
        help_text=_("After the session where a case was presented; then it is purged."),
    )

    class Meta:
        verbose_name = _("case settings")
        verbose_name_plural = _("case settings")

    def __str__(self) -> str:
        return str(self.program)


class CaseForm(AbstractVersion):
    """One version of a program's case form. A version that cases use is never changed again."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="case_forms"
    )

    class Meta:
        verbose_name = _("case form")
        verbose_name_plural = _("case forms")
        ordering = ["program", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["program", "version"], name="one_case_form_version")
        ]

    def __str__(self) -> str:
        return f"{self.program} v{self.version}"


class CaseField(AbstractQuestion):
    """One question of a case form, asked in English and French."""

    version_field = "form"

    form = models.ForeignKey(CaseForm, on_delete=models.CASCADE, related_name="fields")

    class Meta:
        verbose_name = _("case form question")
        verbose_name_plural = _("case form questions")
        ordering = ["form", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "key"], name="one_key_per_case_form")
        ]


class Case(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("case", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("case", "Submitted")
        RETURNED = "returned", pgettext_lazy("case", "Returned for changes")
        ACCEPTED = "accepted", pgettext_lazy("case", "Accepted")
        DECLINED = "declined", pgettext_lazy("case", "Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("case", "Withdrawn")

    public_id = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="cases")
    form = models.ForeignKey(CaseForm, on_delete=models.PROTECT, related_name="cases")
    # The case's short number in its program ("Case 12"), never anything of the patient's.
    number = models.PositiveIntegerField(_("case number"))
    presenter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cases"
    )
    title = models.CharField(
        _("short title"),
        max_length=150,
        help_text=_("What the case is about, e.g. “Delirium at home in advanced COPD”."),
    )
    answers = models.JSONField(default=dict, blank=True)
    # The presenter's word that possible findings of the gate (a word read as a
    # name, a number with no cue) are not identifiers: [where, kind, start, end]
    # each, never the text. `save()` lets exactly these through and drops the
    # ones an edit has moved (see echohub.deidentify.gate.Confirmation).
    confirmed = models.JSONField(default=list, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    attested_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("comment for the presenter"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    session = models.ForeignKey(
        "programs.Session",
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    slot = models.PositiveSmallIntegerField(null=True, blank=True)
    # Words of the title and answers, for the case library's search.
    search_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["program", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="one_case_number"),
            models.UniqueConstraint(
                fields=["session", "slot"],
                condition=models.Q(session__isnull=False),
                name="one_case_per_slot",
            ),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.label} · {self.program}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from echohub.deidentify.gate import ensure_deidentified

        texts = self.texts()
        kept = ensure_deidentified(texts, self.confirmations())
        self.confirmed = [confirmation.stored() for confirmation in kept]
        # The library searches what the presenter wrote, not the hub's comment to them.
        self.search_text = " ".join(t for where, t in texts.items() if t and where != "comment")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"public_id": self.public_id})

    @property
    def label(self) -> str:
        return _("Case %(number)s") % {"number": self.number}

    @property
    def heading(self) -> str:
        """Number and title ("Case 12 · Delirium at home"); the number alone once erased."""
        return f"{self.label} · {self.title}" if self.title else self.label

    def confirmations(self) -> "list[Confirmation]":
        from echohub.deidentify.gate import parse_confirmations

        return sorted(parse_confirmations(self.confirmed or []))

    def texts(self) -> dict[str, str]:
        """Every text a person wrote into this case, by where it is, for the gate."""
        found = {"title": self.title, "comment": self.review_comment}
        for key, value in (self.answers or {}).items():
            values = value if isinstance(value, list) else [value]
            found[f"answers.{key}"] = " ".join(str(v) for v in values if v is not None)
        return found


class Invitation(models.Model):
    """The hub asks a participant to present a case; the email links to the case form."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="case_invitations"
    )
    session = models.ForeignKey(
        "programs.Session", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.CharField(max_length=24, unique=True, default=new_public_id, editable=False)
    case = models.OneToOneField(
        Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation to present")
        verbose_name_plural = _("invitations to present")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.person} → {self.program}"


class Recommendations(models.Model):
    """What the panel recommends for a case, written after the session."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("recommendations", "Draft")
        IN_REVIEW = "in_review", _("Awaiting review")
        APPROVED = "approved", pgettext_lazy("recommendations", "Reviewed")
        SENT = "sent", pgettext_lazy("recommendations", "Sent")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="recommendations")
    text = models.TextField(_("recommendations"), blank=True)
    follow_up_on = models.DateField(_("offered follow-up date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("recommendations")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return str(self.case)

    def save(self, *args: Any, **kwargs: Any) -> None:
        from echohub.deidentify.gate import ensure_deidentified

        ensure_deidentified({"recommendations": self.text})
        super().save(*args, **kwargs)


class RecommendationPart(models.Model):
    """A part of the recommendations drafted by a hub expert, for the facilitator to use."""

    recommendations = models.ForeignKey(
        Recommendations, on_delete=models.CASCADE, related_name="parts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("draft"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("drafted part")
        verbose_name_plural = _("drafted parts")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from echohub.deidentify.gate import ensure_deidentified

        ensure_deidentified({"part": self.text})
        super().save(*args, **kwargs)


class AuditQuerySet(models.QuerySet["AuditRecord"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionDenied("Audit records are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Audit records are never deleted.")


class AuditRecord(models.Model):
    """Who did what to which case, when and from where. Written once; never changed or deleted.

    Besides every access by someone other than the presenter, it keeps each
    presenter's confirmation that a possible finding is not an identifier (its
    kind, place and characters in `detail`, never the text).

    The case and the person are kept as plain values, not foreign keys, so the
    record outlives a purged case or a deleted account. The code refuses to
    change or delete one, and so does the database (triggers on UPDATE, DELETE
    and TRUNCATE, see the migrations). Each record's `digest` hashes its content
    with the previous record's digest, so an edit or a removal made behind the
    database's back breaks the chain (`echohub verify_audit_trail`).
    """

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        EXPORT = "export", _("exported")
        EDIT = "edit", _("edited")
        REVIEW = "review", _("reviewed")
        SCHEDULE = "schedule", _("scheduled")
        RECOMMEND = "recommend", _("wrote recommendations")
        SEND = "send", _("sent recommendations")
        WITHDRAW = "withdraw", _("withdrew")
        PURGE = "purge", _("purged")
        CONFIRM = "confirm", _("confirmed not an identifier")

    hub = models.ForeignKey("network.Hub", on_delete=models.PROTECT, related_name="+")
    program_id = models.PositiveIntegerField()
    case_id = models.PositiveIntegerField()
    case_label = models.CharField(max_length=100)
    actor_id = models.PositiveIntegerField(null=True)
    actor_name = models.CharField(max_length=200)
    action = models.CharField(max_length=10, choices=Action.choices)
    detail = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    digest = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("case audit record")
        verbose_name_plural = _("case audit trail")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["hub", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.case_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionDenied("Audit records are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionDenied("Audit records are never deleted.")


def audit_digest(record: AuditRecord, previous: str) -> str:
    """SHA-256 of the previous record's digest and this record's every field."""
    content = "\x1f".join(
        str(value)
        for value in (
            previous,
            record.hub_id,
            record.program_id,
            record.case_id,
            record.case_label,
            record.actor_id if record.actor_id is not None else "",
            record.actor_name,
            record.action,
            record.detail,
            record.ip or "",
            record.at.astimezone(dt.UTC).isoformat(),
        )
    )
    return hashlib.sha256(content.encode()).hexdigest()
