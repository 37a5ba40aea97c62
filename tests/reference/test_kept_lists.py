"""Short lists (professions, settings, provinces, topics, hubs) are read once per process
and page-cache generation: a filter form offers them without a query, and a change,
made here or on another server, is on the forms as soon as it is on the pages."""

import secrets

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from echohub.network.models import Hub
from echohub.pagecache.cache import CACHE, GENERATION_KEY, generation
from echohub.pagecache.kept import kept_rows
from echohub.reference.forms import AudienceFilterForm
from echohub.reference.models import Profession, Topic
from tests.conftest import Network

pytestmark = pytest.mark.django_db

# A list read whole: "FROM <table>" (the catalogue's own query joins the hubs).
LISTS = tuple(
    f'FROM "{table}"'
    for table in ("reference_profession", "reference_practicesetting", "reference_province")
)
HUBS = 'FROM "network_hub"'
TOPICS = 'FROM "reference_topic"'


def url(name: str, query: str = "") -> str:
    with translation.override("en"):
        return reverse(name) + query


def tables_read(client: Client, path: str) -> str:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return " ".join(q["sql"] for q in captured.captured_queries)


def another_server_bumps() -> None:
    """What another process's `bump()` leaves in the shared cache: a new generation."""
    caches[CACHE].set(GENERATION_KEY, secrets.token_hex(8), None)


def test_a_public_page_offers_the_lists_without_reading_them_again(network: Network) -> None:
    client = Client()
    first = tables_read(client, url("programs:catalogue", "?_=1"))
    assert all(table in first for table in (*LISTS, HUBS))
    # Another address, so the page is rendered again: its options come from memory.
    again = tables_read(client, url("programs:catalogue", "?_=2"))
    assert not any(table in again for table in (*LISTS, HUBS))
    library = tables_read(client, url("library:index", "?_=3"))
    assert TOPICS in library
    library = tables_read(client, url("library:index", "?_=4"))
    assert not any(table in library for table in (*LISTS, TOPICS))


def test_a_renamed_profession_and_a_new_hub_are_offered_at_once(network: Network) -> None:
    client = Client()
    client.get(url("programs:catalogue", "?_=1"))
    nurse = Profession.objects.get(code="registered-nurse")
    nurse.name_en = "Registered nurse (RN)"
    nurse.save()
    Hub.objects.create(slug="yukon-hub", name_en="Yukon Hub", name_fr="Carrefour du Yukon")
    page = client.get(url("programs:catalogue", "?_=2")).content.decode()
    assert '<option value="registered-nurse">Registered nurse (RN)</option>' in page
    assert '<option value="yukon-hub">Yukon Hub</option>' in page


def test_another_servers_change_is_seen_on_the_next_request(network: Network) -> None:
    client = Client()
    client.get(url("library:index", "?_=1"))
    # A change this process was not told of (no signal), then the other server's bump.
    Topic.objects.filter(code="delirium").update(name_en="Delirium and confusion")
    page = client.get(url("library:index", "?_=2")).content.decode()
    assert "Delirium and confusion" not in page  # kept, as the kept pages are
    another_server_bumps()
    page = client.get(url("library:index", "?_=3")).content.decode()
    assert page.count("Delirium and confusion") == 2  # the topic links and the filter


def test_outside_a_request_the_generation_is_read_each_time(network: Network) -> None:
    before = generation()
    assert generation() == before
    another_server_bumps()
    assert generation() != before
    kept_rows(Profession)
    Profession.objects.filter(code="psw").update(name_en="Personal support worker")
    assert "Personal support worker" not in [p.name_en for p in kept_rows(Profession)]
    another_server_bumps()
    assert "Personal support worker" in [p.name_en for p in kept_rows(Profession)]


def test_a_choice_is_checked_against_the_kept_list(network: Network) -> None:
    form = AudienceFilterForm({"profession": "psw", "province": "ON", "setting": "no-such"})
    assert not form.is_valid()
    assert form.cleaned_data["profession"] == Profession.objects.get(code="psw")
    assert form.cleaned_data["province"].code == "ON"
    assert list(form.errors) == ["setting"]
    page = Client().get(url("programs:catalogue", "?profession=psw&province=ZZ")).content
    assert b'<option value="psw" selected>' in page
    assert b"Select a valid choice" in page
