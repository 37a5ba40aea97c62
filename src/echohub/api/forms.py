import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echohub.api.models import Scope
from echohub.bilingual import validate_no_html


def _in_a_year() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=365)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        validators=[validate_no_html],
        help_text=_("What the token is for, such as “Provincial LMS”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Without any, it reads what anyone reads (programs, sessions, the library), "
            "with its hub's drafts and unlisted programs."
        ),
    )
    expires = forms.DateField(
        label=_("Expires on"),
        initial=_in_a_year,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("At most two years from today. It stops working at the end of that day."),
    )

    def expires_at(self) -> dt.datetime:
        """The end of the chosen day, on the reader's clock."""
        day = self.cleaned_data["expires"]
        return timezone.make_aware(dt.datetime.combine(day, dt.time.max))
