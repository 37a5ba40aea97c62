"""The dashboards' filter: a period, and optionally a hub, program, profession, province."""

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echohub.network.models import Hub
from echohub.programs.models import Program
from echohub.reference.models import Profession, Province
from echohub.reports import periods


class FilterForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Period"),
        required=False,
        error_messages={"invalid_choice": _("Choose a period from the list.")},
    )
    hub = forms.ModelChoiceField(
        label=_("Hub"),
        queryset=Hub.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Every hub"),
    )
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Program.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Every program"),
    )
    profession = forms.ModelChoiceField(
        label=_("Profession"),
        queryset=Profession.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Every profession"),
    )
    province = forms.ModelChoiceField(
        label=_("Province or territory"),
        queryset=Province.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Everywhere"),
    )

    def __init__(self, *args: Any, hubs: Any = None, programs: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = periods.recent_choices(timezone.localdate())
        given = periods.parse(str(self.data.get("period", "")))
        if given and given not in choices:
            choices.insert(1, given)
        cast(forms.ChoiceField, self.fields["period"]).choices = [(p.key, p.label) for p in choices]
        if hubs is None:
            del self.fields["hub"]
        else:
            cast(forms.ModelChoiceField, self.fields["hub"]).queryset = hubs
        if programs is None:
            del self.fields["program"]
        else:
            cast(forms.ModelChoiceField, self.fields["program"]).queryset = programs

    def clean_period(self) -> periods.Period:
        period = periods.parse(self.cleaned_data.get("period") or "")
        if period is None:
            raise forms.ValidationError(_("Choose a period from the list."))
        return period
