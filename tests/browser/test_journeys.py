"""The main journeys, walked in a real Chromium as a person would.

a) A nurse in Ontario, browsing in French, finds a program for her and reads a
   session's time in her own zone.
b) A hub coordinator creates a program, gives it a fortnightly series of
   sessions, publishes it, and a visitor finds it in the public catalogue.

Each journey's last page is saved to test-results/ (and every open page when a
test fails), for whoever reads the CI run.
"""

import datetime as dt
import re
import zoneinfo

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from echohub.programs.models import Program, Session
from echohub.reference.models import Profession, Province
from tests.browser.conftest import doc_screenshot, screenshot, url
from tests.factories import (
    PASSWORD,
    HubFactory,
    ProgramFactory,
    SessionFactory,
    SpeakerFactory,
    StaffRoleFactory,
)

pytestmark = pytest.mark.browser

TORONTO = zoneinfo.ZoneInfo("America/Toronto")


def next_january_19() -> dt.date:
    """A winter date still to come: Toronto is on EST (UTC-5), Vancouver on PST (UTC-8)."""
    return dt.date(dt.datetime.now(dt.UTC).year + 1, 1, 19)


def test_nurse_in_ontario_finds_a_program_and_reads_times_in_her_zone(
    browser_live, contexts, settings
):
    # The server's fallback zone is not hers, so the times below can only be right
    # if static/echohub/timezone.js told the server the browser's zone.
    settings.TIME_ZONE = "UTC"
    nurse = Profession.objects.get(code="registered-nurse")
    paramedic = Profession.objects.get(code="paramedic")
    ontario = Province.objects.get(code="ON")
    bc = Province.objects.get(code="BC")
    pacific = HubFactory(
        slug="pacific",
        name_en="Pacific Palliative Care Hub",
        name_fr="Carrefour des soins palliatifs du Pacifique",
    )
    for_nurses = ProgramFactory(
        hub=pacific,
        slug="nursing-at-end-of-life",
        title_en="Nursing at the end of life",
        title_fr="Soins infirmiers en fin de vie",
        description_fr="Une série pour le personnel infirmier de tout le Canada.",
        languages=Program.Languages.BOTH,
        scope=Program.Scope.NATIONAL,
        timezone="America/Vancouver",
    )
    for_nurses.audience_professions.set([nurse])
    in_ontario = ProgramFactory(
        hub=pacific,
        slug="ontario-home-care",
        title_en="Home care in Ontario",
        title_fr="Soins à domicile en Ontario",
        scope=Program.Scope.PROVINCIAL,
    )
    in_ontario.provinces.set([ontario])
    for_paramedics = ProgramFactory(
        hub=pacific,
        slug="paramedics",
        title_en="Paramedics and palliative care",
        title_fr="Paramédics et soins palliatifs",
    )
    for_paramedics.audience_professions.set([paramedic])
    in_bc = ProgramFactory(
        hub=pacific,
        slug="bc-nurses",
        title_en="BC nurses' rounds",
        title_fr="Rencontres du personnel infirmier de la C.-B.",
        scope=Program.Scope.PROVINCIAL,
    )
    in_bc.audience_professions.set([nurse])
    in_bc.provinces.set([bc])
    day = next_january_19()
    session = SessionFactory(
        program=for_nurses,
        title_en="Easing breathlessness",
        title_fr="Soulager la dyspnée",
        # 17:00 UTC in January: 12:00 in Toronto (EST), 09:00 in Vancouver (PST).
        starts_at=dt.datetime.combine(day, dt.time(17, 0), tzinfo=dt.UTC),
        duration_minutes=60,
    )
    SpeakerFactory(session=session, name="Dre Amélie Tremblay")

    context = contexts(locale="fr-CA", timezone_id="America/Toronto")
    page = context.new_page()
    page.goto(browser_live.url + "/")

    # Her browser asks for French: the site answers in French.
    expect(page).to_have_url(re.compile(r"/fr/$"))
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "fr")
    # timezone.js sets the echohub_tz cookie and reloads once; then the page knows her zone.
    expect(html).to_have_attribute("data-tz-known", "1")
    expect(html).to_have_attribute("data-tz", "America/Toronto")
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    assert cookies.get("echohub_tz") == "America/Toronto"

    catalogue = url("programs:catalogue", "fr")
    page.locator(f'.main-nav a[href="{catalogue}"]').click()
    expect(page).to_have_url(re.compile(re.escape(catalogue) + "$"))
    # The lists come from the database, in French.
    page.locator("#id_profession").select_option(label="Infirmière / infirmier")
    page.locator("#id_province").select_option(label="Ontario")
    page.get_by_role("search").locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"profession=registered-nurse"))
    expect(page).to_have_url(re.compile(r"province=ON"))

    results = page.locator("ul.cards > li")
    expect(results).to_have_count(2)
    expect(results.locator("h2")).to_have_text(
        ["Soins infirmiers en fin de vie", "Soins à domicile en Ontario"]
    )
    expect(page.locator("#main")).not_to_contain_text("Paramédics et soins palliatifs")
    expect(page.locator("#main")).not_to_contain_text("Rencontres du personnel infirmier")
    # The filters she chose stay chosen.
    expect(page.locator("#id_profession")).to_have_value("registered-nurse")
    expect(page.locator("#id_province")).to_have_value("ON")
    doc_screenshot(page, "catalogue-fr")

    program_url = url("programs:program", "fr", slug=for_nurses.slug)
    results.locator(f'a[href="{program_url}"]').click()
    expect(page).to_have_url(re.compile(re.escape(program_url) + "$"))
    expect(page.locator("h1")).to_have_text("Soins infirmiers en fin de vie")
    expect(page.locator("#main")).to_contain_text("Infirmière / infirmier")
    expect(page.locator("#main")).to_contain_text(
        "Une série pour le personnel infirmier de tout le Canada."
    )

    session_url = url("programs:session", "fr", pk=session.pk)
    page.locator(f'#main a[href="{session_url}"]').click()
    expect(page).to_have_url(re.compile(re.escape(session_url) + "$"))
    expect(page.locator("h1")).to_have_text("Soulager la dyspnée")
    expect(page.locator("#main")).to_contain_text("Dre Amélie Tremblay")

    # Her time: noon in Toronto, whether the French format says "12 h 00" or "12:00".
    when = page.locator("#session-time")
    expect(when).to_contain_text(f"19 janvier {day.year}")
    expect(when).to_contain_text(re.compile(r"\b12( h |:)00\b"))
    expect(when).to_contain_text(re.compile(r"– 13( h |:)00\b"))
    # Her zone is named ("America/Toronto", or its name in words: both say Toronto).
    expect(when).to_contain_text("Toronto")
    expect(when.locator("time").first).to_have_attribute(
        "datetime", f"{day.isoformat()}T17:00:00+00:00"
    )
    # And the program's own time beside it, since its zone is not hers.
    program_time = page.locator("#program-time")
    expect(program_time).to_contain_text("Vancouver")
    expect(program_time).to_contain_text(f"19 janvier {day.year}")
    expect(program_time).to_contain_text(re.compile(r"(?<!\d)0?9( h |:)00\b"))
    screenshot(page, "journey-a-nurse-session-fr")


