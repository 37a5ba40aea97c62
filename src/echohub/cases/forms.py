"""Forms for cases. `CaseAnswersForm` is built from a version of the program's case form and
runs every free text through the de-identification gate as it validates."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from echohub.bilingual import active_lang, pick
from echohub.cases.deidentify import Finding
from echohub.cases.gate import findings_in, highlighted, kind_label
from echohub.cases.models import (
    AGE_BANDS,
    CHOICE_TYPES,
    CaseField,
    CaseForm,
    CaseSettings,
    FieldType,
)
from echohub.cases.starters import STARTER_CHOICES
from echohub.programs.models import Session

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
SHORT_MAX, LONG_MAX = 200, 5000


def _choice_list(field: CaseField) -> list[tuple[str, str]]:
    lang = active_lang()
    return [
        (c["value"], pick({"en": c.get("en", ""), "fr": c.get("fr", "")}, lang))
        for c in field.choices
    ]


def _form_field(field: CaseField) -> forms.Field:
    common: dict[str, Any] = {
        "label": str(field.label),
        "help_text": str(field.help),
        "required": False,  # required answers are checked on submitting, not on saving a draft
    }
    if field.type == FieldType.SHORT_TEXT:
        return forms.CharField(max_length=SHORT_MAX, **common)
    if field.type == FieldType.LONG_TEXT:
        return forms.CharField(
            max_length=LONG_MAX, widget=forms.Textarea(attrs={"rows": 4}), **common
        )
    if field.type == FieldType.CHOICE:
        # Radio buttons start with none ticked: an empty "—" button would be ticked by default.
        return forms.ChoiceField(choices=_choice_list(field), widget=forms.RadioSelect, **common)
    if field.type == FieldType.MULTI_CHOICE:
        return forms.MultipleChoiceField(
            choices=_choice_list(field), widget=forms.CheckboxSelectMultiple, **common
        )
    if field.type == FieldType.NUMBER:
        return forms.DecimalField(max_digits=7, decimal_places=2, min_value=0, **common)
    if field.type == FieldType.AGE_BAND:
        return forms.ChoiceField(choices=[("", "—"), *AGE_BANDS], **common)
    return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)


class GatedForm(forms.Form):
    """A form whose every text passes the de-identification gate as it validates.

    `findings` holds what the gate found by field name, so the page can show
    each one highlighted in place; the form is then invalid and nothing is saved.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.findings: dict[str, list[Finding]] = {}

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        texts = {
            name: value
            for name, value in self.cleaned_data.items()
            if isinstance(value, str) and value
        }
        self.findings = findings_in(texts)
        for name, found in self.findings.items():
            kinds = ", ".join(sorted({kind_label(f.kind) for f in found}))
            self.add_error(
                name,
                ValidationError(
                    ngettext(
                        "Remove what looks like identifying information (%(kinds)s), marked below.",
                        "Remove the %(count)d things that look like identifying information "
                        "(%(kinds)s), marked below.",
                        len(found),
                    )
                    % {"count": len(found), "kinds": kinds},
                    code="identifiers",
                ),
            )

    def highlights(self) -> dict[str, Any]:
        """Per field with findings: the text as written, with every finding marked."""
        return {
            name: highlighted(self.data.get(self.add_prefix(name), ""), found)
            for name, found in self.findings.items()
        }


class CaseAnswersForm(GatedForm):
    """A case on one version of the program's form."""

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
        super().__init__(*args, **kwargs)
        self.case_form = case_form
        self.submitting = submitting
        self.questions = list(case_form.fields.all())
        for question in self.questions:
            self.fields[f"q_{question.key}"] = _form_field(question)
        self.fields["attest"].required = submitting
        self.order_fields(["title", *[f"q_{q.key}" for q in self.questions], "attest"])

    @classmethod
    def initial_from(cls, title: str, answers: dict[str, Any]) -> dict[str, Any]:
        return {"title": title, **{f"q_{key}": value for key, value in answers.items()}}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.submitting:
            for question in self.questions:
                name = f"q_{question.key}"
                if (
                    question.required
                    and data.get(name) in (None, "", [])
                    and name not in self.errors
                ):
                    self.add_error(name, _("This question needs an answer before you submit."))
        return data

    def answers(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q_{question.key}")
            if value in (None, "", []):
                continue
            found[question.key] = str(value) if question.type == FieldType.NUMBER else value
        return found


def parse_choices(text: str) -> list[dict[str, str]]:
    """One choice per line, "English | Français"."""
    from django.utils.text import slugify

    choices: list[dict[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        en, _bar, fr = (part.strip() for part in line.partition("|"))
        value = slugify(en or fr)[:40] or f"choice-{len(choices) + 1}"
        choices.append({"value": value, "en": en, "fr": fr or en})
    return choices


class FieldForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For the choice types: one per line, English | French."),
    )

    class Meta:
        model = CaseField
        fields = ["type", "label_en", "label_fr", "help_en", "help_fr", "required"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.choices:
            self.initial["choices_text"] = "\n".join(
                f"{c.get('en', '')} | {c.get('fr', '')}" for c in self.instance.choices
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("label_en") or data.get("label_fr")):
            raise ValidationError(_("Give the question in English or French."))
        choices = parse_choices(data.get("choices_text") or "")
        if data.get("type") in CHOICE_TYPES and len(choices) < 2:
            self.add_error("choices_text", _("A choice question needs at least two choices."))
        data["choices"] = choices if data.get("type") in CHOICE_TYPES else []
        return data


class StarterForm(forms.Form):
    starter = forms.ChoiceField(label=_("Start from"), choices=STARTER_CHOICES)


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
