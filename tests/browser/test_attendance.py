"""A coordinator imports a Teams report and settles an ambiguous name; a participant
downloads the certificate that follows, and the public page confirms it."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from echohub.certificates.models import Accreditation, Certificate
from echohub.network.models import StaffRole
from echohub.registration.models import Registration
from tests.browser.conftest import doc_screenshot, screenshot, url
from tests.factories import PASSWORD, SessionFactory, StaffRoleFactory, UserFactory

pytestmark = pytest.mark.browser
TORONTO = zoneinfo.ZoneInfo("America/Toronto")


def log_in(page, base: str, person) -> None:
    page.goto(base + url("account_login", "en"))
    form = page.locator("#main form").filter(has=page.locator("#id_password"))
    form.locator("#id_login").fill(person.email)
    form.locator("#id_password").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def teams_report(day: dt.date) -> bytes:
    stamp = day.strftime("%d/%m/%Y")
    return (
        "1. Summary\nMeeting title\tGrief ECHO\n\n"
        "2. Participants\n"
        "Name\tFirst join\tLast leave\tIn-meeting duration\tEmail\tRole\n"
        f"Brian Smith\t{stamp} 13:00\t{stamp} 14:00\t1h\tbrian@example.org\tAttendee\n"
        f"A. Tremblay\t{stamp} 13:02\t{stamp} 13:55\t53m\t\tAttendee\n"
        "\n3. In-Meeting activities\n"
        "Name\tJoin time\tLeave time\tDuration\tEmail\tRole\n"
        f"Brian Smith\t{stamp} 13:00\t{stamp} 14:00\t1h\tbrian@example.org\tAttendee\n"
        f"A. Tremblay\t{stamp} 13:02\t{stamp} 13:55\t53m\t\tAttendee\n"
    ).encode("utf-16")


def test_import_a_teams_report_then_the_certificate_checks_out(browser_live, contexts):
    day = dt.datetime.now(TORONTO).date() - dt.timedelta(days=1)
    session = SessionFactory(
        title_en="Anticipatory grief",
        starts_at=dt.datetime.combine(day, dt.time(13), tzinfo=TORONTO),
        duration_minutes=60,
    )
    program = session.program
    coordinator = StaffRoleFactory(
        hub=program.hub, role=StaffRole.Role.COORDINATOR, person__name="Camille Roy"
    ).person
    amelie = UserFactory(name="Amélie Tremblay", email="amelie@example.org")
    for person in (coordinator, amelie):
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    for name, email in (
        ("Brian Smith", "brian@example.org"),
        ("Alain Tremblay", "alain@example.org"),
    ):
        Registration.objects.create(
            session=session, person=UserFactory(name=name, email=email), status="confirmed"
        )
    Registration.objects.create(session=session, person=amelie, status="confirmed")
    Accreditation.objects.create(
        program=program,
        body="College of Family Physicians of Canada",
        credit_type=Accreditation.CreditType.MAINPRO_GROUP,
        credits_per_hour=Decimal("1"),
        statement_en="Certified for up to 1 Mainpro+ credit.",
        valid_from=day - dt.timedelta(days=30),
        valid_to=day + dt.timedelta(days=300),
    )

    page = contexts(locale="en-CA", timezone_id="America/Toronto").new_page()
    log_in(page, browser_live.url, coordinator)
    page.goto(browser_live.url + url("attendance:session", "en", pk=session.pk))
    page.set_input_files(
        "#id_report",
        files=[{"name": "teams.csv", "mimeType": "text/csv", "buffer": teams_report(day)}],
    )
    page.get_by_role("button", name="Read the report").click()
    expect(page.locator("main")).to_contain_text("1 matched, 1 to choose, 0 not found.")
    screenshot(page, "attendance-preview")
    doc_screenshot(page, "attendance-preview")
    page.get_by_label("Record A. Tremblay as").select_option(label="Amélie Tremblay (85 %)")
    page.get_by_role("button", name="Save the attendance").click()
    expect(page.locator(".messages")).to_contain_text("Attendance saved: 2 records changed.")
    expect(page.locator("#attendance")).to_contain_text("Amélie Tremblay")

    page.goto(browser_live.url + url("certificates:manage", "en", slug=program.slug))
    page.get_by_role("button", name="Issue certificates").click()
    expect(page.locator("#batches")).to_contain_text("2 certificates issued")
    certificate = Certificate.objects.get(person=amelie)
    assert certificate.minutes == 53

    reader = contexts(locale="fr-CA", timezone_id="America/Toronto").new_page()
    log_in(reader, browser_live.url, amelie)
    reader.goto(browser_live.url + url("certificates:transcript", "en"))
    expect(reader.locator("#activities")).to_contain_text("Anticipatory grief")
    pdf = reader.request.get(
        browser_live.url + url("certificates:pdf", "en", code=certificate.code)
    )
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    reader.goto(browser_live.url + url("certificates:verify", "en", code=certificate.code))
    expect(reader.locator(".verdict")).to_contain_text("Valid")
    expect(reader.locator(".facts")).to_contain_text("Amélie Tremblay")
    screenshot(reader, "certificate-verified")
    doc_screenshot(reader, "certificate-verified")


def fits(page) -> bool:
    """No page-level sideways scrolling: wide content scrolls inside its own box. (A
    mobile browser widens its layout viewport to a wider page, so 390 is checked too.)"""
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth"
        " && document.documentElement.scrollWidth <= 390"
    )


LONG_LINE = (
    "Dr. Marie-Ève Côté-Bélanger-Lévesque RN BScN MScN (elle/she),"
    "marie-eve.cote-belanger-levesque@centre-hospitalier-regional-de-lanaudiere.qc.ca,"
    "DAY 01:00:00 PM,DAY 01:30:00 PM,30"
)


def test_a_300_line_report_on_a_phone(browser_live, contexts):
    from echohub.attendance import services
    from tests.attendance.test_import import long_report, report
    from tests.browser.conftest import log_in as sign_in

    day = dt.datetime.now(TORONTO).date() - dt.timedelta(days=1)
    session = SessionFactory(
        title_en="Pain and dyspnea at the end of life, in long-term care homes",
        starts_at=dt.datetime.combine(day, dt.time(13), tzinfo=TORONTO),
        duration_minutes=60,
    )
    coordinator = StaffRoleFactory(
        hub=session.program.hub, role=StaffRole.Role.COORDINATOR, person__name="Camille Roy"
    ).person
    EmailAddress.objects.create(
        user=coordinator, email=coordinator.email, verified=True, primary=True
    )
    data, _owners = long_report(session)
    data += report(session, LONG_LINE).split(b"\n", 1)[1]  # 300 lines and a long one
    upload = services.preview_import(
        session,
        data,
        filename="zoom-participants-report-with-a-long-name.csv",
        by=coordinator,
        report_zone="America/Toronto",
    )

    page = contexts(locale="en-CA", timezone_id="America/Toronto", phone=True).new_page()
    sign_in(page, browser_live.url, coordinator)
    for lang in ("en", "fr"):
        preview = browser_live.url + url("attendance:preview", lang, pk=upload.pk)
        for show in ("", "?show=all", "?show=matched", "?show=unmatched"):
            page.goto(preview + show)
            expect(page.locator("#preview")).to_be_visible()
            assert fits(page), (lang, show)
    page.goto(browser_live.url + url("attendance:preview", "en", pk=upload.pk))
    expect(page.locator("#preview > li")).to_have_count(31)  # 30 suggestions, 1 unknown email
    page.get_by_role("button", name="Accept the suggestions for 30 lines").click()
    expect(page.locator(".messages")).to_contain_text("30 suggestions accepted.")
    page.get_by_role("button", name="Record every undecided line as a walk-in").click()
    expect(page.locator(".messages")).to_contain_text("1 line recorded as a walk-in.")
    assert fits(page)
    page.get_by_role("button", name="Save the attendance").click()
    expect(page.locator(".messages")).to_contain_text("Attendance saved: 301 records changed.")
    expect(page.locator("#figures")).to_contain_text("Attended in all")
    for lang in ("en", "fr"):
        page.goto(browser_live.url + url("attendance:session", lang, pk=session.pk))
        expect(page.locator("#attendance")).to_contain_text("Côté-Bélanger-Lévesque")
        assert fits(page), lang
        page.goto(browser_live.url + url("attendance:program", lang, slug=session.program.slug))
        expect(page.locator("#sessions")).to_contain_text("280 (100 %)")
        assert fits(page), lang
