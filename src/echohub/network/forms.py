from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from echohub.network.models import Hub, Spoke, StaffRole


class StaffRoleForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"), help_text=_("The address of their EchoHub account.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.Role.choices)


class HubForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Hub
        fields = [
            "name_en",
            "name_fr",
            "description_en",
            "description_fr",
            "scope",
            "provinces",
            "sector",
            "website",
            "contact_email",
        ]
        widgets = {
            "provinces": forms.CheckboxSelectMultiple,
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "description_fr": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == Hub.Scope.PROVINCIAL and not data.get("provinces"):
            self.add_error("provinces", _("Tick the provinces or territories this hub serves."))
        if data.get("scope") == Hub.Scope.SECTOR and not data.get("sector"):
            self.add_error("sector", _("Choose the sector this hub serves."))
        return data


class SpokeForm(forms.ModelForm):
    class Meta:
        model = Spoke
        fields = ["name", "setting", "province", "place", "rurality"]
