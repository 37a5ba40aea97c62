from django import forms
from django.utils.translation import gettext_lazy as _

from echohub.network.models import StaffRole


class StaffRoleForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"), help_text=_("The address of their EchoHub account.")
    )
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.Role.choices)
