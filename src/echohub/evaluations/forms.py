"""Forms for evaluations: building questionnaires and a program's plan; waiving."""

from typing import Any, ClassVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from echohub.bilingual import validate_no_html
from echohub.evaluations.models import Completion, Item, MooreLevel, Plan, Questionnaire
from echohub.evaluations.starters import STARTER_CHOICES
from echohub.network.models import Hub
from echohub.questionnaires.forms import QuestionForm
from echohub.questionnaires.models import QuestionType

# --- Building questionnaires and planning -----------------------------------------------------

EMPTY = "empty:"  # prefix of the "start from nothing" choices, followed by the kind


class QuestionnaireForm(forms.Form):
    """A new questionnaire: one of the starters, or empty of a kind; titles in both languages."""

    start = forms.ChoiceField(label=gettext_lazy("Start from"), widget=forms.RadioSelect)
    title_en = forms.CharField(
        label=gettext_lazy("Title (English)"),
        max_length=200,
        required=False,
        validators=[validate_no_html],
    )
    title_fr = forms.CharField(
        label=gettext_lazy("Title (French)"),
        max_length=200,
        required=False,
        validators=[validate_no_html],
        help_text=gettext_lazy(
            "A starter brings its own title in both languages unless you give one."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["start"]).choices = [
            *((key, _("Starter: %(name)s") % {"name": label}) for key, label in STARTER_CHOICES),
            *(
                (f"{EMPTY}{kind}", _("Empty: %(kind)s") % {"kind": label})
                for kind, label in Questionnaire.Kind.choices
            ),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start = data.get("start", "")
        if start.startswith(EMPTY) and not (data.get("title_en") or data.get("title_fr")):
            self.add_error(
                "title_en", _("Give an empty questionnaire its title in English or French.")
            )
        return data

    def service_kwargs(self) -> dict[str, str]:
        """What `services.create_questionnaire` is given, beside the hub and the person."""
        start: str = self.cleaned_data["start"]
        titles = {
            "title_en": self.cleaned_data["title_en"],
            "title_fr": self.cleaned_data["title_fr"],
        }
        if start.startswith(EMPTY):
            return {"kind": start.removeprefix(EMPTY), **titles}
        return {"starter": start, **titles}


class TitleForm(forms.ModelForm):
    """A questionnaire's titles, changed without touching its questions."""

    class Meta:
        model = Questionnaire
        fields = ["title_en", "title_fr"]


# What an evaluation question has beyond the shared ones.
ITEM_EXTRA = ["low_en", "low_fr", "high_en", "high_fr", "moore_level", "paired"]


class ItemForm(QuestionForm):
    """A question of an evaluation: every type but age bands, with its Moore level and, on a
    before-and-after questionnaire's 1–5 scale, whether it is paired.

    `questionnaire_kind` is set on a subclass made per questionnaire (`item_form_for`), since the
    builder makes the form from its class alone.
    """

    types = tuple(t for t in QuestionType.values if t != QuestionType.AGE_BAND)
    questionnaire_kind: ClassVar[str] = ""

    # The choices box right after the shared fields, then what evaluations add.
    field_order = [*QuestionForm.Meta.fields, "choices_text", *ITEM_EXTRA]

    class Meta(QuestionForm.Meta):
        model = Item
        fields = [*QuestionForm.Meta.fields, *ITEM_EXTRA]
        help_texts = {
            "low_en": gettext_lazy("For the scale of 1 to 5 only: the words shown beside 1."),
            "low_fr": gettext_lazy("For the scale of 1 to 5 only: the words shown beside 1."),
            "high_en": gettext_lazy("For the scale of 1 to 5 only: the words shown beside 5."),
            "high_fr": gettext_lazy("For the scale of 1 to 5 only: the words shown beside 5."),
            "moore_level": gettext_lazy(
                "Optional: what the question measures, for the results. Level 1, participation, "
                "comes from attendance."
            ),
            "paired": gettext_lazy(
                "Only for a scale of 1 to 5 in a before-and-after questionnaire: the results "
                "show each person's change, without saying whose."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["moore_level"]).choices = [
            ("", _("Not set")),
            *MooreLevel.choices,
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("paired"):
            if self.questionnaire_kind != Questionnaire.Kind.PRE_POST:
                self.add_error(
                    "paired",
                    _(
                        "“Paired before and after” is only for a questionnaire asked before "
                        "and after a series."
                    ),
                )
            elif data.get("type") != QuestionType.LIKERT:
                self.add_error(
                    "paired",
                    _("“Paired before and after” is only for a question on a scale of 1 to 5."),
                )
        if data.get("type") != QuestionType.LIKERT:
            # The words at a scale's ends mean nothing on another type: not kept.
            for name in ("low_en", "low_fr", "high_en", "high_fr"):
                data[name] = ""
        return data


def item_form_for(questionnaire: Questionnaire) -> type[ItemForm]:
    class QuestionnaireItemForm(ItemForm):
        questionnaire_kind = questionnaire.kind

    return QuestionnaireItemForm


class PlanForm(forms.ModelForm):
    """Which of its hub's questionnaires a program asks, and when each opens and closes.

    Each questionnaire is chosen among the hub's own of the right kind, so another hub's or one of
    the wrong kind is refused here, by name, before `services.save_plan` refuses it again.
    """

    class Meta:
        model = Plan
        fields = [
            "session_questionnaire",
            "session_opens_hours",
            "session_open_days",
            "pre_post_questionnaire",
            "pre_days_before",
            "post_open_days",
            "follow_up_questionnaire",
            "follow_up_after_days",
            "follow_up_open_days",
            "reminder_after_days",
        ]
        # Shown under each part's heading (`groups`), so the labels need not repeat it.
        labels = {
            "session_questionnaire": gettext_lazy("Questionnaire"),
            "session_opens_hours": gettext_lazy("Opens (hours after the session ends)"),
            "session_open_days": gettext_lazy("Open for (days)"),
            "pre_post_questionnaire": gettext_lazy("Questionnaire"),
            "pre_days_before": gettext_lazy("Sent (days before the first session)"),
            "post_open_days": gettext_lazy("Asked again after the last session, open for (days)"),
            "follow_up_questionnaire": gettext_lazy("Questionnaire"),
            "follow_up_after_days": gettext_lazy("Sent (days after the last session)"),
            "follow_up_open_days": gettext_lazy("Open for (days)"),
            "reminder_after_days": gettext_lazy("One reminder after (days)"),
        }

    GROUPS: ClassVar[list[tuple[Any, list[str]]]] = [
        (
            gettext_lazy("After each session"),
            ["session_questionnaire", "session_opens_hours", "session_open_days"],
        ),
        (
            gettext_lazy("Before and after the series"),
            ["pre_post_questionnaire", "pre_days_before", "post_open_days"],
        ),
        (
            gettext_lazy("Follow-up"),
            ["follow_up_questionnaire", "follow_up_after_days", "follow_up_open_days"],
        ),
        (gettext_lazy("Reminder"), ["reminder_after_days"]),
    ]

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, kind in Plan.CHOOSERS.items():
            field = cast(forms.ModelChoiceField, self.fields[name])
            field.queryset = Questionnaire.objects.filter(hub=hub, kind=kind)
            field.empty_label = _("None: not asked")
            field.error_messages["invalid_choice"] = _(
                "Choose one of this hub’s questionnaires of this kind."
            )
        for name, text in plan_in_words(self.instance).items():
            self.fields[name].help_text = text

    def groups(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The fields under a heading per questionnaire, for the page's fieldsets."""
        return [(legend, [self[name] for name in names]) for legend, names in self.GROUPS]


def plan_in_words(plan: Plan) -> dict[str, str]:
    """What happens with the plan as saved, in sentences, by the field they explain."""
    opens = (
        _("The session evaluation opens when the session ends")
        if plan.session_opens_hours == 0
        else ngettext(
            "The session evaluation opens %(hours)d hour after the session ends",
            "The session evaluation opens %(hours)d hours after the session ends",
            plan.session_opens_hours,
        )
        % {"hours": plan.session_opens_hours}
    )
    return {
        "session_opens_hours": _("0 opens it as the session ends."),
        "session_open_days": ngettext(
            "%(opens)s and closes %(days)d day later.",
            "%(opens)s and closes %(days)d days later.",
            plan.session_open_days,
        )
        % {"opens": opens, "days": plan.session_open_days},
        "pre_days_before": ngettext(
            "The questionnaire before the series is sent %(days)d day before the first session "
            "(and to whoever enrols later, on enrolment); it closes when the series starts.",
            "The questionnaire before the series is sent %(days)d days before the first session "
            "(and to whoever enrols later, on enrolment); it closes when the series starts.",
            plan.pre_days_before,
        )
        % {"days": plan.pre_days_before},
        "post_open_days": ngettext(
            "The same questions are asked again when the last session ends, and close "
            "%(days)d day later.",
            "The same questions are asked again when the last session ends, and close "
            "%(days)d days later.",
            plan.post_open_days,
        )
        % {"days": plan.post_open_days},
        "follow_up_after_days": ngettext(
            "The follow-up is sent %(days)d day after the last session.",
            "The follow-up is sent %(days)d days after the last session.",
            plan.follow_up_after_days,
        )
        % {"days": plan.follow_up_after_days},
        "follow_up_open_days": ngettext(
            "It closes %(days)d day after it is sent.",
            "It closes %(days)d days after it is sent.",
            plan.follow_up_open_days,
        )
        % {"days": plan.follow_up_open_days},
        "reminder_after_days": ngettext(
            "One reminder goes %(days)d day after each evaluation opens, only to those who have "
            "not answered, and only while it is still open.",
            "One reminder goes %(days)d days after each evaluation opens, only to those who have "
            "not answered, and only while it is still open.",
            plan.reminder_after_days,
        )
        % {"days": plan.reminder_after_days},
    }


def validation_into(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal onto the form it came from, on the field it names."""
    form.add_error(None, error)


# --- Waiving ----------------------------------------------------------------------------------
class WaiveForm(forms.Form):
    """Why an evaluation counts as done without answers. One per row of the completions page:
    `auto_id` carries the completion's id so that the page's labels stay unique."""

    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=Completion._meta.get_field("waived_reason").max_length,
        help_text=gettext_lazy("e.g. Completed on paper"),
    )

    def __init__(self, *args: Any, completion_id: int = 0, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_%s_{completion_id}")
        super().__init__(*args, **kwargs)

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the evaluation is waived."))
        return reason
