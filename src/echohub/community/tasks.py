"""Background work of the discussion spaces: thin tasks that call its notifications."""

from django_tasks import task

from echohub.community import notifications


@task()
def tell_followers(post_id: int) -> int:
    return notifications.tell_followers(post_id)
