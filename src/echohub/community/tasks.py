"""Background work of the discussion spaces: thin tasks that call its notifications."""

from django_tasks import task

from echohub.community import notifications


@task()
def tell_followers(post_id: int) -> int:
    return notifications.tell_followers(post_id)


@task()
def index_thread(thread_id: int) -> int:
    """A thread's search row, written after the change was committed: a long thread's
    text is read and stemmed again, which a reply's request need not wait for."""
    from echohub.community.search import index_thread as index

    return index(thread_id)
