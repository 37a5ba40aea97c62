"""Answer forms built from a version's questions, every free text through the de-identification
gate as it validates; and the form hub staff write a question with."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from echohub.bilingual import active_lang, pick
from echohub.deidentify import Finding
from echohub.deidentify.gate import (
    Confirmation,
    findings_in,
    highlighted,
    kind_label,
    parse_confirmations,
    redacted,
    split_confirmed,
)
from echohub.questionnaires.models import (
    AGE_BANDS,
    CHOICE_TYPES,
    LIKERT_POINTS,
    AbstractQuestion,
    QuestionType,
)

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
SHORT_MAX, LONG_MAX = 200, 5000


def choice_list(question: AbstractQuestion) -> list[tuple[str, str]]:
    lang = active_lang()
    return [
        (c["value"], pick({"en": c.get("en", ""), "fr": c.get("fr", "")}, lang))
        for c in question.choices
    ]


def likert_choices(question: AbstractQuestion) -> list[tuple[int, str]]:
    """1 to 5, the two ends carrying their words ("1 – Not at all")."""
    ends = {1: str(question.low), LIKERT_POINTS[-1]: str(question.high)}
    return [
        (point, f"{point} – {ends[point]}" if ends.get(point) else str(point))
        for point in LIKERT_POINTS
    ]


class LikertSelect(forms.RadioSelect):
    """Five buttons in a row that wraps on a phone, each a big enough target."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attrs.setdefault("class", "likert")


def form_field(question: AbstractQuestion) -> forms.Field:
    common: dict[str, Any] = {
        "label": str(question.label),
        "help_text": str(question.help),
        "required": False,  # required answers are checked by `AnswersForm` when it is told to
    }
    kind = question.type
    if kind == QuestionType.SHORT_TEXT:
        return forms.CharField(max_length=SHORT_MAX, **common)
    if kind == QuestionType.LONG_TEXT:
        return forms.CharField(
            max_length=LONG_MAX, widget=forms.Textarea(attrs={"rows": 4}), **common
        )
    if kind == QuestionType.CHOICE:
        # Radio buttons start with none ticked: an empty "—" button would be ticked by default.
        return forms.ChoiceField(choices=choice_list(question), widget=forms.RadioSelect, **common)
    if kind == QuestionType.MULTI_CHOICE:
        return forms.MultipleChoiceField(
            choices=choice_list(question), widget=forms.CheckboxSelectMultiple, **common
        )
    if kind == QuestionType.NUMBER:
        return forms.DecimalField(max_digits=7, decimal_places=2, min_value=0, **common)
    if kind == QuestionType.AGE_BAND:
        return forms.ChoiceField(choices=[("", "—"), *AGE_BANDS], **common)
    if kind == QuestionType.LIKERT:
        return forms.TypedChoiceField(
            choices=likert_choices(question),
            coerce=int,
            empty_value=None,
            widget=LikertSelect,
            **common,
        )
    return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)


