"""Who runs the site, on a phone: a hub admin brands the hub, a visitor sees it,
and a newcomer creates an account after reading the privacy notice."""

from importlib import import_module

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from playwright.sync_api import expect

from echohub.accounts.models import PrivacyConsent
from echohub.network.models import Hub
from tests.browser.conftest import doc_screenshot, log_in, screenshot, url
from tests.factories import HubFactory, ProgramFactory, StaffRoleFactory
from tests.network.test_branding import png

pytestmark = pytest.mark.browser


def test_hub_admin_brands_the_hub_and_a_visitor_sees_it_on_a_phone(
    browser_live, contexts, tmp_path
) -> None:
    hub = HubFactory(slug="ontario", name_en="Ontario Hub", name_fr="Carrefour de l’Ontario")
    ProgramFactory(hub=hub, slug="psw-series", title_en="PSW Series")
    admin = StaffRoleFactory(hub=hub, role="admin").person
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    logo = tmp_path / "ontario-logo.png"
    logo.write_bytes(png(600, 200))
    base = browser_live.url

    page = contexts(locale="en-CA", timezone_id="America/Toronto", phone=True).new_page()
    log_in(page, base, admin)
    page.goto(base + url("network:hub_edit", "en", slug="ontario"))
    page.locator("#id_logo_upload").set_input_files(str(logo))
    page.locator("#id_brand_colour").fill("#FFCC00")
    page.locator("#id_phone").fill("+1 416 555 0100")
    page.locator("#id_mailing_address").fill("200 Elizabeth St\nToronto ON  M5G 2C4")
    page.locator("#id_signatory_name").fill("Dr Sarah Nguyen")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="Ontario Hub")).to_be_visible()
    expect(page.get_by_role("img", name="Logo of Ontario Hub")).to_be_visible()
    expect(page.get_by_role("link", name="+1 416 555 0100")).to_be_visible()
    # The hub's stylesheet arrived (CSP allows it): the banner's border is the hub's yellow.
    # (to_have_css waits: the page can be read before its stylesheet has loaded.)
    expect(page.locator(".hub-banner")).to_have_css("border-left-color", "rgb(255, 204, 0)")
    # The heading's yellow is darkened for 4.5:1 on white.
    expect(page.locator(".hub-banner h1")).to_have_css("color", "rgb(134, 106, 0)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    footer = page.locator("footer")
    for label in ("About", "Contact", "Privacy", "Accessibility"):
        expect(footer.get_by_role("link", name=label, exact=True)).to_be_visible()
    screenshot(page, "hub-branded-phone")
    doc_screenshot(page, "hub-phone")
    assert Hub.objects.get(slug="ontario").signatory_name == "Dr Sarah Nguyen"


def test_a_newcomer_reads_the_privacy_notice_and_creates_an_account_in_french(
    browser_live, contexts
) -> None:
    # The committed-database fixture emptied the table its migration filled.
    import_module("echohub.sitepages.migrations.0001_initial").load(apps, None)
    base = browser_live.url
    page = contexts(locale="fr-CA", timezone_id="America/Montreal", phone=True).new_page()
    page.goto(base + url("account_signup", "fr"))
    expect(page.get_by_role("heading", name="Créer un compte")).to_be_visible()
    box = page.get_by_label("J’ai lu l’avis de confidentialité", exact=False)
    expect(box).not_to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_label("Courriel", exact=False).first.fill("luc@example.org")
    page.locator("#id_password1").fill("Palliative-care-2026!")
    page.locator("#id_password2").fill("Palliative-care-2026!")
    page.locator("#id_name").fill("Luc Gagnon")
    page.get_by_role("button", name="Créer un compte").click()
    expect(page.get_by_text("Cochez cette case pour accepter")).to_be_visible()
    page.get_by_label("J’ai lu l’avis de confidentialité", exact=False).check()
    page.locator("#id_password1").fill("Palliative-care-2026!")
    page.locator("#id_password2").fill("Palliative-care-2026!")
    page.get_by_role("button", name="Créer un compte").click()
    expect(page.locator("h1")).not_to_have_text("Créer un compte")
    consent = PrivacyConsent.objects.get(person__email="luc@example.org")
    assert consent.language == "fr"
    page.goto(base + "/fr/site/privacy/")
    expect(page.get_by_role("heading", name="Avis de confidentialité")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "privacy-phone-fr")
    doc_screenshot(page, "privacy-phone-fr")
