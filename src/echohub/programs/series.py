"""A series of session dates from a rule: "every second Tuesday at 12:00, 8 sessions".

Dates are computed on the wall clock of the program's zone, so 12:00 stays
12:00 across daylight-saving changes, then stored in UTC.
"""

import datetime as dt
import enum
import zoneinfo
from dataclasses import dataclass
from typing import Any

from dateutil import rrule
from django.utils.translation import gettext_lazy as _

FREQUENCIES = [
    ("weekly", _("Every week")),
    ("biweekly", _("Every second week")),
    ("triweekly", _("Every third week")),
    ("fourweekly", _("Every fourth week")),
    ("monthly", _("Every month, on the same weekday (e.g. the second Tuesday)")),
]
WEEK_INTERVALS = {"weekly": 1, "biweekly": 2, "triweekly": 3, "fourweekly": 4}
MAX_SESSIONS = 60


@dataclass(frozen=True)
class SeriesRule:
    first_date: dt.date
    start_time: dt.time
    duration_minutes: int
    zone: str
    frequency: str
    count: int | None = None
    until: dt.date | None = None
    # Which of a repeated wall-clock time (the night clocks go back) is meant: 0 the first.
    fold: int = 0

    def starts(self) -> list[dt.datetime]:
        """Every start of the series, as aware UTC datetimes, at most MAX_SESSIONS."""
        tz = zoneinfo.ZoneInfo(self.zone)
        return [
            naive.replace(tzinfo=tz, fold=self.fold).astimezone(dt.UTC)
            for naive in self.wall_clock_starts()
        ]

    def wall_clock_starts(self) -> list[dt.datetime]:
        """Every start on the program's wall clock (naive), at most MAX_SESSIONS."""
        first = dt.datetime.combine(self.first_date, self.start_time)
        until = dt.datetime.combine(self.until, self.start_time) if self.until else None
        # RFC 5545 allows COUNT or UNTIL, not both: the rule takes UNTIL (or the cap)
        # and the count is applied by slicing, so the earlier of the two ends it.
        limit = min(self.count or MAX_SESSIONS, MAX_SESSIONS)
        bound: dict[str, Any] = {"until": until} if until else {"count": limit}
        if self.frequency == "monthly":
            # The first date's place in its month: 1st…4th weekday, or the last one.
            nth = (self.first_date.day - 1) // 7 + 1
            rule = rrule.rrule(
                rrule.MONTHLY,
                dtstart=first,
                byweekday=rrule.weekday(self.first_date.weekday(), nth if nth <= 4 else -1),
                **bound,
            )
        else:
            rule = rrule.rrule(
                rrule.WEEKLY, dtstart=first, interval=WEEK_INTERVALS[self.frequency], **bound
            )
        return list(rule[:limit])


class WallClock(enum.Enum):
    """What a wall-clock time is on its day, in a zone that changes its clocks."""

    EXISTS = "exists"  # once, as on most days
    SKIPPED = "skipped"  # never: clocks jump over it (02:30 the night they go forward)
    REPEATED = "repeated"  # twice: clocks go back over it (01:30 the night they go back)


def wall_clock(moment: dt.datetime, zone: str) -> WallClock:
    """Whether a naive wall-clock `moment` happens once, never or twice in `zone`.

    Python keeps a skipped or repeated time without complaint (02:30 quietly
    becomes 03:30; 01:30 quietly takes the first): the forms ask this first.
    """
    tz = zoneinfo.ZoneInfo(zone)
    first = moment.replace(tzinfo=tz, fold=0)
    second = moment.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return WallClock.EXISTS
    # Two offsets: a time in the gap does not survive a trip through UTC, a repeated one does.
    round_trip = first.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
    return WallClock.SKIPPED if round_trip != moment.replace(tzinfo=None) else WallClock.REPEATED


def utc_offset(moment: dt.datetime, zone: str, fold: int) -> dt.timedelta:
    """The zone's offset from UTC at a naive wall-clock moment, for the given fold."""
    return moment.replace(tzinfo=zoneinfo.ZoneInfo(zone), fold=fold).utcoffset() or dt.timedelta()


def session_start(day: dt.date, time: dt.time, zone: str, fold: int = 0) -> dt.datetime:
    """A wall-clock date and time in `zone`, as an aware UTC datetime.

    `fold` picks the second of a repeated time (see `wall_clock`).
    """
    local = dt.datetime.combine(day, time, tzinfo=zoneinfo.ZoneInfo(zone)).replace(fold=fold)
    return local.astimezone(dt.UTC)
