"""Calendar files and feeds: stable events, private join links, a secret personal feed."""

import datetime as dt
from typing import Any

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, include, path, reverse
from django.utils import timezone, translation
from icalendar import Calendar, Event

from echohub import urls as site_urls
from echohub.accounts.models import User
from echohub.programs import services as program_services
from echohub.programs.models import Session
from echohub.registration.feeds import feed_token_for, reset_feed_token
from echohub.registration.models import CalendarToken, Registration
from tests.conftest import Network, client_for
from tests.factories import ProgramFactory, SessionFactory, UserFactory

Status = Registration.Status


def _urlpatterns() -> list[URLPattern | URLResolver]:
    """The site's URLs, plus the calendar ones until the site includes them itself."""
    if "calendars" in get_resolver(site_urls).namespace_dict:
        return site_urls.urlpatterns
    return [
        *site_urls.urlpatterns,
        *i18n_patterns(
            path("", include("echohub.registration.feed_urls")), prefix_default_language=True
        ),
    ]


urlpatterns = _urlpatterns()
pytestmark = pytest.mark.urls(__name__)


def url(name: str, lang: str = "en", **kwargs: Any) -> str:
    with translation.override(lang):
        return reverse(f"calendars:{name}", kwargs=kwargs)


def parse(response: HttpResponse) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def only_event(response: HttpResponse) -> Event:
    events = parse(response).events
    assert len(events) == 1
    return events[0]


def session_file(session: Session, user: User | None = None, lang: str = "en") -> HttpResponse:
    return client_for(user).get(url("session_ics", lang, pk=session.pk))


def register(person: User, session: Session, status: str = Status.CONFIRMED) -> Registration:
    return Registration.objects.create(session=session, person=person, status=status)


def backdate(session: Session, hours: int = 1) -> None:
    """As if the session was created (and last saved) an hour ago."""
    earlier = timezone.now() - dt.timedelta(hours=hours)
    Session.objects.filter(pk=session.pk).update(created_at=earlier, updated_at=earlier)
    session.refresh_from_db()


# One session's file


def test_the_session_file_is_an_attachment_with_the_sessions_details(
    network: Network, settings: Any
) -> None:
    settings.SITE_URL = "https://echohub.example.org"
    session = network.session
    response = session_file(session)
    assert response["Content-Disposition"] == (
        f'attachment; filename="echohub-session-{session.pk}.ics"'
    )
    calendar = parse(response)
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["PRODID"]) == "-//EchoHub//EchoHub calendars//EN"
    assert str(calendar["X-WR-CALNAME"]) == session.title_en
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.content
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in response.content
    event = only_event(response)
    assert str(event["UID"]) == f"session-{session.pk}@echohub"
    assert str(event["SUMMARY"]) == session.title_en
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["URL"]) == f"https://echohub.example.org/en/sessions/{session.pk}/"
    assert str(event["DESCRIPTION"]) == "PSW Series"


def test_start_and_end_are_written_in_utc(network: Network) -> None:
    session = network.session
    session.starts_at = dt.datetime(2027, 3, 4, 17, 30, 15, 123456, tzinfo=dt.UTC)
    session.duration_minutes = 90
    session.save()
    event = only_event(session_file(session))
    assert event["DTSTART"].to_ical() == b"20270304T173015Z"
    assert event["DTEND"].to_ical() == b"20270304T190015Z"
    assert event.start == session.starts_at.replace(microsecond=0)
    assert event.start.utcoffset() == dt.timedelta(0)
    assert event.end == session.ends_at.replace(microsecond=0)


def test_the_uid_stays_and_the_sequence_rises_when_the_session_moves(network: Network) -> None:
    session = network.session
    backdate(session)
    before = only_event(session_file(session))
    assert before.sequence == 0
    session.starts_at += dt.timedelta(days=1)
    session.title_en = "Moved session"
    session.save()
    after = only_event(session_file(session))
    assert str(after["UID"]) == str(before["UID"]) == f"session-{session.pk}@echohub"
    assert after.sequence > before.sequence
    assert after.start == before.start + dt.timedelta(days=1)
    assert str(after["SUMMARY"]) == "Moved session"


def test_a_cancelled_session_is_marked_cancelled_with_a_higher_sequence(network: Network) -> None:
    session = network.session
    backdate(session)
    before = only_event(session_file(session))
    program_services.cancel_session(session, by=network.coordinator)
    after = only_event(session_file(session))
    assert str(before["STATUS"]) == "CONFIRMED"
    assert str(after["STATUS"]) == "CANCELLED"
    assert str(after["UID"]) == str(before["UID"])
    assert after.sequence > before.sequence


