"""Every change in a discussion space: starting a thread, replying, editing, marking, reporting,
moderating, following. Each runs in one transaction and logs who did it by id (logs never
hold a post's text)."""

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from echohub.accounts.models import User
from echohub.community import permissions
from echohub.community.models import (
    Follow,
    Helpful,
    ModerationAction,
    Post,
    Report,
    Space,
    SpaceSettings,
    Thread,
)
from echohub.deidentify.gate import Confirmation
from echohub.library.models import Resource
from echohub.library.services import save_resource
from echohub.workers.queue import enqueue_atomically

log = logging.getLogger(__name__)

# At most this many posts (threads and replies) by one person in this window.
POSTS_PER_WINDOW = 10
WINDOW = dt.timedelta(minutes=10)


class Refused(ValidationError):
    """Why this cannot be done now, in words for the page."""


def _check_rate(person: User) -> None:
    since = timezone.now() - WINDOW
    if Post.objects.filter(author=person, created_at__gte=since).count() >= POSTS_PER_WINDOW:
        raise Refused(
            _(
                "You have posted %(count)s times in the last %(minutes)s minutes: wait a few "
                "minutes before posting again."
            )
            % {"count": POSTS_PER_WINDOW, "minutes": int(WINDOW.total_seconds() // 60)}
        )


@dataclass(frozen=True)
class Shared:
    """A resource a member shares: a link, or a file and what it is."""

    link: str = ""
    upload: UploadedFile | None = None
    kind: str = Resource.Kind.TOOL


def _share(
    space: Space, person: User, title: str, body: str, language: str, shared: Shared
) -> Resource:
    program = space.program
    kind = shared.kind if shared.upload is not None else Resource.Kind.LINK
    resource = Resource(
        hub_id=program.hub_id,
        program=program,
        kind=kind,
        visibility=Resource.Visibility.MEMBERS,
        language=language,
        url="" if shared.upload is not None else shared.link,
        **{f"title_{language}": title, f"description_{language}": body},
    )
    try:
        return save_resource(
            resource,
            by=person,
            topics=[],
            professions=[],
            practice_settings=[],
            upload=shared.upload,
        )
    except ValidationError as refused:
        raise Refused(refused.messages) from refused


def _first_status(space: Space, person: User) -> str:
    """Held for approval when the program asks it and this is the person's first post in
    the program (moderators and the panel are never held)."""
    program = space.program
    if not permissions.settings_of(program).hold_first_posts:
        return Post.Status.VISIBLE
    if permissions.moderates(person, program) or permissions.on_panel(person, program):
        return Post.Status.VISIBLE
    approved = Post.objects.filter(
        author=person, thread__space__program=program, status=Post.Status.VISIBLE
    ).exists()
    return Post.Status.VISIBLE if approved else Post.Status.HELD


def _stored(confirmed: Sequence[Confirmation], where: str) -> list[list[str | int]]:
    """The writer's confirmations of one text, as its model keeps them."""
    return [c.stored() for c in confirmed if c.where == where]


@transaction.atomic
def start_thread(
    space: Space,
    person: User,
    *,
    title: str,
    body: str,
    language: str,
    kind: str = Thread.Kind.DISCUSSION,
    case_id: int | None = None,
    confirmed: Sequence[Confirmation] = (),
    shared: Shared | None = None,
) -> Thread:
    """A new thread and its opening post; its author follows it (each post). A resource to
    share becomes a members-only item of the program's library, its file checked and
    stored by the library's own service."""
    _check_rate(person)
    now = timezone.now()
    resource = None
    if kind == Thread.Kind.RESOURCE:
        if shared is None:
            raise Refused(_("Give the resource's link, or choose its file."))
        resource = _share(space, person, title, body, language, shared)
    thread = Thread.objects.create(
        resource=resource,
        space=space,
        author=person,
        kind=kind,
        title=title,
        language=language,
        case_id=case_id if kind == Thread.Kind.CASE else None,
        last_post_at=now,
        confirmed=_stored(confirmed, "title"),
    )
    post = _written(thread, person, body, language, confirmed, opening=True)
    status = post.status
    if status == Post.Status.HELD:
        Thread.objects.filter(pk=thread.pk).update(hidden=True)
        thread.hidden = True
    Follow.objects.get_or_create(person=person, thread=thread, defaults={"how": Follow.How.EACH})
    if status == Post.Status.VISIBLE:
        _announce(post)
    _changed(thread)
    log.info("thread %s started in space %s by %s (%s)", thread.pk, space.pk, person.pk, status)
    return thread


@transaction.atomic
def reply(
    thread: Thread,
    person: User,
    *,
    body: str,
    language: str,
    confirmed: Sequence[Confirmation] = (),
) -> Post:
    thread = Thread.objects.select_for_update().select_related("space__program").get(pk=thread.pk)
    if thread.locked and not permissions.moderates(person, thread.space.program):
        raise Refused(_("This thread is locked: no more replies."))
    _check_rate(person)
    post = _written(thread, person, body, language, confirmed)
    status = post.status
    if status == Post.Status.VISIBLE:
        _counted(thread, post)
        _announce(post)
        _changed(thread)
    log.info("post %s in thread %s by %s (%s)", post.pk, thread.pk, person.pk, status)
    return post


def _written(
    thread: Thread,
    person: User,
    body: str,
    language: str,
    confirmed: Sequence[Confirmation],
    *,
    opening: bool = False,
) -> Post:
    """A post, visible or held for approval (`Post.save()` runs the gate)."""
    return Post.objects.create(
        thread=thread,
        author=person,
        body=body,
        language=language,
        status=_first_status(thread.space, person),
        opening=opening,
        confirmed=_stored(confirmed, "body"),
    )


def _counted(thread: Thread, post: Post) -> None:
    Thread.objects.filter(pk=thread.pk).update(
        replies=F("replies") + (0 if post.opening else 1), last_post_at=post.created_at
    )


def _changed(thread: Thread) -> None:
    """Others see something new of this thread: the search indexes it again, in the
    worker once the change is committed."""
    from echohub.community import tasks

    enqueue_atomically(tasks.index_thread, thread.pk)


def _announce(post: Post) -> None:
    from echohub.community import tasks

    enqueue_atomically(tasks.tell_followers, post.pk)


@transaction.atomic
def edit(
    post: Post,
    person: User,
    *,
    body: str,
    confirmed: Sequence[Confirmation] = (),
) -> Post:
    """The author rewrites their post; the gate reads the new text as it reads a new one."""
    if post.author_id != person.pk:
        raise Refused(_("Only its author can edit a post."))
    post.body = body
    post.confirmed = _stored(confirmed, "body")
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "confirmed", "edited_at"])
    _changed(post.thread)
    log.info("post %s edited by %s", post.pk, person.pk)
    return post


