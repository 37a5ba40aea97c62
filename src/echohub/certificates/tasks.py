"""Background work of certificates: bulk issues and the emails that announce them."""

from django_tasks import task

from echohub.certificates import notifications, services


@task()
def run_batch(batch_id: int) -> int:
    return services.run_batch(batch_id).issued


@task()
def tell_issued(certificate_id: int) -> None:
    notifications.issued(certificate_id)


@task()
def issue_after_evaluation(completion_id: int) -> int:
    return len(services.issue_after_evaluation(completion_id))
