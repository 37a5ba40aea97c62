"""Texts that hubs enter are kept in English and in French.

A model declares `title_en` and `title_fr` columns and a `title =
Bilingual("title")` attribute; reading `obj.title` gives the text in the
active language, or the other language's text marked as a fallback so the
page can say so (and set `lang` on it for screen readers).
"""

import re
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

LANGS = ("en", "fr")


class LocalizedText(str):
    """A string that knows its language and whether it stands in for the other one."""

    lang: str
    is_fallback: bool

    def __new__(cls, value: str, lang: str, is_fallback: bool) -> "LocalizedText":
        text = super().__new__(cls, value)
        text.lang = lang
        text.is_fallback = is_fallback
        return text


def active_lang() -> str:
    lang = (get_language() or "en")[:2]
    return lang if lang in LANGS else "en"


def pick(values: dict[str, str], lang: str | None = None) -> LocalizedText:
    """The text in `lang` (default: active), else the other one, marked as fallback."""
    lang = lang or active_lang()
    if values.get(lang):
        return LocalizedText(values[lang], lang, False)
    for other in LANGS:
        if other != lang and values.get(other):
            return LocalizedText(values[other], other, True)
    return LocalizedText("", lang, False)


class Bilingual:
    """Descriptor reading `<base>_en` / `<base>_fr` in the active language."""

    def __init__(self, base: str) -> None:
        self.base = base

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        return pick({lang: getattr(obj, f"{self.base}_{lang}") or "" for lang in LANGS})


def require_one_language(obj: Any, base: str, label: "StrOrPromise") -> None:
    """Raise a form-friendly error when both languages of `base` are empty."""
    if not any((getattr(obj, f"{base}_{lang}") or "").strip() for lang in LANGS):
        raise ValidationError(
            {
                f"{base}_en": _("Give the %(field)s in English, in French or in both.")
                % {"field": label}
            }
        )


_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def validate_no_html(value: str) -> None:
    """Hub texts are plain text: a tag is refused rather than silently shown or stripped."""
    if value and (tag := _TAG.search(value)):
        raise ValidationError(
            _("Use plain text here: HTML tags such as %(tag)s are not allowed."),
            code="html",
            params={"tag": tag.group(0)[:40]},
        )
