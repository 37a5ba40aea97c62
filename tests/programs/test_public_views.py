import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from echohub.network.models import Hub
from echohub.programs.models import Program, Session
from echohub.timezones import TZ_COOKIE
from tests.conftest import Network, client_for
from tests.factories import (
    HubFactory,
    ProgramFactory,
    SessionFactory,
    SpeakerFactory,
    UserFactory,
)


def text(response: object) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    html = response.content.decode()  # type: ignore[attr-defined]
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def text_of(html: str, element_id: str) -> str:
    """The words inside the element with this id (up to its closing </p>)."""
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</p>', html, re.S)
    assert found, f"no #{element_id} on the page"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def titles(response: object) -> list[str]:
    return [str(p.title_en) for p in response.context["page"].object_list]  # type: ignore[attr-defined]


@pytest.fixture
def catalogue(db: None) -> None:
    ontario = HubFactory(slug="on", name_en="Ontario Hub")
    quebec = HubFactory(slug="qc", name_en="Quebec Hub")
    nurses = ProgramFactory(hub=ontario, title_en="Nursing Series", languages="en")
    nurses.audience_professions.set(["registered-nurse"])
    medics = ProgramFactory(hub=ontario, title_en="Paramedic Series", languages="both")
    medics.audience_professions.set(["paramedic"])
    medics.audience_settings.set(["paramedicine"])
    bc = ProgramFactory(hub=ontario, title_en="BC Home Care", scope=Program.Scope.PROVINCIAL)
    bc.provinces.set(["BC"])
    ProgramFactory(hub=quebec, title_en="", title_fr="Série en français", languages="fr")
    ProgramFactory(hub=quebec, title_en="Draft Series", status=Program.Status.DRAFT)
    for days, program in enumerate([bc, nurses, Program.objects.get(title_en="")], start=1):
        SessionFactory(program=program, starts_at=timezone.now() + dt.timedelta(days=days))
    SessionFactory(program=medics, starts_at=timezone.now() - dt.timedelta(days=30))


def get_catalogue(**params: str) -> object:
    return Client().get(reverse("programs:catalogue"), params)


def test_catalogue_lists_published_programs_upcoming_first(catalogue: None) -> None:
    response = get_catalogue()
    assert titles(response) == ["BC Home Care", "Nursing Series", "", "Paramedic Series"]
    assert "Draft Series" not in text(response)
    assert "4 programs" in text(response)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"profession": "registered-nurse"}, ["BC Home Care", "Nursing Series", ""]),
        (
            {"profession": "paramedic", "setting": "paramedicine"},
            ["BC Home Care", "", "Paramedic Series"],
        ),
        ({"province": "ON"}, ["Nursing Series", "", "Paramedic Series"]),
        ({"province": "BC"}, ["BC Home Care", "Nursing Series", "", "Paramedic Series"]),
        ({"hub": "qc"}, [""]),
        ({"language": "fr"}, ["", "Paramedic Series"]),
        ({"language": "en"}, ["BC Home Care", "Nursing Series", "Paramedic Series"]),
        ({"when": "past"}, ["Paramedic Series"]),
        ({"when": "upcoming", "q": "nursing"}, ["Nursing Series"]),
        ({"q": "français"}, [""]),
        ({"q": "ontario"}, ["BC Home Care", "Nursing Series", "Paramedic Series"]),
    ],
)
def test_catalogue_filters(catalogue: None, params: dict[str, str], expected: list[str]) -> None:
    assert titles(get_catalogue(**params)) == expected


def test_an_unknown_filter_value_is_reported_and_not_applied(catalogue: None) -> None:
    response = get_catalogue(profession="astronaut")
    assert "Select a valid choice" in text(response)
    assert len(titles(response)) == 4


def test_the_french_catalogue_shows_french_titles_and_marks_english_fallbacks(
    catalogue: None,
) -> None:
    ProgramFactory(title_en="English Only", title_fr="")
    with translation.override("fr"):
        url = reverse("programs:catalogue")
    page = Client().get(url).content.decode()
    assert 'lang="fr"' in page
    assert "Série en français" in page
    assert '<span lang="en">English Only</span>' in page


