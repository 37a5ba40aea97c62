"""Forms of the coordinator's registrant pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from echohub.network.models import Spoke
from echohub.reference.forms import AudienceFilterForm
from echohub.registration.models import Registration


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
