"""The anonymous page cache keeps public pages signed out, and is never wrong: nothing
personal is kept, a page with a form token is never kept, the reader's language and
time zone are part of what is kept, and a change shows at once."""

import datetime as dt
import time

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from echohub.library.models import Resource
from echohub.pagecache.cache import CACHE, GENERATION_KEY, HEADER, TTL
from echohub.programs import services as program_services
from echohub.programs.models import Program
from echohub.timezones import TZ_COOKIE
from tests.conftest import Network, client_for
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def url(name: str, lang: str = "en", **kwargs: object) -> str:
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


def twice(client: Client, path: str) -> tuple[str, str]:
    first, second = client.get(path), client.get(path)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    return first.get(HEADER, ""), second.get(HEADER, "")


def test_a_public_page_signed_out_is_rendered_once_then_answered_from_the_cache(
    network: Network,
) -> None:
    assert twice(Client(), url("programs:catalogue")) == ("miss", "hit")
    assert twice(Client(), url("library:index") + "?q=pain") == ("miss", "hit")
    # Another address, another page.
    assert Client().get(url("programs:catalogue") + "?page=1").get(HEADER) == "miss"


def test_the_language_and_the_time_zone_are_part_of_what_is_kept(network: Network) -> None:
    english = Client().get(url("programs:catalogue"))
    assert twice(Client(), url("programs:catalogue", "fr")) == ("miss", "hit")
    french = Client().get(url("programs:catalogue", "fr"))
    assert '<html lang="fr"' in french.content.decode()
    assert '<html lang="en"' in english.content.decode()
    away = Client()
    away.cookies[TZ_COOKIE] = "America/Vancouver"
    page = away.get(url("programs:catalogue"))
    assert page.get(HEADER) == "miss"
    assert 'data-tz="America/Vancouver" data-tz-known="1"' in page.content.decode()
    again = Client().get(url("programs:catalogue"))
    assert again.get(HEADER) == "hit"
    assert 'data-tz="America/Toronto" data-tz-known="0"' in again.content.decode()
    # A cookie naming no zone is the default zone's page.
    odd = Client()
    odd.cookies[TZ_COOKIE] = "Nowhere/Land"
    assert odd.get(url("programs:catalogue")).get(HEADER) == "hit"


def test_nothing_personal_is_kept_or_served(network: Network) -> None:
    path = url("programs:catalogue")
    person_a, person_b = network.participant, network.coordinator
    as_a = client_for(person_a).get(path)
    assert HEADER not in as_a  # signed in: never read from nor written to the cache
    assert "My sessions" in as_a.content.decode()
    anonymous = Client().get(path)
    assert anonymous.get(HEADER) == "miss"
    assert "My sessions" not in anonymous.content.decode()
    assert "Log out" not in anonymous.content.decode()
    as_b = client_for(person_b).get(path)
    assert HEADER not in as_b
    assert "Log out" in as_b.content.decode()
    assert Client().get(path).get(HEADER) == "hit"
    # A visitor with a session (signed out since, or in the middle of signing in) is
    # not served the kept page either: the page might hold a message for them.
    with_session = Client()
    with_session.cookies["sessionid"] = "anything"
    assert HEADER not in with_session.get(path)


def test_a_page_with_a_form_token_is_never_kept(rf) -> None:
    from django.http import HttpResponse

    from echohub.pagecache.cache import _storable

    page = '<form method="post"><input name="csrfmiddlewaretoken" value="x"></form>'
    assert not _storable(rf.get("/en/"), HttpResponse(page))
    assert _storable(rf.get("/en/"), HttpResponse("<p>A public page</p>"))


def test_session_and_cohort_pages_are_kept_signed_out_their_buttons_post_nothing(
    network: Network,
) -> None:
    # The registration box and a cohort's enrolment form, signed out, are GET forms:
    # nothing personal, no token, so every signed-out reader gets the same page.
    cohort = ProgramFactory(hub=network.hub, enrolment=Program.Enrolment.COHORT)
    for path, action in (
        (url("programs:session", pk=network.session.pk), "register"),
        (cohort.get_absolute_url(), "enrol"),
    ):
        assert twice(Client(), path) == ("miss", "hit")
        page = Client().get(path).content.decode()
        assert "csrfmiddlewaretoken" not in page
        assert '<form method="get" action="/en/' in page
        assert 'name="then" value="login"' in page
        assert 'name="then" value="signup"' in page
        assert action in page


