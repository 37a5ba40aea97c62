"""Double opt-in, the consent record, preferences, unsubscribing without signing in."""

import time

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from echohub.outreach.models import MailAddress, OutboxMessage
from echohub.updates import services
from echohub.updates.models import Consent, Subscriber
from tests.conftest import client_for
from tests.updates.helpers import confirm, subscribe

pytestmark = pytest.mark.django_db


def test_nothing_but_the_confirmation_goes_until_the_link_is_followed(network, committed) -> None:
    client = Client()
    token = subscribe(client, "reader@example.org", committed, hubs=["ontario"])
    # The consent waits; there is no subscriber to write to.
    assert not Subscriber.objects.exists()
    consent = Consent.objects.get()
    assert consent.confirmed_at is None
    confirmation = OutboxMessage.objects.get()
    assert confirmation.kind == "updates.confirm"
    assert confirmation.transactional
    # A GET (a mail filter scanning the link) confirms nothing.
    page = client.get(f"/en/stay-informed/confirm/{token}/")
    assert page.status_code == 200
    assert b"Yes, confirm" in page.content
    assert not Subscriber.objects.exists()
    subscriber = confirm(client, token)
    consent.refresh_from_db()
    assert consent.confirmed_at is not None
    assert subscriber.consent == consent
    assert list(subscriber.hubs.values_list("slug", flat=True)) == ["ontario"]
    assert subscriber.frequency == "weekly"


def test_the_consent_record_keeps_the_words_shown_who_asked_when_where(network, committed) -> None:
    network.hub.mailing_address = "200 Elgin Street\nOttawa ON K2P 1L5"
    network.hub.contact_email = "echo@ontario.example.org"
    network.hub.save()
    client = Client()
    page = client.get("/fr/restez-informe/?hub=ontario")
    wording = services.consent_wording(network.hub, "fr")
    # The box is unticked, and its label is the wording stored below.
    assert 'name="consent" id="id_consent" required>' in page.content.decode()
    assert wording.replace("'", "&#x27;") in page.content.decode()
    with committed():
        client.post(
            "/fr/restez-informe/",
            {
                "email": "Lectrice@Example.org",
                "language": "fr",
                "frequency": "monthly",
                "consent": "on",
                "asked_by": "ontario",
                "page": "/fr/carrefours/ontario/",
            },
            REMOTE_ADDR="192.0.2.44",
        )
    consent = Consent.objects.get()
    assert consent.email == "lectrice@example.org"
    assert consent.wording == wording
    assert "Carrefour de l'Ontario" in wording
    assert "200 Elgin Street, Ottawa ON K2P 1L5" in wording
    assert "echo@ontario.example.org" in wording
    assert consent.language == "fr"
    assert consent.asked_by == "Carrefour de l'Ontario"
    assert consent.hub == network.hub
    assert consent.page == "/fr/carrefours/ontario/"
    assert consent.ip_address == "192.0.2.44"
    assert consent.via == Consent.Via.FORM
    assert abs((timezone.now() - consent.given_at).total_seconds()) < 60
    # The confirmation is in French, from the hub, with the French link.
    sent = mail.outbox[-1]
    assert sent.subject == "Confirmez votre abonnement à Carrefour de l'Ontario"
    assert "/fr/restez-informe/confirmer/" in sent.body


def test_without_the_box_nothing_is_recorded(network) -> None:
    response = Client().post(
        "/en/stay-informed/", {"email": "reader@example.org", "language": "en", "frequency": "each"}
    )
    assert response.status_code == 200
    assert b"Tick the box to say yes" in response.content
    assert not Consent.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_an_expired_link_says_so_and_subscribes_nobody(network, committed) -> None:
    subscribe(Client(), "reader@example.org", committed)
    consent = Consent.objects.get()

    class EightDaysAgo(signing.TimestampSigner):
        def timestamp(self) -> str:
            return signing.b62_encode(int(time.time()) - 8 * 86400)

    old = EightDaysAgo(salt="echohub.updates.confirm").sign_object(consent.pk)
    response = Client().post(f"/en/stay-informed/confirm/{old}/")
    assert response.status_code == 410
    assert b"This confirmation link has expired" in response.content
    assert b"Subscribe again" in response.content
    assert not Subscriber.objects.exists()


def test_a_tampered_confirmation_link_is_refused(network, committed) -> None:
    token = subscribe(Client(), "reader@example.org", committed)
    response = Client().post(f"/en/stay-informed/confirm/{token[:-2]}xx/")
    assert response.status_code == 400
    assert not Subscriber.objects.exists()


def test_typing_someone_elses_address_changes_nothing_of_theirs(network, committed) -> None:
    subscriber = confirm(Client(), subscribe(Client(), "reader@example.org", committed))
    subscribe(Client(), "reader@example.org", committed, frequency="each", provinces=["QC"])
    subscriber.refresh_from_db()
    assert subscriber.frequency == "weekly"
    assert not subscriber.provinces.exists()


