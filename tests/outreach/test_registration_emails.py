import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from echohub.outreach.models import OutboxMessage
from echohub.programs.models import Session
from echohub.registration import notifications, services
from echohub.registration.models import Registration
from tests.factories import ProgramFactory, SessionFactory, UserFactory

JOIN = "https://video.example.org/j/123456"
# Tuesday 14 January 2031, 17:00 UTC: 12:00 in Toronto, 9:00 in Vancouver.
START = dt.datetime(2031, 1, 14, 17, 0, tzinfo=dt.UTC)


@pytest.fixture
def session(db: None) -> Session:
    return SessionFactory(capacity=1, starts_at=START, join_url=JOIN)


def html_of(message: mail.EmailMessage) -> str:
    assert isinstance(message, mail.EmailMultiAlternatives)
    return str(message.alternatives[0][0])


def test_registering_sends_one_confirmation_with_the_join_link(session, committed) -> None:
    person = UserFactory(email="nadia@example.org", name="Nadia Roy")
    with committed():
        registration = services.register(person, session)

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["nadia@example.org"]
    assert sent.subject == f"You are registered: {session.title_en}"
    assert "Hello Nadia," in sent.body
    assert JOIN in sent.body
    assert JOIN in html_of(sent)
    assert "12:00 p.m." in sent.body  # Toronto, the default zone
    assert "http://127.0.0.1:8000/en/" in sent.body  # the signed cancel link, absolute
    assert str(session.program.hub.name_en) in sent.from_email
    [(filename, ics, mimetype)] = [
        (part.get_filename(), part.get_payload(decode=True).decode(), part.get_content_type())
        for part in sent.attachments
    ]
    assert (filename, mimetype) == (f"session-{session.pk}.ics", "text/calendar")
    assert "METHOD:PUBLISH" in ics
    assert JOIN in ics.replace("\r\n ", "")
    message = OutboxMessage.objects.get()
    assert (message.kind, message.status, message.attempts) == (
        "registration.confirmed",
        OutboxMessage.Status.SENT,
        1,
    )
    assert message.recipient == registration.person
    assert message.sent_at is not None


def test_confirmation_in_french_at_the_time_of_the_persons_zone(session, committed) -> None:
    person = UserFactory(preferred_language="fr", timezone="America/Vancouver")
    with committed():
        services.register(person, session)

    [sent] = mail.outbox
    assert session.title_fr in sent.subject
    assert "mardi 14 janvier 2031" in sent.body
    assert "9 h 00" in sent.body  # 17:00 UTC in Vancouver
    assert "http://127.0.0.1:8000/fr/" in sent.body
    assert OutboxMessage.objects.get().language == "fr"


def test_the_waitlisted_email_has_no_join_link(session, committed) -> None:
    with committed():
        services.register(UserFactory(), session)
        services.register(UserFactory(email="second@example.org"), session)

    waitlisted = next(m for m in mail.outbox if m.to == ["second@example.org"])
    assert waitlisted.subject.startswith("On the waiting list")
    assert "position 1" in waitlisted.body
    assert JOIN not in waitlisted.body
    assert JOIN not in html_of(waitlisted)
    assert waitlisted.attachments == []


def test_registering_twice_sends_one_email(session, committed) -> None:
    person = UserFactory()
    with committed():
        registration = services.register(person, session)
        services.register(person, session)
    assert notifications.registered(registration.pk) is None  # its reason was used
    assert len(mail.outbox) == 1


def test_a_cancellation_promotes_the_next_and_tells_them(session, committed) -> None:
    first, second = UserFactory(), UserFactory(email="second@example.org")
    with committed():
        seat = services.register(first, session)
        services.register(second, session)
    mail.outbox.clear()

    with committed():
        services.cancel(seat, by=first)

    cancelled, promoted = sorted(mail.outbox, key=lambda email: email.to != [first.email])
    assert cancelled.to == [first.email]
    assert cancelled.subject.startswith("Registration cancelled")
    assert JOIN not in cancelled.body
    assert "BEGIN:VCALENDAR" not in str(cancelled.message())
    assert promoted.to == ["second@example.org"]
    assert promoted.subject.startswith("A seat freed up")
    assert JOIN in promoted.body


