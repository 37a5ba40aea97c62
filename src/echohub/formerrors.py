"""A service's refusal shown on the form it came from."""

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


def refusal_onto(
    form: forms.BaseForm, error: ValidationError, *, renamed: Mapping[str, str] | None = None
) -> None:
    """Each message of a service's ValidationError on the field it names (a model field
    may be `renamed` to the form's), or above the form when the form has no such field."""
    for field, errors in error.message_dict.items():
        name = (renamed or {}).get(field, field)
        for message in errors:
            form.add_error(name if name in form.fields else None, message)
