"""An unlisted program: open to whoever has its link, listed nowhere (catalogue, hub page,
front page, digests, the interests people subscribe to), never indexed; making a program
unlisted removes nobody."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from echohub.pagecache.cache import HEADER
from echohub.programs.models import Program
from echohub.registration.models import Registration
from echohub.updates.digests import program_items, session_items
from echohub.updates.forms import InterestsForm
from tests.conftest import Network, client_for
from tests.factories import ProgramFactory, SessionFactory

pytestmark = pytest.mark.django_db

NOINDEX = '<meta name="robots" content="noindex">'


def url(name: str, lang: str = "en", **kwargs: object) -> str:
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def edit_form(title_en: str, access: str) -> dict[str, str]:
    """What the program's edit page posts, with this title and access."""
    return {
        "title_en": title_en,
        "scope": "national",
        "languages": "en",
        "timezone": "America/Toronto",
        "enrolment": "open",
        "access": access,
    }


@pytest.fixture
def hidden(network: Network) -> Program:
    program = ProgramFactory(
        hub=network.hub,
        slug="night-shift",
        title_en="Night Shift Circle",
        title_fr="Cercle de nuit",
        access=Program.Access.UNLISTED,
        published_at=timezone.now(),
    )
    SessionFactory(program=program, starts_at=timezone.now() + dt.timedelta(days=2))
    return program


def test_an_unlisted_program_is_listed_nowhere(network: Network, hidden: Program) -> None:
    SessionFactory(program=network.program, starts_at=timezone.now() + dt.timedelta(days=3))
    for lang in ("en", "fr"):
        for page in (
            url("programs:catalogue", lang),
            url("programs:catalogue", lang) + "?q=night",
            url("programs:hub", lang, slug=network.hub.slug),
            url("programs:home", lang),
        ):
            body = Client().get(page).content.decode()
            assert "Night Shift" not in body, page
            assert "Cercle de nuit" not in body, page
    assert "PSW Series" in Client().get(url("programs:catalogue")).content.decode()
    week = (timezone.now() - dt.timedelta(days=1), timezone.now() + dt.timedelta(days=7))
    listed = {item.obj.program for item in session_items(*week)}
    assert network.program in listed
    assert hidden not in listed
    assert hidden not in [item.obj for item in program_items(*week)]
    offered = InterestsForm().fields["programs"].queryset  # type: ignore[attr-defined]
    assert hidden not in offered
    assert network.program in offered


def test_its_link_opens_it_to_anyone_and_asks_not_to_be_indexed(
    network: Network, hidden: Program
) -> None:
    session = hidden.sessions.get()
    for page in (hidden.get_absolute_url(), session.get_absolute_url()):
        response = Client().get(page)
        assert response.status_code == 200
        assert NOINDEX in response.content.decode()
    assert NOINDEX not in Client().get(network.program.get_absolute_url()).content.decode()
    # Whoever has the link takes part as in any program.
    client = client_for(network.participant)
    client.post(url("registration:register", pk=session.pk))
    registration = Registration.objects.get(session=session, person=network.participant)
    assert registration.status == Registration.Status.CONFIRMED


def test_making_a_program_unlisted_removes_nobody_and_shows_at_once(network: Network) -> None:
    client = client_for(network.participant)
    client.post(url("registration:register", pk=network.session.pk))
    catalogue = url("programs:catalogue")
    assert Client().get(catalogue).get(HEADER) == "miss"
    assert Client().get(catalogue).get(HEADER) == "hit"

    editor = client_for(network.coordinator)
    edit = url("programs:program_edit", slug=network.program.slug)
    assert editor.post(edit, edit_form(network.program.title_en, "unlisted")).status_code == 302
    network.program.refresh_from_db()
    assert network.program.access == Program.Access.UNLISTED
    assert "PSW Series" not in Client().get(catalogue).content.decode()  # a new generation
    registration = Registration.objects.get(session=network.session, person=network.participant)
    assert registration.status == Registration.Status.CONFIRMED
    mine = client.get(url("registration:mine")).content.decode()
    assert network.session.title_en in mine
    manage = editor.get(url("programs:manage_program", slug=network.program.slug))
    assert "Unlisted" in manage.content.decode()


def test_an_unknown_access_is_refused_on_the_field_and_nothing_is_saved(
    network: Network,
) -> None:
    editor = client_for(network.coordinator)
    edit = url("programs:program_edit", slug=network.program.slug)
    response = editor.post(edit, edit_form("Renamed", "secret"))
    assert response.status_code == 200
    assert "access" in response.context["form"].errors
    network.program.refresh_from_db()
    assert (network.program.title_en, network.program.access) == ("PSW Series", "public")
    with translation.override("fr"):
        page = client_for(network.coordinator).get(
            url("programs:program_edit", "fr", slug=network.program.slug)
        )
    assert "Non répertorié" in page.content.decode()
