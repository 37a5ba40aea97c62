"""Meetings follow sessions; attendance and recordings follow meetings.

When a program uses a connection (`ProgramVideo`), each of its published
sessions gets a meeting on the platform: `sync` makes it, moves it or removes
it to match the session, and is safe to run any number of times (it compares
what the platform was told with what the session is, and a retry after a
crash finds the meeting made before). Signals queue a `sync` in the
transaction of the change; `due` (run every minute by `echohub video_due`)
takes up what must happen at a time: a failed call's retry, a room to open, a
report to fetch.

After the session the worker fetches the participant report through the
platform (`fetch_attendance`) when the platform says the meeting ended, or
`fetch_after_minutes` after the end, and reads it through the same matcher
and preview as an upload. The coordinators are told; a program may have it
applied by itself when every line matched with confidence.
"""

import datetime as dt
import logging
import secrets
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from echohub.accounts.models import User
from echohub.attendance import services as attendance
from echohub.attendance.models import AttendanceImport
from echohub.attendance.parsing import Report
from echohub.library import services as library
from echohub.library.models import Resource
from echohub.network.models import MANAGER_ROLES, StaffRole
from echohub.outreach.services import queue_email, site_link
from echohub.programs.models import Program, Session
from echohub.video import platforms
from echohub.video.models import Meeting, Platform, ProgramVideo
from echohub.video.platforms.base import Made, Plan, Problem, Recording, TryLater
from echohub.workers.queue import enqueue_atomically

log = logging.getLogger(__name__)

# A failed call is tried again after these waits, then every six hours until the
# session is over (its problem shown on the session's staff page all along).
RETRY_DELAYS = [60, 300, 1800, 7200, 21600]
# A claim on a meeting lasts this long: a worker that died frees it by then.
BUSY_FOR = dt.timedelta(minutes=2)
# The room is opened (a BigBlueButton meeting created, a Zoom start link renewed)
# this long before registrants may join.
OPEN_BEFORE = dt.timedelta(minutes=10)
# A report the platform has not made yet is asked for again this often, this long.
FETCH_EVERY = dt.timedelta(minutes=15)
FETCH_FOR = dt.timedelta(hours=24)


