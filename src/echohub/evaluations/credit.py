"""What certificates ask of evaluations: whose evaluation needed for a certificate is done.

An accreditation that `requires_evaluation` gives credit only to those whose
evaluation is done: answered, or waived by a coordinator (`Completion.is_done`).
Which evaluation a certificate needs:

- a **session** certificate: the person's evaluation of that session
  (`Phase.SESSION`, that session);
- a **cycle** certificate (`Program.certificates == CYCLE`): the after-the-series
  evaluation (`Phase.POST`) when the program's plan asks one before and after
  the series; otherwise the session evaluation of **every held session the
  person was marked present at** (whether or not that session met an
  accreditation's minimum share: everyone present is asked, so everyone present
  answers, or is waived).

A person who was never asked (no `Completion` yet, e.g. before the evaluation
is sent) is not done: a certificate is never issued before the evaluation.
Every function here runs a fixed number of queries, whatever the number of
people. Nothing here reads answers (`Response`).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from echohub.accounts.models import User
from echohub.attendance.models import Attendance
from echohub.evaluations import services
from echohub.evaluations.models import Completion, Phase, Plan
from echohub.programs.models import Program, Session

DONE = (Completion.Status.SUBMITTED, Completion.Status.WAIVED)

# Where a person stands with the evaluation a certificate needs (`standing`).
DONE_STATE, OPEN, CLOSED, NOT_YET = "done", "open", "closed", "not_yet"


def asks_before_and_after(program: Program) -> bool:
    """Whether the program's plan has a before-and-after questionnaire (cycle credit needs POST)."""
    return Plan.objects.filter(program=program, pre_post_questionnaire__isnull=False).exists()


def asks_for_credit(program: Program) -> bool:
    """Whether the program's plan asks the evaluation its certificates would need: without
    it, credit that requires the evaluation can never be earned (nobody is asked)."""
    plan = Plan.objects.filter(program=program).first()
    if plan is None:
        return False
    if program.certificates == Program.Certificates.CYCLE and plan.pre_post_questionnaire_id:
        return True
    return plan.session_questionnaire_id is not None


def _held(program: Program) -> Q:
    return Q(session__program=program, session__starts_at__lte=timezone.now()) & ~Q(
        session__status=Session.Status.CANCELLED
    )


def _cycle_session_pairs(
    program: Program, person: User | None = None
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """(person, session) pairs present at a held session, and those whose evaluation is done."""
    attended = Attendance.objects.filter(_held(program), present=True, person__isnull=False)
    done = Completion.objects.filter(_held(program), phase=Phase.SESSION, status__in=DONE)
    if person is not None:
        attended, done = attended.filter(person=person), done.filter(person=person)
    return (
        {(p, s) for p, s in attended.values_list("person_id", "session_id") if p is not None},
        {(p, s) for p, s in done.values_list("person_id", "session_id") if s is not None},
    )


def done_people(program: Program, session: Session | None) -> set[int]:
    """Ids of the people whose evaluation needed for this certificate is done (see the module)."""
    if session is not None:
        return set(
            Completion.objects.filter(
                session=session, phase=Phase.SESSION, status__in=DONE
            ).values_list("person_id", flat=True)
        )
    if asks_before_and_after(program):
        return set(
            Completion.objects.filter(
                program=program, session=None, phase=Phase.POST, status__in=DONE
            ).values_list("person_id", flat=True)
        )
    attended, done = _cycle_session_pairs(program)
    missing = {person_id for person_id, _session_id in attended - done}
    return {person_id for person_id, _session_id in attended} - missing


@dataclass(frozen=True)
class Standing:
    """Where one person stands with the evaluation one certificate needs."""

    state: str  # DONE_STATE, OPEN (link given), CLOSED (closed unanswered), NOT_YET
    link: str | None = None  # their own answer link, while one is open
    closes_at: dt.datetime | None = None


def _link(completion: Completion) -> str:
    return reverse("evaluations:answer", kwargs={"token": services.link_token(completion)})


def _needed(
    person: User, program: Program, session: Session | None
) -> tuple[list[Completion], bool]:
    """The person's completions this certificate needs, and whether none is missing (a
    missing one was not asked yet)."""
    if session is not None:
        one = list(Completion.objects.filter(person=person, session=session, phase=Phase.SESSION))
        return one, bool(one)
    if asks_before_and_after(program):
        post = list(
            Completion.objects.filter(
                person=person, program=program, session=None, phase=Phase.POST
            )
        )
        return post, bool(post)
    attended, _done = _cycle_session_pairs(program, person)
    sessions = {session_id for _person_id, session_id in attended}
    asked = list(
        Completion.objects.filter(
            person=person, session_id__in=sessions, phase=Phase.SESSION
        ).order_by("closes_at", "pk")
    )
    return asked, bool(sessions) and len(asked) == len(sessions)


def standing(person: User, program: Program, session: Session | None) -> Standing:
    """Whether the person's evaluation for this certificate is done, open (with their link,
    the one closing first), closed without an answer, or not sent yet."""
    needed, complete = _needed(person, program, session)
    pending = [c for c in needed if not c.is_done]
    if complete and not pending:
        return Standing(DONE_STATE)
    now = timezone.now()
    for completion in pending:
        if completion.is_open(now):
            return Standing(OPEN, _link(completion), completion.closes_at)
    if any(c.closes_at <= now for c in pending):
        return Standing(CLOSED)
    return Standing(NOT_YET)


def pending_link(person: User, program: Program, session: Session | None) -> str | None:
    """The person's own answer link for the evaluation this certificate needs, while it is
    open and unanswered; else None."""
    return standing(person, program, session).link
