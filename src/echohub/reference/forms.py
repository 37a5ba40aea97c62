"""Filters over the reference lists, shared by the catalogue and the registrant lists."""

from django import forms
from django.utils.translation import gettext_lazy as _

from echohub.reference.models import PracticeSetting, Profession, Province


class AudienceFilterForm(forms.Form):
    """Profession, practice setting and province/territory, each optional."""

    profession = forms.ModelChoiceField(
        label=_("Profession"),
        queryset=Profession.objects.all(),
        required=False,
        empty_label=_("All professions"),
    )
    setting = forms.ModelChoiceField(
        label=_("Practice setting"),
        queryset=PracticeSetting.objects.all(),
        required=False,
        empty_label=_("All settings"),
    )
    province = forms.ModelChoiceField(
        label=_("Province or territory"),
        queryset=Province.objects.all(),
        required=False,
        empty_label=_("All of Canada"),
    )
