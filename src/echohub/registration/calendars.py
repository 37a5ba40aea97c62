"""Sessions as iCalendar (RFC 5545) events, for calendar files and subscribed feeds.

Pure functions: they read sessions and return events or bytes, and never
decide who may see a join link (the views do). Times are written in UTC, so
every calendar app shows them in its reader's own zone.

A calendar app keeps an event by its UID and replaces it when it sees a
higher SEQUENCE. The UID is fixed per session; the SEQUENCE is the number of
seconds between the session's creation and its last change, so moving,
retitling or cancelling a session always raises it, with no counter to keep.
A person's own copy (their email, their feed) counts up to the later of the
session's and their registration's last change, so their cancellation
(METHOD:CANCEL, one more) outranks the confirmation they got, and registering
again afterwards outranks the cancellation.
"""

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration
from icalendar.enums import STATUS

from echohub.programs.models import Session

PRODID = "-//EchoHub//EchoHub calendars//EN"
# Subscribed calendars may look for changes this often (Google and Apple read
# REFRESH-INTERVAL, Outlook X-PUBLISHED-TTL); they are free to wait longer.
REFRESH = dt.timedelta(hours=1)
# SEQUENCE is an RFC 5545 INTEGER: a signed 32-bit number.
MAX_SEQUENCE = 2**31 - 1


def session_uid(session: Session) -> str:
    return f"session-{session.pk}@echohub"


def session_sequence(session: Session, changed_at: dt.datetime | None = None) -> int:
    """Seconds from the session's creation to its last change: only ever goes up.

    `changed_at` (a registration's last change) counts too when it is later.
    """
    last = max(session.updated_at, changed_at) if changed_at else session.updated_at
    seconds = int((last - session.created_at).total_seconds())
    return min(max(seconds, 0), MAX_SEQUENCE - 1)


def _utc(moment: dt.datetime) -> dt.datetime:
    """iCalendar counts whole seconds; a UTC time is written with a final Z."""
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def session_url(session: Session) -> str:
    """The session's page on this site, in the active language."""
    return settings.SITE_URL.rstrip("/") + session.get_absolute_url()


def _description(session: Session, *, include_join_link: bool) -> str:
    parts = [str(session.program.title), str(session.description).strip()]
    if include_join_link and session.join_url and not session.is_cancelled:
        parts.append(f"{_('Join link:')} {session.join_url}")
    return "\n\n".join(part for part in parts if part)


def session_event(
    session: Session,
    *,
    include_join_link: bool,
    lang: str,
    stamp: dt.datetime | None = None,
    changed_at: dt.datetime | None = None,
) -> Event:
    """One session as an event, its texts in `lang` (the other language when it has none).

    The join link goes in the LOCATION and the description only when
    `include_join_link` is true and the session is still on; a cancelled session
    is STATUS:CANCELLED, which removes it from subscribed calendars. `stamp` (the
    DTSTAMP) defaults to now, the time this copy of the event is published;
    `changed_at` is the last change of the person's registration, for their copy.
    """
    event = _event(
        session,
        lang=lang,
        sequence=session_sequence(session, changed_at),
        status=STATUS.CANCELLED if session.is_cancelled else STATUS.CONFIRMED,
        include_join_link=include_join_link,
        last_modified=session.updated_at,
        stamp=stamp,
    )
    if include_join_link and session.join_url and not session.is_cancelled:
        event.add("LOCATION", session.join_url)
    return event


def cancelled_event(
    session: Session,
    *,
    changed_at: dt.datetime,
    lang: str,
    stamp: dt.datetime | None = None,
) -> Event:
    """The person's event withdrawn: same UID, one more than their copy's SEQUENCE.

    `changed_at` is when their registration was cancelled (or the session, if later).
    No join link: the event is gone.
    """
    return _event(
        session,
        lang=lang,
        sequence=session_sequence(session, changed_at) + 1,
        status=STATUS.CANCELLED,
        include_join_link=False,
        last_modified=max(session.updated_at, changed_at),
        stamp=stamp,
    )


def _event(
    session: Session,
    *,
    lang: str,
    sequence: int,
    status: STATUS,
    include_join_link: bool,
    last_modified: dt.datetime,
    stamp: dt.datetime | None,
) -> Event:
    with translation.override(lang):
        return Event.new(
            uid=session_uid(session),
            sequence=sequence,
            start=_utc(session.starts_at),
            end=_utc(session.ends_at),
            summary=str(session.title),
            description=_description(session, include_join_link=include_join_link),
            url=session_url(session),
            status=status,
            created=_utc(session.created_at),
            last_modified=_utc(last_modified),
            stamp=_utc(stamp or timezone.now()),
        )


def _calendar(method: str, name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", method)
    calendar.calendar_name = name  # NAME (RFC 7986) and X-WR-CALNAME
    return calendar


def cancellation_for(events: Iterable[Event], name: str) -> bytes:
    """A cancellation (METHOD:CANCEL, RFC 5546): calendar apps remove these events."""
    calendar = _calendar("CANCEL", name)
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def calendar_for(events: Iterable[Event], name: str) -> bytes:
    """A published calendar (METHOD:PUBLISH) named `name`, ready to send."""
    calendar = _calendar("PUBLISH", name)
    calendar.add("REFRESH-INTERVAL", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()
