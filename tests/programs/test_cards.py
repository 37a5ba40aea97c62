"""The catalogue's cards, now worked out in Python (programs/cards.py), write what the
template wrote when it computed each value with tags and filters."""

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from echohub.programs.catalogue import CatalogueQuery, search_programs
from echohub.programs.models import Program
from echohub.timezones import TZ_COOKIE
from tests.factories import HubFactory, ProgramFactory, SessionFactory

# The card list of programs/catalogue.html, word for word, before programs/cards.py.
OLD_CARDS = """{% load i18n bilingual zones %}<ul class="cards" id="results">
      {% for program in programs %}
      <li class="card">
        <h2><a href="{{ program.get_absolute_url }}">{% bi program.title %}</a></h2>
        <p class="meta">{% bi program.hub.name %} · {{ program.get_languages_display }}</p>
        {% if program.description %}<p class="summary">{% bi_summary program.description 30 %}</p>{% endif %}
        {% if program.status == "cancelled" %}<p><span class="badge cancelled">{% translate "Cancelled" context "program" %}</span></p>{% endif %}
        {% if program.next_start %}<p>{% translate "Next session:" %} {% when program.next_start %}</p>
        {% elif program.last_start %}<p class="meta">{% translate "Last session:" %} {{ program.last_start|date:"DATE_FORMAT" }}</p>{% endif %}
        <p>{% for p in program.audience_professions.all %}<span class="badge">{{ p.name }}</span>{% empty %}<span class="badge">{% translate "All professions" %}</span>{% endfor %}</p>
      </li>
      {% endfor %}
    </ul>"""  # noqa: E501


@pytest.fixture
def programs(db: None) -> None:
    """A card of every kind: each language missing in turn, no description, cancelled,
    upcoming, past only, no session at all, professions or none, a name to escape."""
    now = timezone.now()
    hub = HubFactory(name_en="", name_fr="Carrefour du Québec")
    both = ProgramFactory(title_en="Rounds & cases", description_en=" ".join(["word"] * 40))
    both.audience_professions.set(["registered-nurse", "paramedic"])
    french = ProgramFactory(hub=hub, title_en="", title_fr="Série", languages="fr")
    french.audience_professions.set(["family-physician"])
    english = ProgramFactory(title_en="English only", title_fr="", description_fr="")
    past = ProgramFactory(title_en="Past", status=Program.Status.CANCELLED, languages="both")
    ProgramFactory(title_en="No session", description_en="", description_fr="Seulement")
    for days, program in enumerate([both, french, english], start=1):
        SessionFactory(program=program, starts_at=now + dt.timedelta(days=days, minutes=7))
        SessionFactory(program=program, starts_at=now - dt.timedelta(days=days))
    SessionFactory(program=past, starts_at=now - dt.timedelta(days=40, hours=3))


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("zone", ["America/Toronto", "America/Vancouver", "UTC"])
def test_the_cards_write_what_the_template_wrote(programs: None, lang: str, zone: str) -> None:
    client = Client()
    client.cookies[TZ_COOKIE] = zone
    with translation.override(lang):
        url = reverse("programs:catalogue")
    html = client.get(url).content.decode()
    cards = re.search(r'<ul class="cards" id="results">.*?</ul>', html, re.S)
    assert cards is not None
    listed = search_programs(CatalogueQuery()).prefetch_related("audience_professions")
    with translation.override(lang), timezone.override(zone):
        expected = Template(OLD_CARDS).render(Context({"programs": listed}))
    assert cards.group(0) == expected
    assert html.count('class="card"') == Program.objects.count()
