"""A case, tried as a new user would: a nurse presents it, the hub reviews and schedules it,
the facilitator sends recommendations after the session, and the nurse reads them.

The starting world (hub, program, an upcoming session the nurse is registered for, the
hub's coordinator and facilitator) is made in the database; every step after that is
clicks and typing in a real Chromium. The pages are English (/en/), so the test does not
depend on the French translations.
"""

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import Page, expect

from echohub.accounts.models import User
from echohub.cases.models import Case
from echohub.network.models import StaffRole
from echohub.outreach.models import OutboxMessage
from echohub.programs.models import Program, ProgramStaff, Session
from echohub.registration.models import Registration
from tests.browser.conftest import doc_screenshot, log_in, open_menu, url
from tests.factories import (
    HubFactory,
    ProgramFactory,
    SessionFactory,
    StaffRoleFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

ZONE = "America/Toronto"
TORONTO = zoneinfo.ZoneInfo(ZONE)

# A valid BC personal health number (MOD 11 check digit 5), invented for these tests.
HEALTH_CARD = "9698 658 215"
SYMPTOMS_CLEAN = "Pain 8/10, PPS 40%."
SYMPTOMS_WITH_CARD = f"{SYMPTOMS_CLEAN} PHN {HEALTH_CARD}."
QUESTION = "How should we adjust her opioid, and when should we start a subcutaneous infusion?"
RECOMMENDATIONS = (
    "Rotate from oral morphine to subcutaneous hydromorphone 0.5 mg q4h, with 0.25 mg q1h PRN.\n"
    "Start a CSCI if she needs more than three breakthrough doses a day."
)


@dataclass
class World:
    program: Program
    session: Session
    nurse: User
    coordinator: User
    facilitator: User


def make_world() -> World:
    hub = HubFactory(
        slug="pacific",
        name_en="Pacific Palliative Care Hub",
        name_fr="Carrefour des soins palliatifs du Pacifique",
    )
    program = ProgramFactory(
        hub=hub,
        slug="palliative-home-care",
        title_en="Palliative care at home",
        title_fr="Soins palliatifs à domicile",
    )
    session = SessionFactory(
        program=program,
        title_en="Pain crises at home",
        title_fr="Crises de douleur à domicile",
        starts_at=timezone.now() + dt.timedelta(days=7),
    )
    nurse = UserFactory(name="Nora Campbell", email="nora@example.org")
    Registration.objects.create(session=session, person=nurse, status=Registration.Status.CONFIRMED)
    coordinator = StaffRoleFactory(
        hub=hub,
        role=StaffRole.Role.COORDINATOR,
        person__name="Camille Roy",
        person__email="camille@example.org",
    ).person
    facilitator = StaffRoleFactory(
        hub=hub,
        role=StaffRole.Role.FACILITATOR,
        person__name="Farah Haddad",
        person__email="farah@example.org",
    ).person
    ProgramStaff.objects.create(
        program=program, person=facilitator, role=ProgramStaff.Role.FACILITATOR
    )
    for person in (nurse, coordinator, facilitator):
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return World(program, session, nurse, coordinator, facilitator)


def present_a_case_with_a_health_card_number(page: Page, world: World) -> None:
    """Step 1: from the navigation to a draft that holds a health card number."""
    mine = url("cases:mine", "en")
    open_menu(page)
    page.locator(f'.main-nav a[href="{mine}"]').click()
    expect(page).to_have_url(re.compile(re.escape(mine) + "$"))
    expect(page.locator("h1")).to_have_text("My cases")
    expect(page.locator("#main")).to_contain_text("You have not presented a case yet.")

    new = url("cases:new", "en", slug=world.program.slug)
    page.locator(f'#main a[href="{new}"]').click()
    expect(page).to_have_url(re.compile(re.escape(new) + "$"))
    expect(page.locator("h1")).to_have_text("Present a case")

    form = page.locator("#case-form")
    form.get_by_label("Short title").fill("Breakthrough pain at home")
    form.get_by_label("Age band").select_option(label="80 to 89")
    form.get_by_role("radio", name="Female", exact=True).check()
    form.get_by_role("radio", name="Home and community care").check()
    form.get_by_label("Primary diagnosis").fill("Metastatic pancreatic cancer")
    form.get_by_label("Symptoms and scores").fill(SYMPTOMS_WITH_CARD)
    form.get_by_role("button", name="Save draft").click()

    expect(page.locator("#findings-summary")).to_contain_text("Nothing was saved")
    findings = page.locator('.findings[data-field="q_symptoms"]')
    expect(findings.locator("mark.finding")).to_have_text(HEALTH_CARD)
    expect(findings.locator(".finding-kind")).to_have_text("[health card number]")
    expect(findings).to_contain_text(SYMPTOMS_CLEAN)
    # What she wrote is still there to correct, and nothing reached the database.
    expect(form.get_by_label("Symptoms and scores")).to_have_value(SYMPTOMS_WITH_CARD)
    expect(form.get_by_label("Primary diagnosis")).to_have_value("Metastatic pancreatic cancer")
    assert not Case.objects.exists()


def test_a_case_from_the_nurses_draft_to_the_hubs_recommendations(browser_live, contexts):
    world = make_world()
    base = browser_live.url

    # 1. The nurse writes a case; the gate catches a health card number in it.
    nurse = contexts(locale="en-CA", timezone_id=ZONE).new_page()
    log_in(nurse, base, world.nurse)
    present_a_case_with_a_health_card_number(nurse, world)
    nurse.locator("mark.finding").scroll_into_view_if_needed()
    doc_screenshot(nurse, "case-finding")

    # 2. She rewrites without the number, asks her question and submits.
    form = nurse.locator("#case-form")
    form.get_by_label("Symptoms and scores").fill(SYMPTOMS_CLEAN)
    form.get_by_label("Your question for the hub").fill(QUESTION)
    form.get_by_role("checkbox", name=re.compile("this case holds no identifying")).check()
    form.get_by_role("button", name="Submit to the hub").click()

    expect(nurse.locator(".messages")).to_contain_text("Case submitted: the hub will review it.")
    expect(nurse.locator("h1")).to_have_text("Case 1 · Breakthrough pain at home")
    expect(nurse.locator("#case-status")).to_have_text("Submitted")
    answers = nurse.locator("#case-answers")
    expect(answers).to_contain_text(SYMPTOMS_CLEAN)
    expect(answers).to_contain_text(QUESTION)
    expect(answers).not_to_contain_text(HEALTH_CARD)
    case = Case.objects.get()
    assert case.status == Case.Status.SUBMITTED
    assert case.presenter == world.nurse
    assert HEALTH_CARD not in case.search_text
    case_path = url("cases:detail", "en", public_id=case.public_id)

    # 3. The coordinator accepts the case and schedules it into the session.
    coordinator = contexts(locale="en-CA", timezone_id=ZONE).new_page()
    log_in(coordinator, base, world.coordinator)
    coordinator.goto(base + url("cases:manage", "en", slug=world.program.slug))
    expect(coordinator.locator("h1")).to_have_text("Cases")
    coordinator.locator("#to-review").get_by_role(
        "link", name="Case 1 · Breakthrough pain at home"
    ).click()
    expect(coordinator).to_have_url(re.compile(re.escape(case_path) + "$"))
    review = coordinator.locator("#review")
    review.get_by_label("Accept", exact=True).check()
    review.get_by_role("button", name="Save the decision").click()
    expect(coordinator.locator(".messages")).to_contain_text("Decision saved")
    expect(coordinator.locator("#case-status")).to_have_text("Accepted")

    session_option = coordinator.locator("#schedule-session option", has_text="Pain crises at home")
    review.get_by_label("Present in the session").select_option(
        session_option.get_attribute("value")
    )
    review.get_by_role("button", name="Schedule", exact=True).click()
    expect(coordinator.locator(".messages")).to_contain_text("Case scheduled in slot 1.")
    expect(coordinator.locator("#case-status")).to_have_text("Accepted")
    status_line = coordinator.locator("p", has=coordinator.locator("#case-status"))
    expect(status_line).to_contain_text("Pain crises at home")
    expect(status_line).to_contain_text("slot 1")
    case.refresh_from_db()
    assert (case.status, case.session, case.slot) == (Case.Status.ACCEPTED, world.session, 1)

    # 4. The session has been held: its start is moved an hour into the past, as if the
    # week had gone by. Then the facilitator writes and sends the recommendations.
    Session.objects.filter(pk=world.session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1)
    )
    follow_up = dt.datetime.now(TORONTO).date() + dt.timedelta(days=28)
    facilitator = contexts(locale="en-CA", timezone_id=ZONE).new_page()
    log_in(facilitator, base, world.facilitator)
    facilitator.goto(base + url("cases:manage", "en", slug=world.program.slug))
    facilitator.locator("#scheduled").get_by_role(
        "link", name="Case 1 · Breakthrough pain at home"
    ).click()
    expect(facilitator).to_have_url(re.compile(re.escape(case_path) + "$"))
    writing = facilitator.locator("#write-recommendations")
    expect(writing).not_to_contain_text("The recommendations are written after the session")
    recommendations_form = facilitator.locator("#recommendations-form")
    recommendations_form.get_by_label("Recommendations").fill(RECOMMENDATIONS)
    recommendations_form.get_by_label("Offered follow-up date").fill(follow_up.isoformat())
    recommendations_form.get_by_role("button", name="Send to the presenter").click()
    expect(facilitator.locator(".messages")).to_contain_text(
        "Recommendations sent to the presenter."
    )

    [email] = OutboxMessage.objects.filter(kind="cases.recommendations")
    assert email.to_email == "nora@example.org"
    assert email.recipient == world.nurse
    assert case_path in email.body_text
    assert "hydromorphone" not in email.body_text  # a link, never the text
    assert "hydromorphone" not in email.body_html

    # 5. The nurse follows the link in her email. It is built on SITE_URL, which is not
    # the live server's address: keep its path.
    link = re.search(r"https?://\S+/cases/[\w-]+/", email.body_text)
    assert link is not None, email.body_text
    path = urlsplit(link.group()).path
    assert path == case_path
    nurse.goto(base + path)
    recommendations = nurse.locator("#recommendations")
    expect(recommendations.get_by_role("heading")).to_have_text("Recommendations from the hub")
    expect(recommendations).to_contain_text(RECOMMENDATIONS.splitlines()[0])
    expect(recommendations).to_contain_text(RECOMMENDATIONS.splitlines()[1])
    expect(recommendations).to_contain_text(
        f"Follow-up offered on {follow_up:%A, %B} {follow_up.day}, {follow_up.year}."
    )
    expect(nurse.locator("#case-status")).to_have_text("Accepted")
    recommendations.scroll_into_view_if_needed()
    doc_screenshot(nurse, "case-recommendations")

    nurse.locator(f'.main-nav a[href="{url("cases:mine", "en")}"]').click()
    expect(nurse.locator("#my-cases")).to_contain_text("Recommendations received")


