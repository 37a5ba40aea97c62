"""Forms of the evaluation pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from echohub.evaluations.models import Completion


# --- Waiving ----------------------------------------------------------------------------------
class WaiveForm(forms.Form):
    """Why an evaluation counts as done without answers. One per row of the completions page:
    `auto_id` carries the completion's id so that the page's labels stay unique."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=Completion._meta.get_field("waived_reason").max_length,
        help_text=_("e.g. Completed on paper"),
    )

    def __init__(self, *args: Any, completion_id: int = 0, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_%s_{completion_id}")
        super().__init__(*args, **kwargs)

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the evaluation is waived."))
        return reason
