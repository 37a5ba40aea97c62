"""A catalogue card's values, worked out once per program in Python.

The catalogue shows twenty cards. Written with template tags and filters
(`{% bi %}`, `{% bi_summary %}`, `{% when %}`, `|date`, the professions' loop
over a prefetch), each card cost about a quarter of a millisecond: the twenty
were a third of the page's CPU. Here each value is computed by the very
functions those tags call, so the page reads the same, and the template keeps
the markup around them (`programs/catalogue.html`).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString

from echohub.bilingual import active_lang
from echohub.programs.models import Program
from echohub.templatetags.bilingual import bi, bi_summary
from echohub.templatetags.zones import when

Professions = Program.audience_professions.through
# A program's address with a stand-in slug, to write the twenty by substitution: slugs
# hold only letters, digits, "-" and "_", which an address keeps as they are.
_SLUG = "--slug--"


@dataclass(frozen=True)
class ProgramCard:
    program: Program
    url: str
    title: SafeString
    hub: SafeString
    languages: str
    summary: SafeString
    cancelled: bool
    next_session: SafeString  # the `{% when %}` markup, or "" when none is scheduled
    next_start: dt.datetime | None  # when that next session starts
    last_session: str  # the date alone, or ""
    professions: list[str]  # the names; none means open to every profession


def program_cards(page: Iterable[Program]) -> list[ProgramCard]:
    """The cards of a page's programs (annotated with next_start and last_start by
    `search_programs`, hubs selected), their professions asked in one query."""
    programs = list(page)
    professions = _profession_names([p.pk for p in programs])
    address = reverse("programs:program", kwargs={"slug": _SLUG})
    # get_languages_display(), translated once per page rather than once per card.
    languages = {value: str(label) for value, label in Program.Languages.choices}
    cards = []
    for program in programs:
        next_start = getattr(program, "next_start", None)
        last_start = getattr(program, "last_start", None)
        description = program.description
        cards.append(
            ProgramCard(
                program=program,
                url=address.replace(_SLUG, program.slug),
                title=bi(program.title),
                hub=bi(program.hub.name),
                languages=languages.get(program.languages, program.languages),
                summary=bi_summary(description, 30) if description else SafeString(""),
                cancelled=program.status == Program.Status.CANCELLED,
                next_session=when(next_start) if next_start else SafeString(""),
                next_start=next_start,
                last_session=(
                    formats.date_format(timezone.localtime(last_start), "DATE_FORMAT")
                    if last_start and not next_start
                    else ""
                ),
                professions=professions.get(program.pk, []),
            )
        )
    return cards


def _profession_names(program_ids: list[int]) -> dict[int, list[str]]:
    """Each program's professions, in the professions' own order, in the page's language
    (`Profession.name`: the other language's name when this one is empty)."""
    lang = active_lang()
    other = "fr" if lang == "en" else "en"
    rows = (
        Professions.objects.filter(program_id__in=program_ids)
        .order_by("profession__position", "profession_id")
        .values_list("program_id", f"profession__name_{lang}", f"profession__name_{other}")
    )
    names: dict[int, list[str]] = defaultdict(list)
    for program_id, name, fallback in rows:
        names[program_id].append(name or fallback or "")
    return names
