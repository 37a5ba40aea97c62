import datetime as dt

import pytest
from django.utils import timezone

from echohub.programs import services as program_services
from echohub.programs.models import Program, Session
from echohub.programs.series import SeriesRule
from echohub.registration import services
from echohub.registration.models import Enrolment, Registration
from tests.factories import ProgramFactory, SessionFactory, UserFactory

Status = Registration.Status


@pytest.fixture
def session(db: None) -> Session:
    return SessionFactory(capacity=2)


def test_seats_then_waiting_list_in_order(session: Session) -> None:
    people = [UserFactory() for _ in range(4)]
    statuses = [services.register(p, session).status for p in people]
    assert statuses == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED, Status.WAITLISTED]
    waiting = Registration.objects.filter(status=Status.WAITLISTED).order_by("queued_at")
    assert [services.waitlist_position(r) for r in waiting] == [1, 2]
    assert services.seats_left(session) == 0


def test_registering_twice_returns_the_same_registration(session: Session) -> None:
    person = UserFactory()
    first = services.register(person, session)
    assert services.register(person, session).pk == first.pk
    assert Registration.objects.count() == 1


def test_a_freed_seat_goes_to_the_first_on_the_waiting_list(session: Session) -> None:
    a, b, c, d = (UserFactory() for _ in range(4))
    seat = services.register(a, session)
    services.register(b, session)
    services.register(c, session)
    services.register(d, session)
    promoted = services.cancel(seat, by=a)
    assert [r.person for r in promoted] == [c]
    assert Registration.objects.get(person=c).status == Status.CONFIRMED
    assert Registration.objects.get(person=d).status == Status.WAITLISTED
    assert services.waitlist_position(Registration.objects.get(person=d)) == 1


def test_cancelling_a_waitlisted_place_promotes_nobody(session: Session) -> None:
    people = [UserFactory() for _ in range(3)]
    regs = [services.register(p, session) for p in people]
    assert services.cancel(regs[2], by=people[2]) == []
    assert services.cancel(regs[2], by=people[2]) == []  # twice: nothing more happens


def test_registering_again_after_cancelling_joins_the_back_of_the_queue(session: Session) -> None:
    people = [UserFactory() for _ in range(3)]
    regs = [services.register(p, session) for p in people]
    services.cancel(regs[0], by=people[0])  # people[2] promoted
    again = services.register(people[0], session)
    assert again.pk == regs[0].pk
    assert again.status == Status.WAITLISTED


def test_raising_capacity_promotes_and_lowering_keeps_the_confirmed(session: Session) -> None:
    people = [UserFactory() for _ in range(5)]
    for person in people:
        services.register(person, session)
    promoted = services.set_capacity(session, 4, by=people[0])
    assert [r.person for r in promoted] == people[2:4]
    services.set_capacity(session, 1, by=people[0])
    assert session.registrations.filter(status=Status.CONFIRMED).count() == 4
    assert services.set_capacity(session, None, by=people[0])[0].person == people[4]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"starts_at": timezone.now() - dt.timedelta(hours=1)}, "already started"),
        ({"status": Session.Status.CANCELLED}, "This session is cancelled."),
        ({"registration_open": False}, "Registration for this session is closed."),
    ],
)
def test_refusals_change_nothing(session: Session, change: dict[str, object], reason: str) -> None:
    Session.objects.filter(pk=session.pk).update(**change)
    session.refresh_from_db()
    with pytest.raises(services.RegistrationRefused) as refused:
        services.register(UserFactory(), session)
    assert reason in refused.value.messages[0]
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"registration_open": False}, "closed"),
        ({"status": Session.Status.CANCELLED}, "cancelled"),
        ({"capacity": 0}, Status.WAITLISTED),
    ],
)
def test_the_session_as_it_is_now_decides_not_the_page_that_was_read(
    session: Session, change: dict[str, object], expected: str
) -> None:
    """A coordinator closes, cancels or fills the session after the page was loaded."""
    as_read = Session.objects.select_related("program").get(pk=session.pk)
    Session.objects.filter(pk=session.pk).update(**change)
    if expected == Status.WAITLISTED:
        assert services.register(UserFactory(), as_read).status == Status.WAITLISTED
        return
    with pytest.raises(services.RegistrationRefused, match=expected):
        services.register(UserFactory(), as_read)
    assert not Registration.objects.exists()


def test_draft_program_refuses(db: None) -> None:
    session = SessionFactory(program=ProgramFactory(status=Program.Status.DRAFT))
    with pytest.raises(services.RegistrationRefused):
        services.register(UserFactory(), session)


def test_cohort_sessions_need_an_enrolment_which_registers_for_all_and_later_ones(
    db: None,
) -> None:
    program = ProgramFactory(enrolment=Program.Enrolment.COHORT)
    first, second = SessionFactory(program=program), SessionFactory(program=program)
    past = SessionFactory(program=program, starts_at=timezone.now() - dt.timedelta(days=3))
    person = UserFactory()
    with pytest.raises(services.RegistrationRefused) as refused:
        services.register(person, first)
    assert "enrol in the program first" in refused.value.messages[0]
    services.enrol(person, program)
    assert set(person.registrations.values_list("session", flat=True)) == {first.pk, second.pk}
    assert not person.registrations.filter(session=past).exists()
    start = (timezone.now() + dt.timedelta(days=30)).date()
    rule = SeriesRule(start, dt.time(12), 60, "America/Toronto", "weekly", count=2)
    added = program_services.generate_series(
        program, rule, by=person, title_en="Extra {n}", title_fr=""
    )
    added_ids = {s.pk for s in added}
    assert set(
        person.registrations.filter(session__in=added_ids).values_list("status", flat=True)
    ) == {Status.CONFIRMED}
    services.leave(person.enrolments.get(), by=person)
    assert set(person.registrations.values_list("status", flat=True)) == {Status.CANCELLED}


def test_approval_holds_registrations_until_a_coordinator_decides(db: None) -> None:
    session = SessionFactory(program=ProgramFactory(requires_approval=True), capacity=1)
    a, b, c = (UserFactory() for _ in range(3))
    ra, rb, rc = (services.register(p, session) for p in (a, b, c))
    assert {ra.status, rb.status, rc.status} == {Status.PENDING}
    assert services.decide(rb, approve=True, by=a).status == Status.CONFIRMED
    assert services.decide(ra, approve=True, by=a).status == Status.WAITLISTED
    assert services.decide(rc, approve=False, by=a).status == Status.DECLINED
    with pytest.raises(services.RegistrationRefused):
        services.decide(rc, approve=True, by=a)


def test_cohort_enrolment_with_approval(db: None) -> None:
    program = ProgramFactory(enrolment=Program.Enrolment.COHORT, requires_approval=True)
    session = SessionFactory(program=program)
    person = UserFactory()
    enrolment = services.enrol(person, program)
    assert enrolment.status == Enrolment.Status.PENDING
    assert not person.registrations.exists()
    services.decide_enrolment(enrolment, approve=True, by=person)
    assert person.registrations.get().session == session
    assert person.registrations.get().status == Status.CONFIRMED
