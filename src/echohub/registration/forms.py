"""Forms of the coordinator's registrant pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from echohub.network.models import Spoke
from echohub.reference.forms import AudienceFilterForm
from echohub.registration.models import Registration, SessionMessage


class RegistrantFilterForm(AudienceFilterForm):
    field_order = ["status", "profession", "setting", "province", "spoke"]

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Every status")), *Registration.Status.choices],
    )
    spoke = forms.ModelChoiceField(
        label=_("Spoke"),
        queryset=Spoke.objects.all(),
        required=False,
        empty_label=_("All spokes"),
    )


class AddRegistrantForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"), help_text=_("The address of their EchoHub account.")
    )


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        help_text=_("Leave empty for no limit. Raising it gives seats to the waiting list."),
        error_messages={"min_value": _("Capacity must be at least 1, or empty for no limit.")},
    )


class SessionMessageForm(forms.ModelForm):
    """Subject and message in English, French or both; each reader gets their language."""

    class Meta:
        model = SessionMessage
        fields = ["audience", "subject_en", "body_en", "subject_fr", "body_fr"]
        widgets = {
            "audience": forms.RadioSelect,
            "body_en": forms.Textarea(attrs={"rows": 8}),
            "body_fr": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "body_en": _(
                "Plain text. The session's time, join link (for those registered) and"
                " cancel link are added below it."
            ),
        }
