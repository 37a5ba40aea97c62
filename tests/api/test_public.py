"""What the public operations answer: the fields, both languages, UTC, the catalogue's
filters, cursors, and the same queries for a page of 5 as of 100."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from echohub.certificates import services as certificate_services
from echohub.programs.models import Program, Session
from tests.api.conftest import People, api_client, certificate
from tests.conftest import Network
from tests.factories import ProgramFactory, SessionFactory, SpeakerFactory, UserFactory


def test_a_session_in_both_languages_and_utc(network: Network) -> None:
    session = network.session
    session.starts_at = dt.datetime(2027, 3, 4, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    session.save()
    SpeakerFactory(session=session, name="Dr. Rosa Diaz", affiliation="Sudbury FHT")
    body = api_client().get(f"/api/v1/sessions/{session.pk}/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert body["starts_at"] == "2027-03-04T17:30:00Z"
    assert body["ends_at"] == "2027-03-04T18:30:00Z"
    assert body["title"] == {"en": session.title_en, "fr": session.title_fr}
    assert body["program"] == "psw-series"
    assert body["hub"] == "ontario"
    assert body["speakers"] == [
        {
            "name": "Dr. Rosa Diaz",
            "affiliation": "Sudbury FHT",
            "bio": {"en": "Palliative care physician.", "fr": "Médecin en soins palliatifs."},
        }
    ]
    assert body["page"] == {
        "en": f"http://testserver/en/sessions/{session.pk}/",
        "fr": f"http://testserver/fr/seances/{session.pk}/",
    }
    # The join link is for confirmed registrants, on their own pages: never here.
    assert "join" not in str(body)
    assert "video.example.org" not in str(body)


def test_programs_are_listed_as_the_catalogue_lists_them(network: Network) -> None:
    unlisted = ProgramFactory(hub=network.hub, slug="by-link", access=Program.Access.UNLISTED)
    invited = ProgramFactory(hub=network.hub, slug="circle", access=Program.Access.INVITATION)
    slugs = [row["slug"] for row in api_client().get("/api/v1/programs/").json()["results"]]
    assert slugs == ["psw-series", "west-series"]  # by slug: a cursor needs a steady order
    # An unlisted program is reached by its address, as its page is; one by invitation is not.
    assert api_client().get(f"/api/v1/programs/{unlisted.slug}/").status_code == 200
    assert api_client().get(f"/api/v1/programs/{invited.slug}/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hub=ontario", ["psw-series"]),
        ("province=QC", ["psw-series", "quebec-only"]),
        ("province=ON", ["psw-series"]),
        ("q=palliative%20psw", ["psw-series"]),
        ("language=fr", ["quebec-only"]),
        ("when=upcoming", ["psw-series", "quebec-only"]),
    ],
)
def test_the_catalogue_filters(network: Network, query: str, expected: list[str]) -> None:
    network.program.description_en = "Palliative care for the PSW"
    network.program.save()
    network.other_program.delete_sessions = Session.objects.filter(
        program=network.other_program
    ).update(starts_at=timezone.now() - dt.timedelta(days=3))
    quebec = ProgramFactory(
        hub=network.other_hub,
        slug="quebec-only",
        scope=Program.Scope.PROVINCIAL,
        languages=Program.Languages.FR,
    )
    quebec.provinces.set(["QC"])
    SessionFactory(program=quebec)
    network.other_program.scope = Program.Scope.PROVINCIAL
    network.other_program.save()
    network.other_program.provinces.set(["BC"])
    body = api_client().get(f"/api/v1/programs/?{query}").json()
    assert [row["slug"] for row in body["results"]] == expected


def test_a_filter_that_names_nothing_is_a_problem_naming_it(network: Network) -> None:
    response = api_client().get("/api/v1/programs/?province=ZZ&when=soon")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["status"] == 400
    assert body["title"] == "Bad request"
    assert sorted(body["errors"]) == ["province", "when"]
    assert body["instance"] == "/api/v1/programs/"
    french = api_client().get("/api/v1/sessions/?starts_after=demain", HTTP_ACCEPT_LANGUAGE="fr")
    assert french.json()["errors"] == {"starts_after": ["Saisissez une date et une heure valides."]}


def test_a_month_of_sessions_walked_by_cursor(network: Network) -> None:
    start = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    made = [
        SessionFactory(program=network.program, starts_at=start + dt.timedelta(hours=7 * i))
        for i in range(130)  # 38 days: some in February
    ]
    for session in made[:40]:
        SpeakerFactory(session=session)
    january = {s.pk for s in made if s.starts_at < dt.datetime(2027, 2, 1, tzinfo=dt.UTC)}
    url = "/api/v1/sessions/?starts_after=2027-01-01T00:00:00Z&starts_before=2027-02-01T00:00:00Z"
    url += "&page_size=50"
    seen: list[int] = []
    pages = 0
    while url:
        with CaptureQueriesContext(connection) as queries:
            body = api_client().get(url).json()
        # The page and its speakers; the rate limit's counter is in the cache (Redis in
        # production, a table by default), whatever the page.
        ours = [
            q["sql"]
            for q in queries.captured_queries
            if "echohub_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]
        ]
        assert len(ours) == 2, ours
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
        pages += 1
    assert pages == 3
    assert seen == sorted(january, key=lambda pk: Session.objects.get(pk=pk).starts_at)
    assert len(seen) == len(set(seen)) == len(january)


def test_the_page_size_is_at_most_100(network: Network) -> None:
    SessionFactory.create_batch(105, program=network.program)
    body = api_client().get("/api/v1/sessions/?page_size=1000").json()
    assert len(body["results"]) == 100
    assert body["next"]


def test_a_certificate_verified_however_its_code_is_typed(network: Network) -> None:
    person = UserFactory(name="Marie Côté")
    issued = certificate(person, network.session)
    typed = issued.code.replace("-", " ").lower()
    body = api_client().get(f"/api/v1/certificates/verify/{typed}/").json()
    assert body["code"] == issued.code
    assert body["state"] == "valid"
    assert body["person_name"] == "Marie Côté"
    assert body["credits"][0]["label"] == {"en": "Hours", "fr": "Heures"}
    assert "email" not in body
    assert person.email not in str(body)
    certificate_services.revoke(issued, by=network.coordinator, reason="Wrong person")
    body = api_client().get(f"/api/v1/certificates/verify/{issued.code}/").json()
    assert body["state"] == "revoked"
    assert body["revoked_at"]
    assert "Wrong person" not in str(body)  # the reason is the hub's, not the public's


def test_registrations_read_with_their_people(
    network: Network, people: People, make_token: Any
) -> None:
    secret = make_token(network.hub, ["registrations:read"])
    body = api_client(secret).get(f"/api/v1/registrations/?session={network.session.pk}").json()
    assert body["results"] == [
        {
            "session": network.session.pk,
            "program": "psw-series",
            "person": {
                "name": "Olive Ours",
                "email": "olive.ours@example.org",
                "profession": None,
                "practice_setting": None,
                "province": None,
                "preferred_language": "en",
            },
            "status": "confirmed",
            "queued_at": body["results"][0]["queued_at"],
            "created_at": body["results"][0]["created_at"],
            "updated_at": body["results"][0]["updated_at"],
        }
    ]
    assert body["results"][0]["created_at"].endswith("Z")
    none = api_client(secret).get(f"/api/v1/registrations/?session={network.other_session.pk}")
    assert none.json()["results"] == []


@pytest.mark.parametrize(
    ("since", "status"),
    [
        ("2027-01-01T00:00:00+18:15", 200),  # ISO allows it; PostgreSQL would not: sent in UTC
        ("0082-11-23T01:20:52.5986+18:15", 200),
        ("0001-01-01T00:00:00+05:00", 400),  # before year 1 in UTC: no such time
        ("2027-02-30T00:00:00Z", 400),
    ],
)
def test_times_in_filters_are_read_in_utc(network: Network, since: str, status: int) -> None:
    answer = api_client().get("/api/v1/sessions/", {"starts_after": since})
    assert answer.status_code == status
    if status == 400:
        assert list(answer.json()["errors"]) == ["starts_after"]