def _external(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def plan_for(meeting: Meeting) -> Plan:
    session = meeting.session
    connection = meeting.connection
    hook = connection.hook_key
    return Plan(
        key=meeting.key,
        title=_title(session),
        starts_at=session.starts_at,
        minutes=session.duration_minutes,
        timezone=session.program.timezone,
        ended_url=_external(reverse("video_hooks:ended", args=[hook, meeting.key])),
        events_url=_external(reverse("video_hooks:events", args=[hook, meeting.key])),
    )


def _title(session: Session) -> str:
    """The meeting's name on the platform: in the sessions' language, or both."""
    english, french = session.title_en.strip(), session.title_fr.strip()
    if session.program.languages == Program.Languages.FR:
        return french or english
    if session.program.languages == Program.Languages.BOTH and english and french:
        return english if english == french else f"{english} / {french}"
    return english or french


def _told(plan: Plan) -> dict[str, Any]:
    return {"title": plan.title, "starts_at": plan.starts_at.isoformat(), "minutes": plan.minutes}


def _made(meeting: Meeting) -> Made:
    return Made(meeting.external_id, details=meeting.details)


def _wanted(session: Session, video: ProgramVideo | None) -> bool:
    """Whether the session should have a meeting (made before its end, kept after)."""
    return (
        video is not None
        and session.program.status == Program.Status.PUBLISHED
        and session.status == Session.Status.SCHEDULED
    )


# --- Queueing ---------------------------------------------------------------------


def follow(session_ids: list[int]) -> None:
    """Queue a sync of each session's meeting, with the caller's transaction."""
    from echohub.video import tasks

    for session_id in session_ids:
        enqueue_atomically(tasks.sync_meeting, session_id)


def follow_program(program: Program) -> None:
    """Every session of the program to come, and every one that has a meeting."""
    upcoming = Q(starts_at__gte=timezone.now() - dt.timedelta(days=1))
    ids = program.sessions.filter(upcoming | Q(video_meeting__isnull=False)).values_list(
        "pk", flat=True
    )
    follow(list(ids))


# --- Claiming ---------------------------------------------------------------------


def _claim(meeting: Meeting) -> bool:
    """Whether this worker may call the platform for the meeting now.

    `again` is set first: a worker that holds the meeting looks at it once more as
    it lets go (`sync`), so a change made while it was busy is never lost.
    """
    Meeting.objects.filter(pk=meeting.pk).update(again=True)
    now = timezone.now()
    free = Q(busy_until__isnull=True) | Q(busy_until__lt=now)
    claimed = Meeting.objects.filter(free, pk=meeting.pk)
    return bool(claimed.update(busy_until=now + BUSY_FOR, again=False))


def _links(session: Session, made: Made | None, connection_platform: str, key: str) -> None:
    """The session's join and host links, as registrants and the panel see them today."""
    if made is None:
        join = host = ""
    elif connection_platform == Platform.BIGBLUEBUTTON:
        # Each person's own signed link, made by EchoHub as they follow these.
        join = _external(reverse("video_hooks:join", args=[key]))
        host = _external(reverse("video_hooks:host", args=[key]))
    else:
        join, host = made.join_url, made.host_url
    Session.objects.filter(pk=session.pk).update(join_url=join[:500], host_url=host[:500])


def _failed(meeting: Meeting, problem: Problem) -> None:
    meeting.attempts += 1
    meeting.state = Meeting.State.FAILED
    meeting.problem, meeting.detail = problem.code, problem.detail
    wait = (
        problem.after
        if isinstance(problem, TryLater)
        else RETRY_DELAYS[min(meeting.attempts, len(RETRY_DELAYS)) - 1]
    )
    meeting.next_try_at = timezone.now() + dt.timedelta(seconds=wait)
    log.info("meeting %s failed (%s), next try in %s s", meeting.pk, problem.code, round(wait))


# --- The sync ---------------------------------------------------------------------


def _meeting_for(session: Session, video: ProgramVideo | None) -> Meeting | None:
    meeting = Meeting.objects.select_related("connection").filter(session=session).first()
    if meeting is None and video is not None and _wanted(session, video) and not session.has_ended:
        meeting, _ = Meeting.objects.get_or_create(
            session=session,
            defaults={
                "connection": video.connection,
                "key": f"echohub-{session.pk}-{secrets.token_hex(4)}",
            },
        )
    return meeting


def sync(session_id: int) -> Meeting | None:
    """Make, change, open or remove the session's meeting so that it matches the session."""
    session = Session.objects.select_related("program__hub").filter(pk=session_id).first()
    if session is None:
        return None
    video = (
        ProgramVideo.objects.select_related("connection").filter(program=session.program).first()
    )
    meeting = _meeting_for(session, video)
    if meeting is None:
        return None
    if not _claim(meeting):
        return meeting  # another worker is at it: it looks again as it lets go
    meeting.session = session
    moved = video is not None and video.connection_id != meeting.connection_id
    try:
        client = platforms.client(meeting.connection)
        if moved or not _wanted(session, video):
            _remove(meeting, client, session)
        elif not session.has_ended:
            _bring_up(meeting, client, session)
        elif meeting.state == Meeting.State.FAILED:
            # An ended session's meeting stays as it ran; a call still failing is given up.
            meeting.next_try_at = None
    except Problem as problem:
        _failed(meeting, problem)
    finally:
        meeting.busy_until = None
        # Every field but `again`, which another worker may have set meanwhile.
        meeting.save(update_fields=[f.name for f in Meeting._meta.concrete_fields[1:]
                                    if f.name != "again"])  # fmt: skip
    if moved and meeting.state == Meeting.State.REMOVED:
        # Moved to another of the hub's platforms: a new meeting there, under a new key.
        meeting.delete()
        return sync(session_id)
    if Meeting.objects.filter(pk=meeting.pk, again=True).exists():
        return sync(session_id)  # changed while this worker was at it
    return meeting


def _remove(meeting: Meeting, client: platforms.Client, session: Session) -> None:
    if meeting.state != Meeting.State.REMOVED and meeting.external_id:
        client.remove(_made(meeting))
        log.info("meeting %s removed for session %s", meeting.pk, session.pk)
    meeting.state = Meeting.State.REMOVED
    meeting.problem = meeting.detail = ""
    meeting.next_try_at = None
    _links(session, None, meeting.connection.platform, meeting.key)


def _bring_up(meeting: Meeting, client: platforms.Client, session: Session) -> None:
    plan = plan_for(meeting)
    made: Made | None = None
    if not meeting.external_id:
        # A try before this one may have made it and died before keeping its id.
        made = client.make(plan, retry=meeting.attempts > 0)
        log.info("meeting %s made for session %s", meeting.pk, session.pk)
    elif meeting.told != _told(plan) or meeting.state == Meeting.State.REMOVED:
        try:
            made = client.change(_made(meeting), plan)
        except Problem as problem:
            if problem.code != "not_found":
                raise
            made = client.make(plan)  # deleted on the platform by hand: made again
        log.info("meeting %s changed for session %s", meeting.pk, session.pk)
    if made is not None:
        meeting.external_id = made.external_id
        meeting.details = {**meeting.details, **made.details}
        meeting.told = _told(plan)
        meeting.opened_at = None
    if meeting.opened_at is None and timezone.now() >= session.room_opens_at - OPEN_BEFORE:
        made = client.open(_made(meeting), plan)
        meeting.details = {**meeting.details, **made.details}
        meeting.opened_at = timezone.now()
        log.info("meeting %s opened for session %s", meeting.pk, session.pk)
    if made is not None:
        _links(session, made, meeting.connection.platform, meeting.key)
    meeting.state = Meeting.State.READY
    meeting.attempts = 0
    meeting.problem = meeting.detail = ""
    meeting.next_try_at = None


def retry(meeting: Meeting) -> None:
    """The staff page's button: try again now, whatever the wait."""
    Meeting.objects.filter(pk=meeting.pk).update(next_try_at=timezone.now())
    follow([meeting.session_id])


# --- What falls due ---------------------------------------------------------------


def due(now: dt.datetime | None = None) -> dict[str, int]:
    """Queue what must happen by now: retries, rooms to open, reports to fetch."""
    from echohub.video import tasks

    now = now or timezone.now()
    live = Meeting.objects.exclude(state=Meeting.State.REMOVED)
    retries = live.filter(state=Meeting.State.FAILED, next_try_at__lte=now)
    opening = live.filter(
        state=Meeting.State.READY,
        opened_at__isnull=True,
        session__starts_at__lte=now + OPEN_BEFORE + dt.timedelta(hours=6),
    )
    to_open = [
        m.session_id
        for m in opening.select_related("session__program")
        if m.session.room_opens_at - OPEN_BEFORE <= now < m.session.ends_at
    ]
    ids = list(retries.values_list("session_id", flat=True)) + to_open
    follow(sorted(set(ids)))
    never_asked = Q(
        attendance="",
        session__starts_at__lte=now,
        session__starts_at__gte=now - FETCH_FOR - dt.timedelta(hours=12),
    )
    asked_again = Q(attendance=Meeting.Fetch.WAITING, next_try_at__lte=now)
    fetching = [
        m.pk
        for m in live.filter(never_asked | asked_again, external_id__gt="").select_related(
            "session__program__video"
        )
        if _fetch_time(m) <= now
    ]
    for pk in fetching:
        enqueue_atomically(tasks.fetch_attendance, pk)
    return {"synced": len(set(ids)), "fetching": len(fetching)}


def _fetch_time(meeting: Meeting) -> dt.datetime:
    """When to ask for the report unasked: `fetch_after_minutes` after the end."""
    video = getattr(meeting.session.program, "video", None)
    minutes = video.fetch_after_minutes if video else 20
    if meeting.attendance == Meeting.Fetch.WAITING and meeting.next_try_at:
        return meeting.next_try_at
    return meeting.session.ends_at + dt.timedelta(minutes=minutes)


# --- The end: attendance ------------------------------------------------------------


def ended(meeting: Meeting, *, details: dict[str, Any] | None = None) -> None:
    """The platform told of the meeting's end: fetch its report now."""
    from echohub.video import tasks

    changes: dict[str, Any] = {"ended_at": timezone.now()}
    if details:
        changes["details"] = {**meeting.details, **details}
    Meeting.objects.filter(pk=meeting.pk).update(**changes)
    enqueue_atomically(tasks.fetch_attendance, meeting.pk)


def _by(meeting: Meeting) -> User:
    video = getattr(meeting.session.program, "video", None)
    return video.set_by if video else meeting.connection.created_by


# Whom EchoHub lets into a room it signs the join of (a BigBlueButton room's), under
# their account: the platform hands the key back in its attendance.
JOIN_KEY = "echohub-"


def join_key(person: User) -> str:
    return f"{JOIN_KEY}{person.pk}"


def _account_of(key: str) -> int | None:
    number = key.removeprefix(JOIN_KEY)
    return int(number) if key.startswith(JOIN_KEY) and number.isdigit() else None


def _with_accounts(report: Report) -> Report:
    """Attendees EchoHub gave a key in their join link are its accounts: their email
    makes the match certain (a BigBlueButton room knows names only)."""
    accounts = {a.key: _account_of(a.key) for a in report.attendees if not a.email}
    emails = dict(
        User.objects.filter(pk__in=[pk for pk in accounts.values() if pk]).values_list(
            "pk", "email"
        )
    )
    people = tuple(
        replace(a, email=emails.get(accounts[a.key] or 0, "")) if not a.email else a
        for a in report.attendees
    )
    return replace(report, attendees=people)


def fetch_attendance(meeting_id: int) -> AttendanceImport | None:
    """Ask the platform for the meeting's report and read it into a preview."""
    meeting = (
        Meeting.objects.select_related("session__program__hub", "connection")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or meeting.attendance == Meeting.Fetch.FETCHED or not _claim(meeting):
        return None
    try:
        report = platforms.client(meeting.connection).attendance(_made(meeting))
    except Problem as problem:
        report = None
        meeting.problem, meeting.detail = problem.code, problem.detail
        log.info("meeting %s: attendance not fetched (%s)", meeting.pk, problem.code)
    if report is None:
        # Asked for FETCH_FOR from the first time (not from the end: a worker that was
        # down a day still asks), then given up: the coordinator uploads the file.
        now = timezone.now()
        since = dt.datetime.fromisoformat(meeting.details.get("asked_since") or now.isoformat())
        given_up = now - since > FETCH_FOR
        meeting.attendance = Meeting.Fetch.FAILED if given_up else Meeting.Fetch.WAITING
        meeting.next_try_at = None if given_up else now + FETCH_EVERY
        Meeting.objects.filter(pk=meeting.pk).update(
            attendance=meeting.attendance,
            next_try_at=meeting.next_try_at,
            problem=meeting.problem,
            detail=meeting.detail,
            details={**meeting.details, "asked_since": since.isoformat()},
            busy_until=None,
        )
        return None
    return _read(meeting, _with_accounts(report))


def _read(meeting: Meeting, report: Report) -> AttendanceImport:
    session = meeting.session
    with transaction.atomic():
        upload = attendance.receive_fetched(
            session,
            report,
            source=meeting.connection.get_platform_display(),
            by=_by(meeting),
        )
        # The platform's raw analytics (names, joins) are the import's now: not kept twice.
        kept = {k: v for k, v in meeting.details.items() if k != "analytics"}
        Meeting.objects.filter(pk=meeting.pk).update(
            attendance=Meeting.Fetch.FETCHED,
            attendance_import=upload,
            details=kept,
            problem="",
            detail="",
            next_try_at=None,
            busy_until=None,
        )
    log.info("meeting %s: attendance fetched, %s lines", meeting.pk, len(upload.people))
    video = getattr(session.program, "video", None)
    if (
        video is not None
        and video.auto_apply
        and upload.status == AttendanceImport.Status.PREVIEW
        and upload.people
        and all(attendance.is_certain(row) for row in upload.people)
        and not upload.warnings
    ):
        attendance.apply_import(upload, attendance.suggested_decisions(upload), by=video.set_by)
        upload.refresh_from_db()
        log.info("meeting %s: attendance applied by itself", meeting.pk)
    _tell_coordinators(meeting, upload)
    recordings_ready(meeting)
    return upload


def _tell_coordinators(meeting: Meeting, upload: AttendanceImport) -> None:
    session = meeting.session
    program = session.program
    coordinators = User.objects.filter(
        pk__in=StaffRole.objects.filter(hub=program.hub, role__in=MANAGER_ROLES).values("person")
    )
    applied = upload.status == AttendanceImport.Status.APPLIED
    for person in coordinators:
        queue_email(
            person=person,
            kind="video.attendance",
            reason_key=f"video-attendance:{upload.pk}:{person.pk}",
            context={
                "session": session,
                "program": program,
                "applied": applied,
                "lines": len(upload.people),
                "platform": meeting.connection.get_platform_display(),
                "preview_url": site_link("attendance:preview", pk=upload.pk),
                "session_url": site_link("programs:session", pk=session.pk),
            },
            hub=program.hub,
        )


# --- Recordings ---------------------------------------------------------------------


def recordings_ready(meeting: Meeting) -> None:
    """The platform told of a recording: ask for it (the staff page then offers it)."""
    from echohub.video import tasks

    enqueue_atomically(tasks.find_recordings, meeting.pk)


def find_recordings(meeting_id: int) -> list[Recording]:
    """Ask the platform for the meeting's recordings; keep them for the staff page."""
    meeting = Meeting.objects.select_related("connection").filter(pk=meeting_id).first()
    if meeting is None or not meeting.external_id:
        return []
    try:
        found = platforms.client(meeting.connection).recordings(_made(meeting))
    except Problem as problem:
        log.info("meeting %s: recordings not read (%s)", meeting.pk, problem.code)
        return []
    offered = {r["external_id"]: r for r in meeting.recordings}
    for recording in found:
        offered.setdefault(
            recording.external_id,
            {
                "external_id": recording.external_id,
                "url": recording.url,
                "minutes": recording.minutes,
                "transcript_url": recording.transcript_url,
                "resource": None,
            },
        )
    Meeting.objects.filter(pk=meeting.pk).update(recordings=list(offered.values()))
    return found


def add_recording(meeting_id: int, external_id: str, *, by: User) -> Resource | None:
    """Put an offered recording in the library as the session's recording, at the program's
    chosen visibility, with the platform's transcript (WebVTT) when it made one."""
    meeting = (
        Meeting.objects.select_related(
            "session__program__hub", "session__program__video", "connection"
        )
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        return None
    offered = next((r for r in meeting.recordings if r["external_id"] == external_id), None)
    if offered is None:
        return None
    if offered.get("resource"):
        return Resource.objects.filter(key=offered["resource"]).first()
    session, program = meeting.session, meeting.session.program
    video = getattr(program, "video", None)
    transcript = b""
    if offered.get("transcript_url"):
        try:
            transcript = platforms.client(meeting.connection).fetch(offered["transcript_url"])
        except Problem as problem:
            log.info("meeting %s: transcript not fetched (%s)", meeting.pk, problem.code)
    with transaction.atomic():
        resource = library.save_resource(
            Resource(
                hub=program.hub,
                kind=Resource.Kind.RECORDING,
                title_en=session.title_en,
                title_fr=session.title_fr,
                language="fr" if program.languages == Program.Languages.FR else "en",
                program=program,
                session=session,
                visibility=video.recording_visibility if video else Resource.Visibility.MEMBERS,
                url=offered["url"],
            ),
            by=by,
            topics=[],
            professions=[],
            practice_settings=[],
        )
        if transcript:
            try:
                library.attach_transcript(resource, transcript, by=by)
            except ValueError as error:  # not WebVTT after all: the recording alone
                log.info("meeting %s: transcript unreadable (%s)", meeting.pk, error)
        recordings = [
            {**r, "resource": resource.key} if r["external_id"] == external_id else r
            for r in meeting.recordings
        ]
        Meeting.objects.filter(pk=meeting.pk).update(recordings=recordings)
    log.info(
        "meeting %s: recording added to the library as %s by %s", meeting.pk, resource.pk, by.pk
    )
    return resource
