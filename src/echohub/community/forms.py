"""Forms of the discussion spaces. Every text passes the de-identification gate as it
validates (`GatedForm`): what it finds is marked in place and nothing is saved; a possible
name or number may be confirmed "not an identifier", and the post keeps that confirmation."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from echohub.cases.models import Case
from echohub.community.models import (
    LANGUAGES,
    Follow,
    ModerationAction,
    Space,
    SpaceSettings,
    Thread,
)
from echohub.library.models import Resource
from echohub.programs.models import Program
from echohub.questionnaires.forms import GatedForm


class ReplyForm(GatedForm):
    confirmable = True

    body = forms.CharField(
        label=_("Your reply"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("No patient's name, numbers, dates or places: EchoHub checks before saving."),
    )
    language = forms.ChoiceField(label=_("Written in"), choices=LANGUAGES)


class ThreadForm(ReplyForm):
    field_order = ["kind", "case", "title", "body", "link", "file", "resource_kind", "language"]
    ungated = ("link",)

    kind = forms.ChoiceField(
        label=_("What it is"),
        choices=Thread.Kind.choices,
        widget=forms.RadioSelect,
        initial=Thread.Kind.DISCUSSION,
    )
    case = forms.TypedChoiceField(
        label=_("The case"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Named by its number only: its text stays in the case library."),
    )
    title = forms.CharField(label=_("Title"), max_length=150)
    # A resource to share: a link, or a file checked as the library checks its own.
    link = forms.URLField(
        label=_("Link to the resource"),
        required=False,
        assume_scheme="https",
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    file = forms.FileField(
        label=_("Or a file"),
        required=False,
        help_text=_("A PDF, a document, a spreadsheet, slides or an image."),
    )
    resource_kind = forms.ChoiceField(
        label=_("What the file is"),
        required=False,
        choices=[
            (Resource.Kind.TOOL, Resource.Kind.TOOL.label),
            (Resource.Kind.GUIDE, Resource.Kind.GUIDE.label),
            (Resource.Kind.ARTICLE, Resource.Kind.ARTICLE.label),
            (Resource.Kind.SLIDES, Resource.Kind.SLIDES.label),
        ],
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Your message")
        presented = Case.objects.filter(program=program, session__isnull=False).order_by("-number")[
            :200
        ]
        cases = [(case.pk, str(case.label)) for case in presented]
        cast(forms.TypedChoiceField, self.fields["case"]).choices = [("", "—"), *cases]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Thread.Kind.CASE and not data.get("case"):
            self.add_error("case", _("Choose the case this follows up."))
        if data.get("kind") == Thread.Kind.RESOURCE:
            if not data.get("link") and not data.get("file"):
                self.add_error("link", _("Give the resource's link, or choose its file."))
            elif data.get("link") and data.get("file"):
                self.add_error("file", _("A link or a file: not both."))
        return data


class EditForm(GatedForm):
    confirmable = True

    body = forms.CharField(
        label=_("Your message"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 6})
    )


class ReportForm(GatedForm):
    reason = forms.CharField(
        label=_("Why should a moderator look at it?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModerationForm(forms.Form):
    action = forms.ChoiceField(choices=ModerationAction.Action.choices)
    reason = forms.CharField(label=_("Why"), required=False, max_length=500)
    to = forms.ModelChoiceField(queryset=Space.objects.none(), required=False)

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["to"]).queryset = Space.objects.filter(
            program=program
        )


class FollowForm(forms.Form):
    how = forms.ChoiceField(label=_("Tell me"), choices=Follow.How.choices)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = SpaceSettings
        fields = ["open", "group_spaces", "hold_first_posts"]
