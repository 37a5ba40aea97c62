"""A connection's form, made from what its platform's module says it needs."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from echohub.bilingual import validate_no_html
from echohub.network.models import Hub
from echohub.video import platforms
from echohub.video.models import VISIBILITY, Connection, ProgramVideo

KEEP = _("Kept sealed, never shown again: leave it empty to keep the one saved.")


class ConnectionForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        validators=[validate_no_html],
        help_text=_("For your staff, such as “Hub Zoom account”."),
    )

    def __init__(self, platform: str, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for spec in platforms.described(platform).fields:
            field: forms.Field
            if spec.secret:
                field = forms.CharField(
                    max_length=500,
                    strip=True,
                    required=spec.required and not editing,
                    widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
                    help_text=KEEP if editing else spec.help,
                )
            elif spec.url:
                field = forms.URLField(
                    max_length=500,
                    assume_scheme="https",
                    help_text=spec.help,
                    required=spec.required,
                )
            else:
                field = forms.CharField(max_length=200, help_text=spec.help, required=spec.required)
            field.label = spec.label
            self.fields[spec.name] = field


class ProgramVideoForm(forms.Form):
    connection = forms.ModelChoiceField(
        label=_("Video platform"),
        queryset=Connection.objects.none(),
        required=False,
        empty_label=_("None: the join links are typed in by hand"),
    )
    auto_apply = forms.BooleanField(
        label=ProgramVideo._meta.get_field("auto_apply").verbose_name,
        help_text=ProgramVideo._meta.get_field("auto_apply").help_text,
        required=False,
    )
    fetch_after_minutes = forms.IntegerField(
        label=ProgramVideo._meta.get_field("fetch_after_minutes").verbose_name,
        help_text=ProgramVideo._meta.get_field("fetch_after_minutes").help_text,
        min_value=5,
        max_value=24 * 60,
        initial=20,
    )
    recording_visibility = forms.ChoiceField(
        label=ProgramVideo._meta.get_field("recording_visibility").verbose_name,
        choices=VISIBILITY,
        initial="members",
    )

    def __init__(self, hub: Hub, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["connection"].queryset = Connection.objects.filter(hub=hub)  # type: ignore[attr-defined]