def test_a_session_filling_up_or_freeing_a_seat_shows_at_once_and_nothing_else_bumps(
    network: Network, django_capture_on_commit_callbacks
) -> None:
    from echohub.registration import services as registration
    from tests.factories import UserFactory

    session = network.session
    session.capacity = 1
    session.save()
    path = url("programs:session", pk=session.pk)
    full = "This session is full"
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    assert twice(Client(), path) == ("miss", "hit")

    with django_capture_on_commit_callbacks(execute=True):
        taken = registration.register(first, session)  # the last seat
    page = Client().get(path)
    assert page.get(HEADER) == "miss"
    assert full in page.content.decode()
    assert Client().get(path).get(HEADER) == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        registration.register(second, session)  # a waiting list changes no seat
        registration.register(third, session)
    assert Client().get(path).get(HEADER) == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        registration.cancel(taken, by=first)  # the first on the waiting list takes it
    assert Client().get(path).get(HEADER) == "hit"  # still full

    with django_capture_on_commit_callbacks(execute=True):
        session.capacity = 5
        session.save()
    page = Client().get(path)
    assert page.get(HEADER) == "miss"
    assert full not in page.content.decode()


def test_pages_with_the_stay_informed_form_are_kept_and_the_form_posts_without_a_token(
    network: Network,
) -> None:
    from echohub.updates.models import Consent

    for path in (
        url("programs:home"),
        network.program.get_absolute_url(),
        url("programs:hub", slug=network.hub.slug),
    ):
        assert twice(Client(), path) == ("miss", "hit"), path
        assert "csrfmiddlewaretoken" not in Client().get(path).content.decode()
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(network.program.get_absolute_url()).content.decode()
    assert 'id="stay-informed-email"' in page
    response = browser.post(
        url("updates:subscribe"),
        {
            "email": "reader@example.org",
            "frequency": "weekly",
            "consent": "on",
            "language": "en",
            "programs": network.program.slug,
            "page": network.program.get_absolute_url(),
        },
    )
    assert response.status_code == 302
    assert Consent.objects.filter(email="reader@example.org").exists()
    # Every other form still needs its token.
    refused = browser.post(url("registration:register", pk=network.session.pk))
    assert refused.status_code == 403


def test_the_time_zone_form_signed_out_carries_no_token_and_sets_only_the_cookie(
    network: Network,
) -> None:
    page = Client().get(url("programs:catalogue")).content.decode()
    assert '<form method="get" action="/timezone/" class="tz-form">' in page
    response = Client().get(
        reverse("set_timezone"), {"timezone": "America/Halifax", "next": "/en/programs/"}
    )
    assert response.status_code == 302
    assert response.cookies[TZ_COOKIE].value == "America/Halifax"
    # Signed in, a GET sets the cookie but never the profile: that takes a checked POST.
    client = client_for(network.participant)
    client.get(reverse("set_timezone"), {"timezone": "America/Halifax"})
    network.participant.refresh_from_db()
    assert network.participant.timezone != "America/Halifax"
    signed_in_page = client.get(url("programs:catalogue")).content.decode()
    assert '<form method="post" action="/timezone/" class="tz-form">' in signed_in_page


def test_publishing_editing_and_cancelling_show_at_once(network: Network) -> None:
    path = url("programs:catalogue")
    draft = ProgramFactory(hub=network.hub, title_en="Freshly published", status="draft")
    assert twice(Client(), path)[1] == "hit"
    assert "Freshly published" not in Client().get(path).content.decode()

    program_services.publish_program(draft, by=network.hub_admin)
    shown = Client().get(path)
    assert shown.get(HEADER) == "miss"
    assert "Freshly published" in shown.content.decode()

    draft.title_en = "Renamed series"
    draft.save()
    assert "Renamed series" in Client().get(path).content.decode()

    program_services.cancel_program(draft, by=network.hub_admin)
    program = Program.objects.get(pk=draft.pk)
    assert program.status == Program.Status.CANCELLED
    page = Client().get(path)
    assert page.get(HEADER) == "miss"


