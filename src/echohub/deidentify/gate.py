"""The de-identification gate as the rest of EchoHub uses it.

`ensure_deidentified` runs before any case text is written (models call it
in `save()`); what it raises names where and what kind of identifier was
found, never the text itself, so that neither a log line nor an error report
nor an email can carry the identifier onward.

A finding the gate is unsure of (a possible name, a long number with no cue)
may be confirmed "not an identifier" by whoever wrote the text: a
`Confirmation` names the place, the kind and the characters, never the text,
and lets that one finding through. A certain finding (a health card, a phone,
a full date…) always blocks, whatever is confirmed.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from echohub.deidentify import KIND_LABELS, Finding, scan


@dataclass(frozen=True, order=True)
class Confirmation:
    """The writer's word that one possible finding is not an identifier.

    `where` is the place the text is kept ("title", "answers.history") or, in a
    form, the field's name; `start` and `end` are character offsets into that
    text. An edit before the span moves it, and the finding is asked about again.
    """

    where: str
    kind: str
    start: int
    end: int

    @classmethod
    def of(cls, where: str, finding: Finding) -> "Confirmation":
        return cls(where, finding.kind, finding.start, finding.end)

    @classmethod
    def parse(cls, value: object) -> "Confirmation | None":
        """From a form's token or a stored list; None for anything malformed."""
        parts = value.split("|") if isinstance(value, str) else value
        if not isinstance(parts, list | tuple) or len(parts) != 4:
            return None
        where, kind, start, end = parts
        try:
            first, last = int(start), int(end)
        except (TypeError, ValueError):
            return None
        if not isinstance(where, str) or kind not in KIND_LABELS or not 0 <= first < last:
            return None
        return cls(where, str(kind), first, last)

    @property
    def token(self) -> str:
        """What a form posts back: "q_history|name|12|18"."""
        return f"{self.where}|{self.kind}|{self.start}|{self.end}"

    def stored(self) -> list[str | int]:
        return [self.where, self.kind, self.start, self.end]

    @property
    def described(self) -> str:
        """For the audit trail: place, kind and characters, never the text."""
        return f"{self.kind} in {self.where} at {self.start}-{self.end}"


def parse_confirmations(values: Iterable[object]) -> set[Confirmation]:
    return {found for value in values if (found := Confirmation.parse(value)) is not None}


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


def split_confirmed(
    found: dict[str, list[Finding]], confirmed: Collection[Confirmation]
) -> tuple[dict[str, list[Finding]], dict[str, list[Finding]]]:
    """The findings that still block, and those a confirmation lets through, by place.

    Only a possible finding confirmed at exactly its place, kind and characters
    is let through; a certain one always blocks.
    """
    wanted = set(confirmed)
    blocking: dict[str, list[Finding]] = {}
    accepted: dict[str, list[Finding]] = {}
    for where, findings in found.items():
        for finding in findings:
            if not finding.certain and Confirmation.of(where, finding) in wanted:
                accepted.setdefault(where, []).append(finding)
            else:
                blocking.setdefault(where, []).append(finding)
    return blocking, accepted


def ensure_deidentified(
    texts: dict[str, str], confirmed: Collection[Confirmation] = ()
) -> list[Confirmation]:
    """Raise `IdentifiersFound` unless every finding is a confirmed possible one.

    Returns the confirmations that matched a finding, sorted: the ones worth keeping.
    """
    blocking, accepted = split_confirmed(findings_in(texts), confirmed)
    if blocking:
        raise IdentifiersFound(blocking)
    return sorted(Confirmation.of(where, f) for where, found in accepted.items() for f in found)


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def highlighted(
    text: str,
    findings: list[Finding],
    *,
    confirmed: list[Finding] | None = None,
    confirm_as: str | None = None,
) -> SafeString:
    """The text, escaped, with each finding marked and named for sighted and screen-reader users.

    `confirmed` findings are marked apart, as confirmed not an identifier. With
    `confirm_as` (the form field's name), each possible finding gets a "not an
    identifier" checkbox posting its `Confirmation` token as `confirm`.
    """
    marks = [(f, False) for f in findings] + [(f, True) for f in confirmed or []]
    parts: list[str] = []
    at = 0
    for finding, is_confirmed in sorted(marks, key=lambda mark: mark[0].start):
        if finding.start < at:
            continue
        parts.append(escape(text[at : finding.start]))
        label = kind_label(finding.kind)
        if is_confirmed:
            label = _("%(kind)s, confirmed not an identifier") % {"kind": label}
        parts.append(
            format_html(
                '<mark class="finding{}" data-kind="{}" title="{}">{}</mark>'
                '<span class="finding-kind">[{}]</span>',
                " confirmed" if is_confirmed else "",
                finding.kind,
                label,
                text[finding.start : finding.end],
                label,
            )
        )
        if confirm_as is not None and not finding.certain:
            parts.append(
                format_html(
                    '<label class="not-identifier"><input type="checkbox" name="confirm" '
                    'value="{}" aria-label="{}"{}> {}</label>',
                    Confirmation.of(confirm_as, finding).token,
                    _("“%(text)s” is not an identifier")
                    % {"text": text[finding.start : finding.end]},
                    " checked" if is_confirmed else "",
                    _("not an identifier"),
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


def redacted(
    text: str, findings: list[Finding], keep: list[Finding] | None = None
) -> tuple[str, list[Finding]]:
    """The text with every finding replaced by its placeholder (findings never overlap),
    and the `keep` findings (confirmed ones, left as written) moved to their new place."""
    parts: list[str] = []
    moved: list[Finding] = []
    kept = sorted(keep or [], key=lambda f: f.start)
    at = shift = 0
    for finding in sorted(findings, key=lambda f: f.start):
        while kept and kept[0].end <= finding.start:
            first = kept.pop(0)
            moved.append(Finding(first.kind, first.start + shift, first.end + shift, first.text))
        placeholder = str(PLACEHOLDERS.get(finding.kind, PLACEHOLDERS["identifier"]))
        parts += [text[at : finding.start], placeholder]
        shift += len(placeholder) - (finding.end - finding.start)
        at = finding.end
    moved += [Finding(f.kind, f.start + shift, f.end + shift, f.text) for f in kept]
    parts.append(text[at:])
    return "".join(parts), moved
