"""The library, tried as a new user would: a French-speaking nurse searches "dyspnée", lands on
the moment of a recording where it is said, and follows a protocol that then changes.

The starting world (hub, program with a past session, coordinator, the nurse, a public
recording with its transcript, a public protocol, another program's members-only recording)
is made through the library's services; every step after that is clicks and typing in a real
Chromium, on French pages (/fr/). The library's French wording is still being written, so the
assertions read data (titles, transcript lines, addresses, element ids), not interface text.
"""

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from echohub.accounts.models import User
from echohub.library import notifications, services
from echohub.library.models import Follow, Resource
from echohub.network.models import StaffRole
from echohub.outreach.models import OutboxMessage
from echohub.programs.models import Program
from echohub.reference.models import Topic
from echohub.registration.models import Registration
from tests.browser.conftest import doc_screenshot, log_in, url
from tests.factories import (
    HubFactory,
    ProgramFactory,
    SessionFactory,
    StaffRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

ZONE = "America/Toronto"

VIMEO = "https://vimeo.com/123456789"
PLAYER_AT_95 = "https://player.vimeo.com/video/123456789#t=95s"
SAID_AT_95 = "La dyspnée répond bien aux petites doses d'opioïdes."
# The transcript of the public recording: "dyspnée" is said at 00:01:35 (95 s), with lines
# before and after it, one of them in English.
TRANSCRIPT = f"""WEBVTT

1
00:00:05.000 --> 00:00:09.000
Dr. Anne Roy: Bonjour à toutes et à tous, bienvenue.

2
00:00:42.000 --> 00:00:48.000
Dr. Anne Roy: Parlons d'abord de l'anxiété des proches.

3
00:01:35.000 --> 00:01:41.000
Dr. Anne Roy: {SAID_AT_95}

4
00:02:10.000 --> 00:02:16.000
Dr. Mark Lee: In English we call it dyspnea; a fan on the face helps too.
"""
HIDDEN_TRANSCRIPT = """WEBVTT

00:00:10.000 --> 00:00:15.000
Dr. Anne Roy: Une dyspnée réfractaire malgré la morphine.
"""
PROTOCOL_TEXT = (
    "Crise de dyspnée en fin de vie.\n"
    "Morphine 2,5 mg SC aux 30 minutes au besoin.\n"
    "Midazolam 1 mg SC si l'anxiété persiste."
)
NEW_PROTOCOL_TEXT = (
    "Crise de dyspnée en fin de vie.\n"
    "Morphine 2,5 mg SC aux 15 minutes au besoin.\n"
    "Midazolam 1 mg SC si l'anxiété persiste."
)
CHANGES_FR = "La morphine peut être redonnée aux 15 minutes."


@dataclass
class World:
    program: Program
    nurse: User
    coordinator: User
    recording: Resource
    protocol: Resource
    hidden: Resource


def _resource(by: User, topics: list[Topic], **fields) -> Resource:
    return services.save_resource(
        Resource(**fields), by=by, topics=topics, professions=[], practice_settings=[]
    )


def make_world() -> World:
    hub = HubFactory(
        slug="quebec",
        name_en="Quebec Palliative Care Hub",
        name_fr="Carrefour québécois des soins palliatifs",
    )
    program = ProgramFactory(
        hub=hub,
        slug="soins-palliatifs",
        title_en="Palliative care at home",
        title_fr="Soins palliatifs à domicile",
    )
    past = SessionFactory(
        program=program,
        title_en="Breathlessness",
        title_fr="L'essoufflement",
        starts_at=timezone.now() - dt.timedelta(days=14),
    )
    other = ProgramFactory(
        hub=hub,
        slug="cas-complexes",
        title_en="Complex cases",
        title_fr="Cas complexes",
    )
    coordinator = StaffRoleFactory(
        hub=hub,
        role=StaffRole.Role.COORDINATOR,
        person__name="Camille Roy",
        person__email="camille@example.org",
    ).person
    nurse = UserFactory(name="Élise Gagnon", email="elise@example.org", preferred_language="fr")
    # She attended the past session: a member of that program, not of the other one.
    Registration.objects.create(session=past, person=nurse, status=Registration.Status.CONFIRMED)
    for person in (nurse, coordinator):
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)

    dyspnea = [Topic.objects.get(code="dyspnea")]
    recording = _resource(
        coordinator,
        dyspnea,
        hub=hub,
        kind=Resource.Kind.RECORDING,
        title_en="Breathlessness at the end of life",
        title_fr="L'essoufflement en fin de vie",
        description_fr="Enregistrement de la séance sur l'essoufflement.",
        language=Resource.Language.BOTH,
        program=program,
        session=past,
        url=VIMEO,
    )
    assert services.attach_transcript(recording, TRANSCRIPT.encode(), by=coordinator) == 4
    protocol = _resource(
        coordinator,
        dyspnea,
        hub=hub,
        kind=Resource.Kind.PROTOCOL,
        title_en="Dyspnea crisis",
        title_fr="Crise de dyspnée",
        language=Resource.Language.FR,
        text=PROTOCOL_TEXT,
    )
    hidden = _resource(
        coordinator,
        dyspnea,
        hub=hub,
        kind=Resource.Kind.RECORDING,
        title_en="Refractory dyspnea: hard cases",
        title_fr="Dyspnée réfractaire : cas difficiles",
        language=Resource.Language.FR,
        program=other,
        visibility=Resource.Visibility.MEMBERS,
        url="https://vimeo.com/987654321",
    )
    services.attach_transcript(hidden, HIDDEN_TRANSCRIPT.encode(), by=coordinator)
    return World(program, nurse, coordinator, recording, protocol, hidden)