def test_coordinator_creates_program_with_series_and_publishes_it(browser_live, contexts):
    hub = HubFactory(
        slug="ontario",
        name_en="Ontario Palliative Care Hub",
        name_fr="Carrefour ontarien de soins palliatifs",
    )
    coordinator = StaffRoleFactory(
        hub=hub, role="coordinator", person__name="Camille Roy", person__email="camille@example.org"
    ).person
    EmailAddress.objects.create(
        user=coordinator, email=coordinator.email, verified=True, primary=True
    )
    # First session: a Tuesday three to four weeks ahead, 12:00 to 13:00 in Toronto.
    today = dt.datetime.now(TORONTO).date()
    first = today + dt.timedelta(days=(1 - today.weekday()) % 7 + 21)
    expected_starts = [
        dt.datetime.combine(first + dt.timedelta(weeks=2 * i), dt.time(12, 0), tzinfo=TORONTO)
        for i in range(8)
    ]

    context = contexts(locale="en-CA", timezone_id="America/Toronto")
    page = context.new_page()
    page.goto(browser_live.url + url("account_login", "en"))
    login_form = page.locator("#main form").filter(has=page.locator("#id_password"))
    login_form.locator("#id_login").fill(coordinator.email)
    login_form.locator("#id_password").fill(PASSWORD)
    login_form.locator("button[type=submit]").click()

    manage = url("programs:manage", "en")
    page.locator(f'.main-nav a[href="{manage}"]').click()
    expect(page).to_have_url(re.compile(re.escape(manage) + "$"))
    page.locator(f'#main a[href="{url("programs:program_create", "en")}"]').click()

    form = page.locator("#main form[method=post]")
    form.locator("#id_hub").select_option(str(hub.pk))
    form.locator("#id_title_en").fill("Grief and bereavement in long-term care")
    form.locator("#id_title_fr").fill("Deuil en soins de longue durée")
    form.locator("#id_description_en").fill("Six months of cases from long-term care homes.")
    form.locator("#id_description_fr").fill("Six mois de cas venus des soins de longue durée.")
    form.locator('input[name="audience_professions"][value="registered-nurse"]').check()
    form.locator("#id_timezone").select_option("America/Toronto")
    form.locator("button[type=submit]").click()

    expect(page.locator("h1")).to_have_text("Grief and bereavement in long-term care")
    program = Program.objects.get(title_en="Grief and bereavement in long-term care")
    expect(page).to_have_url(
        re.compile(re.escape(url("programs:manage_program", "en", slug=program.slug)) + "$")
    )
    assert program.hub == hub
    assert program.status == Program.Status.DRAFT
    assert list(program.audience_professions.values_list("code", flat=True)) == ["registered-nurse"]

    series = url("programs:series_create", "en", slug=program.slug)
    page.locator(f'#main a[href="{series}"]').click()
    expect(page).to_have_url(re.compile(re.escape(series) + "$"))
    form = page.locator("#main form[method=post]")
    form.locator("#id_first_date").fill(first.isoformat())
    form.locator("#id_start_time").fill("12:00")
    form.locator("#id_end_time").fill("13:00")
    form.locator("#id_frequency").select_option("biweekly")
    expect(form.locator("#id_frequency option:checked")).to_have_text("Every second week")
    form.locator("#id_count").fill("8")
    form.locator("button[name=preview]").click()

    # Eight Tuesdays a fortnight apart, at 12:00 Toronto time even across a DST change.
    preview = page.locator("#series-preview > li")
    expect(preview).to_have_count(8)
    expect(preview.locator("time")).to_have_count(8)
    doc_screenshot(page, "series")
    shown = [preview.nth(i).locator("time").get_attribute("datetime") for i in range(8)]
    assert shown == [start.astimezone(dt.UTC).isoformat() for start in expected_starts]
    assert not Session.objects.filter(program=program).exists(), "a preview creates nothing"

    page.locator("#main form[method=post] button[type=submit]:not([name])").click()
    expect(page).to_have_url(
        re.compile(re.escape(url("programs:manage_program", "en", slug=program.slug)) + "$")
    )
    expect(page.locator("#main table tbody tr")).to_have_count(8)
    starts = list(program.sessions.order_by("starts_at").values_list("starts_at", flat=True))
    assert starts == expected_starts
    assert list(program.sessions.values_list("title_en", flat=True)) == [
        f"Session {n}" for n in range(1, 9)
    ]

    publish = url("programs:program_publish", "en", slug=program.slug)
    page.locator(f'#main form[action="{publish}"] button[type=submit]').click()
    expect(page.locator("#main .badge.status-published")).to_have_count(1)
    program.refresh_from_db()
    assert program.status == Program.Status.PUBLISHED

    # A visitor who is not signed in finds it in the public catalogue.
    visitor = contexts(locale="en-CA", timezone_id="America/Toronto").new_page()
    visitor.goto(browser_live.url + url("programs:catalogue", "en"))
    program_url = url("programs:program", "en", slug=program.slug)
    listed = visitor.locator(f'ul.cards a[href="{program_url}"]')
    expect(listed).to_have_text("Grief and bereavement in long-term care")
    listed.click()
    expect(visitor).to_have_url(re.compile(re.escape(program_url) + "$"))
    expect(visitor.locator("h1")).to_have_text("Grief and bereavement in long-term care")
    expect(visitor.locator(".banner")).to_have_count(0)  # not the draft preview
    upcoming = visitor.locator("#main ul.cards > li")
    expect(upcoming).to_have_count(8)
    expect(upcoming.locator("h3")).to_have_text([f"Session {n}" for n in range(1, 9)])
    expect(upcoming.first.locator("time")).to_have_attribute(
        "datetime", expected_starts[0].astimezone(dt.UTC).isoformat()
    )
    screenshot(visitor, "journey-b-public-program-en")
