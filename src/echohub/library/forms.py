"""Forms of the library: a resource, a protocol's new version, a transcript, the search box."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from echohub.bilingual import require_one_language
from echohub.library.models import Resource
from echohub.library.uploads import limits_for
from echohub.library.video import player_for
from echohub.network.models import Hub
from echohub.programs.models import Program, Session
from echohub.reference.forms import KeptChoiceField
from echohub.reference.models import PracticeSetting, Profession, Topic


def session_choices(sessions: Iterable[Session]) -> list[tuple[int, str]]:
    """ "PSW Series · Dec 9, 2026 · Session 6": by program, the newest session first.

    (A bare "Session 6, Session 5…" says nothing when a hub runs several programs.)
    """
    ordered = sorted(
        sessions, key=lambda s: (str(s.program.title).casefold(), -s.starts_at.timestamp())
    )
    return [
        (
            s.pk,
            f"{s.program.title} · "
            f"{date_format(timezone.localtime(s.starts_at), 'SHORT_DATE_FORMAT')} · {s.title}",
        )
        for s in ordered
    ]


class ResourceForm(forms.ModelForm):
    upload = forms.FileField(label=_("File"), required=False)
    url = forms.URLField(
        label=_("link or video address"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("A YouTube, Vimeo or Zoom recording link is shown as a player."),
    )

    class Meta:
        model = Resource
        fields = [
            "kind",
            "title_en",
            "title_fr",
            "description_en",
            "description_fr",
            "language",
            "topics",
            "professions",
            "practice_settings",
            "program",
            "session",
            "visibility",
            "url",
            "text",
        ]
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "professions": forms.CheckboxSelectMultiple,
            "practice_settings": forms.CheckboxSelectMultiple,
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "description_fr": forms.Textarea(attrs={"rows": 3}),
            "text": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: Any, hub: Hub, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hub = hub
        programs = Program.objects.filter(hub=hub)
        program_field = self.fields["program"]
        session_field = self.fields["session"]
        if isinstance(program_field, forms.ModelChoiceField):
            program_field.queryset = programs
        if isinstance(session_field, forms.ModelChoiceField):
            sessions = Session.objects.filter(program__in=programs).select_related("program")
            session_field.queryset = sessions
            session_field.choices = [("", "---------"), *session_choices(sessions)]
        kind = self.data.get("kind") or self.initial.get("kind") or self.instance.kind
        self.fields["upload"].help_text = limits_for(kind or Resource.Kind.GUIDE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        session, program = data.get("session"), data.get("program")
        if session is not None and program is None:
            data["program"] = session.program
        elif session is not None and program is not None and session.program_id != program.pk:
            self.add_error("session", _("Choose a session of the chosen program."))
        if data.get("visibility") == Resource.Visibility.MEMBERS and data.get("program") is None:
            self.add_error("program", _("Members-only resources belong to a program."))
        kind, url = data.get("kind"), data.get("url", "")
        has_file = bool(data.get("upload")) or bool(self.instance.file)
        if kind == Resource.Kind.LINK and not url:
            self.add_error("url", _("Give the link."))
        if kind == Resource.Kind.RECORDING and not (url or has_file):
            self.add_error("url", _("Give the recording's address, or upload the file."))
        if kind == Resource.Kind.RECORDING and url and player_for(url) is None and not has_file:
            self.add_error("url", _("Give a YouTube, Vimeo or Zoom recording address."))
        if kind == Resource.Kind.PROTOCOL and not (data.get("text") or has_file):
            self.add_error("text", _("Write the protocol here, or upload its file."))
        if kind in (Resource.Kind.SLIDES, Resource.Kind.TOOL) and not (url or has_file):
            self.add_error("upload", _("Upload the file, or give a link to it."))
        return data

    def full_clean(self) -> None:
        # The title check reads the instance, which the ModelForm fills in as it cleans.
        super().full_clean()
        if not self.is_bound:
            return
        try:
            require_one_language(self.instance, "title", _("title"))
        except ValidationError as error:
            self.add_error("title_en", error)


class VersionForm(forms.Form):
    text = forms.CharField(
        label=_("The new text"), required=False, widget=forms.Textarea(attrs={"rows": 12})
    )
    upload = forms.FileField(label=_("Or its new file"), required=False)
    changes_en = forms.CharField(
        label=_("What changed (English)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    changes_fr = forms.CharField(
        label=_("What changed (French)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = limits_for(Resource.Kind.PROTOCOL)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("text") or data.get("upload")):
            raise ValidationError(_("Give the new version's text or file."))
        if not (data.get("changes_en") or data.get("changes_fr")):
            self.add_error("changes_en", _("Say what changed, in English or French."))
        return data


class TranscriptForm(forms.Form):
    file = forms.FileField(
        label=_("WebVTT transcript (.vtt)"),
        help_text=_("Zoom's cloud recordings give one; up to 20 MB."),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Resource.Kind.choices, ("discussion", _("Discussions"))],
    )
    topic = KeptChoiceField(
        label=_("Topic"), required=False, queryset=Topic.objects.all(), to_field_name="code"
    )
    profession = KeptChoiceField(
        label=_("Profession"),
        required=False,
        queryset=Profession.objects.all(),
        to_field_name="code",
    )
    setting = KeptChoiceField(
        label=_("Practice setting"),
        required=False,
        queryset=PracticeSetting.objects.all(),
        to_field_name="code",
    )
    # A program is chosen from its own page ("The program's library"), never from a list
    # of every program: the page stays the same size however many programs there are.
    program = forms.CharField(
        label=_("Program"), required=False, max_length=100, widget=forms.HiddenInput
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), ("en", _("English")), ("fr", _("French"))],
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programs = programs

    def clean_program(self) -> Program | None:
        slug = self.cleaned_data.get("program")
        if not slug:
            return None
        program: Program | None = self.programs.filter(slug=slug).first()
        if program is None:
            raise ValidationError(_("That program has no library you can search."))
        return program
