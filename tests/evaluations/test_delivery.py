"""Who is asked which evaluation and when, by email, once, with one reminder at most."""

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone, translation

from echohub.accounts.models import User
from echohub.attendance.models import Attendance
from echohub.evaluations import services
from echohub.evaluations.delivery import send_evaluations
from echohub.evaluations.models import Completion, Phase, Plan
from echohub.outreach.models import OutboxMessage
from echohub.programs.models import Program, Session
from echohub.registration.models import Enrolment, Registration
from tests.evaluations.conftest import SESSION_ANSWERS, Evaluated, attend
from tests.factories import ProgramFactory, SessionFactory, UserFactory

DAY = dt.timedelta(days=1)


def evaluation_emails(kind: str = "evaluation.invitation") -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(kind=kind).order_by("pk"))


def link_path(body: str) -> str:
    """The path of the personal link in an email's text."""
    for word in body.split():
        if "/evaluation/" in word:
            return "/" + word.split("://", 1)[1].split("/", 1)[1]
    raise AssertionError("no evaluation link in the email")


# --- After a session: from attendance, not registration -------------------------------------


def test_only_attendees_with_an_account_are_invited(
    evaluated: Evaluated, committed: Any, mailoutbox: list[Any]
) -> None:
    nadia = evaluated.network.participant  # attended, never registered
    registered_absent = UserFactory(name="Reggie Absent")
    Registration.objects.create(
        session=evaluated.session, person=registered_absent, status="confirmed"
    )
    marked_absent = UserFactory(name="Marc Absent")
    attend(evaluated.session, marked_absent)
    Attendance.objects.filter(person=marked_absent).update(present=False)
    Attendance.objects.create(
        session=evaluated.session,
        walk_in_name="Walk In",
        walk_in_email="walkin@example.org",
        source=Attendance.Source.REPORT,
        minutes=60,
    )
    with committed():
        counts = send_evaluations()
    assert counts == {"session": 1, "pre": 0, "post": 0, "follow_up": 0, "reminder": 0}
    assert [m.to for m in mailoutbox] == [[nadia.email]]
    assert list(Completion.objects.values_list("person_id", "session_id", "phase")) == [
        (nadia.pk, evaluated.session.pk, Phase.SESSION)
    ]
    completion = Completion.objects.get()
    # The window: from the session's end (plus the plan's hours) for the plan's days.
    assert completion.opens_at == evaluated.session.ends_at
    assert completion.closes_at == evaluated.session.ends_at + 14 * DAY
    email = mailoutbox[0]
    assert evaluated.session.title_en in email.subject
    assert "about two minutes" in email.subject
    assert completion.closes_at.strftime("%B") in email.subject  # says when it closes
    path = link_path(email.body)
    assert path.startswith("/en/")
    match = resolve(path)
    assert match.view_name == "evaluations:answer"
    assert services.completion_from_token(match.kwargs["token"]) == completion
    assert OutboxMessage.objects.get().reason_key == f"evaluation:{completion.pk}"


def test_running_twice_sends_nothing_new(
    evaluated: Evaluated, committed: Any, mailoutbox: list[Any]
) -> None:
    attend(evaluated.session, UserFactory())
    with committed():
        first = send_evaluations()
    with committed():
        second = send_evaluations()
    assert first["session"] == 2
    assert sum(second.values()) == 0
    assert OutboxMessage.objects.count() == 2
    assert len(mailoutbox) == 2
    assert Completion.objects.count() == 2


def test_no_invitation_before_the_window_after_it_or_for_a_draft_program(
    evaluated: Evaluated,
) -> None:
    plan = evaluated.plan
    plan.session_opens_hours = 2  # opens two hours after the end: the session ended one ago
    plan.save()
    assert send_evaluations()["session"] == 0
    assert send_evaluations(now=timezone.now() + dt.timedelta(hours=1, minutes=5))["session"] == 1
    late = SessionFactory(program=evaluated.network.program, starts_at=timezone.now() - 20 * DAY)
    attend(late, UserFactory())  # its window closed six days ago
    cancelled = SessionFactory(
        program=evaluated.network.program,
        starts_at=timezone.now() - dt.timedelta(hours=3),
        status=Session.Status.CANCELLED,
    )
    attend(cancelled, UserFactory())
    assert send_evaluations(now=timezone.now() + dt.timedelta(hours=2))["session"] == 0
    Program.objects.filter(pk=evaluated.network.program.pk).update(status=Program.Status.DRAFT)
    attend(evaluated.session, UserFactory())
    assert sum(send_evaluations(now=timezone.now() + dt.timedelta(hours=2)).values()) == 0
    assert Completion.objects.count() == 1


