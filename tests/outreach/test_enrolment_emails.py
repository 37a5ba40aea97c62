"""A cohort enrolment is told in one email for the whole series, not one per session."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from echohub.outreach.models import OutboxMessage
from echohub.programs.models import Program
from echohub.registration import services
from echohub.registration.models import Enrolment
from tests.factories import ProgramFactory, SessionFactory, UserFactory

JOIN = "https://video.example.org/j/cohort"


def cohort(**fields: object) -> Program:
    program = ProgramFactory(
        enrolment=Program.Enrolment.COHORT, title_en="Grief circle", title_fr="Cercle du deuil"
    )
    for field, value in fields.items():
        setattr(program, field, value)
    program.save()
    now = timezone.now()
    for week, capacity in ((1, None), (2, 1), (3, None)):
        SessionFactory(
            program=program,
            title_en=f"Week {week}",
            starts_at=now + dt.timedelta(weeks=week),
            capacity=capacity,
            join_url=JOIN,
        )
    SessionFactory(program=program, title_en="Week 0", starts_at=now - dt.timedelta(days=2))
    return program


def test_enrolling_sends_one_email_with_every_session_and_one_calendar(db, committed) -> None:
    program = cohort()
    with committed():
        services.enrol(UserFactory(), program)  # takes week 2's only seat
    mail.outbox.clear()
    person = UserFactory(email="nurse@example.org")
    with committed():
        services.enrol(person, program)

    [email] = mail.outbox
    assert email.subject == "Enrolled: Grief circle"
    lines = email.body.splitlines()
    assert [line.split(": ", 1)[1] for line in lines if line.startswith("- ")] == [
        "Week 1",
        "Week 2 (waiting list)",
        "Week 3",
    ]
    [part] = email.attachments
    assert part.get_filename() == f"program-{program.slug}.ics"
    calendar = part.get_payload(decode=True).decode()
    assert calendar.count("BEGIN:VEVENT") == 3
    # The join link rides in the entries of the two sessions with a seat (as their
    # location and in their description), not in the waitlisted one.
    assert calendar.replace("\r\n ", "").count(JOIN) == 4
    assert calendar.count(f"LOCATION:{JOIN}") == 2
    kinds = OutboxMessage.objects.filter(recipient=person).values_list("kind", flat=True)
    assert list(kinds) == ["enrolment.active"]


def test_leaving_sends_one_email_not_one_per_session(db, committed) -> None:
    program, person = cohort(), UserFactory()
    with committed():
        enrolment = services.enrol(person, program)
    mail.outbox.clear()
    with committed():
        services.leave(enrolment, by=person)
    [email] = mail.outbox
    assert email.subject == "You have left: Grief circle"
    [part] = email.attachments
    assert part.get_payload(decode=True).decode().count("BEGIN:VEVENT") == 3


def test_approval_tells_pending_then_the_decision_in_their_language(db, committed) -> None:
    program = cohort(requires_approval=True)
    person = UserFactory(preferred_language="fr")
    coordinator = UserFactory()
    with committed():
        enrolment = services.enrol(person, program)
    with committed():
        services.decide_enrolment(enrolment, approve=False, by=coordinator)
    subjects = [email.subject for email in mail.outbox]
    assert subjects == [
        "Inscription en attente d’approbation\u00a0: Cercle du deuil",
        "Inscription non approuvée\u00a0: Cercle du deuil",
    ]
    assert Enrolment.objects.get().status == Enrolment.Status.DECLINED
