"""What CASL asks of every email, read back from a real SMTP server as a mail client reads it."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from echohub.library.models import Follow, Resource
from echohub.library.notifications import new_resource
from echohub.outreach import services
from echohub.outreach.models import MailAddress, OutboxMessage
from echohub.outreach.services import BulkRecipient, queue_bulk, send_batch
from echohub.reference.models import Topic
from tests.factories import SessionFactory, UserFactory
from tests.outreach.smtp import Sink
from tests.outreach.test_outbox import queue

pytestmark = pytest.mark.django_db


def bulk(emails: list[str], language: str = "en", key: str = "news") -> int:
    import zoneinfo

    addresses = services.mail_addresses(emails)
    session = SessionFactory()
    return queue_bulk(
        kind="session.reminder",
        recipients=[
            BulkRecipient(
                address=addresses[e],
                reason_key=f"{key}:{e}",
                language=language,
                zone=zoneinfo.ZoneInfo("America/Halifax"),
            )
            for e in emails
        ],
        context={"session": session, "program": session.program, "offset_minutes": 60},
        hub=session.program.hub,
    )


def test_a_bulk_email_arrives_with_rfc_8058_headers_and_both_parts(
    smtp_sink: Sink, committed, network
) -> None:
    network.hub.mailing_address = "1 King Street West\nToronto ON M5H 1A1"
    network.hub.contact_email = "echo@ontario.example.org"
    network.hub.save()
    import zoneinfo

    address = services.mail_address("Reader@Example.org")
    queue_bulk(
        kind="session.reminder",
        recipients=[BulkRecipient(address, "news:1", "fr", zoneinfo.ZoneInfo("America/Montreal"))],
        context={
            "session": network.session,
            "program": network.program,
            "offset_minutes": 60,
        },
        hub=network.hub,
    )
    assert send_batch() == 1
    [received] = smtp_sink.messages
    message = received.message
    assert received.envelope_to == ["reader@example.org"]
    unsubscribe = f"http://127.0.0.1:8000/fr/desabonnement/{address.token}/"
    # Folded onto its own line (longer than 78 characters): unfolding leaves the space.
    assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"
    # The hub's name in the From, encoded as RFC 2047 and decoded back.
    assert message["From"].addresses[0].display_name == "Carrefour de l'Ontario · EchoHub"
    assert message["Subject"].startswith("Rappel")
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text.get_content_charset() == "utf-8"
    plain = text.get_content()
    assert "Carrefour de l'Ontario, sur EchoHub" in plain
    assert "1 King Street West, Toronto ON M5H 1A1" in plain
    assert "echo@ontario.example.org" in plain
    assert unsubscribe in plain
    rendered = html.get_content()
    assert f'href="{unsubscribe}"' in rendered
    assert '<html lang="fr">' in rendered


def test_transactional_email_names_its_sender_and_has_no_unsubscribe(
    smtp_sink: Sink, committed, settings
) -> None:
    settings.SENDER_MAILING_ADDRESS = "PO Box 1, Ottawa ON K1A 0A1"
    person = UserFactory()
    with committed():
        queue(person)
    [received] = smtp_sink.messages
    assert received.message["List-Unsubscribe"] is None
    plain = received.message.get_body(("plain",)).get_content()
    assert "PO Box 1, Ottawa ON K1A 0A1" in plain
    assert "Unsubscribe" not in plain


def test_an_unsubscribed_address_still_gets_its_transactional_email(committed) -> None:
    person = UserFactory(email="nurse@example.org")
    address = services.mail_address(person.email)
    services.unsubscribe(address.token, source="test")
    with committed():
        assert queue(person) is not None
    assert len(mail.outbox) == 1
    assert bulk(["nurse@example.org"]) == 0


def test_a_bounced_address_gets_nothing_at_all(committed) -> None:
    person = UserFactory(email="gone@example.org")
    services.record_bounce("GONE@example.org", source="dsn 5.1.1")
    with committed():
        assert queue(person) is None
    assert bulk(["gone@example.org"]) == 0
    assert len(mail.outbox) == 0


def test_an_unsubscribe_stops_what_is_already_queued(committed) -> None:
    bulk(["a@example.org", "b@example.org"])
    token = MailAddress.objects.get(email="a@example.org").token
    services.unsubscribe(token, source="test")
    assert send_batch() == 2
    assert [m.to[0] for m in mail.outbox] == ["b@example.org"]
    assert OutboxMessage.objects.get(to_email="a@example.org").status == "suppressed"


def test_follow_emails_need_consent_and_carry_the_unsubscribe(committed, network) -> None:
    topic = Topic.objects.first()
    follower = UserFactory(email="follower@example.org")
    gone = UserFactory(email="gone@example.org")
    for person in (follower, gone):
        Follow.objects.create(person=person, topic=topic)
    services.unsubscribe(services.mail_address(gone.email).token, source="test")
    resource = Resource.objects.create(
        hub=network.hub, kind="tool", title_en="Chart", url="https://example.org/c"
    )
    resource.topics.set([topic])
    with committed():
        assert new_resource(resource.pk) == 1
    [sent] = mail.outbox
    assert sent.to == ["follower@example.org"]
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    message = OutboxMessage.objects.get()
    assert not message.transactional
    assert message.unsubscribe_url in sent.body


def test_the_same_bulk_reason_never_queues_twice(committed) -> None:
    assert bulk(["a@example.org"]) == 1
    assert bulk(["a@example.org"]) == 0
    assert OutboxMessage.objects.count() == 1


class Flaky(BaseEmailBackend):
    """An SMTP server that refuses one address and takes the others."""

    def send_messages(self, email_messages: Any) -> int:
        for message in email_messages:
            if message.to == ["flaky@example.org"]:
                raise ConnectionResetError("connection reset")
        return len(email_messages)


def test_a_failed_bulk_email_is_tried_later_then_given_up(settings) -> None:
    settings.EMAIL_BACKEND = "tests.outreach.test_casl.Flaky"
    bulk(["flaky@example.org", "fine@example.org"])
    assert send_batch() == 2
    flaky = OutboxMessage.objects.get(to_email="flaky@example.org")
    assert (flaky.status, flaky.attempts) == ("queued", 1)
    assert "ConnectionResetError" in flaky.last_error
    assert OutboxMessage.objects.get(to_email="fine@example.org").status == "sent"
    # Not yet due: the next batch leaves it alone.
    assert send_batch() == 0
    for _ in range(services.MAX_ATTEMPTS - 1):
        OutboxMessage.objects.filter(pk=flaky.pk).update(not_before=timezone.now())
        send_batch()
    flaky.refresh_from_db()
    assert (flaky.status, flaky.attempts) == ("failed", services.MAX_ATTEMPTS)


def test_a_dead_senders_claim_is_taken_back(settings) -> None:
    bulk(["a@example.org"])
    OutboxMessage.objects.update(
        status="sending", claimed_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert send_batch() == 1
    assert OutboxMessage.objects.get().status == "sent"


def test_the_rate_holds_emails_back(settings) -> None:
    import time

    settings.EMAIL_RATE_PER_SECOND = 20
    bulk([f"r{i}@example.org" for i in range(11)])
    started = time.monotonic()
    assert send_batch() == 11
    # 11 emails at 20 a second: the last leaves no sooner than half a second after the first.
    assert time.monotonic() - started >= 0.5