def test_the_marked_finding_fits_a_phone_screen(browser_live, contexts):
    world = make_world()
    page = contexts(locale="en-CA", timezone_id=ZONE, phone=True).new_page()
    log_in(page, browser_live.url, world.nurse)
    present_a_case_with_a_health_card_number(page, world)

    mark = page.locator("mark.finding")
    mark.scroll_into_view_if_needed()
    expect(mark).to_be_in_viewport()
    box = mark.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    kind = page.locator(".finding-kind")
    kind_box = kind.bounding_box()
    assert kind_box is not None
    assert kind_box["x"] + kind_box["width"] <= 390
    # No sideways scrolling anywhere on the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_on_a_phone_a_possible_name_is_confirmed_not_an_identifier_and_the_hub_sees_it(
    browser_live, contexts
):
    world = make_world()
    page = contexts(locale="en-CA", timezone_id=ZONE, phone=True).new_page()
    log_in(page, browser_live.url, world.nurse)
    page.goto(browser_live.url + url("cases:new", "en", slug=world.program.slug))
    form = page.locator("#case-form")
    form.get_by_label("Short title").fill("Breakthrough pain at home")
    form.get_by_label("Primary diagnosis").fill("Metastatic pancreatic cancer")
    # A pump's lot number: long, with no cue, so only possibly an identifier.
    form.get_by_label("Symptoms and scores").fill("Pump lot 48213977 replaced. Pain 8/10.")
    form.get_by_role("button", name="Save draft").click()

    findings = page.locator('.findings[data-field="q_symptoms"]')
    expect(findings.locator("mark.finding")).to_have_text("48213977")
    box = findings.get_by_label("“48213977” is not an identifier")
    box.scroll_into_view_if_needed()
    expect(box).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box.check()
    form.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text("Draft saved")
    case = Case.objects.get()
    assert case.confirmed == [["answers.symptoms", "identifier", 9, 17]]

    case.status = Case.Status.SUBMITTED
    case.save()
    hub = contexts(locale="en-CA", timezone_id=ZONE).new_page()
    log_in(hub, browser_live.url, world.coordinator)
    hub.goto(browser_live.url + case.get_absolute_url())
    confirmed = hub.locator("#confirmed-spans")
    expect(confirmed.locator("mark.finding.confirmed")).to_have_text("48213977")
    expect(confirmed).to_contain_text("confirmed not an identifier")
