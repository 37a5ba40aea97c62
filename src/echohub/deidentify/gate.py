"""The de-identification gate as the rest of EchoHub uses it.

`ensure_deidentified` runs before any case text is written (models call it
in `save()`); what it raises names where and what kind of identifier was
found, never the text itself, so that neither a log line nor an error report
nor an email can carry the identifier onward.
"""

from django.core.exceptions import ValidationError
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from echohub.deidentify import KIND_LABELS, Finding, scan


class IdentifiersFound(ValidationError):
    """Raised instead of saving text that holds identifiers; carries the findings by place."""

    def __init__(self, findings: dict[str, list[Finding]]) -> None:
        self.findings = findings
        kinds = sorted({f.kind for found in findings.values() for f in found})
        super().__init__(
            _("Nothing was saved: the text holds what looks like identifying information (%s).")
            % ", ".join(str(KIND_LABELS.get(kind, kind)) for kind in kinds),
            code="identifiers",
        )

    def __repr__(self) -> str:
        # Never the text: only where, and of which kind, the findings are.
        places = {where: [f.kind for f in found] for where, found in self.findings.items()}
        return f"IdentifiersFound({places})"


def findings_in(texts: dict[str, str]) -> dict[str, list[Finding]]:
    found = {where: scan(text) for where, text in texts.items() if text}
    return {where: findings for where, findings in found.items() if findings}


def ensure_deidentified(texts: dict[str, str]) -> None:
    found = findings_in(texts)
    if found:
        raise IdentifiersFound(found)


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def highlighted(text: str, findings: list[Finding]) -> SafeString:
    """The text, escaped, with each finding marked and named for sighted and screen-reader users."""
    parts: list[str] = []
    at = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < at:
            continue
        parts.append(escape(text[at : finding.start]))
        parts.append(
            format_html(
                '<mark class="finding" data-kind="{}" title="{}">{}</mark>'
                '<span class="finding-kind">[{}]</span>',
                finding.kind,
                kind_label(finding.kind),
                text[finding.start : finding.end],
                kind_label(finding.kind),
            )
        )
        at = finding.end
    parts.append(escape(text[at:]))
    return mark_safe("".join(parts))  # noqa: S308  # every piece above is escaped


# What replaces each kind of finding when the presenter asks EchoHub to remove them,
# in the language of the page: "[name]", « [nom] ».
PLACEHOLDERS = {
    "health_card": gettext_lazy("[health card]"),
    "sin": gettext_lazy("[social insurance number]"),
    "mrn": gettext_lazy("[chart number]"),
    "identifier": gettext_lazy("[number]"),
    "phone": gettext_lazy("[phone]"),
    "email": gettext_lazy("[email]"),
    "url": gettext_lazy("[web address]"),
    "ip": gettext_lazy("[IP address]"),
    "postal_code": gettext_lazy("[postal code]"),
    "address": gettext_lazy("[address]"),
    "date": gettext_lazy("[date]"),
    "birth_date": gettext_lazy("[date of birth]"),
    "age": gettext_lazy("[age over 89]"),
    "name": gettext_lazy("[name]"),
}


def redacted(text: str, findings: list[Finding]) -> str:
    """The text with every finding replaced by its placeholder (findings never overlap)."""
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        placeholder = str(PLACEHOLDERS.get(finding.kind, PLACEHOLDERS["identifier"]))
        text = text[: finding.start] + placeholder + text[finding.end :]
    return text
