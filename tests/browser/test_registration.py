"""A participant waits for a seat and gets it; a coordinator writes to the registrants."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from echohub.network.models import StaffRole
from echohub.programs.models import Program
from echohub.registration import services
from echohub.registration.models import Enrolment, Registration
from tests.browser.conftest import doc_screenshot, log_in, screenshot, url
from tests.factories import (
    PASSWORD,
    ProgramFactory,
    SessionFactory,
    StaffRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser


def test_participant_joins_the_waiting_list_then_gets_the_seat(browser_live, contexts):
    session = SessionFactory(
        title_en="Delirium in the last days",
        capacity=1,
        join_url="https://video.example.org/j/7",
        starts_at=timezone.now() + dt.timedelta(minutes=10),
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
    # The session starts within the quarter hour: the room is open.
    join = page.locator("#registration").get_by_role("link", name="Join", exact=True)
    expect(join).to_have_attribute("href", "https://video.example.org/j/7")
    screenshot(page, "journey-c-registered-after-waiting")

    # Cancelling asks first, on a page of its own (no JavaScript needed).
    page.get_by_role("link", name="Cancel my registration").click()
    expect(page.locator("h1")).to_have_text("Cancel your registration")
    page.get_by_role("button", name="Yes, cancel my registration").click()
    expect(page.locator(".messages")).to_contain_text("Your registration is cancelled.")
    expect(page.locator("#registration").get_by_role("button", name="Register")).to_be_visible()


def test_visitor_on_a_cohort_session_signs_up_and_lands_back_enrolled(browser_live, contexts):
    program = ProgramFactory(
        enrolment=Program.Enrolment.COHORT, title_en="Grief circle", slug="grief-circle"
    )
    session = SessionFactory(program=program, title_en="Week 1: anticipatory grief")
    SessionFactory(program=program, title_en="Week 2: bereavement")

    page = contexts(locale="en-CA", timezone_id="America/Toronto").new_page()
    session_page = browser_live.url + url("programs:session", "en", pk=session.pk)
    page.goto(session_page)
    box = page.locator("#registration")
    expect(box).to_contain_text("enrol in the program to be registered for every session")
    box.get_by_role("button", name="Create an account and enrol").click()

    form = page.locator("#main form").filter(has=page.locator("#id_password1"))
    form.locator("#id_email").fill("maya.singh@example.org")
    form.locator("#id_name").fill("Maya Singh")
    form.locator("#id_password1").fill(PASSWORD)
    form.locator("#id_password2").fill(PASSWORD)
    form.locator("#id_privacy_consent").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Verify")
    # The confirmation link of her email, opened in the same browser.
    [confirmation] = mail.outbox
    # (The email says https, as in production; the test server speaks plain http.)
    link = re.search(r"https?://[^/\s]+(/\S+/confirm-email/\S+)", confirmation.body)
    assert link, confirmation.body
    page.goto(browser_live.url + link.group(1))
    page.locator("#main form button[type=submit]").click()

    # Back on the session's page, enrolled: registered for this session and the next.
    expect(page).to_have_url(session_page)
    expect(page.locator(".messages")).to_contain_text(
        "You are enrolled: you are registered for every session."
    )
    expect(page.locator("#registration")).to_contain_text("You are registered.")
    expect(page.locator("#registration")).to_contain_text(
        "You are registered through your enrolment in the program."
    )
    screenshot(page, "journey-cohort-enrolled-after-sign-up")
    enrolment = Enrolment.objects.get(person__email="maya.singh@example.org")
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert enrolment.person.registrations.filter(status="confirmed").count() == 2


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
    doc_screenshot(page, "message-phone-fr")
    [email] = mail.outbox
    assert email.to == [reader.email]
    assert email.subject == "Lecture avant jeudi"


def test_my_sessions_on_a_phone_joins_cancels_after_asking_and_lists_past_ones(
    browser_live, contexts
):
    person = UserFactory(name="Noor Haddad")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    now_on = SessionFactory(
        title_en="Mouth care at the end of life",
        join_url="https://video.example.org/j/88",
        starts_at=timezone.now() + dt.timedelta(minutes=5),
    )
    later = SessionFactory(
        title_en="Talking about prognosis", starts_at=timezone.now() + dt.timedelta(days=3)
    )
    held = SessionFactory(
        title_en="Pressure injuries", starts_at=timezone.now() - dt.timedelta(days=7)
    )
    services.register(person, now_on)
    services.register(person, later)
    Registration.objects.create(session=held, person=person, status="confirmed")

    page = contexts(locale="en-CA", timezone_id="America/Toronto", phone=True).new_page()
    log_in(page, browser_live.url, person)
    page.goto(browser_live.url + url("registration:mine", "en"))
    upcoming = page.locator("#my-sessions > li")
    expect(upcoming).to_have_count(2)
    expect(upcoming.first.get_by_role("link", name="Join", exact=True)).to_have_attribute(
        "href", "https://video.example.org/j/88"
    )
    expect(upcoming.nth(1)).to_contain_text("The room opens at")
    expect(page.locator("#my-past-sessions")).to_contain_text("Pressure injuries")
    expect(page.locator("#my-past-sessions")).to_contain_text("Ended")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "my-sessions-phone")
    doc_screenshot(page, "my-sessions-phone")

    upcoming.nth(1).get_by_role("link", name="Cancel my registration").click()
    page.get_by_role("button", name="Yes, cancel my registration").click()
    expect(page.locator(".messages")).to_contain_text("Your registration is cancelled.")
    expect(page.locator("#my-sessions > li")).to_have_count(1)
    assert Registration.objects.get(session=later, person=person).status == "cancelled"
