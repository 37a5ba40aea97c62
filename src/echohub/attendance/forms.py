"""Forms of the attendance pages: upload a report, mark someone, check in."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from echohub.accounts.models import User
from echohub.attendance.services import MAX_REPORT_BYTES
from echohub.timezones import zone_choices


class UploadForm(forms.Form):
    report = forms.FileField(
        label=_("Participant report"),
        help_text=_(
            "The file as Zoom or Microsoft Teams gives it (CSV), or a CSV with name, email "
            "and minutes. EchoHub recognizes the layout."
        ),
    )
    zone = forms.ChoiceField(
        label=_("Time zone of the times in the report"),
        help_text=_("The zone of the account that downloaded it; usually the program's."),
    )

    def __init__(self, *args: Any, zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["zone"])
        field.choices = zone_choices(zone)  # UTC is among them, once
        field.initial = zone

    def clean_report(self) -> Any:
        report = self.cleaned_data["report"]
        if report.size > MAX_REPORT_BYTES:
            raise forms.ValidationError(
                _(
                    "This file is %(size)s MB; participant reports are far smaller. "
                    "Is it the right file?"
                )
                % {"size": report.size // (1024 * 1024)}
            )
        if report.size == 0:
            raise forms.ValidationError(_("This file is empty."))
        return report


class MarkForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none())
    present = forms.TypedChoiceField(
        label=_("Attendance"),
        choices=[("1", _("Present")), ("0", _("Absent"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    minutes = forms.IntegerField(
        label=_("Minutes attended"),
        required=False,
        min_value=0,
        help_text=_("Leave empty for the whole session."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Kept with the record, with your name: accreditors may ask."),
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["person"]).queryset = people


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=12,
        help_text=_("The code read out or shown during the session."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "inputmode": "text"}
        ),
    )
