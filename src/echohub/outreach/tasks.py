"""Background work of the outbox: thin tasks that take ids and call services.

The backport has no retry option, so a failed send enqueues itself again
(later, on a backend that can defer) until it has been tried MAX_ATTEMPTS times.
"""

import time

from django.utils import timezone
from django_tasks import task

from echohub.outreach import services
from echohub.outreach.models import OutboxMessage

# How long one batch task sends before it hands over to a fresh one.
BATCH_TASK_SECONDS = 240


@task()
def send_outbox_batches() -> int:
    """Drain the bulk queue batch by batch; a crash leaves the rest for the next run.

    It stops after BATCH_TASK_SECONDS and queues itself again, so one long
    digest never holds a worker, and `echohub send_outbox` (run every few
    minutes) picks up whatever a dead worker left.
    """
    deadline = time.monotonic() + BATCH_TASK_SECONDS
    handled = 0
    while time.monotonic() < deadline:
        taken = services.send_batch()
        if not taken:
            return handled
        handled += taken
    send_outbox_batches.enqueue()
    return handled


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
        retry = retry.using(run_after=timezone.now() + services.retry_delay(attempts))
    # On a backend that runs tasks at once (the immediate one) this tries again now.
    retry.enqueue(message_id)
