"""Filters over the reference lists, shared by the catalogue and the registrant lists,
and the choice field that keeps a short list's rows in memory.

A filter form of the catalogue or the library offers short lists
(professions, settings, provinces, hubs, topics): read and made into model
instances on every page, they were an eighth of the catalogue's time.
`KeptChoiceField` offers and checks them from `echohub.pagecache.kept`, which
reads a list once per process and page-cache generation.
"""

from collections.abc import Iterator, Sequence
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from echohub.pagecache.kept import kept_rows
from echohub.reference.models import PracticeSetting, Profession, Province


class _KeptIterator(ModelChoiceIterator):
    def __init__(self, field: "KeptChoiceField") -> None:
        super().__init__(field)
        self.model = field.model

    @property
    def rows(self) -> Sequence[Any]:
        return kept_rows(self.model)  # when drawn, never when the form is declared

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.rows:
            yield self.choice(row)

    def __len__(self) -> int:
        return len(self.rows) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.rows)


class KeptChoiceField(forms.ModelChoiceField):
    """A choice among every row of a short list (`kept_rows`): offered and checked without
    a query. Give it the model's whole list (`Model.objects.all()`), never a narrower one."""

    iterator = _KeptIterator

    def __init__(self, queryset: QuerySet[Any], **kwargs: Any) -> None:
        self.model = queryset.model  # first: the parent's __init__ draws the choices
        super().__init__(queryset, **kwargs)

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        wanted = str(getattr(value, key) if isinstance(value, Model) else value)
        for row in kept_rows(self.model):
            if str(getattr(row, key)) == wanted:
                return row
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class AudienceFilterForm(forms.Form):
    """Profession, practice setting and province/territory, each optional."""

    profession = KeptChoiceField(
        label=_("Profession"),
        queryset=Profession.objects.all(),
        required=False,
        empty_label=_("All professions"),
    )
    setting = KeptChoiceField(
        label=_("Practice setting"),
        queryset=PracticeSetting.objects.all(),
        required=False,
        empty_label=_("All settings"),
    )
    province = KeptChoiceField(
        label=_("Province or territory"),
        queryset=Province.objects.all(),
        required=False,
        empty_label=_("All of Canada"),
    )
