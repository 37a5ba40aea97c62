from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from echohub.certificates.models import Accreditation, normalise_code


class AccreditationForm(forms.ModelForm):
    class Meta:
        model = Accreditation
        fields = [
            "body",
            "credit_type",
            "other_type_en",
            "other_type_fr",
            "credits_per_hour",
            "rounding",
            "minimum_percent",
            "number",
            "statement_en",
            "statement_fr",
            "valid_from",
            "valid_to",
            "professions",
            "requires_evaluation",
        ]
        widgets = {
            "professions": forms.CheckboxSelectMultiple,
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
            "statement_en": forms.Textarea(attrs={"rows": 4}),
            "statement_fr": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "statement_en": _(
                "Exactly as the accrediting body wrote it: certificates print it as is."
            ),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        credit_type = data.get("credit_type")
        generic = credit_type in Accreditation.GENERIC_TYPES
        if credit_type and not generic and not data.get("professions"):
            self.add_error(
                "professions",
                _(
                    "Name the professions this credit is for (Mainpro+ credit is for family "
                    "physicians, nursing hours for nurses): everyone else gets a certificate "
                    "of attendance. Only hours of learning may leave them all unticked."
                ),
            )
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=60,
        help_text=_("As printed, e.g. ABCD-EFGH-JKLM-NPQR; spaces, dashes and case do not matter."),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Type the code's 16 letters and digits."))
        return code