def test_a_program_without_a_session_questionnaire_asks_nothing_after_sessions(
    evaluated: Evaluated,
) -> None:
    Plan.objects.filter(pk=evaluated.plan.pk).update(session_questionnaire=None)
    assert send_evaluations()["session"] == 0
    assert not Completion.objects.exists()


# --- One reminder -----------------------------------------------------------------------------


def session_only(ev: Evaluated) -> None:
    """Ask only after sessions (the fixture's program also asks before and after its series)."""
    Plan.objects.filter(pk=ev.plan.pk).update(
        pre_post_questionnaire=None, follow_up_questionnaire=None
    )


def test_one_reminder_never_two(
    evaluated: Evaluated, committed: Any, mailoutbox: list[Any]
) -> None:
    session_only(evaluated)
    start = timezone.now()
    with committed():
        send_evaluations(now=start)
        assert send_evaluations(now=start + 6 * DAY)["reminder"] == 0
        assert send_evaluations(now=start + 7 * DAY + dt.timedelta(hours=1))["reminder"] == 1
        assert send_evaluations(now=start + 8 * DAY)["reminder"] == 0
        assert send_evaluations(now=start + 13 * DAY)["reminder"] == 0
    completion = Completion.objects.get()
    reminders = evaluation_emails("evaluation.reminder")
    assert [m.reason_key for m in reminders] == [f"evaluation-reminder:{completion.pk}"]
    assert len(mailoutbox) == 2
    assert mailoutbox[1].subject.startswith("Reminder:")
    assert link_path(mailoutbox[1].body) == link_path(mailoutbox[0].body)


def test_no_reminder_after_answering_or_after_closing(evaluated: Evaluated, committed: Any) -> None:
    session_only(evaluated)
    answered_by = evaluated.network.participant
    late = UserFactory()
    attend(evaluated.session, late)
    start = timezone.now()
    with committed():
        send_evaluations(now=start)
        done = Completion.objects.get(person=answered_by)
        services.submit(done, services.current_version(evaluated.session_q), SESSION_ANSWERS)
        # The late one is never reminded: by the time a reminder is due, it has closed.
        Completion.objects.filter(person=late).update(closes_at=start + 5 * DAY)
        counts = send_evaluations(now=start + 8 * DAY)
        after_close = send_evaluations(now=start + 20 * DAY)
    assert counts["reminder"] == 0
    assert after_close["reminder"] == 0
    assert not evaluation_emails("evaluation.reminder")


def test_a_plan_set_late_sends_the_invitation_now_and_the_reminder_days_later(
    evaluated: Evaluated,
) -> None:
    """A session evaluation opened days ago gets no reminder in the run that first invites."""
    session_only(evaluated)
    Plan.objects.filter(pk=evaluated.plan.pk).update(session_questionnaire=None)
    send_evaluations()
    Plan.objects.filter(pk=evaluated.plan.pk).update(session_questionnaire=evaluated.session_q)
    later = timezone.now() + 8 * DAY
    first = send_evaluations(now=later)
    assert (first["session"], first["reminder"]) == (1, 0)


# --- Before, after, and some months after the series --------------------------------------


@dataclass
class Series:
    program: Program
    plan: Plan
    first: Session
    last: Session
    enrolled: User
    registered: User


@pytest.fixture
def series(evaluated: Evaluated) -> Series:
    """A published program of the same hub with two sessions 10 and 17 days from now
    (and a cancelled third one after them), asking before, after and a follow-up."""
    session_only(evaluated)
    now = timezone.now()
    program = ProgramFactory(hub=evaluated.network.hub)
    first = SessionFactory(program=program, starts_at=now + 10 * DAY)
    last = SessionFactory(program=program, starts_at=now + 17 * DAY)
    SessionFactory(program=program, starts_at=now + 24 * DAY, status=Session.Status.CANCELLED)
    plan = services.plan_for(program)
    plan.pre_post_questionnaire = evaluated.pre_post_q
    plan.follow_up_questionnaire = evaluated.follow_up_q
    plan.pre_days_before = 7
    plan.post_open_days = 21
    plan.follow_up_after_days = 90
    plan.follow_up_open_days = 30
    services.save_plan(plan, by=evaluated.network.coordinator)
    enrolled, registered = UserFactory(), UserFactory()
    Enrolment.objects.create(program=program, person=enrolled, status=Enrolment.Status.ACTIVE)
    Enrolment.objects.create(program=program, person=UserFactory(), status=Enrolment.Status.PENDING)
    Registration.objects.create(session=first, person=registered, status="confirmed")
    Registration.objects.create(session=first, person=UserFactory(), status="waitlisted")
    return Series(program, plan, first, last, enrolled, registered)


