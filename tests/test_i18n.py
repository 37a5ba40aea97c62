"""French everywhere: a complete catalogue, compiled, and no English left on French pages."""

import ast
import datetime as dt
import gettext
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

import echohub
from echohub.attendance.models import Attendance
from echohub.cases.starters import STARTERS
from echohub.library import services as library_services
from echohub.library.models import Resource
from tests.conftest import Network, client_for
from tests.programs.test_public_views import text

LOCALE = Path(echohub.__file__).parent / "locale" / "fr" / "LC_MESSAGES"


@dataclass
class Entry:
    context: str | None
    msgid: str
    plural: str | None
    translations: list[str]
    fuzzy: bool


def read_po(path: Path) -> list[Entry]:
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        fuzzy = False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                fields[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                fields[key] = ast.literal_eval(value)
        if "msgid" in fields:
            translations = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            entries.append(
                Entry(
                    fields.get("msgctxt"),
                    fields["msgid"],
                    fields.get("msgid_plural"),
                    translations,
                    fuzzy,
                )
            )
    return entries


ENTRIES = [e for e in read_po(LOCALE / "django.po") if e.msgid]


def test_every_string_is_translated_and_none_is_fuzzy() -> None:
    assert len(ENTRIES) > 250
    assert [e.msgid for e in ENTRIES if e.fuzzy] == []
    assert [e.msgid for e in ENTRIES if not all(t.strip() for t in e.translations)] == []


def test_the_compiled_catalogue_matches_the_po_file() -> None:
    """Catches a .po edited without `make messages` compiling it."""
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in ENTRIES:
        if entry.plural:
            got = (
                compiled.npgettext(entry.context, entry.msgid, entry.plural, 1)
                if entry.context
                else compiled.ngettext(entry.msgid, entry.plural, 1)
            )
        elif entry.context:
            got = compiled.pgettext(entry.context, entry.msgid)
        else:
            got = compiled.gettext(entry.msgid)
        assert got == entry.translations[0], entry.msgid


# English sentences and labels of the interface (the ones French changes), to look
# for on French pages: placeholders, URL paths and words French shares are left out.
ENGLISH = sorted(
    {
        e.msgid
        for e in ENTRIES
        if e.msgid not in e.translations[0]
        and len(e.msgid) >= 8
        and not re.search(r"%\(|\{|/|<", e.msgid)
    },
    key=len,
    reverse=True,
)


def french_url(name: str, **kwargs: object) -> str:
    with translation.override("fr"):
        return reverse(name, kwargs=kwargs or None)


def english_on(page: str) -> list[str]:
    return [phrase for phrase in ENGLISH if phrase in page]


def test_public_french_pages_have_no_english(network: Network) -> None:
    client = Client()
    pages = [
        french_url("programs:home"),
        french_url("programs:catalogue"),
        french_url("programs:catalogue") + "?profession=astronaut",
        french_url("programs:program", slug=network.program.slug),
        french_url("programs:session", pk=network.session.pk),
        french_url("programs:hub_list"),
        french_url("programs:hub", slug=network.hub.slug),
    ]
    for url in pages:
        assert english_on(text(client.get(url))) == [], url


@pytest.mark.parametrize(
    "name",
    [
        "programs:manage",
        "programs:program_create",
        "network:spoke_list",
        "network:hub_create",
        "accounts:profile",
    ],
)
def test_french_staff_pages_have_no_english(network: Network, name: str) -> None:
    page = client_for(network.national_admin).get(french_url(name))
    assert english_on(text(page)) == []


def test_french_program_pages_for_staff_have_no_english(network: Network) -> None:
    client = client_for(network.coordinator)
    slug = network.program.slug
    for url in [
        french_url("programs:manage_program", slug=slug),
        french_url("programs:program_edit", slug=slug),
        french_url("programs:session_create", slug=slug),
        french_url("programs:series_create", slug=slug),
        french_url("programs:session_edit", pk=network.session.pk),
    ]:
        assert english_on(text(client.get(url))) == [], url
    errors = client.post(french_url("programs:series_create", slug=slug), {"count": "-1"})
    assert english_on(text(errors)) == []
    assert "Ce champ est obligatoire." in text(errors)


# French typography: a no-break space (U+00A0) before : ; ? ! and inside « ».
# Placeholders, URLs, tags, entities and times are not punctuation, nor is a colon
# followed by a letter (hh:mm, a URL path).
NOT_PUNCTUATION = re.compile(
    r"%\([A-Za-z_]+\)[sd]|%[sd]|\{[^}]*\}|https?://[^\s\"<]+|<[^>]*>|&#?\w+;|\b\d{1,2}:\d{2}\b"
)
BAD_SPACING = [
    re.compile(r"(?<!\u00a0)[;?!]"),  # ; ? ! without a no-break space before
    re.compile(r"(?<!\u00a0):(?=\s|$)"),  # a colon that ends a clause
    re.compile(r"«(?!\u00a0)|(?<!\u00a0)»"),
]


def typography_faults(text: str) -> list[str]:
    plain = NOT_PUNCTUATION.sub("x", text)
    return [
        plain[max(0, found.start() - 12) : found.end() + 3]
        for rule in BAD_SPACING
        for found in rule.finditer(plain)
    ]


def is_url_path(entry: Entry) -> bool:
    return entry.msgid.endswith("/") or ("<" in entry.msgid and "/" in entry.msgid)


def test_typography_faults_are_found() -> None:
    assert len(typography_faults("Rappel : à %(title)s? «oui»")) == 4
    assert typography_faults("Rappel\u00a0: de 12:00 à 13:00 (hh:mm:ss), https://a.org/b?c=1") == []


def test_every_french_string_puts_a_no_break_space_before_double_punctuation() -> None:
    faults = {
        entry.msgid: typography_faults(text)
        for entry in ENTRIES
        if not is_url_path(entry)
        for text in entry.translations
        if typography_faults(text)
    }
    assert faults == {}


def test_french_strings_keep_one_term_for_each_thing() -> None:
    """The panel is « équipe du programme »; making an account is « Créer un compte »,
    never « S’inscrire », which is kept for registering to a session or program; "Dr"
    has no period."""
    french = [(e.msgid, text) for e in ENTRIES if not is_url_path(e) for text in e.translations]
    assert [msgid for msgid, text in french if re.search(r"\bpanel", text, re.I)] == []
    assert [msgid for msgid, text in french if re.search(r"\bDr\.", text)] == []
    sign_up = [
        text
        for e in ENTRIES
        if e.msgid in {"Sign up", "Create an account"}
        for text in e.translations
    ]
    assert sign_up
    assert set(sign_up) == {"Créer un compte"}


def test_french_dates_write_months_in_lower_case() -> None:
    day = dt.datetime(2026, 12, 9, 14, 5, tzinfo=dt.UTC)
    with translation.override("fr"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "9 déc. 2026"
        assert date_format(day, "SHORT_DATETIME_FORMAT") == "9 déc. 2026, 14 h 05"
        assert date_format(day.replace(month=6), "SHORT_DATE_FORMAT") == "9 juin 2026"


def test_english_content_on_french_pages_is_marked_english(network: Network) -> None:
    """Protocol texts, transcript lines and activity names kept only in English."""
    protocol = library_services.save_resource(
        Resource(hub=network.hub, kind="protocol", title_en="Hydromorphone", text="0.5 mg q4h"),
        by=network.coordinator,
        topics=[],
        professions=[],
        practice_settings=[],
        upload=None,
    )
    library_services.add_version(protocol, by=network.coordinator, text="1 mg q4h")
    library_services.attach_transcript(
        protocol,
        b"WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nStart low, go slow.\n",
        by=network.coordinator,
    )
    client = Client()
    page = client.get(french_url("library:resource", key=protocol.key)).content.decode()
    assert '<div lang="en"><p>1 mg q4h</p></div>' in page
    assert re.search(r'<ol class="transcript" lang="en">.*Start low, go slow\.', page, re.S)
    diff = client.get(french_url("library:diff", key=protocol.key, number=2)).content.decode()
    assert '<span lang="en">1 mg q4h</span>' in diff
    hits = client.get(french_url("library:index") + "?q=slow").content.decode()
    assert re.search(r'<p lang="en">Start low, go <mark>slow</mark>', hits), hits

    network.program.title_fr = ""
    network.program.save()
    network.session.title_fr = ""
    network.session.save()
    Attendance.objects.create(
        session=network.session, person=network.participant, minutes=60, source="report"
    )
    transcript = client_for(network.participant).get(french_url("certificates:transcript"))
    assert (
        f'<span lang="en">{network.program.title_en} — {network.session.title_en}</span>'
        in transcript.content.decode()
    )


def test_templates_leave_punctuation_after_a_translated_string_to_the_translation() -> None:
    """`{% translate "Capacity" %}:` gives French « Nombre de places: » with no space:
    the colon belongs in the message, where French puts its no-break space."""
    glued = re.compile(
        r'(translate "[^"]*"( context "[^"]*")?|endblocktranslate) %\}(</\w+>)? ?[:;?!]'
    )
    templates = Path(echohub.__file__).parent / "templates"
    found = [
        f"{path.relative_to(templates)}: {match.group(0)}"
        for path in templates.rglob("*.html")
        for match in glued.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_case_form_starters_follow_french_typography() -> None:
    texts = [
        text
        for questions in STARTERS.values()
        for q in questions
        for text in (q.fr, q.help_fr, *(choice["fr"] for choice in q.choices))
    ]
    assert [t for t in texts if typography_faults(t) or "panel" in t or "'" in t] == []


@pytest.mark.parametrize(("lang", "name"), [("en", "My certificates"), ("fr", "Mes attestations")])
def test_the_menu_calls_the_certificates_page_what_it_calls_itself(
    network: Network, lang: str, name: str
) -> None:
    with translation.override(lang):
        path = reverse("certificates:transcript")
    page = client_for(network.participant).get(path).content.decode()
    assert f'<a href="{path}">{name}</a>' in page
    assert f"<h1>{name}</h1>" in page
    assert f"<title>{name} · EchoHub</title>" in page