@transaction.atomic
def mark_helpful(post: Post, person: User) -> bool:
    """Mark (or unmark) a post helpful; returns whether it is marked now."""
    if post.author_id == person.pk:
        raise Refused(_("Your own post cannot be marked helpful by you."))
    mark = Helpful.objects.filter(post=post, person=person).first()
    if mark is not None:
        mark.delete()
        Post.objects.filter(pk=post.pk).update(helpful=F("helpful") - 1)
        return False
    Helpful.objects.create(post=post, person=person)
    Post.objects.filter(pk=post.pk).update(helpful=F("helpful") + 1)
    return True


@transaction.atomic
def mark_answer(post: Post, person: User) -> None:
    """A panel member marks a reply as the panel's answer: the thread is answered."""
    program = post.thread.space.program
    if not permissions.on_panel(person, program):
        raise Refused(_("Only the program's panel marks answers."))
    Post.objects.filter(pk=post.pk).update(panel_answer=True)
    Thread.objects.filter(pk=post.thread_id, answered_at__isnull=True).update(
        answered_at=timezone.now()
    )
    log.info("post %s marked as the panel's answer by %s", post.pk, person.pk)


@transaction.atomic
def report(post: Post, person: User, reason: str) -> Report:
    found, created = Report.objects.get_or_create(
        post=post, reporter=person, resolved_at=None, defaults={"reason": reason}
    )
    if created:
        log.info("post %s reported by %s", post.pk, person.pk)
    return found