def only_the_live_server(context: BrowserContext, base: str) -> None:
    """No request leaves the machine: the Vimeo iframe is checked by its address only."""
    context.route(
        re.compile(r"^(?!" + re.escape(base) + r")https?://"), lambda route: route.abort()
    )


def search_path(words: str) -> str:
    return url("library:index", "fr") + "?q=" + quote(words)


def result_links(page: Page) -> set[str]:
    """The addresses the results list links to, once it has rendered."""
    expect(page.locator("#results li.card").first).to_be_visible()
    links = page.locator("#results li.card h2 a")
    return {links.nth(i).get_attribute("href") or "" for i in range(links.count())}


@dataclass
class Addresses:
    recording: str
    at_95: str
    protocol: str
    hidden: str


def addresses(world: World) -> Addresses:
    recording = url("library:resource", "fr", key=world.recording.key)
    return Addresses(
        recording=recording,
        at_95=f"{recording}?t=95#t95",
        protocol=url("library:resource", "fr", key=world.protocol.key),
        hidden=url("library:resource", "fr", key=world.hidden.key),
    )


def assert_the_dyspnea_hits(page: Page, world: World, where: Addresses) -> set[str]:
    """The transcript line at 95 s and the protocol are found, the word is marked, and the
    other program's members-only recording is nowhere."""
    links = result_links(page)
    assert where.at_95 in links, links
    assert where.protocol in links, links
    assert not any(link.startswith(where.hidden) for link in links), links
    results = page.locator("#results")
    moment = results.locator("li.card", has=page.locator(f'a[href="{where.at_95}"]'))
    expect(moment.locator("h2")).to_have_text(world.recording.title_fr)
    expect(moment).to_contain_text(SAID_AT_95)
    expect(moment.locator("mark")).to_have_text("dyspnée")
    protocol = results.locator("li.card", has=page.locator(f'a[href="{where.protocol}"]'))
    expect(protocol.locator("h2 mark")).to_have_text("dyspnée")
    expect(results).not_to_contain_text(world.hidden.title_fr)
    expect(results).not_to_contain_text("réfractaire")
    return links


