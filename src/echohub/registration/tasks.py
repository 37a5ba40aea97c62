"""Background work of registration: thin tasks that call its services."""

from django_tasks import task

from echohub.registration import notifications


@task()
def send_due_reminders() -> int:
    return notifications.send_due_reminders()
