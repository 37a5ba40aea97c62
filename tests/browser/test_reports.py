"""The national admin narrows the network's reach to nurses in Ontario, looks at the map and
a chart, and downloads a table as XLSX and the funder report as a PDF. The dashboard passes
axe-core with no violation."""

import io

import pytest
from allauth.account.models import EmailAddress
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from echohub.attendance import services as attendance
from echohub.network.models import StaffRole
from echohub.registration.models import Registration
from tests.browser.conftest import assert_accessible, doc_screenshot, log_in, url
from tests.factories import ProgramFactory, SessionFactory, StaffRoleFactory, UserFactory
from tests.reports.conftest import at

pytestmark = pytest.mark.browser


def test_the_national_admin_reads_the_reach_of_nurses_in_ontario(browser_live, contexts) -> None:
    national = UserFactory(is_national_admin=True, name="Nora National")
    EmailAddress.objects.create(user=national, email=national.email, verified=True, primary=True)
    coordinator = StaffRoleFactory(role=StaffRole.Role.COORDINATOR).person
    hub = coordinator.staff_roles.get().hub
    program = ProgramFactory(hub=hub, title_en="Pain and symptoms", title_fr="Douleur et symptômes")
    sessions = [
        SessionFactory(program=program, starts_at=at(day))
        for day in ("2025-05-06", "2025-06-03", "2025-09-02")
    ]
    people = [
        UserFactory(
            profession_id="registered-nurse",
            province_id="ON",
            practice_postal_code="P0A 1A0" if n % 3 == 0 else "K1A 0B1",
        )
        for n in range(8)
    ] + [UserFactory(profession_id="psw", province_id="QC") for _ in range(4)]
    for index, session in enumerate(sessions):
        for person in people[index:]:
            Registration.objects.create(session=session, person=person, status="confirmed")
            attendance.mark(
                session, person, present=True, minutes=55, reason="Zoom", by=coordinator
            )

    page = contexts(locale="en-CA", timezone_id="America/Toronto").new_page()
    base = browser_live.url
    log_in(page, base, national)
    page.goto(base + url("reports:national", "en"))
    expect(page.locator("[data-figure=participations]")).to_have_text("33")  # 12 + 11 + 10
    page.select_option("#id_profession", "registered-nurse")
    page.select_option("#id_province", "ON")
    page.get_by_role("button", name="Show").click()
    # 8 nurses in Ontario: 8 + 7 + 6 participations.
    expect(page.locator("[data-figure=participations]")).to_have_text("21")
    expect(page.locator("[data-figure=people]")).to_have_text("8")
    map_svg = page.locator("#map-h ~ figure svg")
    expect(map_svg).to_be_visible()
    expect(map_svg.locator("path.map-shade-5, path.map-shade-hidden").first).to_be_attached()
    expect(page.locator("#professions-h ~ figure svg")).to_be_visible()
    expect(page.locator("#professions-h ~ figure figcaption")).to_contain_text("Registered nurse")
    assert_accessible(page)
    doc_screenshot(page, "reach-dashboard")

    with page.expect_download() as download:
        page.locator("#professions-h ~ p.downloads a", has_text="XLSX").click()
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "Professions"
    assert rows[1][:3] == ("Registered nurse", 21, 8)

    with page.expect_download() as download:
        page.get_by_role("link", name="Funder report, All time (PDF, English)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    pdf = PdfReader(download.value.path())
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "Reach report" in text
    assert "Registered nurse" in text
    assert "Ontario" in text