def asked(series: Series, phase: str) -> set[int]:
    return set(
        Completion.objects.filter(program=series.program, phase=phase).values_list(
            "person_id", flat=True
        )
    )


def test_before_the_series_from_its_days_before_until_it_starts(series: Series) -> None:
    first = series.first.starts_at
    assert send_evaluations(now=first - 8 * DAY)["pre"] == 0
    assert send_evaluations(now=first - 6 * DAY)["pre"] == 2
    assert asked(series, Phase.PRE) == {series.enrolled.pk, series.registered.pk}
    completion = Completion.objects.filter(phase=Phase.PRE).first()
    assert completion is not None
    assert completion.closes_at == first
    # Enrolled later but before the start: the next run asks them too ("on enrolment").
    newcomer = UserFactory()
    Enrolment.objects.create(program=series.program, person=newcomer, status="active")
    assert send_evaluations(now=first - 2 * DAY)["pre"] == 1
    too_late = UserFactory()
    Enrolment.objects.create(program=series.program, person=too_late, status="active")
    assert send_evaluations(now=first + dt.timedelta(minutes=1))["pre"] == 0
    assert too_late.pk not in asked(series, Phase.PRE)


def test_after_the_series_to_everyone_present_once_the_last_session_ended(
    series: Series,
) -> None:
    attend(series.first, series.enrolled)
    attend(series.last, series.registered)
    absent = UserFactory()
    attend(series.last, absent)
    Attendance.objects.filter(person=absent).update(present=False)
    end = series.last.ends_at
    assert send_evaluations(now=end - dt.timedelta(minutes=1))["post"] == 0
    assert send_evaluations(now=end + dt.timedelta(hours=1))["post"] == 2
    assert asked(series, Phase.POST) == {series.enrolled.pk, series.registered.pk}
    assert {c.closes_at for c in Completion.objects.filter(phase=Phase.POST)} == {end + 21 * DAY}
    latecomer = UserFactory()
    attend(series.first, latecomer)
    assert send_evaluations(now=end + 22 * DAY)["post"] == 0  # closed by then


def test_a_later_session_holds_the_post_series_evaluation_back(series: Series) -> None:
    attend(series.first, series.enrolled)
    extra = SessionFactory(program=series.program, starts_at=series.last.starts_at + 14 * DAY)
    assert send_evaluations(now=series.last.ends_at + DAY)["post"] == 0
    assert send_evaluations(now=extra.ends_at + DAY)["post"] == 1


def test_follow_up_after_the_plans_delay_for_its_open_days(series: Series) -> None:
    attend(series.first, series.enrolled)
    end = series.last.ends_at
    assert send_evaluations(now=end + 89 * DAY)["follow_up"] == 0
    assert send_evaluations(now=end + 91 * DAY)["follow_up"] == 1
    completion = Completion.objects.get(phase=Phase.FOLLOW_UP)
    assert (completion.opens_at, completion.closes_at) == (end + 90 * DAY, end + 120 * DAY)
    attend(series.last, UserFactory())
    assert send_evaluations(now=end + 121 * DAY)["follow_up"] == 0


# --- Language, the command, and cost ----------------------------------------------------------


def test_a_french_reader_gets_french_and_a_french_link(
    evaluated: Evaluated, committed: Any, mailoutbox: list[Any]
) -> None:
    nadia = evaluated.network.participant
    nadia.preferred_language = "fr"
    nadia.save()
    with committed():
        send_evaluations()
    email = mailoutbox[0]
    # French typography survives the subject's folding onto one line.
    assert "Évaluation de «\u00a0" + evaluated.session.title_fr in email.subject
    assert "environ deux minutes" in email.subject
    assert "Merci d’avoir assisté" in email.body
    assert "Répondez ici" in email.body
    path = link_path(email.body)
    assert path.startswith("/fr/")
    with translation.override("fr"):
        assert resolve(path).view_name == "evaluations:answer"
    assert OutboxMessage.objects.get().language == "fr"


def test_the_command_prints_the_counts(evaluated: Evaluated) -> None:
    out = io.StringIO()
    call_command("send_evaluations", stdout=out)
    assert "session: 1" in out.getvalue()
    assert Completion.objects.count() == 1


def test_a_run_with_nothing_new_costs_the_same_for_3_or_30_attendees(
    evaluated: Evaluated,
) -> None:
    def rerun_queries() -> int:
        send_evaluations()
        with CaptureQueriesContext(connection) as queries:
            send_evaluations()
        return len(queries)

    for _ in range(2):
        attend(evaluated.session, UserFactory())
    few = rerun_queries()
    for _ in range(27):
        attend(evaluated.session, UserFactory())
    many = rerun_queries()
    assert Completion.objects.count() == 30
    assert few == many
