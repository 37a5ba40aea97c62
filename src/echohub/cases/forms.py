"""Forms for cases. `CaseAnswersForm` is built from a version of the program's case form and
runs every free text through the de-identification gate as it validates."""

from dataclasses import replace
from typing import Any, cast

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from echohub.cases.models import Case, CaseField, CaseForm, CaseSettings
from echohub.deidentify.gate import Confirmation
from echohub.programs.models import Session
from echohub.questionnaires.forms import AnswersForm, GatedForm, QuestionForm
from echohub.questionnaires.models import QuestionType


class CaseAnswersForm(AnswersForm):
    """A case on one version of the program's case form; a draft may leave required questions."""

    title = forms.CharField(
        label=_("Short title"),
        max_length=150,
        help_text=_("What the case is about, e.g. “Delirium at home in advanced COPD”."),
    )
    attest = forms.BooleanField(
        label=_(
            "I confirm that this case holds no identifying information: no names, health card "
            "or other numbers, dates, addresses or contact details of the patient or their family."
        ),
        required=False,
    )

    def __init__(
        self, case_form: CaseForm, *args: Any, submitting: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(list(case_form.fields.all()), *args, enforce_required=submitting, **kwargs)
        self.case_form = case_form
        self.submitting = submitting
        self.fields["attest"].required = submitting
        self.order_fields(["title", *[f"q_{q.key}" for q in self.questions], "attest"])

    # A possible name or number may be confirmed "not an identifier"; `Case.confirmed` keeps it.
    confirmable = True

    @classmethod
    def initial_from(cls, title: str, answers: dict[str, Any]) -> dict[str, Any]:
        return {"title": title, **cls.initial_for(answers)}

    @staticmethod
    def place(name: str) -> str:
        """Where a field's text is kept in the case: "q_history" → "answers.history"."""
        return f"answers.{name[2:]}" if name.startswith("q_") else name

    @staticmethod
    def field_name(where: str) -> str:
        return f"q_{where[8:]}" if where.startswith("answers.") else where

    def case_confirmations(self) -> list[Confirmation]:
        """The confirmations by where the case keeps each text, for `Case.confirmed`."""
        return [replace(c, where=self.place(c.where)) for c in self.confirmations()]

    @classmethod
    def tokens_for(cls, case: Case) -> list[str]:
        """A saved case's confirmations as the form posts them, so that an edit keeps them
        (as long as the text before each one is unchanged)."""
        return [replace(c, where=cls.field_name(c.where)).token for c in case.confirmations()]


class FieldForm(QuestionForm):
    """A question of a case form: every type but the 1–5 scale, which is for evaluations."""

    types = tuple(t for t in QuestionType.values if t != QuestionType.LIKERT)

    class Meta(QuestionForm.Meta):
        model = CaseField


class CaseSettingsForm(forms.ModelForm):
    class Meta:
        model = CaseSettings
        fields = ["slots_per_session", "second_review", "share_with_participants", "retention_days"]


class ReviewForm(GatedForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("accepted", _("Accept")),
            ("returned", _("Return for changes")),
            ("declined", _("Decline")),
        ],
    )
    comment = forms.CharField(
        label=_("Comment for the presenter"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email of the participant"))
    session = forms.TypedChoiceField(
        label=_("For the session"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, sessions: list[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["session"]).choices = [
            ("", "—"),
            *(
                (s.pk, f"{date_format(s.starts_at, 'SHORT_DATE_FORMAT')} · {s.title}")
                for s in sessions
            ),
        ]


class RecommendationsForm(GatedForm):
    text = forms.CharField(
        label=_("Recommendations"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    follow_up_on = forms.DateField(
        label=_("Offered follow-up date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ask_review = forms.BooleanField(label=_("Ask a second person to review"), required=False)


class PartForm(GatedForm):
    text = forms.CharField(
        label=_("Your part"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Search the cases"), required=False, max_length=200)
