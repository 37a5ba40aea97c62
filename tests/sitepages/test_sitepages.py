"""The footer's four pages: on every page, in both languages, edited by national admins only."""

import pytest
from django.urls import reverse
from django.utils import translation

from echohub.sitepages.models import SitePage
from tests.conftest import Network, client_for
from tests.factories import UserFactory
from tests.programs.test_public_views import text

FOOTER = {
    "en": [
        ("/en/site/about/", "About"),
        ("/en/site/contact/", "Contact"),
        ("/en/site/privacy/", "Privacy"),
        ("/en/site/accessibility/", "Accessibility"),
    ],
    "fr": [
        ("/fr/site/about/", "À propos"),
        ("/fr/site/contact/", "Nous joindre"),
        ("/fr/site/privacy/", "Confidentialité"),
        ("/fr/site/accessibility/", "Accessibilité"),
    ],
}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("programs:home", {}),
        ("programs:catalogue", {}),
        ("programs:hub", {"slug": "ontario"}),
        ("programs:program", {"slug": "psw-series"}),
        ("account_login", {}),
        ("account_signup", {}),
        ("sitepages:page", {"key": "privacy"}),
    ],
)
def test_every_page_has_the_footer_links_and_the_favicon(
    network: Network, lang: str, name: str, kwargs: dict[str, str]
) -> None:
    with translation.override(lang):
        url = reverse(name, kwargs=kwargs)
    html = client_for(None).get(url).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    for href, label in FOOTER[lang]:
        assert f'<a href="{href}">{label}</a>' in footer
    assert '<link rel="icon" href="/static/echohub/favicon.svg" type="image/svg+xml">' in html


def test_signed_in_pages_have_the_footer_too(network: Network) -> None:
    html = client_for(network.coordinator).get(reverse("programs:manage")).content.decode()
    assert '<a href="/en/site/privacy/">Privacy</a>' in html


def test_the_favicon_is_served(db: None) -> None:
    response = client_for(None).get("/static/echohub/favicon.svg")
    assert b"<svg" in b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_pages_read_in_both_languages(db: None) -> None:
    english = text(client_for(None).get("/en/site/privacy/"))
    assert "Privacy notice" in english
    assert "PIPEDA" in english
    assert "Law 25" in english
    for kept in ("professional profile", "registrations", "attendance", "certificates"):
        assert kept in english
    french = text(client_for(None).get("/fr/site/privacy/"))
    assert "Avis de confidentialité" in french
    assert "LPRPDE" in french
    assert "Loi 25" in french
    assert "Ce que nous conservons :" in french  # a no-break space, as text() shows it
    assert "À propos d’EchoHub" in text(client_for(None).get("/fr/site/about/"))
    assert "Accessibility" in text(client_for(None).get("/en/site/accessibility/"))
    assert "Nous joindre" in text(client_for(None).get("/fr/site/contact/"))
    assert client_for(None).get("/en/site/nothing/").status_code == 404


def test_a_national_admin_edits_a_page_in_both_languages(network: Network) -> None:
    client = client_for(network.national_admin)
    url = reverse("sitepages:edit", kwargs={"key": "contact"})
    response = client.post(
        url,
        {
            "title_en": "Contact us",
            "title_fr": "Nous joindre",
            "body_en": "Write to echo@example.ca.\n\nWe answer within two days.",
            "body_fr": "Écrivez à echo@example.ca.",
        },
    )
    assert response.status_code == 302
    page = SitePage.objects.get(key="contact")
    assert page.updated_by == network.national_admin
    html = client_for(None).get("/en/site/contact/").content.decode()
    assert "<p>Write to echo@example.ca.</p><p>We answer within two days.</p>" in html
    assert "Écrivez à echo@example.ca." in text(client_for(None).get("/fr/site/contact/"))
    listing = client.get("/en/manage/site-pages/").content.decode()
    for key in ("about", "accessibility", "contact", "privacy"):
        assert f'<a href="/en/manage/site-pages/{key}/edit/">Edit</a>' in listing


def test_html_is_refused_and_never_shown_as_html(network: Network) -> None:
    client = client_for(network.national_admin)
    response = client.post(
        reverse("sitepages:edit", kwargs={"key": "about"}),
        {
            "title_en": "About",
            "title_fr": "",
            "body_en": "<script>alert(1)</script>",
            "body_fr": "",
        },
    )
    assert response.status_code == 200
    assert "HTML tags such as &lt;script&gt; are not allowed" in response.content.decode()
    # Text with a lone "<" (not a tag) is kept and escaped.
    SitePage.objects.filter(key="about").update(body_en="Dose < 5 mg & more")
    html = client_for(None).get("/en/site/about/").content.decode()
    assert "<p>Dose &lt; 5 mg &amp; more</p>" in html


@pytest.mark.parametrize("role", ["hub_admin", "coordinator", "participant", "other_coordinator"])
def test_only_national_admins_edit_pages(network: Network, role: str) -> None:
    client = client_for(getattr(network, role))
    edit = reverse("sitepages:edit", kwargs={"key": "privacy"})
    assert client.get(reverse("sitepages:manage")).status_code == 403
    assert client.get(edit).status_code == 403
    response = client.post(edit, {"title_en": "Hacked", "body_en": "x"})
    assert response.status_code == 403
    assert SitePage.objects.get(key="privacy").title_en == "Privacy notice"
    assert "Edit this page" not in client.get("/en/site/privacy/").content.decode()


def test_the_django_admin_shows_pages_and_consents_read_only(db: None) -> None:
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(superuser)
    pages = client.get("/en/admin/sitepages/sitepage/")
    assert "Privacy notice" in pages.content.decode()
    privacy = SitePage.objects.get(key="privacy")
    assert client.get(f"/en/admin/sitepages/sitepage/{privacy.pk}/change/").status_code == 200
    assert client.get("/en/admin/sitepages/sitepage/add/").status_code == 403
    assert client.get("/en/admin/accounts/privacyconsent/").status_code == 200
