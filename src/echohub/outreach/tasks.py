"""Background work of the outbox: thin tasks that take ids and call services.

The backport has no retry option, so a failed send enqueues itself again
(later, on a backend that can defer) until it has been tried MAX_ATTEMPTS times.
"""

import datetime as dt

from django.utils import timezone
from django_tasks import task

from echohub.outreach import services
from echohub.outreach.models import OutboxMessage

# Waits before the second and third attempts.
RETRY_DELAYS = (dt.timedelta(minutes=1), dt.timedelta(minutes=15))


@task()
def send_outbox_message(message_id: int) -> bool:
    try:
        return services.send_message(message_id)
    except Exception:
        _try_again(message_id)
        raise


def _try_again(message_id: int) -> None:
    attempts = OutboxMessage.objects.values_list("attempts", flat=True).get(pk=message_id)
    if attempts >= services.MAX_ATTEMPTS:
        return
    retry = send_outbox_message
    if retry.get_backend().supports_defer:
        delay = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
        retry = retry.using(run_after=timezone.now() + delay)
    # On a backend that runs tasks at once (the immediate one) this tries again now.
    retry.enqueue(message_id)