def test_the_french_address_gives_the_french_title(network: Network, settings: Any) -> None:
    event = only_event(session_file(network.session, lang="fr"))
    assert str(event["SUMMARY"]) == network.session.title_fr
    with translation.override("fr"):
        page = reverse("programs:session", kwargs={"pk": network.session.pk})
    assert page.startswith("/fr/")
    assert str(event["URL"]) == settings.SITE_URL + page


@pytest.mark.parametrize(
    ("who", "sees_link"),
    [
        ("anonymous", False),
        ("participant", False),
        ("waitlisted", False),
        ("pending", False),
        ("other_coordinator", False),
        ("confirmed", True),
        ("coordinator", True),
        ("national_admin", True),
    ],
)
def test_the_join_link_is_only_for_confirmed_registrants_and_staff(
    network: Network, who: str, sees_link: bool
) -> None:
    session = network.session
    statuses = {"confirmed": Status.CONFIRMED, "waitlisted": Status.WAITLISTED}
    statuses["pending"] = Status.PENDING
    user: User | None
    if who == "anonymous":
        user = None
    elif who in statuses:
        user = UserFactory()
        register(user, session, statuses[who])
    else:
        user = getattr(network, who)
    response = session_file(session, user)
    assert (session.join_url in response.content.decode()) is sees_link
    description = str(only_event(response)["DESCRIPTION"])
    if sees_link:
        assert description == f"PSW Series\n\nJoin link: {session.join_url}"
    else:
        assert description == "PSW Series"


def test_a_cancelled_registration_loses_the_join_link(network: Network) -> None:
    register(network.participant, network.session, Status.CANCELLED)
    response = session_file(network.session, network.participant)
    assert network.session.join_url not in response.content.decode()


def test_a_draft_programs_session_has_no_public_file(network: Network) -> None:
    draft_session = SessionFactory(program=network.draft)
    assert session_file(draft_session).status_code == 404
    assert session_file(draft_session, network.other_coordinator).status_code == 404


# A program's public feed


def test_the_program_feed_lists_its_sessions_without_join_links(network: Network) -> None:
    program = network.program
    later = SessionFactory(
        program=program, starts_at=network.session.starts_at + dt.timedelta(days=7)
    )
    cancelled = SessionFactory(program=program, status=Session.Status.CANCELLED)
    register(network.participant, network.session)
    response = client_for(network.participant).get(url("program_feed", slug=program.slug))
    calendar = parse(response)
    assert response["Content-Disposition"] == 'attachment; filename="echohub-psw-series.ics"'
    assert str(calendar["X-WR-CALNAME"]) == "EchoHub — PSW Series"
    uids = [str(event["UID"]) for event in calendar.events]
    assert uids == [f"session-{s.pk}@echohub" for s in (network.session, cancelled, later)]
    statuses = {str(e["UID"]): str(e["STATUS"]) for e in calendar.events}
    assert statuses[f"session-{cancelled.pk}@echohub"] == "CANCELLED"
    assert network.session.join_url not in response.content.decode()


def test_the_program_feed_of_a_draft_program_is_not_found(network: Network) -> None:
    SessionFactory(program=network.draft)
    response = Client().get(url("program_feed", slug=network.draft.slug))
    assert response.status_code == 404
    staff = client_for(network.coordinator).get(url("program_feed", slug=network.draft.slug))
    assert staff.status_code == 404


def test_the_program_feed_in_french(network: Network) -> None:
    program = ProgramFactory(slug="serie-fr", title_en="English name", title_fr="Nom français")
    SessionFactory(
        program=program,
        title_en="Only English",
        title_fr="",
        description_en="A case to discuss.",
        description_fr="Un cas à discuter.",
    )
    calendar = parse(Client().get(url("program_feed", "fr", slug=program.slug)))
    assert str(calendar["X-WR-CALNAME"]) == "EchoHub — Nom français"
    # A title missing in French falls back to the English one, as on the pages.
    assert [str(e["SUMMARY"]) for e in calendar.events] == ["Only English"]
    assert str(calendar.events[0]["DESCRIPTION"]) == "Nom français\n\nUn cas à discuter."


# A person's private feed


def personal_feed(person: User) -> HttpResponse:
    return Client().get(url("personal_feed", token=feed_token_for(person).token))