def test_a_session_change_and_a_library_change_show_at_once(network: Network) -> None:
    catalogue, library = url("programs:catalogue"), url("library:index") + "?q=dyspnea"
    twice(Client(), catalogue)
    twice(Client(), library)
    network.session.starts_at = timezone.now() + timezone.timedelta(days=3)
    network.session.save()
    assert Client().get(catalogue).get(HEADER) == "miss"

    Resource.objects.create(
        hub=network.hub,
        kind=Resource.Kind.GUIDE,
        visibility=Resource.Visibility.PUBLIC,
        title_en="Dyspnea at home",
    )
    found = Client().get(library)
    assert found.get(HEADER) == "miss"
    assert "Dyspnea" in found.content.decode()


def test_an_emptied_cache_starts_a_new_generation(network: Network) -> None:
    path = url("programs:catalogue")
    twice(Client(), path)
    caches[CACHE].clear()
    assert caches[CACHE].get(GENERATION_KEY) is None
    assert twice(Client(), path) == ("miss", "hit")


def test_a_head_request_is_answered_from_a_kept_page_but_never_kept(network: Network) -> None:
    path = url("programs:catalogue")
    assert Client().head(path).get(HEADER) is None
    assert Client().get(path).get(HEADER) == "miss"
    assert Client().head(path).get(HEADER) == "hit"


def test_kept_pages_live_apart_from_the_login_limits(network: Network) -> None:
    """Pages pushed out to make room must never push out a count of login attempts."""
    cache.set("login-attempts-probe", 3, None)
    for n in range(30):
        Client().get(url("programs:catalogue") + f"?page={n}")
    assert cache.get("login-attempts-probe") == 3
    assert caches[CACHE] is not cache
    assert cache.get(GENERATION_KEY) is None  # the generation is the pages' cache's alone
    assert caches[CACHE].get(GENERATION_KEY) is not None


# --- Pages that change with the clock ---------------------------------------------------


def kept_until() -> dt.datetime:
    """When the one kept page expires (the database cache's own column)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT expires FROM {caches[CACHE]._table} WHERE cache_key LIKE %s",  # type: ignore[attr-defined]  # noqa: S608
            ["%pagecache:page:%"],
        )
        [(expires,)] = cursor.fetchall()
    if isinstance(expires, str):  # SQLite keeps it as text
        expires = dt.datetime.fromisoformat(expires)
    return expires if expires.tzinfo else expires.replace(tzinfo=dt.UTC)


@pytest.mark.parametrize("page", ["session", "program", "front", "catalogue"])
def test_a_page_is_kept_no_longer_than_until_its_next_session_starts(
    network: Network, page: str
) -> None:
    soon = timezone.now() + dt.timedelta(seconds=90)
    network.session.starts_at = soon
    network.session.save()
    path = {
        "session": network.session.get_absolute_url(),
        "program": network.program.get_absolute_url(),
        "front": url("programs:home"),
        "catalogue": url("programs:catalogue"),
    }[page]
    caches[CACHE].clear()
    assert twice(Client(), path) == ("miss", "hit")
    assert kept_until() <= soon + dt.timedelta(seconds=1)
    # A page with nothing due kept for the whole TTL.
    network.session.starts_at = timezone.now() + dt.timedelta(days=3)
    network.session.save()
    caches[CACHE].clear()
    assert twice(Client(), path) == ("miss", "hit")
    assert kept_until() >= timezone.now() + dt.timedelta(seconds=TTL - 5)


def test_a_session_page_stops_offering_to_register_when_the_session_starts(
    network: Network,
) -> None:
    # Four seconds ahead: a busy CI machine's first request can take more than one, and
    # a page due to change within a second is not kept at all (the test below).
    network.session.starts_at = timezone.now() + dt.timedelta(seconds=4)
    network.session.save()
    path = network.session.get_absolute_url()
    before = Client().get(path)
    assert "Log in to register" in before.content.decode()
    assert Client().get(path).get(HEADER) == "hit"
    time.sleep(max(0.0, (network.session.starts_at - timezone.now()).total_seconds()) + 0.5)
    after = Client().get(path)
    assert after.get(HEADER) == "miss"
    assert "Log in to register" not in after.content.decode()
    assert "This session has already started or taken place." in after.content.decode()


def test_a_page_due_to_change_within_a_second_is_not_kept(network: Network) -> None:
    network.session.starts_at = timezone.now() + dt.timedelta(milliseconds=500)
    network.session.save()
    path = network.session.get_absolute_url()
    assert Client().get(path).get(HEADER) is None
