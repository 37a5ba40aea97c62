"""A nurse attends, gets the evaluation link by email, answers it in French on a phone and
receives her certificate; the coordinator opens the results and sees her answer counted.
The evaluation form and the results pages pass axe-core with no violation."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from echohub.accounts.models import User
from echohub.attendance.models import Attendance
from echohub.certificates.models import Accreditation, Certificate
from echohub.evaluations import services
from echohub.evaluations.delivery import send_evaluations
from echohub.evaluations.models import Phase, Response
from echohub.network.models import StaffRole
from tests.browser.conftest import assert_accessible, doc_screenshot, log_in, url
from tests.evaluations.conftest import SESSION_ANSWERS
from tests.factories import ProgramFactory, SessionFactory, StaffRoleFactory, UserFactory

pytestmark = pytest.mark.browser


def verified(person: User) -> User:
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return person


def responses_of_sessions(page: Page) -> str:
    """The count in the response-rate table's row of the session evaluation."""
    row = page.locator("table.result-table tr").filter(has_text="After a session")
    return row.locator("td").first.inner_text()


def test_a_nurse_answers_in_french_on_a_phone_and_gets_her_certificate(
    browser_live, contexts
) -> None:
    coordinator = verified(StaffRoleFactory(role=StaffRole.Role.COORDINATOR).person)
    hub = coordinator.staff_roles.get().hub
    program = ProgramFactory(
        hub=hub,
        title_en="Palliative Care in Long-Term Care",
        title_fr="Soins palliatifs en soins de longue durée",
        certificates_automatic=True,
    )
    Accreditation.objects.create(
        program=program,
        body="Canadian Nurses Association",
        credit_type=Accreditation.CreditType.HOURS,
        credits_per_hour=Decimal("1"),
        statement_en="This activity gives up to 1 hour of learning.",
        statement_fr="Cette activité donne jusqu’à 1 heure d’apprentissage.",
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2035, 12, 31),
        requires_evaluation=True,
    )
    plan = services.plan_for(program)
    plan.session_questionnaire = services.create_questionnaire(hub, "session", by=coordinator)
    services.save_plan(plan, by=coordinator)
    session = SessionFactory(
        program=program,
        title_en="Delirium in the last days",
        title_fr="Le délirium des derniers jours",
        starts_at=timezone.now() - dt.timedelta(hours=2),
    )
    # Five colleagues answered already, so the results show figures (never fewer than five).
    version = services.current_version(plan.session_questionnaire)
    for number in range(5):
        colleague = UserFactory(name=f"Colleague {number}")
        completion, _ = services.ask(
            colleague,
            program,
            Phase.SESSION,
            session=session,
            opens_at=session.ends_at,
            closes_at=session.ends_at + dt.timedelta(days=14),
        )
        varied = {"relevance": 3 + number % 3, "teaching": 2 + number % 4, "learned": 4}
        services.submit(completion, version, {**SESSION_ANSWERS, **varied})
    nurse = verified(
        UserFactory(
            name="Gabrielle Nadeau",
            preferred_language="fr",
            profession_id="registered-nurse",
            timezone="America/Toronto",
        )
    )
    Attendance.objects.create(
        session=session, person=nurse, source=Attendance.Source.REPORT, minutes=60
    )
    mail.outbox.clear()
    assert send_evaluations()["session"] == 1
    [email] = [m for m in mail.outbox if nurse.email in m.to]
    assert "Évaluation" in email.subject
    link = re.search(r"https?://\S+/fr/\S+", email.body)
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]
    assert not Certificate.objects.filter(person=nurse).exists()  # not before she answers

    phone = contexts(locale="fr-CA", timezone_id="America/Toronto", phone=True).new_page()
    phone.goto(browser_live.url + path)
    expect(phone.locator("h1")).to_contain_text("Le délirium des derniers jours")
    expect(phone.locator("#evaluation-form")).to_contain_text("La séance était pertinente")
    assert_accessible(phone)
    doc_screenshot(phone, "evaluation-phone-fr")
    form = phone.locator("#evaluation-form")
    for key in ("relevance", "teaching", "case_discussion", "learned"):
        form.locator(f"input[name=q_{key}][value='5']").check()
    form.locator("input[name=q_intend_change][value='yes']").check()
    form.locator("input[name=q_free_of_bias][value='yes']").check()
    form.locator("textarea[name=q_will_do]").fill(
        "Chercher les causes réversibles avant de traiter le délirium."
    )
    form.get_by_role("button").click()
    expect(phone.locator("#evaluation-done")).to_be_visible()
    assert Response.objects.filter(session=session).count() == 6

    # Her certificate is issued as she answers, and waits on "Mes attestations".
    assert Certificate.objects.filter(person=nurse, session=session).count() == 1
    log_in(phone, browser_live.url, nurse, lang="fr")
    phone.goto(browser_live.url + url("certificates:transcript", "fr"))
    expect(phone.locator("#main")).to_contain_text("Le délirium des derniers jours")

    desk = contexts(locale="en-CA", timezone_id="America/Toronto").new_page()
    log_in(desk, browser_live.url, coordinator)
    desk.goto(browser_live.url + url("evaluations:program_results", "en", slug=program.slug))
    expect(desk.locator("h1")).to_contain_text("Evaluation results")
    assert responses_of_sessions(desk) == "6"
    assert_accessible(desk)
    desk.locator(".result-item").first.scroll_into_view_if_needed()
    doc_screenshot(desk, "evaluation-results")
    desk.goto(browser_live.url + url("evaluations:session_results", "en", pk=session.pk))
    expect(desk.locator("#main")).to_contain_text("Delirium in the last days")
    assert_accessible(desk)
    desk.goto(browser_live.url + url("evaluations:hub_results", "en", slug=hub.slug))
    assert_accessible(desk)
    desk.goto(browser_live.url + url("evaluations:overview", "en"))
    expect(desk.locator("#main")).to_contain_text(hub.name_en)
    assert_accessible(desk)
