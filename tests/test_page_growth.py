"""Public pages cost the same, and weigh the same, with ten times the programs, sessions
and library documents (issue 18): no page lists everything, no `<select>` of every program.
"""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from echohub.library.models import Resource
from echohub.library.search.index import index_resources
from echohub.network.models import Hub
from echohub.programs.models import Program, Session
from tests.factories import HubFactory

UNIT = 25  # programs at first; then ten times as many


def grow(hub: Hub, start: int, count: int) -> None:
    """`count` programs of the hub, each with a past and two upcoming sessions and two
    public library guides about pain; titles padded so that every page keeps its length."""
    now = timezone.now()
    programs = Program.objects.bulk_create(
        Program(
            hub=hub,
            slug=f"growth-{n:05d}",
            title_en=f"Pain rounds {n:05d}",
            title_fr=f"Rencontres douleur {n:05d}",
            description_en="A series for providers.",
            description_fr="Une série pour les intervenants.",
            status=Program.Status.PUBLISHED,
        )
        for n in range(start, start + count)
    )
    Session.objects.bulk_create(
        Session(
            program=program,
            title_en=f"Session {k}",
            title_fr=f"Séance {k}",
            starts_at=now + dt.timedelta(days=days, minutes=n),
            duration_minutes=60,
            capacity=100,
        )
        for n, program in enumerate(programs)
        for k, days in enumerate((-7, 7, 14))
    )
    resources = Resource.objects.bulk_create(
        Resource(
            hub=hub,
            program=program,
            kind=Resource.Kind.GUIDE,
            visibility=Resource.Visibility.PUBLIC,
            title_en=f"Pain guide {program.slug[-5:]}-{k}",
            title_fr=f"Guide douleur {program.slug[-5:]}-{k}",
        )
        for program in programs
        for k in range(2)
    )
    index_resources(resources)


def pages(hub: Hub) -> dict[str, str]:
    first = Program.objects.order_by("slug").first()
    assert first is not None
    session = first.sessions.order_by("starts_at").last()
    assert session is not None
    with translation.override("en"):
        return {
            "front": reverse("programs:home"),
            "catalogue": reverse("programs:catalogue"),
            "catalogue filtered": reverse("programs:catalogue") + f"?q=pain&hub={hub.slug}",
            "catalogue upcoming": reverse("programs:catalogue") + "?when=upcoming&language=en",
            "program": first.get_absolute_url(),
            "session": session.get_absolute_url(),
            "hub": reverse("programs:hub", kwargs={"slug": hub.slug}),
            "library": reverse("library:index"),
            "library search": reverse("library:index") + "?q=pain",
            "library of a program": reverse("library:index") + f"?q=pain&program={first.slug}",
        }


# The pages themselves, not the page cache's copies of them.
@override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if ".pagecache." not in m])
def measure(urls: dict[str, str]) -> dict[str, tuple[int, int]]:
    """Queries and bytes of each page, read signed out after one warm-up request."""
    client = Client()
    found = {}
    for name, url in urls.items():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        # The counts shown ("50 results", "500 results") may gain a digit; nothing else may.
        body = re.sub(rb"\d+", b"0", response.content)
        found[name] = (len(queries), len(body))
    return found


@pytest.mark.django_db
def test_public_pages_cost_and_weigh_the_same_with_ten_times_the_data() -> None:
    hub = HubFactory(slug="growth-hub")
    grow(hub, 0, UNIT)
    small = measure(pages(hub))
    grow(hub, UNIT, 9 * UNIT)
    large = measure(pages(hub))

    for name, (queries, size) in small.items():
        grown_queries, grown_size = large[name]
        assert grown_queries == queries, (name, small[name], large[name])
        assert abs(grown_size - size) <= 0.01 * size, (name, small[name], large[name])


@pytest.mark.django_db
def test_the_library_has_no_list_of_every_program_and_a_program_is_chosen_from_its_page() -> None:
    hub = HubFactory(slug="growth-hub")
    grow(hub, 0, 3)
    program = Program.objects.order_by("slug").first()
    assert program is not None
    client = Client()
    with translation.override("en"):
        library = reverse("library:index")
    page = client.get(library).content.decode()
    assert 'name="program"' not in page
    assert program.title_en not in page

    chosen = client.get(f"{library}?q=pain&program={program.slug}").content.decode()
    assert 'id="chosen-program"' in chosen
    assert f"In the library of {program.title_en}" in chosen
    assert f'<input type="hidden" name="program" value="{program.slug}"' in chosen
    assert chosen.count("</mark> guide ") == 2  # only this program's two guides

    refused = client.get(f"{library}?q=pain&program=no-such-program")
    assert "That program has no library you can search." in refused.content.decode()


@pytest.mark.django_db
def test_a_hub_page_lists_its_first_programs_and_links_to_the_rest() -> None:
    hub = HubFactory(slug="growth-hub")
    grow(hub, 0, 21)
    with translation.override("en"):
        page = Client().get(reverse("programs:hub", kwargs={"slug": hub.slug}))
    body = page.content.decode()
    assert body.count('class="card"') == 20
    assert 'id="more-programs"' in body
    assert f"?hub={hub.slug}" in body
