"""The profile a person keeps, and the part of it asked for at sign-up."""

from typing import Any, cast

from django import forms
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from echohub.accounts.models import User
from echohub.accounts.services import record_privacy_consent
from echohub.bilingual import validate_no_html
from echohub.reference.models import Profession, Province
from echohub.reference.postal import normalise_postal_code, province_of
from echohub.timezones import is_valid_zone, zone_choices

CONSENT_WORDING = _(
    "I have read the privacy notice and I agree that EchoHub keeps my professional profile, "
    "registrations, attendance and certificates as it describes."
)


class SignupProfileForm(forms.Form):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    name = forms.CharField(label=_("Full name"), max_length=150, validators=[validate_no_html])
    profession = forms.ModelChoiceField(
        label=_("Profession"), queryset=Profession.objects.all(), required=False
    )
    province = forms.ModelChoiceField(
        label=_("Province or territory"), queryset=Province.objects.all(), required=False
    )
    # Never ticked in advance; the words shown are kept with the account.
    privacy_consent = forms.BooleanField(
        label=CONSENT_WORDING,
        required=True,
        error_messages={
            "required": _(
                "Tick this box to agree to the privacy notice: it is needed for an account."
            )
        },
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        user.name = self.cleaned_data["name"]
        user.profession = self.cleaned_data.get("profession")
        user.province = self.cleaned_data.get("province")
        language = getattr(request, "LANGUAGE_CODE", "en")[:2]
        user.preferred_language = language if language in ("en", "fr") else "en"
        zone = getattr(request, "reader_zone", "")
        if is_valid_zone(zone):
            user.timezone = zone
        user.save()
        record_privacy_consent(
            user,
            wording=str(CONSENT_WORDING),
            language=(get_language() or "en")[:2],
            page=request.path,
        )


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), required=False)

    class Meta:
        model = User
        fields = [
            "name",
            "profession",
            "practice_setting",
            "province",
            "practice_postal_code",
            "spoke",
            "preferred_language",
            "timezone",
            "licence_number",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        cast(forms.ChoiceField, self.fields["timezone"]).choices = [
            ("", _("Use my browser's time zone")),
            *zone_choices(self.instance.timezone),
        ]
        spoke = cast(forms.ModelChoiceField, self.fields["spoke"])
        if spoke.queryset is not None:  # always, for a model's foreign key
            spoke.queryset = spoke.queryset.select_related("province")
        self.fields["practice_postal_code"].widget.attrs.update(
            autocomplete="postal-code", size=8, spellcheck="false"
        )
        self.fields["spoke"].help_text = _(
            "Your team or site. Not listed? Leave it empty and tell your hub's coordinator."
        )

    def clean_practice_postal_code(self) -> str:
        value = self.cleaned_data.get("practice_postal_code", "")
        return normalise_postal_code(value) if value.strip() else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        code, province = cleaned.get("practice_postal_code"), cleaned.get("province")
        named = province_of(code) if code else None
        if province is not None and named is not None and named != province.pk:
            lang = get_language() or "en"
            theirs = Province.objects.filter(pk=named).first()
            self.add_error(
                "practice_postal_code",
                _("%(code)s is a postal code in %(named)s, but you chose %(chosen)s.")
                % {
                    "code": code,
                    "named": getattr(theirs, f"name_{lang[:2]}", named) if theirs else named,
                    "chosen": getattr(province, f"name_{lang[:2]}", province.pk),
                },
            )
        return cleaned
