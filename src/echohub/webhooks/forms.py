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
