"""A participant waits for a seat and gets it; a coordinator writes to the registrants."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import expect

from echohub.network.models import StaffRole
from echohub.registration import services
from tests.browser.conftest import screenshot, url
from tests.factories import PASSWORD, SessionFactory, StaffRoleFactory, UserFactory

pytestmark = pytest.mark.browser


def test_participant_joins_the_waiting_list_then_gets_the_seat(browser_live, contexts):
    session = SessionFactory(
        title_en="Delirium in the last days", capacity=1, join_url="https://video.example.org/j/7"
    )
    first = UserFactory()
    seat = services.register(first, session)
    person = UserFactory(name="Aroha Ngata")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)

    page = contexts(locale="en-CA", timezone_id="America/Winnipeg").new_page()
    session_page = browser_live.url + url("programs:session", "en", pk=session.pk)
    page.goto(session_page)
    box = page.locator("#registration")
    expect(box).to_contain_text("This session is full; registering puts you on the waiting list.")
    box.get_by_role("button", name="Log in to register").click()

    form = page.locator("#main form").filter(has=page.locator("#id_password"))
    form.locator("#id_login").fill(person.email)
    form.locator("#id_password").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    # Back on the session's page, already on the waiting list.
    expect(page.locator(".messages")).to_contain_text("you are on the waiting list")
    expect(page.locator("#registration")).to_contain_text(
        "You are on the waiting list (position 1)."
    )
    expect(page.locator("#registration")).not_to_contain_text("video.example.org")

    services.cancel(seat, by=first)  # someone else cancels: the seat is hers
    page.reload()
    expect(page.locator("#registration")).to_contain_text("You are registered.")
    expect(page.get_by_role("link", name="https://video.example.org/j/7")).to_be_visible()
    screenshot(page, "journey-c-registered-after-waiting")

    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.locator(".messages")).to_contain_text("Your registration is cancelled.")
    expect(page.locator("#registration").get_by_role("button", name="Register")).to_be_visible()


def test_coordinator_writes_to_registrants_from_a_phone_in_french(browser_live, contexts):
    session = SessionFactory(title_en="Dyspnea", title_fr="Dyspnée", capacity=10)
    coordinator = StaffRoleFactory(
        hub=session.program.hub, role=StaffRole.Role.COORDINATOR, person__name="Camille Roy"
    ).person
    coordinator.preferred_language = "fr"
    coordinator.save()
    EmailAddress.objects.create(
        user=coordinator, email=coordinator.email, verified=True, primary=True
    )
    reader = UserFactory(name="Léa Gagnon", preferred_language="fr")
    services.register(reader, session)
    mail.outbox.clear()

    page = contexts(locale="fr-CA", timezone_id="America/Moncton").new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(browser_live.url + url("account_login", "fr"))
    form = page.locator("#main form").filter(has=page.locator("#id_password"))
    form.locator("#id_login").fill(coordinator.email)
    form.locator("#id_password").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.goto(browser_live.url + url("registration:registrants", "fr", pk=session.pk))
    page.get_by_role("link", name="Écrire aux personnes inscrites").click()

    page.get_by_label("objet (français)").fill("Lecture avant jeudi")
    page.get_by_label("message (français)").fill("Veuillez lire le cas.")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator(".messages")).to_contain_text("Votre message part vers 1 personne.")
    page.reload()
    expect(page.locator("#history")).to_contain_text("1 sur 1 envoyés")
    screenshot(page, "coordinator-message-phone-fr")
    [email] = mail.outbox
    assert email.to == [reader.email]
    assert email.subject == "Lecture avant jeudi"
