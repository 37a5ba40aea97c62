"""Telling people of new posts: at once to those who follow a thread or space post by post,
and once a day to those who chose a digest. Emails need consent (they carry the
unsubscribe) and go through the outbox, so each is sent once however often this runs."""

import datetime as dt
import logging
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from echohub.accounts.models import User
from echohub.community import permissions
from echohub.community.models import Follow, Post, Thread
from echohub.outreach.services import queue_email, site_link

log = logging.getLogger(__name__)

# An email quotes the start of a post; the rest is on the site.
EXCERPT = 400


def _excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[:EXCERPT].rsplit(" ", 1)[0] + " …"


def followers(post: Post) -> set[int]:
    """Who is told of this post at once: those who follow its thread post by post, and those
    who follow its space post by post unless they chose otherwise for the thread."""
    thread = post.thread
    on_thread = dict(Follow.objects.filter(thread=thread).values_list("person_id", "how"))
    on_space = Follow.objects.filter(space=thread.space, how=Follow.How.EACH).values_list(
        "person_id", flat=True
    )
    people = {p for p, how in on_thread.items() if how == Follow.How.EACH}
    people |= {p for p in on_space if p not in on_thread}
    people.discard(post.author_id)  # type: ignore[arg-type]
    return people


def tell_followers(post_id: int) -> int:
    post = (
        Post.objects.select_related("thread__space__program__hub", "thread__space__group", "author")
        .filter(pk=post_id, status=Post.Status.VISIBLE)
        .first()
    )
    if post is None:
        return 0
    thread = post.thread
    queued = 0
    for person in User.objects.filter(pk__in=followers(post), is_active=True):
        if not permissions.may_enter(person, thread.space):
            continue  # no longer a member: told nothing
        sent = queue_email(
            person=person,
            kind="community.post",
            reason_key=f"community.post:{post.pk}:{person.pk}",
            context={
                "post": post,
                "thread": thread,
                "excerpt": _excerpt(post.body),
                "thread_url": site_link("community:thread", pk=thread.pk),
                "followed": True,
            },
            hub=thread.space.program.hub,
            transactional=False,
        )
        queued += sent is not None
    log.info("post %s: %s follower(s) told", post.pk, queued)
    return queued


def send_daily_digests(now: dt.datetime | None = None) -> int:
    """One email per person with the posts of the last day in what they follow daily."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=1)
    daily = Follow.objects.filter(how=Follow.How.DAILY)
    people = set(daily.values_list("person_id", flat=True))
    queued = 0
    for person in User.objects.filter(pk__in=people, is_active=True):
        follows = list(Follow.objects.filter(person=person))
        threads = [f.thread_id for f in follows if f.how == Follow.How.DAILY and f.thread_id]
        spaces = [f.space_id for f in follows if f.how == Follow.How.DAILY and f.space_id]
        # A thread's own choice wins over its space's.
        elsewhere = [f.thread_id for f in follows if f.thread_id and f.how != Follow.How.DAILY]
        posts = (
            Post.objects.filter(
                Q(thread_id__in=threads) | Q(thread__space_id__in=spaces),
                status=Post.Status.VISIBLE,
                thread__hidden=False,
                created_at__gte=since,
                created_at__lt=now,
            )
            .exclude(thread_id__in=elsewhere)
            .exclude(author=person)
            .select_related("thread__space__program__hub", "thread__space__group", "author")
            .order_by("thread_id", "created_at")
        )
        by_thread: dict[Thread, list[Post]] = defaultdict(list)
        readable: dict[int, bool] = {}  # by space: asked once, not once per post
        for post in posts:
            space = post.thread.space
            if space.pk not in readable:
                readable[space.pk] = permissions.may_enter(person, space)
            if readable[space.pk]:
                by_thread[post.thread].append(post)
        if not by_thread:
            continue
        sections = [
            {
                "thread": thread,
                "url": site_link("community:thread", pk=thread.pk),
                "posts": [{"post": p, "excerpt": _excerpt(p.body)} for p in found],
            }
            for thread, found in by_thread.items()
        ]
        first = next(iter(by_thread))
        sent = queue_email(
            person=person,
            kind="community.digest",
            reason_key=f"community.digest:{person.pk}:{now.date().isoformat()}",
            context={
                "sections": sections,
                "count": sum(len(found) for found in by_thread.values()),
            },
            hub=first.space.program.hub,
            transactional=False,
        )
        queued += sent is not None
    log.info("%s community digest(s) queued", queued)
    return queued