def test_a_later_promotion_is_told_again(session, committed) -> None:
    first, second = UserFactory(), UserFactory()
    # Each step commits on its own, as each request would.
    with committed():
        seat = services.register(first, session)
    with committed():
        waiting = services.register(second, session)
    with committed():
        services.cancel(seat, by=first)  # promotes `second`
    with committed():
        services.cancel(waiting, by=second)
    with committed():
        services.register(first, session)
    with committed():
        services.register(second, session)  # waitlisted again
    with committed():
        services.cancel(Registration.objects.get(person=first), by=first)

    kinds = OutboxMessage.objects.filter(recipient=second).values_list("kind", flat=True)
    twice = ["registration.waitlisted", "registration.promoted"] * 2
    assert sorted(kinds) == sorted([*twice, "registration.cancelled"])


def test_approval_and_decline_are_told(db, committed) -> None:
    session = SessionFactory(program=ProgramFactory(requires_approval=True), join_url=JOIN)
    coordinator = UserFactory()
    with committed():
        yes = services.register(UserFactory(email="yes@example.org"), session)
        no = services.register(UserFactory(email="no@example.org"), session)
    assert [m.subject.split(":")[0] for m in mail.outbox] == ["Registration received"] * 2
    assert all(JOIN not in m.body for m in mail.outbox)
    mail.outbox.clear()

    with committed():
        services.decide(yes, approve=True, by=coordinator)
        services.decide(no, approve=False, by=coordinator)

    by_person = {m.to[0]: m for m in mail.outbox}
    assert by_person["yes@example.org"].subject.startswith("Registration approved")
    assert JOIN in by_person["yes@example.org"].body
    assert by_person["no@example.org"].subject.startswith("Registration not approved")
    assert JOIN not in by_person["no@example.org"].body


def test_added_by_staff_is_told(session, committed) -> None:
    UserFactory(email="added@example.org")
    with committed():
        services.add_by_staff(session, "added@example.org", by=UserFactory())
    [sent] = mail.outbox
    assert sent.to == ["added@example.org"]
    assert JOIN in sent.body


def test_a_moved_session_tells_each_registrant_once(session, committed) -> None:
    with committed():
        services.register(UserFactory(), session)
    mail.outbox.clear()
    session.starts_at = START + dt.timedelta(hours=2)
    session.save()

    with committed():
        assert notifications.notify_session_changed(session) == 1
        assert notifications.notify_session_changed(session) == 0

    [sent] = mail.outbox
    assert sent.subject.startswith("New time")
    assert "2:00 p.m." in sent.body


def test_a_cancelled_session_tells_registrants_without_the_join_link(session, committed) -> None:
    with committed():
        services.register(UserFactory(), session)
    mail.outbox.clear()
    session.status = Session.Status.CANCELLED
    session.save()

    with committed():
        assert notifications.notify_session_cancelled(session) == 1

    [sent] = mail.outbox
    assert sent.subject.startswith("Cancelled")
    assert JOIN not in sent.body
    assert "STATUS:CANCELLED" in sent.attachments[0].get_payload(decode=True).decode()


def test_emails_wait_for_the_commit(session) -> None:
    # Without the commit (a rolled-back registration) nothing is sent.
    services.register(UserFactory(), session)
    assert mail.outbox == []
    assert OutboxMessage.objects.count() == 0


def test_no_email_for_a_session_in_the_past(db, committed) -> None:
    past = SessionFactory(starts_at=timezone.now() - dt.timedelta(days=1))
    with committed(), pytest.raises(services.RegistrationRefused):
        services.register(UserFactory(), past)
    assert mail.outbox == []