class GatedForm(forms.Form):
    """A form whose every text passes the de-identification gate as it validates.

    `findings` holds what still blocks, by field name, so the page can show each
    one highlighted in place; the form is then invalid and nothing is saved.

    A form with `confirmable = True` lets the writer tick "not an identifier" on
    a possible finding (a name, a number with no cue): the page posts its
    `Confirmation` token as `confirm`, and a finding confirmed at exactly that
    place no longer blocks (`confirmed` holds those). The model that stores the
    text must keep the confirmations, or its own gate refuses them again.
    """

    confirmable = False
    # Fields whose text is not the writer's prose and is not scanned (a link to a
    # resource: the gate reads any web address as an identifier).
    ungated: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.findings: dict[str, list[Finding]] = {}
        self.confirmed: dict[str, list[Finding]] = {}
        # The texts as validated, by field name: the findings' offsets are into these,
        # as stored (kept apart because a field with an error leaves `cleaned_data`).
        self.gated_texts: dict[str, str] = {}

    def _posted_confirmations(self) -> set[Confirmation]:
        if not self.confirmable or not isinstance(self.data, QueryDict):
            return set()
        return parse_confirmations(self.data.getlist(self.add_prefix("confirm")))

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound:
            return
        self.gated_texts = {
            name: value
            for name, value in self.cleaned_data.items()
            if isinstance(value, str) and value and name not in self.ungated
        }
        self.findings, self.confirmed = split_confirmed(
            findings_in(self.gated_texts), self._posted_confirmations()
        )
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

    def confirmations(self) -> list[Confirmation]:
        """The confirmed findings, by field name: what the model should keep."""
        return sorted(
            Confirmation.of(name, f) for name, found in self.confirmed.items() for f in found
        )

    def redacted_data(self) -> QueryDict:
        """The data as posted, each finding replaced by a placeholder ("[name]", "[date]")
        in the page's language: what the "remove them for me" button shows back.
        Confirmed findings stay as written and stay confirmed at their new place."""
        data = self.data.copy() if isinstance(self.data, QueryDict) else QueryDict(mutable=True)
        texts = self.gated_texts
        confirm_key = self.add_prefix("confirm")
        tokens = [
            token
            for token in data.getlist(confirm_key)
            if (parsed := Confirmation.parse(token)) is None or parsed.where not in self.findings
        ]
        for name, found in self.findings.items():
            data[self.add_prefix(name)], moved = redacted(
                texts.get(name, ""), found, self.confirmed.get(name)
            )
            tokens += [Confirmation.of(name, f).token for f in moved]
        if self.confirmable:
            data.setlist(confirm_key, tokens)
        return data

    def highlights(self) -> dict[str, Any]:
        """Per field with findings: the text as validated, with every finding marked
        (and, on a confirmable form, a "not an identifier" box on each possible one)."""
        texts = self.gated_texts
        # A field whose findings are all confirmed is shown too: its boxes, still
        # ticked, carry the confirmations to the next save.
        return {
            name: highlighted(
                texts.get(name, ""),
                self.findings.get(name, []),
                confirmed=self.confirmed.get(name),
                confirm_as=name if self.confirmable else None,
            )
            for name in [*self.findings, *(n for n in self.confirmed if n not in self.findings)]
        }


class AnswersForm(GatedForm):
    """Answers to one version's questions, one field `q_<key>` each.

    `enforce_required` decides whether required questions must be answered now
    (a case's draft may leave them; a submitted case or an evaluation may not).
    """

    def __init__(
        self,
        questions: list[AbstractQuestion],
        *args: Any,
        enforce_required: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.enforce_required = enforce_required
        for question in questions:
            self.fields[f"q_{question.key}"] = form_field(question)

    @staticmethod
    def initial_for(answers: dict[str, Any]) -> dict[str, Any]:
        return {f"q_{key}": value for key, value in answers.items()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.enforce_required:
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
            found[question.key] = str(value) if question.type == QuestionType.NUMBER else value
        return found


def parse_choices(text: str) -> list[dict[str, str]]:
    """One choice per line, "English | Français"."""
    found: list[dict[str, str]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        en, _bar, fr = (part.strip() for part in line.partition("|"))
        value = slugify(en or fr)[:40] or f"choice-{len(found) + 1}"
        found.append({"value": value, "en": en, "fr": fr or en})
    return found


class QuestionForm(forms.ModelForm):
    """A question as hub staff write it; a subclass names its model and the types it offers."""

    types: tuple[str, ...] = tuple(QuestionType.values)

    choices_text = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For the choice types: one per line, English | French."),
    )

    class Meta:
        fields = ["type", "label_en", "label_fr", "help_en", "help_fr", "required"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        type_field = cast(forms.ChoiceField, self.fields["type"])
        type_field.choices = [(v, label) for v, label in QuestionType.choices if v in self.types]
        if self.instance.pk and self.instance.choices:
            self.initial["choices_text"] = "\n".join(
                f"{c.get('en', '')} | {c.get('fr', '')}" for c in self.instance.choices
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("label_en") or data.get("label_fr")):
            raise ValidationError(_("Give the question in English or French."))
        found = parse_choices(data.get("choices_text") or "")
        if data.get("type") in CHOICE_TYPES and len(found) < 2:
            self.add_error("choices_text", _("A choice question needs at least two choices."))
        data["choices"] = found if data.get("type") in CHOICE_TYPES else []
        return data

    def changes(self) -> dict[str, object]:
        """What a valid form sets on the question, for `engine.update_question`."""
        names = [name for name in self._meta.fields or [] if name in self.cleaned_data]
        return {
            **{name: self.cleaned_data[name] for name in names},
            "choices": self.cleaned_data["choices"],
        }
