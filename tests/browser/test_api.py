"""A hub admin gives the province's LMS a token, on a phone in French: the LMS reads the
registrations with it, then the token is revoked and refused. The API reference page
shows every operation under our CSP."""

import json
import urllib.error
import urllib.request

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from echohub.registration.models import Registration
from tests.browser.conftest import assert_accessible, doc_screenshot, log_in, url
from tests.conftest import Network
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def call(base: str, path: str, secret: str) -> tuple[int, dict]:
    # The live server on loopback, over http: nothing a caller could point elsewhere.
    headers = {"Authorization": f"Bearer {secret}"}
    request = urllib.request.Request(base + path, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_a_hub_admin_gives_a_token_then_revokes_it(
    browser_live, contexts, network: Network
) -> None:
    base = browser_live.url
    admin = network.hub_admin
    admin.preferred_language = "fr"
    admin.save()
    EmailAddress.objects.create(user=admin, email=admin.email, verified=True, primary=True)
    nurse = UserFactory(name="Juliette Nadeau", email="juliette.nadeau@example.org")
    Registration.objects.create(session=network.session, person=nurse, status="confirmed")
    page = contexts(locale="fr-CA", timezone_id="America/Toronto", phone=True).new_page()
    log_in(page, base, network.hub_admin, "fr")
    page.goto(base + url("programs:manage", "fr"))
    page.get_by_role("link", name="Jetons d’API", exact=True).click()
    expect(page.locator("h1")).to_have_text("Jetons d’API\u00a0: Carrefour de l'Ontario")
    expect(page.locator("table")).to_contain_text("Aucun jeton pour l’instant.")
    assert_accessible(page)

    page.get_by_label("Nom").fill("Plateforme d’apprentissage de l’Ontario")
    page.get_by_label("Lire les inscriptions").check()
    page.get_by_role("button", name="Créer le jeton").click()
    expect(page.locator("h1")).to_contain_text("Votre nouveau jeton")
    expect(page.get_by_role("status")).to_contain_text("il ne sera plus affiché")
    assert_accessible(page)
    doc_screenshot(page, "api-token-phone-fr")
    secret = page.get_by_label("Jeton").input_value()
    assert secret.startswith("eh_")

    status, body = call(base, "/api/v1/registrations/", secret)
    assert status == 200
    assert [row["person"]["email"] for row in body["results"]] == ["juliette.nadeau@example.org"]
    status, body = call(base, "/api/v1/attendance/", secret)
    assert (status, body["title"]) == (403, "Forbidden")

    page.get_by_role("link", name="Je l’ai copié").click()
    row = page.locator("tr", has_text="Plateforme d’apprentissage de l’Ontario")
    expect(row).to_contain_text("Lire les inscriptions")
    expect(row).to_contain_text("Actif")
    expect(page.locator("body")).not_to_contain_text(secret)
    row.get_by_role("link", name="Révoquer").click()
    expect(page.locator("h1")).to_have_text(
        "Révoquer «\u00a0Plateforme d’apprentissage de l’Ontario\u00a0»\u00a0?"
    )
    page.get_by_role("button", name="Révoquer le jeton").click()
    expect(page.locator(".messages")).to_contain_text("Le jeton a été révoqué")
    expect(page.locator("tr", has_text="Plateforme")).to_contain_text("Révoqué")
    status, body = call(base, "/api/v1/registrations/", secret)
    assert (status, body["detail"]) == (401, "This token was revoked.")


def test_the_reference_page_shows_every_operation(browser_live, contexts, network) -> None:
    page = contexts(locale="en-CA", timezone_id="America/Toronto").new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if m.type == "error" else None)
    page.goto(browser_live.url + "/api/v1/docs/")
    expect(page.locator(".swagger-ui .title")).to_contain_text("EchoHub partner API")
    for path in ("/api/v1/sessions/", "/api/v1/registrations/", "/api/v1/certificates/verify/"):
        expect(page.locator(".opblock-summary-path", has_text=path).first).to_be_visible()
    assert refused == []  # nothing blocked by the Content-Security-Policy