def test_a_nurse_finds_the_moment_dyspnee_is_said_and_follows_the_protocol(browser_live, contexts):
    world = make_world()
    base = browser_live.url
    where = addresses(world)
    context = contexts(locale="fr-CA", timezone_id=ZONE)
    only_the_live_server(context, base)
    page = context.new_page()
    log_in(page, base, world.nurse, "fr")

    # 1. From the navigation to the library; she searches "dyspnée".
    page.locator(".main-nav").get_by_role("link", name="Bibliothèque", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(url("library:index", "fr")) + "$"))
    page.locator("#library-search #id_q").fill("dyspnée")
    page.locator("#library-search button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"[?&]q=dyspn%C3%A9e(&|$)"))
    expect(page.locator("#library-search #id_q")).to_have_value("dyspnée")
    found = assert_the_dyspnea_hits(page, world, where)
    # The filters stay unfolded after a search, which pushes the results below the fold
    # at 1280×900: show the results, with the search button above them.
    page.locator("#library-search button[type=submit]").evaluate(
        "button => button.scrollIntoView({block: 'start'})"
    )
    expect(page.locator("#results mark").first).to_be_in_viewport()
    doc_screenshot(page, "library-search")
    # Not by its address either.
    response = page.goto(base + where.hidden)
    assert response is not None
    assert response.status == 404
    page.go_back()
    expect(page).to_have_url(re.compile(r"[?&]q=dyspn%C3%A9e(&|$)"))

    # 2. The transcript hit opens the recording at the moment it was said.
    page.locator(f'#results a[href="{where.at_95}"]').click()
    expect(page).to_have_url(re.compile(re.escape(where.at_95) + "$"))
    expect(page.locator("h1")).to_have_text(world.recording.title_fr)
    expect(page.locator("#player iframe")).to_have_attribute("src", PLAYER_AT_95)
    expect(page.locator("#player")).to_have_attribute("data-start", "95")
    current = page.locator("#transcript li.current")
    expect(current).to_have_count(1)
    expect(current).to_have_id("t95")
    expect(current).to_contain_text(SAID_AT_95)
    expect(current.locator("a.time")).to_have_attribute("href", "?t=95#t95")
    expect(page.locator("#t5")).not_to_have_class(re.compile(r"\bcurrent\b"))

    # 3. Back to the results; she opens the protocol and follows it.
    page.go_back()
    page.locator(f'#results a[href="{where.protocol}"]').click()
    expect(page).to_have_url(re.compile(re.escape(where.protocol) + "$"))
    expect(page.locator("h1")).to_have_text(world.protocol.title_fr)
    expect(page.locator("#protocol-text")).to_contain_text("aux 30 minutes")
    follow = page.locator("form.follow button")
    expect(follow).to_have_count(1)
    expect(follow).not_to_have_attribute("name", "stop")
    follow.click()
    expect(page).to_have_url(re.compile(re.escape(where.protocol) + "$"))
    expect(page.locator("form.follow button[name=stop]")).to_be_visible()
    assert Follow.objects.filter(person=world.nurse, resource=world.protocol).count() == 1

    # The coordinator publishes version 2: the nurse alone is told, once, in French.
    version = services.add_version(
        world.protocol,
        by=world.coordinator,
        text=NEW_PROTOCOL_TEXT,
        changes_fr=CHANGES_FR,
    )
    assert version.number == 2
    [email] = OutboxMessage.objects.filter(kind="library.version")
    assert email.recipient == world.nurse
    assert email.to_email == "elise@example.org"
    assert email.language == "fr"
    assert CHANGES_FR in email.body_text
    assert where.protocol in email.body_text
    assert notifications.new_version(version.pk) == 0
    assert OutboxMessage.objects.filter(kind="library.version").count() == 1

    page.reload()
    expect(page.locator("#protocol-text")).to_contain_text("aux 15 minutes")
    expect(page.locator("#history")).to_contain_text(CHANGES_FR)
    expect(page.locator("form.follow button[name=stop]")).to_be_visible()

    # 4. Without the accent, and in the plural: the same hits.
    for words in ("dyspnee", "dyspnées"):
        page.goto(base + search_path(words))
        expect(page.locator("#library-search #id_q")).to_have_value(words)
        assert assert_the_dyspnea_hits(page, world, where) == found, words


def test_the_search_results_fit_a_phone_screen(browser_live, contexts):
    world = make_world()
    base = browser_live.url
    phone = contexts(locale="fr-CA", timezone_id=ZONE, phone=True)
    only_the_live_server(phone, base)
    page = phone.new_page()
    log_in(page, base, world.nurse, "fr")
    page.goto(base + search_path("dyspnée"))
    assert_the_dyspnea_hits(page, world, addresses(world))
    # No sideways scrolling anywhere on the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
