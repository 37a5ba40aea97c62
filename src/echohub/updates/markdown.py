"""Update texts: a safe subset of Markdown, rendered once, the same on the page and in email.

markdown-it-py with raw HTML off (a tag typed is shown as text), images off
(an update's picture is its uploaded image: a remote one would leak readers'
addresses to another server and is blocked by the pages' CSP), headings moved
one level down under the page's own <h1>. nh3 then keeps only the tags below,
links only to http(s) and mailto, each with rel="noopener noreferrer": the
renderer's output is trusted no more than the writer's input.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "code", "pre", "hr",
}  # fmt: skip
ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
SCHEMES = {"http", "https", "mailto"}

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).disable(
    "image"
)


def _lower_headings(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 4)}"


def render(text: str) -> SafeString:
    """The HTML of an update's Markdown text, cleaned."""
    tokens = _md.parse(text or "")
    _lower_headings(tokens)
    html = _md.renderer.render(tokens, _md.options, {})
    cleaned = nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - cleaned by nh3 just above