def test_the_personal_feed_lists_exactly_the_active_registrations(network: Network) -> None:
    person = network.participant
    program = network.program
    confirmed = SessionFactory(program=program, join_url="https://video.example.org/j/1")
    waitlisted = SessionFactory(program=program, join_url="https://video.example.org/j/2")
    pending = SessionFactory(program=program, join_url="https://video.example.org/j/3")
    dropped = SessionFactory(program=program, join_url="https://video.example.org/j/4")
    declined = SessionFactory(program=program, join_url="https://video.example.org/j/5")
    called_off = SessionFactory(program=program, join_url="https://video.example.org/j/6")
    not_mine = SessionFactory(program=program, join_url="https://video.example.org/j/7")
    register(person, confirmed, Status.CONFIRMED)
    register(person, waitlisted, Status.WAITLISTED)
    register(person, pending, Status.PENDING)
    register(person, dropped, Status.CANCELLED)
    register(person, declined, Status.DECLINED)
    register(person, called_off, Status.CONFIRMED)
    register(UserFactory(), not_mine, Status.CONFIRMED)
    program_services.cancel_session(called_off, by=network.coordinator)

    response = personal_feed(person)
    calendar = parse(response)
    events = {str(e["UID"]): e for e in calendar.events}
    assert set(events) == {
        f"session-{s.pk}@echohub" for s in (confirmed, waitlisted, pending, called_off)
    }
    body = response.content.decode()
    assert [s.join_url in body for s in (confirmed, waitlisted, pending, called_off)] == [
        True,
        False,
        False,
        False,
    ]
    assert "https://video.example.org/j/4" not in body
    assert "https://video.example.org/j/7" not in body
    status = {uid: str(e["STATUS"]) for uid, e in events.items()}
    assert status[f"session-{called_off.pk}@echohub"] == "CANCELLED"
    assert status[f"session-{confirmed.pk}@echohub"] == "CONFIRMED"
    assert response["Content-Disposition"] == 'attachment; filename="echohub.ics"'
    assert "no-store" in response["Cache-Control"]
    assert str(calendar["X-WR-CALNAME"]) == "EchoHub — Sessions"


def test_the_personal_feed_leaves_out_draft_programs(network: Network) -> None:
    register(network.participant, SessionFactory(program=network.draft))
    assert parse(personal_feed(network.participant)).events == []


def test_the_personal_feed_is_in_the_persons_language(network: Network) -> None:
    person = UserFactory(preferred_language=User.Language.FR)
    register(person, network.session)
    only_english = SessionFactory(program=network.program, title_en="English only", title_fr="")
    register(person, only_english)
    # The address's language prefix does not matter: the person's preference does.
    calendar = parse(personal_feed(person))
    titles = {str(e["UID"]): str(e["SUMMARY"]) for e in calendar.events}
    assert titles == {
        f"session-{network.session.pk}@echohub": network.session.title_fr,
        f"session-{only_english.pk}@echohub": "English only",
    }
    assert str(calendar["X-WR-CALNAME"]) == "EchoHub — Séances"


def test_a_wrong_token_is_a_bare_not_found(network: Network) -> None:
    person = network.participant
    register(person, network.session)
    real = feed_token_for(person).token
    for token in ("not-a-token", real[:-1], real + "x", real.upper()):
        if token == real:
            continue
        response = Client().get(url("personal_feed", token=token))
        assert response.status_code == 404
        body = response.content.decode()
        assert body == "Not found.\n"
        assert token not in body
        assert network.session.title_en not in body


def test_the_token_is_stable_until_reset(network: Network) -> None:
    person = network.participant
    register(person, network.session)
    first = feed_token_for(person)
    assert feed_token_for(person).token == first.token
    assert len(first.token) >= 43
    assert CalendarToken.objects.filter(person=person).count() == 1
    new = reset_feed_token(person)
    assert new.token != first.token
    assert CalendarToken.objects.filter(person=person).count() == 1
    old = Client().get(url("personal_feed", token=first.token))
    assert old.status_code == 404
    assert len(parse(personal_feed(person)).events) == 1


def test_a_deactivated_persons_feed_is_not_found(network: Network) -> None:
    person = network.participant
    token = feed_token_for(person).token
    person.is_active = False
    person.save()
    assert Client().get(url("personal_feed", token=token)).status_code == 404


def test_the_feeds_only_answer_reads(network: Network) -> None:
    token = feed_token_for(network.participant).token
    assert Client().post(url("personal_feed", token=token)).status_code == 405
    assert Client().post(url("session_ics", pk=network.session.pk)).status_code == 405
