"""The Python form renderer writes byte for byte what Django's widget templates write."""

from pathlib import Path

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

import echohub
from echohub.formrenderer import _INPUTS, _LABEL, _SELECT, Renderer


class Everything(forms.Form):
    name = forms.CharField(max_length=20, help_text="Your name")
    email = forms.EmailField(required=False)
    q = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search"}))
    count = forms.IntegerField(min_value=0, max_value=9)
    site = forms.URLField(required=False)
    phone = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "tel"}))
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.DateTimeField(required=False)
    hour = forms.TimeField(required=False)
    kind = forms.ChoiceField(choices=[("", "All"), ("a", "A & B"), ("c", '"C" <c>')])
    grouped = forms.ChoiceField(
        choices=[("Fruit", [("apple", "Apple"), ("pear", "Pear")]), ("x", "Other")]
    )
    many = forms.MultipleChoiceField(choices=[("1", "One"), ("2", "Two"), ("3", "Three")])
    flag = forms.NullBooleanField(required=False)
    quoted = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"placeholder": 'e.g. "x" & <y>'})
    )


BOUND = {
    "name": 'O\'Brien & "Sons" <b>',
    "email": "not an email",
    "count": "12",
    "secret": "hunter2",
    "token": "abc",
    "day": "2026-12-05",
    "kind": "a",
    "grouped": "pear",
    "many": ["1", "3"],
    "flag": "true",
}


@pytest.mark.parametrize("bound", [False, True], ids=["blank", "bound with errors"])
def test_every_field_renders_as_djangos_templates_render_it(bound: bool) -> None:
    def make(renderer: object) -> Everything:
        if bound:
            return Everything(BOUND, renderer=renderer)
        return Everything(initial={"kind": "c", "many": ["2"]}, renderer=renderer)

    ours, theirs = make(Renderer()), make(DjangoTemplates())
    if bound:
        assert not ours.is_valid()  # errors add aria-invalid and aria-describedby
        assert not theirs.is_valid()
    for mine, django in zip(ours, theirs, strict=True):
        assert mine.as_widget() == django.as_widget(), mine.name
        assert "<" in mine.as_widget()
    # And as pages draw them: whole forms with labels, errors and help texts.
    assert str(ours) == str(theirs)


def test_echohub_overrides_none_of_the_templates_the_renderer_draws_itself() -> None:
    root = Path(echohub.__file__).parent
    overridden = {
        str(path.relative_to(folder))
        for folder in root.glob("**/templates")
        for path in folder.glob("django/forms/widgets/*.html")
    }
    drawn = _INPUTS | {_SELECT, "django/forms/widgets/select_option.html"}
    assert not overridden & drawn
    labels = {
        str(path.relative_to(folder))
        for folder in root.glob("**/templates")
        for path in folder.glob("django/forms/*.html")
    }
    assert _LABEL not in labels
    assert "django/forms/attrs.html" not in labels


class Labelled(forms.Form):
    plain = forms.CharField(label='Name & "title" <b>')
    asked = forms.CharField(label="Are you sure?")
    choice = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect, label="Pick")


@pytest.mark.parametrize("auto_id", ["id_%s", False], ids=["with ids", "without ids"])
def test_labels_render_as_djangos_template_renders_them(auto_id: str | bool) -> None:
    ours = Labelled(auto_id=auto_id, renderer=Renderer())
    theirs = Labelled(auto_id=auto_id, renderer=DjangoTemplates())
    for mine, django in zip(ours, theirs, strict=True):
        assert mine.label_tag() == django.label_tag(), mine.name
        assert mine.legend_tag() == django.legend_tag(), mine.name
        extra = {"class": "big", "data-x": 'a"b'}
        assert mine.label_tag("Other & more", attrs=extra, label_suffix="!") == django.label_tag(
            "Other & more", attrs=extra, label_suffix="!"
        )
    assert "&amp;" in ours["plain"].label_tag()
