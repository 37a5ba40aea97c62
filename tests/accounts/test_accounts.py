"""Sign-up with email confirmation, login, logout, password reset and the profile."""

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from echohub.accounts.models import User
from tests.conftest import Network, client_for
from tests.factories import PASSWORD, SpokeFactory, UserFactory

NEW_PASSWORD = "Palliative-care-2026!"


def link_in(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://testserver(/\S+)", message.body)
    assert found, message.body
    return found.group(1)


def test_sign_up_confirm_email_then_land_signed_in(db: None) -> None:
    client = Client()
    response = client.post(
        reverse("account_signup"),
        {
            "email": "Nadia.Tremblay@Example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "name": "Nadia Tremblay",
            "profession": "registered-nurse",
            "province": "ON",
            "privacy_consent": "on",
            "privacy_notice_version": "1",
        },
    )
    assert response.status_code == 302
    person = User.objects.get(email__iexact="nadia.tremblay@example.org")
    assert (person.name, person.profession_id, person.province_id) == (
        "Nadia Tremblay",
        "registered-nurse",
        "ON",
    )
    assert person.preferred_language == "en"
    assert not EmailAddress.objects.get(user=person).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nadia.tremblay@example.org"]
    confirm = link_in(mail.outbox[0])
    assert client.get(reverse("accounts:profile")).status_code == 302  # not signed in yet
    client.post(confirm)
    assert EmailAddress.objects.get(user=person).verified
    profile = client.get(reverse("accounts:profile"))
    assert profile.status_code == 200
    assert "nadia.tremblay@example.org" in profile.content.decode()


def test_sign_up_in_french_keeps_french_as_preferred_language(db: None) -> None:
    with translation.override("fr"):
        url = reverse("account_signup")
    Client().post(
        url,
        {
            "email": "luc@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "name": "Luc Gagnon",
            "privacy_consent": "on",
            "privacy_notice_version": "1",
        },
    )
    assert User.objects.get(email="luc@example.org").preferred_language == "fr"
    assert len(mail.outbox) == 1


def test_sign_up_with_html_in_the_name_is_refused(db: None) -> None:
    response = Client().post(
        reverse("account_signup"),
        {
            "email": "x@example.org",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "name": "<a href=x>me</a>",
        },
    )
    assert response.status_code == 200
    assert "HTML tags such as &lt;a href=x&gt; are not allowed" in response.content.decode()
    assert not User.objects.filter(email="x@example.org").exists()


def verified(person: User) -> User:
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return person


def test_log_in_and_out(db: None) -> None:
    person = verified(UserFactory(email="amir@example.org"))
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": "AMIR@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == person.pk
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_wrong_password_says_so(db: None) -> None:
    verified(UserFactory(email="amir@example.org"))
    response = Client().post(
        reverse("account_login"), {"login": "amir@example.org", "password": "nope"}
    )
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )


def test_reset_a_forgotten_password(db: None) -> None:
    person = verified(UserFactory(email="amir@example.org"))
    client = Client()
    client.post(reverse("account_reset_password"), {"email": "amir@example.org"})
    assert len(mail.outbox) == 1
    reset = client.get(link_in(mail.outbox[0]), follow=True)
    form_url = reset.redirect_chain[-1][0] if reset.redirect_chain else reset.request["PATH_INFO"]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)


def test_profile_saves_every_field(network: Network) -> None:
    spoke = SpokeFactory(name="Sudbury Family Health Team")
    client = client_for(network.participant)
    response = client.post(
        reverse("accounts:profile"),
        {
            "name": "Nadia P.",
            "profession": "psw",
            "practice_setting": "home-care",
            "province": "NL",
            "spoke": spoke.pk,
            "preferred_language": "fr",
            "timezone": "America/St_Johns",
        },
        follow=True,
    )
    person = User.objects.get(pk=network.participant.pk)
    assert (
        person.name,
        person.profession_id,
        person.practice_setting_id,
        person.province_id,
        person.spoke,
        person.preferred_language,
        person.timezone,
    ) == ("Nadia P.", "psw", "home-care", "NL", spoke, "fr", "America/St_Johns")
    assert response.context["messages"]
    assert response.context["request"].reader_zone == "America/St_Johns"


def test_profile_rejects_an_unknown_time_zone_and_an_empty_name(network: Network) -> None:
    client = client_for(network.participant)
    response = client.post(
        reverse("accounts:profile"),
        {"name": "", "preferred_language": "en", "timezone": "Mars/Olympus"},
    )
    form = response.context["form"]
    assert form.errors["name"] == ["This field is required."]
    assert form.errors["timezone"][0].startswith("Select a valid choice.")
    network.participant.refresh_from_db()
    assert network.participant.name == "Nadia Participant"


def test_a_french_speaker_lands_on_french_pages_after_logging_in(db: None) -> None:
    verified(UserFactory(email="josee@example.org", preferred_language="fr"))
    response = Client().post(
        reverse("account_login"), {"login": "josee@example.org", "password": PASSWORD}
    )
    assert response["Location"] == "/fr/"


def test_logging_in_from_a_page_returns_to_that_page_as_it_was(db: None) -> None:
    """A page the person chose, in the language they chose it, wins over the profile."""
    verified(UserFactory(email="josee@example.org", preferred_language="fr"))
    response = Client().post(
        reverse("account_login"),
        {"login": "josee@example.org", "password": PASSWORD, "next": "/en/programs/"},
    )
    assert response["Location"] == "/en/programs/"


def test_profile_lists_the_persons_hub_roles_and_panels(network: Network) -> None:
    network.program.team.create(person=network.facilitator, role="facilitator")
    page = client_for(network.facilitator).get(reverse("accounts:profile")).content.decode()
    roles = re.search(r'<ul id="roles">(.*?)</ul>', page, re.S).group(1)  # type: ignore[union-attr]
    words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", roles)).strip()
    assert words == "Facilitator — Ontario Hub Facilitator — PSW Series"
