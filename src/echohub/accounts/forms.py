"""The profile a person keeps, and the part of it asked for at sign-up."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from echohub.accounts.models import PrivacyNotice, User
from echohub.accounts.services import record_privacy_consent
from echohub.bilingual import validate_no_html
from echohub.reference.models import Profession, Province
from echohub.reference.postal import normalise_postal_code, province_of_fsa
from echohub.timezones import is_valid_zone, zone_choices


def postal_code_field() -> forms.CharField:
    """The practice postal code, roomy enough for "k1a - 0b1": it is normalised, then stored."""
    field = User._meta.get_field("practice_postal_code")
    return forms.CharField(
        label=capfirst(field.verbose_name),
        help_text=field.help_text,
        max_length=12,
        required=False,
        widget=forms.TextInput(
            attrs={"size": 8, "autocomplete": "postal-code", "autocapitalize": "characters"}
        ),
    )


def clean_postal_code_and_province(form: forms.BaseForm) -> None:
    """Normalise the postal code, and refuse one that belongs to another province.

    Its first letter names a province (X, shared by two territories, names none), so
    a mismatch is most likely a typo in one of the two fields.
    """
    code = form.cleaned_data.get("practice_postal_code")
    if not code or not code.strip():
        form.cleaned_data["practice_postal_code"] = ""
        return
    try:
        code = normalise_postal_code(code)
    except ValidationError as error:
        form.add_error("practice_postal_code", error)
        return
    form.cleaned_data["practice_postal_code"] = code
    chosen = form.cleaned_data.get("province")
    expected = province_of_fsa(code)
    if chosen is None or expected is None or expected == chosen.code:
        return
    form.add_error(
        "practice_postal_code",
        ValidationError(
            _("%(code)s is a postal code in %(named)s, but you chose %(chosen)s."),
            code="province_mismatch",
            params={
                "code": code,
                "named": str(Province.objects.get(code=expected).name),
                "chosen": str(chosen.name),
            },
        ),
    )


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
    practice_postal_code = postal_code_field()
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

    # The version of the notice the page showed: a consent counts for that one only.
    privacy_notice_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.notice = PrivacyNotice.current()
        self.initial["privacy_notice_version"] = self.notice.version if self.notice else None

    def clean(self) -> dict[str, Any]:
        super().clean()
        clean_postal_code_and_province(self)
        shown = self.cleaned_data.get("privacy_notice_version")
        agreed = self.cleaned_data.get("privacy_consent")
        if agreed and self.notice is not None and shown != self.notice.version:
            self.add_error(
                "privacy_consent",
                _(
                    "The privacy notice changed while you filled in this form: read version "
                    "%(version)s, then tick the box again."
                )
                % {"version": self.notice.version},
            )
            # Shown again with the current version, for the next try.
            if isinstance(self.data, QueryDict):
                data = self.data.copy()
                data["privacy_notice_version"] = str(self.notice.version)
                self.data = data
        return self.cleaned_data

    def signup(self, request: HttpRequest, user: User) -> None:
        user.name = self.cleaned_data["name"]
        user.profession = self.cleaned_data.get("profession")
        user.province = self.cleaned_data.get("province")
        user.practice_postal_code = self.cleaned_data.get("practice_postal_code", "")
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
            notice=self.notice,
        )


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), required=False)
    practice_postal_code = postal_code_field()

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
        self.fields["spoke"].help_text = _(
            "Your team or site. Not listed? Leave it empty and tell your hub's coordinator."
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        clean_postal_code_and_province(self)
        return self.cleaned_data