def test_unsubscribe_without_signing_in_takes_effect_at_once(network, committed) -> None:
    subscriber = confirm(Client(), subscribe(Client(), "reader@example.org", committed))
    token = subscriber.address.token
    page = Client().get(f"/en/unsubscribe/{token}/")
    assert page.status_code == 200
    assert b"reader@example.org" in page.content
    response = Client().post(f"/en/unsubscribe/{token}/")
    assert response.status_code == 200
    assert b"You are unsubscribed" in response.content
    subscriber.address.refresh_from_db()
    assert subscriber.address.suppressed == MailAddress.Suppressed.UNSUBSCRIBED
    assert subscriber.address.suppression_source == "unsubscribe page"


def test_a_mail_clients_one_click_post_unsubscribes(network, committed) -> None:
    subscriber = confirm(Client(), subscribe(Client(), "reader@example.org", committed))
    # RFC 8058: the client POSTs this body, with no cookie and no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        f"/en/unsubscribe/{subscriber.address.token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    subscriber.address.refresh_from_db()
    assert subscriber.address.suppressed == MailAddress.Suppressed.UNSUBSCRIBED
    assert subscriber.address.suppression_source == "one-click header"


def test_a_tampered_unsubscribe_token_is_a_400(network) -> None:
    MailAddress.objects.create(email="reader@example.org")
    for method in ("get", "post"):
        response = getattr(Client(), method)("/en/unsubscribe/not-a-real-token/")
        assert response.status_code == 400
        assert b"This unsubscribe link does not work" in response.content
    assert not MailAddress.objects.exclude(suppressed="").exists()


def test_confirming_again_lifts_an_unsubscribe_and_records_new_consent(network, committed) -> None:
    subscriber = confirm(Client(), subscribe(Client(), "reader@example.org", committed))
    Client().post(f"/en/unsubscribe/{subscriber.address.token}/")
    confirm(Client(), subscribe(Client(), "reader@example.org", committed, frequency="each"))
    subscriber.refresh_from_db()
    subscriber.address.refresh_from_db()
    assert subscriber.address.suppressed == ""
    assert subscriber.frequency == "each"
    assert Consent.objects.filter(confirmed_at__isnull=False).count() == 2


def test_signed_in_people_manage_the_same_choices_on_their_page(network) -> None:
    person = network.participant
    client = client_for(person)
    profile = client.get(reverse("accounts:profile"))
    assert b'href="/en/stay-informed/preferences/"' in profile.content
    page = client.get("/en/stay-informed/preferences/")
    assert b"You are not subscribed" in page.content
    response = client.post(
        "/en/stay-informed/preferences/",
        {"frequency": "monthly", "provinces": ["ON"], "consent": "on"},
    )
    assert response.status_code == 302
    subscriber = Subscriber.objects.get(person=person)
    assert subscriber.address.email == person.email.lower()
    assert subscriber.frequency == "monthly"
    assert subscriber.consent.via == Consent.Via.PROFILE
    assert subscriber.consent.confirmed_at is not None
    client.post("/en/stay-informed/preferences/", {"action": "stop"})
    subscriber.address.refresh_from_db()
    assert subscriber.address.suppressed == MailAddress.Suppressed.UNSUBSCRIBED


def test_the_preferences_link_in_emails_needs_no_sign_in(network, committed) -> None:
    subscriber = confirm(Client(), subscribe(Client(), "reader@example.org", committed))
    path = f"/en/stay-informed/preferences/{subscriber.key}/"
    response = Client().post(path, {"frequency": "each", "language": "fr", "professions": ["psw"]})
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.frequency == "each"
    assert subscriber.language == "fr"
    assert list(subscriber.professions.values_list("code", flat=True)) == ["psw"]
    assert Client().get("/en/stay-informed/preferences/wrong-key/").status_code == 400


def test_posting_the_form_again_sends_no_second_email_for_a_while(network, committed) -> None:
    subscribe(Client(), "reader@example.org", committed)
    with committed():
        again = Client().post(
            "/en/stay-informed/",
            {"email": "READER@example.org", "language": "en", "frequency": "each", "consent": "on"},
        )
    assert again.status_code == 302
    assert len(mail.outbox) == 1
    assert Consent.objects.count() == 1


def test_an_old_confirmation_link_does_not_undo_a_later_unsubscribe(network, committed) -> None:
    token = subscribe(Client(), "reader@example.org", committed)
    subscriber = confirm(Client(), token)
    Client().post(f"/en/unsubscribe/{subscriber.address.token}/")
    again = Client().post(f"/en/stay-informed/confirm/{token}/")
    assert again.status_code == 200
    assert b"This link was already used" in again.content
    subscriber.address.refresh_from_db()
    assert subscriber.address.suppressed == MailAddress.Suppressed.UNSUBSCRIBED


def test_the_consent_keeps_the_pages_words_when_the_emails_are_in_the_other_language(
    network, committed
) -> None:
    with committed():
        Client().post(
            "/en/stay-informed/",
            {"email": "r@example.org", "language": "fr", "frequency": "weekly", "consent": "on"},
        )
    consent = Consent.objects.get()
    assert consent.language == "en"
    assert consent.wording.startswith("Yes, ")
    assert mail.outbox[-1].subject.startswith("Confirmez")
    token = signing.dumps(consent.pk, salt="echohub.updates.confirm")
    subscriber = confirm(Client(), token)
    assert subscriber.language == "fr"
