"""A connection's form, made from what its platform's module says it needs."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from echohub.bilingual import validate_no_html
from echohub.video import platforms

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
