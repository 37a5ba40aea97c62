"""Keeping registrations in step with what happens to programs."""

from typing import Any

from django.dispatch import receiver

from echohub.programs.models import Program, Session
from echohub.programs.services import sessions_added
from echohub.registration.services import enrol_in_new_sessions


@receiver(sessions_added)
def register_cohort_for_new_sessions(
    sender: type, *, program: Program, sessions: list[Session], **kwargs: Any
) -> None:
    enrol_in_new_sessions(program, sessions)
