"""Background work of registration: thin tasks that call its services."""

from django_tasks import task

from echohub.programs.models import Session
from echohub.registration import notifications


@task()
def send_due_reminders() -> int:
    return notifications.send_due_reminders()


# The emails of a registration are built here, after the request has answered:
# rendering three templates and a calendar file took half of each registration's time.
@task()
def tell_registered(registration_id: int) -> None:
    notifications.registered(registration_id)


@task()
def tell_promoted(registration_id: int) -> None:
    notifications.promoted(registration_id)


@task()
def tell_cancelled(registration_id: int) -> None:
    notifications.cancelled(registration_id)


@task()
def tell_enrolment(enrolment_id: int) -> None:
    notifications.enrolment_changed(enrolment_id)


@task()
def tell_decided(registration_id: int) -> None:
    notifications.decided(registration_id)


@task()
def tell_session_message(message_id: int) -> int:
    return notifications.session_message(message_id)


@task()
def tell_session_changed(session_id: int) -> None:
    session = Session.objects.filter(pk=session_id).first()
    if session is not None:
        notifications.notify_session_changed(session)


@task()
def tell_session_cancelled(session_id: int) -> None:
    session = Session.objects.filter(pk=session_id).first()
    if session is not None:
        notifications.notify_session_cancelled(session)


@task()
def run_invitation_batch(batch_id: int) -> int:
    from echohub.registration import invitations

    return invitations.run_batch(batch_id).invited
