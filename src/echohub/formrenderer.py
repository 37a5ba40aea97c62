"""The form renderer: the commonest widgets drawn in Python, everything else by Django's templates.

Django draws a `<select>` by rendering one template per option, and every text
input through two includes: on the catalogue, a third of the page's time went
to its filter form, and each label was a template of its own. `Renderer` writes
exactly the HTML those templates write
(`tests/test_formrenderer.py` compares the two on every widget kind it
handles, and checks that EchoHub overrides none of those templates), and
leaves every other template to `DjangoTemplates`.
"""

from collections.abc import Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

_WIDGETS = "django/forms/widgets/"
# Every widget whose template is only `{% include "django/forms/widgets/input.html" %}`.
_INPUTS = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "search",
        "number",
        "url",
        "tel",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "color",
    )
)
_SELECT = f"{_WIDGETS}select.html"
_OPTION = f"{_WIDGETS}select_option.html"
_LABEL = "django/forms/label.html"


def _escape(value: Any) -> str:
    return str(conditional_escape(value))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """What django/forms/widgets/attrs.html writes: ` name="value"`, ` name` for True."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_escape(name)}")
        else:
            parts.append(f' {_escape(name)}="{_escape(str(value))}"')
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str:
    value = widget["value"]
    shown = f' value="{_escape(str(value))}"' if value is not None else ""
    return (
        f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _option(option: Mapping[str, Any]) -> str:
    return (
        f'<option value="{_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
        f"{_escape(option['label'])}</option>\n"
    )


def _select(widget: Mapping[str, Any]) -> str | None:
    """The select, or None if an option has a template of its own (then Django draws it)."""
    parts = [f'<select name="{_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _OPTION:
                return None
            parts.append(f"\n  {_option(option)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _label(context: Mapping[str, Any]) -> str:
    """What django/forms/label.html writes: the label, in its tag unless told not to."""
    label = _escape(context["label"])
    if not context["use_tag"]:
        return label
    tag = _escape(context["tag"])
    return f"<{tag}{_attrs(context['attrs'] or {})}>{label}</{tag}>"


class Renderer(DjangoTemplates):
    """Text inputs, selects and labels in Python; every other widget through its template."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == _LABEL:
            return mark_safe(_label(context))  # noqa: S308  # every piece is escaped
        widget = context.get("widget")
        if widget is not None:
            if template_name in _INPUTS:
                return mark_safe(_input(widget))  # noqa: S308  # every piece is escaped
            if template_name == _SELECT and (drawn := _select(widget)) is not None:
                return mark_safe(drawn.strip())  # noqa: S308  # every piece is escaped
        return super().render(template_name, context, request)
