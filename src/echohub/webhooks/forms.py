from django import forms
from django.utils.translation import gettext_lazy as _

from echohub.bilingual import validate_no_html
from echohub.webhooks.models import Event


class SubscriptionForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        validators=[validate_no_html],
        help_text=_("What receives it, such as “Provincial LMS”."),
    )
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("An https:// address on the internet that answers a POST with 2xx."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=Event.choices, widget=forms.CheckboxSelectMultiple
    )


class StoreForm(forms.Form):
    """A program's learning record store: where xAPI statements go, and which."""

    url = forms.URLField(
        label=_("Statements endpoint"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "The store's xAPI address, such as https://lrs.example.org/xapi/ "
            "(statements are sent to its statements resource)."
        ),
    )
    key = forms.CharField(label=_("Key"), max_length=200, help_text=_("The store's user name."))
    secret = forms.CharField(
        label=_("Secret"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Kept, never shown again: leave it empty to keep the one saved."),
    )
    events = forms.MultipleChoiceField(
        label=_("Send"),
        choices=[
            (Event.ATTENDANCE_SAVED.value, _("Attendance: each person who attended a session")),
            (Event.CERTIFICATE_ISSUED.value, _("Certificates: each one issued")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )
