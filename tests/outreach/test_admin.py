from django.core import mail
from django.urls import reverse

from echohub.outreach.models import OutboxMessage
from tests.conftest import client_for
from tests.factories import UserFactory


def test_the_outbox_is_readable_in_the_admin_and_cannot_be_edited(db: None) -> None:
    person = UserFactory()
    OutboxMessage.objects.create(
        recipient=person,
        to_email=person.email,
        language="en",
        kind="registration.confirmed",
        reason_key="registration:1:confirmed:1",
        subject="You are registered",
        body_text="Hello",
        status=OutboxMessage.Status.FAILED,
        last_error="SMTPServerDisconnected: gone",
    )
    admin = client_for(UserFactory(is_staff=True, is_superuser=True))
    listing = admin.get(reverse("admin:outreach_outboxmessage_changelist") + "?status=failed")
    assert listing.status_code == 200
    assert "You are registered" in listing.content.decode()
    assert admin.get(reverse("admin:outreach_outboxmessage_add")).status_code == 403
    message = OutboxMessage.objects.get()
    change = reverse("admin:outreach_outboxmessage_change", args=[message.pk])
    assert admin.post(change, {"subject": "Changed"}).status_code == 403
    message.refresh_from_db()
    assert message.subject == "You are registered"


def test_the_suppression_list_is_readable_and_cannot_be_edited(db: None) -> None:
    from echohub.outreach.services import record_bounce

    record_bounce("gone@example.org", source="dsn 5.1.1")
    admin = client_for(UserFactory(is_staff=True, is_superuser=True))
    listing = admin.get(reverse("admin:outreach_mailaddress_changelist") + "?suppressed=bounced")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "gone@example.org" in page
    assert "dsn 5.1.1" in page
    assert admin.get(reverse("admin:outreach_mailaddress_add")).status_code == 403
    consents = admin.get(reverse("admin:updates_consent_changelist"))
    assert consents.status_code == 200


def test_staff_send_a_failed_email_again_from_the_admin(db: None, committed) -> None:
    person = UserFactory()
    message = OutboxMessage.objects.create(
        recipient=person,
        to_email=person.email,
        language="en",
        kind="registration.confirmed",
        reason_key="registration:9:confirmed:1",
        subject="You are registered",
        body_text="Hello",
        status=OutboxMessage.Status.FAILED,
        attempts=9,
        last_error="SMTPServerDisconnected: gone",
    )
    admin = client_for(UserFactory(is_staff=True, is_superuser=True))
    with committed():
        response = admin.post(
            reverse("admin:outreach_outboxmessage_changelist"),
            {"action": "send_again", "_selected_action": [message.pk]},
        )
    assert response.status_code == 302
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert [m.subject for m in mail.outbox] == ["You are registered"]
