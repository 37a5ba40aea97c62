"""Sign-up asks for consent to the privacy notice, says "Log in" and "Create an account",
and its emails name the site by SITE_NAME."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from echohub.accounts.models import PrivacyConsent, User
from tests.accounts.test_accounts import NEW_PASSWORD
from tests.programs.test_public_views import text

CONSENT_EN = (
    "I have read the privacy notice and I agree that EchoHub keeps my professional profile, "
    "registrations, attendance and certificates as it describes."
)
CONSENT_FR = (
    "J’ai lu l’avis de confidentialité et j’accepte qu’EchoHub conserve mon profil "
    "professionnel, mes inscriptions, ma participation et mes attestations comme il le décrit."
)


def signup_url(lang: str) -> str:
    with translation.override(lang):
        return reverse("account_signup")


def sign_up(lang: str, email: str, **extra: Any) -> Any:
    return Client().post(
        signup_url(lang),
        {
            "email": email,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "name": "Nadia Tremblay",
            **extra,
        },
    )


def test_sign_up_without_consent_is_refused_with_a_message(db: None) -> None:
    response = sign_up("en", "nadia@example.org")
    assert response.status_code == 200
    assert response.context["form"].errors["privacy_consent"] == [
        "Tick this box to agree to the privacy notice: it is needed for an account."
    ]
    assert not User.objects.filter(email="nadia@example.org").exists()
    assert mail.outbox == []


@pytest.mark.parametrize(("lang", "wording"), [("en", CONSENT_EN), ("fr", CONSENT_FR)])
def test_the_consent_is_kept_in_the_words_and_language_shown(
    db: None, lang: str, wording: str
) -> None:
    page = Client().get(signup_url(lang)).content.decode()
    assert wording in page
    assert 'type="checkbox" name="privacy_consent"' in page
    assert "checked" not in page
    assert f'href="/{lang}/site/privacy/"' in page
    assert 'name="privacy_notice_version" value="1"' in page
    response = sign_up(lang, "luc@example.org", privacy_consent="on", privacy_notice_version="1")
    assert response.status_code == 302
    [consent] = PrivacyConsent.objects.filter(person__email="luc@example.org")
    assert (consent.wording, consent.language, consent.page) == (wording, lang, signup_url(lang))
    assert consent.given_at is not None
    assert consent.notice is not None
    assert consent.notice.version == 1


def test_each_change_of_the_privacy_page_is_a_version_and_consent_names_the_one_shown(
    db: None,
) -> None:
    from echohub.accounts.models import PrivacyNotice
    from echohub.sitepages.models import SitePage
    from tests.conftest import client_for
    from tests.factories import UserFactory

    [first] = PrivacyNotice.objects.all()  # the page as installed is version 1
    privacy = SitePage.objects.get(key="privacy")
    assert (first.version, first.body_en) == (1, privacy.body_en)
    admin = UserFactory(is_national_admin=True)
    edit = reverse("sitepages:edit", kwargs={"key": "privacy"})
    fields = {
        "title_en": privacy.title_en,
        "title_fr": privacy.title_fr,
        "body_en": privacy.body_en + "\n\nWe now keep attendance for seven years.",
        "body_fr": privacy.body_fr + "\n\nNous gardons la participation sept ans.",
    }
    assert client_for(admin).post(edit, fields).status_code == 302
    assert client_for(admin).post(edit, fields).status_code == 302  # saved again, unchanged
    second = PrivacyNotice.current()
    assert second is not None
    assert (second.version, second.published_by) == (2, admin)
    assert "seven years" in second.body_en
    assert "seven years" not in PrivacyNotice.objects.get(version=1).body_en  # kept as it was
    assert "Version 2 of" in text(Client().get(reverse("sitepages:page", args=["privacy"])))

    # Someone who opened the form on version 1 is asked to read version 2 first.
    stale = sign_up("en", "luc@example.org", privacy_consent="on", privacy_notice_version="1")
    assert stale.status_code == 200
    assert stale.context["form"].errors["privacy_consent"] == [
        "The privacy notice changed while you filled in this form: read version 2, "
        "then tick the box again."
    ]
    assert 'name="privacy_notice_version" value="2"' in stale.content.decode()
    assert not User.objects.filter(email="luc@example.org").exists()
    assert sign_up("en", "luc@example.org", privacy_consent="on").status_code == 200
    done = sign_up("en", "luc@example.org", privacy_consent="on", privacy_notice_version="2")
    assert done.status_code == 302
    assert PrivacyConsent.objects.get(person__email="luc@example.org").notice == second


@pytest.mark.parametrize("name", ["account_signup", "account_login"])
def test_the_pages_say_log_in_and_create_an_account(db: None, name: str) -> None:
    with translation.override("en"):
        english = text(Client().get(reverse(name)))
    assert "Sign Up" not in english
    assert "Sign In" not in english
    assert "Log in" in english
    assert "Create an account" in english
    with translation.override("fr"):
        french_url = reverse(name)
    french = text(Client().get(french_url))
    assert "Se connecter" in french
    assert "Créer un compte" in french
    for allauth_word in ("Connexion", "Inscription", "Création de compte"):
        assert allauth_word not in french


def test_the_login_page_buttons(db: None) -> None:
    html = Client().get("/fr/accounts/login/").content.decode()
    assert '<button type="submit">Se connecter</button>' in html
    assert '<a href="/fr/accounts/signup/">Créer un compte</a>' in html
    html = Client().get("/fr/accounts/signup/").content.decode()
    assert '<button type="submit">Créer un compte</button>' in html
    assert '<a href="/fr/accounts/login/">Se connecter</a>' in html


@pytest.mark.parametrize(
    ("lang", "greeting", "thanks"),
    [
        # allauth's text between EchoHub's greeting and its signature (who sends it, CASL).
        ("en", "Hello,\n", "\n-- \nEchoHub\n"),
        ("fr", "Bonjour,\n", "\n-- \nEchoHub\n"),
    ],
)
def test_the_confirmation_email_names_the_site(
    db: None, settings: Any, lang: str, greeting: str, thanks: str
) -> None:
    settings.SITE_URL = "https://echohub.example.ca"
    client = Client(HTTP_HOST="127.0.0.1")
    response = client.post(
        signup_url(lang),
        {
            "email": f"amelie.{lang}@example.org",  # allauth sends one email per address per 3 min
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "name": "Amélie",
            "privacy_consent": "on",
            "privacy_notice_version": "1",
        },
    )
    assert response.status_code == 302
    [email] = mail.outbox
    assert email.subject.startswith("[EchoHub] ")
    assert greeting in email.body
    assert thanks in email.body
    assert "echohub.example.ca" in email.body
    assert "Hello from 127.0.0.1" not in email.body
    assert "example.com" not in email.body
    # Only the link itself points at the host the person used.
    assert email.body.count("127.0.0.1") == 1


def test_site_name_comes_from_the_setting(db: None, settings: Any) -> None:
    settings.SITE_NAME = "ECHO Ontario"
    Client().post(
        signup_url("en"),
        {
            "email": "x@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "name": "X",
            "privacy_consent": "on",
            "privacy_notice_version": "1",
        },
    )
    assert "\n-- \nECHO Ontario\n" in mail.outbox[0].body
