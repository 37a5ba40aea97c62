from django_tasks import task

from echohub.webhooks import services


@task()
def send_webhooks(subscription_id: int) -> int:
    return services.send_due(subscription_id)
