"""An evaluated program: the Ontario hub's three starter questionnaires, a plan choosing them,
and a session that ended an hour ago with Nadia (the participant) present."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from echohub.accounts.models import User
from echohub.attendance.models import Attendance
from echohub.evaluations import services
from echohub.evaluations.models import Completion, Phase, Plan, Questionnaire
from echohub.programs.models import Session
from tests.conftest import Network
from tests.factories import SessionFactory

# Answers to the session starter, with a free text that is safe to store.
SESSION_ANSWERS: dict[str, Any] = {
    "relevance": 5,
    "teaching": 4,
    "case_discussion": 5,
    "learned": 4,
    "intend_change": "yes",
    "will_do": "Ask about breathlessness at every visit.",
    "free_of_bias": "yes",
}


@dataclass
class Evaluated:
    network: Network
    plan: Plan
    session: Session  # ended an hour ago
    session_q: Questionnaire
    pre_post_q: Questionnaire
    follow_up_q: Questionnaire


def attend(session: Session, person: User, minutes: int = 60) -> Attendance:
    return Attendance.objects.create(
        session=session,
        person=person,
        source=Attendance.Source.MANUAL,
        stated_minutes=minutes,
        minutes=minutes,
    )


def open_completion(
    person: User, ev: "Evaluated", phase: str = Phase.SESSION, session: Session | None = None
) -> Completion:
    now = timezone.now()
    completion, _created = services.ask(
        person,
        ev.network.program,
        phase,
        session=(session or ev.session) if phase == Phase.SESSION else None,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=14),
    )
    return completion


@pytest.fixture
def evaluated(network: Network) -> Evaluated:
    by = network.coordinator
    session_q = services.create_questionnaire(network.hub, "session", by=by)
    pre_post_q = services.create_questionnaire(network.hub, "pre_post", by=by)
    follow_up_q = services.create_questionnaire(network.hub, "follow_up", by=by)
    plan = services.plan_for(network.program)
    plan.session_questionnaire = session_q
    plan.pre_post_questionnaire = pre_post_q
    plan.follow_up_questionnaire = follow_up_q
    services.save_plan(plan, by=by)
    session = SessionFactory(
        program=network.program, starts_at=timezone.now() - dt.timedelta(hours=2)
    )
    attend(session, network.participant)
    return Evaluated(network, plan, session, session_q, pre_post_q, follow_up_q)