# Moderation: each action is logged with who and why.


def _logged(
    thread: Thread, moderator: User, action: str, reason: str, post: Post | None = None
) -> ModerationAction:
    entry = ModerationAction.objects.create(
        program=thread.space.program,
        thread=thread,
        post=post,
        moderator=moderator,
        action=action,
        reason=reason,
    )
    log.info("moderation %s (%s) of thread %s by %s", entry.pk, action, thread.pk, moderator.pk)
    return entry


def _resolve_reports(post: Post, moderator: User) -> None:
    Report.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator
    )


@transaction.atomic
def moderate_post(post: Post, moderator: User, action: str, reason: str) -> None:
    thread = post.thread
    if not permissions.moderates(moderator, thread.space.program):
        raise Refused(_("Only the hub's staff moderate."))
    Action = ModerationAction.Action
    was_held = post.status == Post.Status.HELD
    if action == Action.HIDE_POST:
        if not reason.strip():
            raise Refused(_("Say why: the moderation log keeps it."))
        post.status = Post.Status.HIDDEN
    elif action in (Action.SHOW_POST, Action.APPROVE_POST):
        post.status = Post.Status.VISIBLE
    elif action == Action.DISMISS:
        if not reason.strip():
            raise Refused(_("Say why: the moderation log keeps it."))
        _resolve_reports(post, moderator)
        _logged(thread, moderator, action, reason, post)
        return
    else:
        raise Refused(_("Unknown action."))
    post.save(update_fields=["status"])
    _resolve_reports(post, moderator)
    if post.status == Post.Status.VISIBLE and was_held:
        if post.opening:
            Thread.objects.filter(pk=thread.pk).update(hidden=False)
        _counted(thread, post)
        _announce(post)
    elif post.status == Post.Status.HIDDEN and not post.opening:
        Thread.objects.filter(pk=thread.pk, replies__gt=0).update(replies=F("replies") - 1)
    elif action == Action.SHOW_POST and not post.opening:
        Thread.objects.filter(pk=thread.pk).update(replies=F("replies") + 1)
    _changed(thread)
    _logged(thread, moderator, action, reason, post)


@transaction.atomic
def moderate_thread(
    thread: Thread, moderator: User, action: str, reason: str, to: Space | None = None
) -> None:
    if not permissions.moderates(moderator, thread.space.program):
        raise Refused(_("Only the hub's staff moderate."))
    Action = ModerationAction.Action
    changes: dict[str, dict[str, object]] = {
        Action.HIDE_THREAD: {"hidden": True},
        Action.SHOW_THREAD: {"hidden": False},
        Action.LOCK: {"locked": True},
        Action.UNLOCK: {"locked": False},
        Action.PIN: {"pinned": True},
        Action.UNPIN: {"pinned": False},
    }
    if action in (Action.HIDE_THREAD, Action.LOCK, Action.MOVE) and not reason.strip():
        raise Refused(_("Say why: the moderation log keeps it."))
    if action == Action.MOVE:
        if to is None or to.program_id != thread.space.program_id:
            raise Refused(_("Choose a space of the same program."))
        fields: dict[str, object] = {"space": to}
    elif action in changes:
        fields = changes[action]
    else:
        raise Refused(_("Unknown action."))
    Thread.objects.filter(pk=thread.pk).update(**fields)
    _changed(thread)
    _logged(thread, moderator, action, reason)


@transaction.atomic
def save_settings(settings: SpaceSettings, *, by: User) -> SpaceSettings:
    settings.full_clean()
    settings.save()
    log.info("discussion settings of program %s saved by %s", settings.program_id, by.pk)
    return settings


@transaction.atomic
def follow(
    person: User, how: str, *, thread: Thread | None = None, space: Space | None = None
) -> Follow:
    """Choose what one is told of a thread or a space (each post, daily, nothing)."""
    if how not in Follow.How.values:
        raise Refused(_("Choose each post, a daily digest or nothing."))
    found, _created = Follow.objects.update_or_create(
        person=person, thread=thread, space=space, defaults={"how": how}
    )
    return found
