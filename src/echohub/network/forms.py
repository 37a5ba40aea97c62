from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from echohub.network.branding import check_image
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
            "phone",
            "mailing_address",
            "brand_colour",
            "signatory_name",
            "signatory_title_en",
            "signatory_title_fr",
        ]
        widgets = {
            "provinces": forms.CheckboxSelectMultiple,
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "description_fr": forms.Textarea(attrs={"rows": 4}),
            "mailing_address": forms.Textarea(attrs={"rows": 3}),
            "brand_colour": forms.TextInput(attrs={"placeholder": "#0b5c8e", "size": 8}),
        }

    # Not model fields of the form: the service checks and stores the files.
    logo_upload = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG or JPEG, up to 2 MB. Shown on the hub's pages and its certificates."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    signature_upload = forms.FileField(
        label=_("Signature image"),
        required=False,
        help_text=_("PNG or JPEG, up to 2 MB, printed above the signatory's name."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_signature = forms.BooleanField(label=_("Remove the signature"), required=False)

    def clean_brand_colour(self) -> str:
        return str(self.cleaned_data.get("brand_colour") or "").strip().lower()

    def clean_logo_upload(self) -> UploadedFile | None:
        return self._checked_image("logo_upload", _("a logo"))

    def clean_signature_upload(self) -> UploadedFile | None:
        return self._checked_image("signature_upload", _("a signature image"))

    def _checked_image(self, field: str, what: object) -> UploadedFile | None:
        upload = self.cleaned_data.get(field)
        if upload:
            check_image(upload, str(what))
        return upload or None

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
