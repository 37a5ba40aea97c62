"""What staff and readers do with the library, one transaction each.

Files are written to private storage only once they passed the checks in
`uploads.check_upload`; if anything after that fails, the transaction rolls
back and the file just written is deleted, so a failed upload leaves nothing.
"""

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, QuerySet, Sum
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from django.utils import timezone

from echohub.accounts.models import User
from echohub.library import tasks
from echohub.library.models import (
    Follow,
    ProtocolVersion,
    Resource,
    ResourceViews,
    TranscriptSegment,
)
from echohub.library.search.index import index_resource
from echohub.library.transcripts import parse_vtt
from echohub.library.uploads import check_upload
from echohub.programs.models import Program
from echohub.reference.models import PracticeSetting, Profession, Topic
from echohub.workers.queue import enqueue_atomically

log = logging.getLogger(__name__)


@contextmanager
def _files_removed_on_failure() -> Iterator[list[FieldFile]]:
    """Files saved inside the block are deleted again if the block (or its transaction) fails."""
    written: list[FieldFile] = []
    try:
        yield written
    except BaseException:
        for field in written:
            if field.name:
                field.storage.delete(field.name)
        raise


def _store(field: FieldFile, upload: UploadedFile, kind: str, written: list[FieldFile]) -> str:
    checked = check_upload(upload, kind)
    field.save(checked.safe_name, upload, save=False)
    written.append(field)
    return checked.content_type


def save_resource(
    resource: Resource,
    *,
    by: User,
    topics: QuerySet[Topic] | list[Topic],
    professions: QuerySet[Profession] | list[Profession],
    practice_settings: QuerySet[PracticeSetting] | list[PracticeSetting],
    upload: UploadedFile | None = None,
) -> Resource:
    """Create or change a resource; a new one is announced to the followers of its topics
    and program. A protocol's first save is its version 1."""
    is_new = resource.pk is None
    with _files_removed_on_failure() as written, transaction.atomic():
        if upload is not None:
            resource.file_type = _store(resource.file, upload, resource.kind, written)
            resource.file_name = resource.file.name.rsplit("/", 1)[-1]
            resource.file_size = upload.size or 0
        if is_new:
            resource.created_by = by
        resource.full_clean(exclude=["file"])
        resource.save()
        resource.topics.set(topics)
        resource.professions.set(professions)
        resource.practice_settings.set(practice_settings)
        if is_new and resource.kind == Resource.Kind.PROTOCOL:
            ProtocolVersion.objects.create(
                resource=resource,
                number=1,
                text=resource.text,
                file=resource.file.name or "",
                file_name=resource.file_name,
                file_type=resource.file_type,
                created_by=by,
            )
        index_resource(resource)
        if is_new:
            enqueue_atomically(tasks.tell_followers_of_resource, resource.pk)
    log.info("resource %s saved by person %s", resource.pk, by.pk)
    return resource


def add_version(
    resource: Resource,
    *,
    by: User,
    text: str = "",
    upload: UploadedFile | None = None,
    changes_en: str = "",
    changes_fr: str = "",
) -> ProtocolVersion:
    """A protocol's new version becomes its current text or file; its followers hear of it."""
    with _files_removed_on_failure() as written, transaction.atomic():
        Resource.objects.select_for_update().filter(pk=resource.pk).first()
        number = (resource.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        version = ProtocolVersion(
            resource=resource,
            number=number,
            text=text,
            changes_en=changes_en,
            changes_fr=changes_fr,
            created_by=by,
        )
        if upload is not None:
            version.file_type = _store(version.file, upload, resource.kind, written)
            version.file_name = version.file.name.rsplit("/", 1)[-1]
        version.full_clean(exclude=["file"])
        version.save()
        resource.text = text
        if version.file:
            resource.file = version.file.name
            resource.file_name, resource.file_type = version.file_name, version.file_type
        resource.save()
        index_resource(resource)
        enqueue_atomically(tasks.tell_followers_of_version, version.pk)
    return version


@transaction.atomic
def attach_transcript(resource: Resource, data: bytes, *, by: User) -> int:
    """Replace the recording's transcript with the cues of a WebVTT file; returns their count."""
    cues = parse_vtt(data)
    resource.segments.all().delete()
    TranscriptSegment.objects.bulk_create(
        TranscriptSegment(
            resource=resource,
            position=position,
            start_ms=cue.start_ms,
            end_ms=cue.end_ms,
            speaker=cue.speaker[:200],
            text=cue.text,
        )
        for position, cue in enumerate(cues)
    )
    index_resource(resource)
    log.info("transcript of %s cues for resource %s by person %s", len(cues), resource.pk, by.pk)
    return len(cues)


def follow(person: User, **target: Any) -> Follow:
    """Follow a resource, a topic or a program (exactly one, by keyword)."""
    found, _created = Follow.objects.get_or_create(person=person, **target)
    return found


def unfollow(person: User, **target: Any) -> None:
    Follow.objects.filter(person=person, **target).delete()


def program_recordings(program: Program, visible: QuerySet[Resource]) -> dict[int, list[Resource]]:
    """Each session's recordings and slides that this reader may see, by session id."""
    found: dict[int, list[Resource]] = {}
    resources = visible.filter(
        program=program,
        session__isnull=False,
        kind__in=(Resource.Kind.RECORDING, Resource.Kind.SLIDES),
    ).order_by("kind", "created_at")
    for resource in resources:
        if resource.session_id is not None:
            found.setdefault(resource.session_id, []).append(resource)
    return found


# --- Use, counted without anyone's name -----------------------------------------------------

ROBOTS = ("bot", "spider", "crawl")


def counts_as_a_view(request: HttpRequest, *, download: bool = False) -> bool:
    """A person's GET of a resource's page or file. Not a HEAD, not a robot (its user agent
    says "bot", "spider" or "crawl"); for a file, not the page's own player fetching it
    (`Sec-Fetch-Dest` video or audio: the page was counted) nor a later range of it."""
    agent = request.headers.get("User-Agent", "").lower()
    if request.method != "GET" or any(word in agent for word in ROBOTS):
        return False
    if download:
        player = request.headers.get("Sec-Fetch-Dest", "") in ("video", "audio")
        first_part = request.headers.get("Range", "bytes=0-").startswith("bytes=0-")
        return first_part and not player
    return True


def count_view(resource: Resource) -> None:
    """One more view of `resource` today (the network's day, settings.TIME_ZONE).

    An UPDATE that adds one in the database, so simultaneous views never lose one;
    the day's first view creates the row, and a simultaneous first view that loses
    the race to create it adds its one to the winner's row.
    """
    day = timezone.localdate()
    counters = ResourceViews.objects.filter(resource=resource, day=day)
    if counters.update(views=F("views") + 1):
        return
    try:
        with transaction.atomic():
            ResourceViews.objects.create(resource=resource, day=day, views=1)
    except IntegrityError:
        counters.update(views=F("views") + 1)


def views_by_kind(
    resources: QuerySet[Resource], start: dt.date | None, end: dt.date | None
) -> dict[str, int]:
    """Views of these resources from `start` to `end` (both included; None is open), by
    the resources' kind. One query."""
    counted = ResourceViews.objects.filter(resource__in=resources)
    if start:
        counted = counted.filter(day__gte=start)
    if end:
        counted = counted.filter(day__lte=end)
    return dict(
        counted.order_by()
        .values("resource__kind")
        .annotate(n=Sum("views"))
        .values_list("resource__kind", "n")
    )
