"""`{% bi obj.title %}`: a hub-entered text, marked when it is shown in the other language."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from echohub.bilingual import LocalizedText

register = template.Library()


@register.simple_tag
def bi(text: LocalizedText | str) -> SafeString:
    if not isinstance(text, LocalizedText) or not text.is_fallback:
        return format_html("{}", text)
    marker = _("in English") if text.lang == "en" else _("in French")
    return format_html(
        '<span lang="{}">{}</span> <span class="lang-marker">({})</span>', text.lang, text, marker
    )


@register.filter
def bi_paragraphs(text: LocalizedText | str) -> SafeString:
    """Plain text as paragraphs, with the fallback language marked on the block."""
    paragraphs = [p.strip() for p in str(text).split("\n\n") if p.strip()]
    lang = getattr(text, "lang", "")
    fallback = getattr(text, "is_fallback", False)
    inner = SafeString("".join(format_html("<p>{}</p>", p) for p in paragraphs))
    if not fallback:
        return inner
    marker = _("Available in English only.") if lang == "en" else _("Available in French only.")
    return format_html('<p class="lang-marker">{}</p><div lang="{}">{}</div>', marker, lang, inner)


@register.simple_tag
def bi_summary(text: LocalizedText | str, words: int = 30) -> SafeString:
    """The first words of a longer text (a catalogue card's description), marked like `bi`."""
    short = Truncator(str(text)).words(words)
    if isinstance(text, LocalizedText):
        return bi(LocalizedText(short, text.lang, text.is_fallback))
    return bi(short)
