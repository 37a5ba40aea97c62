"""Who may join a session's meeting: the one rule, for calendars and video links."""

from django.contrib.auth.models import AnonymousUser

from echohub.accounts.models import User
from echohub.programs.models import Session
from echohub.programs.permissions import can_manage_program
from echohub.registration.models import Registration


def may_join(user: User | AnonymousUser, session: Session) -> bool:
    """Those registered and confirmed, and those who manage the program."""
    if not user.is_authenticated:
        return False
    confirmed = Registration.objects.filter(
        session=session, person=user, status=Registration.Status.CONFIRMED
    )
    return confirmed.exists() or can_manage_program(user, session.program)