def add_programs(count: int, hubs: list[Hub]) -> None:
    """`count` published programs, each with an audience and an upcoming session."""
    programs = Program.objects.bulk_create(
        ProgramFactory.build(hub=hubs[n % len(hubs)]) for n in range(count)
    )
    Program.audience_professions.through.objects.bulk_create(
        Program.audience_professions.through(program=program, profession_id=code)
        for program in programs
        for code in ("psw", "paramedic")
    )
    Session.objects.bulk_create(
        SessionFactory.build(
            program=program, starts_at=timezone.now() + dt.timedelta(days=n % 30 + 1)
        )
        for n, program in enumerate(programs)
    )


@pytest.mark.parametrize(
    "params", [{}, {"profession": "psw", "province": "ON", "when": "upcoming", "q": "program"}]
)
def test_catalogue_makes_as_many_queries_with_1000_programs_as_with_10(
    db: None, params: dict[str, str]
) -> None:
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(reverse("programs:catalogue"), params)
        assert len(response.context["page"].object_list) == min(
            response.context["page"].paginator.count, 20
        )
        return len(queries)

    hubs = [HubFactory() for _ in range(3)]
    add_programs(10, hubs)
    with_ten = count_queries()
    add_programs(990, [*hubs, *(HubFactory() for _ in range(3))])
    assert Program.objects.count() == 1000
    assert count_queries() == with_ten


def test_program_page_shows_audience_sessions_and_speakers(network: Network) -> None:
    network.program.audience_professions.set(["psw"])
    SpeakerFactory(session=network.session, name="Dr. Amara Okafor")
    SessionFactory(
        program=network.program,
        title_en="Grief and bereavement",
        starts_at=timezone.now() - dt.timedelta(days=14),
    )
    page = text(Client().get(reverse("programs:program", kwargs={"slug": "psw-series"})))
    assert "PSW Series" in page
    assert "Personal support worker / health care aide" in page
    assert "Run by Ontario Hub" in page
    upcoming, past = page.split("Upcoming sessions")[1].split("Past sessions")
    assert network.session.title_en in upcoming
    assert "Dr. Amara Okafor" in upcoming
    assert "Grief and bereavement" in past


def test_program_and_session_pages_make_a_fixed_number_of_queries(db: None) -> None:
    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(url).status_code == 200
        return len(queries)

    program = ProgramFactory()
    session = SessionFactory(program=program)
    SpeakerFactory(session=session)
    program_url = program.get_absolute_url()
    session_url = session.get_absolute_url()
    before = (count(program_url), count(session_url))
    add_programs(999, [program.hub])
    for _ in range(30):
        SpeakerFactory(session=SessionFactory(program=program))
    SpeakerFactory(session=session)
    assert (count(program_url), count(session_url)) == before


def test_the_front_page_names_its_sessions_speakers_in_one_query(db: None) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = Client().get(reverse("programs:home"))
        assert page.status_code == 200
        return len(queries)

    program = ProgramFactory()
    SpeakerFactory(session=SessionFactory(program=program), name="Dr. First Speaker")
    before = count()
    for n in range(7):  # the front page shows the next eight
        SpeakerFactory(session=SessionFactory(program=program), name=f"Dr. Speaker of {n}")
    assert count() == before
    assert "Dr. Speaker of 6" in text(Client().get(reverse("programs:home")))


def test_session_time_in_the_readers_zone_with_the_programs_zone_beside_it(db: None) -> None:
    program = ProgramFactory(timezone="America/Vancouver")
    session = SessionFactory(
        program=program, starts_at=dt.datetime(2031, 1, 14, 17, 0, tzinfo=dt.UTC)
    )
    client = Client()
    client.cookies[TZ_COOKIE] = "America/St_Johns"
    page = client.get(session.get_absolute_url()).content.decode()
    reader = text_of(page, "session-time")
    assert reader.startswith("Tuesday, January 14, 2031, 1:30 p.m. NST – 2:30 p.m.")
    assert "Your time zone: Newfoundland (St. John&#x27;s)" in reader
    assert text_of(page, "program-time") == (
        "In the program’s zone, Pacific (Vancouver): Tuesday, January 14, 2031, 9:00 a.m. PST"
    )


