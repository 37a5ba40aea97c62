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


def test_sign_up_and_password_reset_answer_normally_while_the_mail_server_is_down(
    settings,
) -> None:
    from echohub.accounts.models import User
    from echohub.outreach.models import OutboxMessage
    from tests.factories import PASSWORD

    settings.EMAIL_BACKEND = "tests.outreach.test_outbox.RefusingBackend"
    signup = Client().post(
        "/en/accounts/signup/",
        {
            "email": "new.nurse@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "name": "New Nurse",
            "privacy_consent": "on",
            "privacy_notice_version": "1",
        },
    )
    assert signup.status_code == 302
    assert User.objects.filter(email="new.nurse@example.org").exists()
    reset = Client().post("/en/accounts/password/reset/", {"email": "new.nurse@example.org"})
    assert reset.status_code == 302
    # Both wait in the outbox, failed for now, to be tried again (or resent from the admin).
    kinds = set(OutboxMessage.objects.values_list("kind", "status"))
    assert kinds == {
        ("account.email_confirmation_signup", "failed"),
        ("account.password_reset_key", "failed"),
    }


def test_an_account_emails_link_is_removed_from_the_outbox_once_sent() -> None:
    from echohub.outreach.models import OutboxMessage
    from echohub.outreach.services import SPENT

    UserFactory(email="reader@example.org")
    Client().post("/en/accounts/password/reset/", {"email": "reader@example.org"})
    [sent] = mail.outbox
    assert "/accounts/password/reset/key/" in sent.body
    message = OutboxMessage.objects.get(kind="account.password_reset_key")
    assert message.status == "sent"
    assert message.body_text == SPENT
    assert "reset/key" not in message.body_html
