"""The coordinator's certificate page with 300 participants, and a long transcript, on a
phone 390 px wide: no page-level sideways scrolling, filters that work as plain forms."""

import datetime as dt
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import Page, expect

from echohub.accounts.models import User
from echohub.attendance.models import Attendance
from echohub.certificates import services
from echohub.certificates.models import Accreditation
from echohub.network.models import StaffRole
from tests.browser.conftest import doc_screenshot, log_in, screenshot, url
from tests.factories import SessionFactory, StaffRoleFactory, UserFactory

pytestmark = pytest.mark.browser


def fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def verified(person: User) -> User:
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return person


def test_300_participants_on_a_phone(browser_live, contexts) -> None:
    session = SessionFactory(
        title_en="Delirium at the end of life: a very long session title that wraps",
        starts_at=timezone.now() - dt.timedelta(days=2),
        duration_minutes=60,
    )
    program = session.program
    accreditation = Accreditation.objects.create(
        program=program,
        body="College of Family Physicians of Canada",
        credit_type=Accreditation.CreditType.MAINPRO_GROUP,
        credits_per_hour=Decimal("1"),
        number="MP-2026-0042",
        statement_en="Certified for up to 1 Mainpro+ credit per hour.",
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2035, 12, 31),
    )
    accreditation.professions.set(["family-physician"])
    coordinator = verified(
        StaffRoleFactory(hub=program.hub, role=StaffRole.Role.COORDINATOR).person
    )
    people = User.objects.bulk_create(
        User(
            email=f"participant{i:03d}@example.org",
            name=f"Participant {i:03d} Bergeron-Tanguay-Villeneuve",
            profession_id="registered-nurse" if i % 2 else "family-physician",
        )
        for i in range(300)
    )
    Attendance.objects.bulk_create(
        Attendance(session=session, person=p, minutes=10 if i >= 250 else 55, source="report")
        for i, p in enumerate(people)
    )
    services.issue_for_session(session, by=coordinator, people={p.pk for p in people[:100]})

    page = contexts(locale="en-CA", timezone_id="America/Toronto", phone=True).new_page()
    log_in(page, browser_live.url, coordinator)
    page.goto(browser_live.url + url("certificates:manage", "en", slug=program.slug))
    expect(page.locator("#participants tbody tr")).to_have_count(50)
    expect(page.locator(".status-links")).to_contain_text("Eligible (150)")
    assert fits(page)
    screenshot(page, "certificates-manage-phone")
    doc_screenshot(page, "certificates-manage-phone")

    # The filters are a plain GET form: eligible people whose name has "Participant 12".
    page.select_option("#filter-status", "eligible")
    page.fill("#filter-q", "participant 12")
    page.get_by_role("button", name="Show").click()
    rows = page.locator("#participants tbody tr")
    expect(rows).to_have_count(10)
    expect(rows.first).to_contain_text("Participant 120")
    assert fits(page)

    # Tick two and issue to them.
    page.locator("#participants input[type=checkbox]").nth(0).check()
    page.locator("#participants input[type=checkbox]").nth(1).check()
    page.get_by_role("button", name="Issue to those ticked").click()
    expect(page.locator(".messages")).to_contain_text("2 certificates issued.")
    assert fits(page)


def test_a_long_transcript_on_a_phone(browser_live, contexts) -> None:
    nurse = verified(UserFactory(name="Amélie Tremblay", profession_id="registered-nurse"))
    first = SessionFactory(starts_at=timezone.now() - dt.timedelta(days=40))
    program = first.program
    accreditation = Accreditation.objects.create(
        program=program,
        body="Canadian Nurses Association",
        credit_type=Accreditation.CreditType.NURSING,
        credits_per_hour=Decimal("1"),
        statement_en="Nursing continuing education hours.",
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2035, 12, 31),
    )
    accreditation.professions.set(["registered-nurse"])
    sessions = [first] + [
        SessionFactory(
            program=program,
            title_en=f"Session {n}: goals of care conversations in long-term care homes",
            starts_at=timezone.now() - dt.timedelta(days=n),
        )
        for n in range(1, 30)
    ]
    for session in sessions:
        Attendance.objects.create(session=session, person=nurse, minutes=60, source="report")
        services.issue_for_session(session, by=None)

    page = contexts(locale="en-CA", timezone_id="America/Toronto", phone=True).new_page()
    log_in(page, browser_live.url, nurse)
    page.goto(browser_live.url + url("certificates:transcript", "en"))
    expect(page.locator("#activities tbody tr")).to_have_count(30)
    expect(page.locator("#totals")).to_contain_text("Nursing continuing education hours")
    assert fits(page)
    screenshot(page, "certificates-transcript-phone")