def test_session_time_in_french_reads_as_canadian_french(db: None) -> None:
    session = SessionFactory(starts_at=dt.datetime(2031, 1, 14, 17, 0, tzinfo=dt.UTC))
    with translation.override("fr"):
        url = session.get_absolute_url()
    page = Client().get(url).content.decode()
    assert text_of(page, "session-time").startswith("mardi 14 janvier 2031, 12 h 00 HNE")


def test_session_page_hides_the_join_link_from_the_public(network: Network) -> None:
    url = network.session.get_absolute_url()
    assert network.session.join_url not in Client().get(url).content.decode()
    staff = Client()
    staff.force_login(network.coordinator)
    assert network.session.join_url in staff.get(url).content.decode()


def test_home_lists_upcoming_sessions_of_published_programs(network: Network) -> None:
    SessionFactory(program=network.draft, title_en="Secret draft session")
    page = text(Client().get(reverse("programs:home")))
    assert network.session.title_en in page
    assert network.other_session.title_en in page
    assert "Secret draft session" not in page


def test_root_sends_french_browsers_to_french(db: None) -> None:
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"
    assert Client().get("/", HTTP_ACCEPT_LANGUAGE="en-CA")["Location"] == "/en/"


def test_every_page_offers_the_other_language(network: Network) -> None:
    with translation.override("en"):
        url = reverse("programs:program", kwargs={"slug": "psw-series"})
    with translation.override("fr"):
        french = reverse("programs:program", kwargs={"slug": "psw-series"})
    page = Client().get(url).content.decode()
    assert f'href="{french}" hreflang="fr" lang="fr" class="lang-switch">Français' in page


def test_catalogue_cards_show_the_start_of_the_description(db: None) -> None:
    long = "Monthly case-based learning for personal support workers in long-term care. " * 6
    ProgramFactory(title_en="PSW Series", description_en=long, description_fr="")
    english = get_catalogue().content.decode()
    assert '<p class="summary">Monthly case-based learning for personal support workers' in english
    assert long.strip() not in english  # cut short…
    assert "…" in english
    with translation.override("fr"):
        french = Client().get(reverse("programs:catalogue")).content.decode()
    # …and marked as English on the French page, as the title is.
    assert '<p class="summary"><span lang="en">Monthly case-based learning' in french


def test_a_participants_session_page_asks_no_manager_questions(network: Network) -> None:
    """The page a participant lands on after registering (issue 18): without a role,
    none of the manage, host or panel queries are built; staff still get theirs."""
    participant = UserFactory()
    url = network.session.get_absolute_url()
    reader = client_for(participant)
    reader.get(url)  # the session's first page stamps it; measured below: an ordinary one
    with CaptureQueriesContext(connection) as queries:
        page = reader.get(url).content.decode()
    asked = " ".join(query["sql"] for query in queries.captured_queries)
    assert '"programs_program"."hub_id" IN' not in asked  # "programs of hubs they manage"
    assert "cases_case" in asked
    assert "programs_programstaff" in asked
    assert len(queries) <= 13, [query["sql"][:80] for query in queries.captured_queries]
    assert network.session.join_url not in page
    assert "Edit this session" not in page
    coordinator = client_for(network.coordinator).get(url).content.decode()
    assert network.session.join_url in coordinator
    assert "Edit this session" in coordinator


def test_the_menu_offers_manage_to_hub_managers_only(network) -> None:
    manage = f'href="{reverse("programs:manage")}"'
    assert manage in client_for(network.coordinator).get(reverse("programs:home")).content.decode()
    participant = client_for(network.participant).get(reverse("programs:home")).content.decode()
    assert manage not in participant
    assert manage not in Client().get(reverse("programs:home")).content.decode()
