"""allauth's account emails look like every other EchoHub email: name, sender, HTML, language."""

import pytest
from django.core import mail
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_password_reset_is_branded_and_in_the_readers_language(network, settings) -> None:
    network.hub.is_lead = True
    network.hub.mailing_address = "1 Lead Street\nOttawa ON K1A 0A1"
    network.hub.save()
    UserFactory(email="infirmiere@example.org", preferred_language="fr")
    Client().post("/en/accounts/password/reset/", {"email": "infirmiere@example.org"})
    [sent] = mail.outbox
    assert "127.0.0.1" not in sent.subject
    assert sent.subject.startswith("[EchoHub]")
    assert "Bonjour," in sent.body  # her language, though the page was in English
    assert "Hello from" not in sent.body
    assert "Carrefour de l'Ontario" in sent.body
    assert "1 Lead Street, Ottawa ON K1A 0A1" in sent.body
    html = sent.alternatives[0][0]
    assert '<html lang="fr">' in html
    assert "/fr/accounts/password/reset/key/" in html or "/accounts/password/reset/key/" in html
