"""Discussion threads in the library's one search: their rows, and who finds them.

A thread's row (`library.search.entry.SearchEntry`, source "thread") holds its
title and the text of its visible posts; it is written again by the worker
after each change (`tasks.index_thread`, queued in the change's transaction)
and removed when the thread is hidden. Those who may read the thread's space
find it (`permissions.readable_spaces`); a group's threads, that group's
readers only. Registered with the library in `CommunityConfig.ready()`.
"""

from typing import Any

from django.db import transaction
from django.db.models import Q

from echohub.accounts.models import User
from echohub.community.models import Post, Thread
from echohub.community.permissions import readable_spaces
from echohub.library.search.entry import THREAD_KIND, THREAD_VISIBILITY, SearchEntry
from echohub.library.search.index import BLANK_ROW, replace_rows

# A thread is found by its title and the text of its visible posts, up to this much.
THREAD_TEXT = 50_000


def _rows(thread: Thread) -> list[dict[str, Any]]:
    space = thread.space
    posts = thread.posts.filter(status=Post.Status.VISIBLE).order_by("created_at", "pk")
    body, size = [], 0
    for text in posts.values_list("body", flat=True).iterator(chunk_size=500):
        if size + len(text) > THREAD_TEXT:
            break
        body.append(text)
        size += len(text) + 2
    return [
        BLANK_ROW
        | {
            "source": SearchEntry.Source.THREAD,
            "thread_id": thread.pk,
            "group_id": space.group_id,
            "hub_id": space.program.hub_id,
            "program_id": space.program_id,
            "kind": THREAD_KIND,
            "visibility": THREAD_VISIBILITY,
            "language": thread.language,
            "created_at": thread.created_at,
            "key": str(thread.pk),
            "title_en": thread.title,
            "title_fr": thread.title,
            "body": "\n\n".join(body),
            "title_text": thread.title,
        }
    ]


@transaction.atomic
def index_thread(thread_id: int) -> int:
    """Index a thread (title and visible posts), or remove it when hidden or gone; returns
    the rows written."""
    thread = (
        Thread.objects.select_for_update()
        .select_related("space__program")
        .filter(pk=thread_id)
        .first()
    )
    if thread is None or thread.hidden:
        SearchEntry.objects.filter(thread_id=thread_id).delete()
        return 0
    return replace_rows({"thread_id": thread.pk}, _rows(thread))


def index_all() -> int:
    """Every visible thread again (the library's `rebuild`)."""
    written = 0
    for thread_id in Thread.objects.filter(hidden=False).values_list("pk", flat=True).iterator():
        written += index_thread(thread_id)
    return written


def visible_threads(user: User, members: list[int]) -> Q:
    """The thread rows this person finds: those of the spaces they may read."""
    programs, groups = readable_spaces(user, members)
    found = Q(pk__in=[])
    if programs is None:
        return Q(visibility=THREAD_VISIBILITY)
    if programs:
        found |= Q(visibility=THREAD_VISIBILITY, group__isnull=True, program_id__in=programs)
    if groups:
        found |= Q(visibility=THREAD_VISIBILITY, group_id__in=groups)
    return found
