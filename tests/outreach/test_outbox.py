import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError

from echohub.outreach import services
from echohub.outreach.models import OutboxMessage
from echohub.outreach.tasks import send_outbox_message
from tests.factories import SessionFactory, UserFactory


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("smtp.example.org refused the connection")


def queue(person, reason_key: str = "test:1") -> OutboxMessage | None:
    session = SessionFactory()
    return services.queue_email(
        person=person,
        kind="session.reminder",
        reason_key=reason_key,
        context={"session": session, "program": session.program, "offset_minutes": 60},
        hub=session.program.hub,
    )


def test_the_same_reason_never_queues_twice(db, committed) -> None:
    person = UserFactory()
    with committed():
        first = queue(person)
        again = queue(person)
    assert first is not None
    assert again is None
    assert len(mail.outbox) == 1
    with pytest.raises(IntegrityError):
        OutboxMessage.objects.create(
            to_email="x@example.org", language="en", kind="k", reason_key="test:1"
        )


def test_a_sent_message_is_never_sent_again(db, committed) -> None:
    with committed():
        message = queue(UserFactory())
    assert message is not None
    assert services.send_message(message.pk) is False
    send_outbox_message.enqueue(message.pk)
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_failed_send_is_recorded_and_tried_for_days(db, committed, settings) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with committed():
        message = queue(UserFactory())
    assert message is not None

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == services.MAX_ATTEMPTS
    assert message.last_error == ("ConnectionRefusedError: smtp.example.org refused the connection")
    assert message.sent_at is None
    assert mail.outbox == []


def test_the_task_result_records_the_failure(db, settings) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    message = OutboxMessage.objects.create(
        to_email="x@example.org",
        language="en",
        kind="k",
        reason_key="test:fail",
        subject="s",
        body_text="b",
        attempts=services.MAX_ATTEMPTS - 1,
    )
    result = send_outbox_message.enqueue(message.pk)
    assert result.status == "FAILED"
    assert result.errors[0].exception_class is ConnectionRefusedError


def test_a_failed_message_goes_once_the_server_is_back(db, committed, settings) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with committed():
        message = queue(UserFactory())
    assert message is not None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    send_outbox_message.enqueue(message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        "sent",
        services.MAX_ATTEMPTS + 1,
        "",
    )
    assert len(mail.outbox) == 1


def test_the_retries_last_days() -> None:
    waited = sum(services.RETRY_DELAYS, dt.timedelta())
    assert waited > dt.timedelta(days=2)
    assert len(services.RETRY_DELAYS) + 1 == services.MAX_ATTEMPTS


def test_failed_messages_are_sent_again_on_request(db, committed, settings) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with committed():
        message = queue(UserFactory())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with committed():
        assert services.resend(OutboxMessage.objects.all()) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert len(mail.outbox) == 1


def test_resend_emails_takes_failed_ones_by_reason_and_time(db, committed, settings) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with committed():
        queue(UserFactory(), reason_key="registration:1")
        queue(UserFactory(), reason_key="reminder:1")
    OutboxMessage.objects.filter(reason_key="reminder:1").update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = StringIO()
    call_command("resend_emails", "--reason", "registration:", "--dry-run", stdout=out)
    assert "1 failed email(s) would be sent again" in out.getvalue()
    assert mail.outbox == []
    since = (timezone.now() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    with committed():
        call_command("resend_emails", "--since", since, stdout=out)
    assert "1 failed email(s) queued again" in out.getvalue()
    assert [m.extra_headers.get("List-Unsubscribe") for m in mail.outbox] == [None]
    assert OutboxMessage.objects.get(reason_key="registration:1").status == "sent"
    assert OutboxMessage.objects.get(reason_key="reminder:1").status == "failed"
