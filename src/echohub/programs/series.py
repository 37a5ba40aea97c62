"""A series of session dates from a rule: "every second Tuesday at 12:00, 8 sessions".

Dates are computed on the wall clock of the program's zone, so 12:00 stays
12:00 across daylight-saving changes, then stored in UTC.
"""

import datetime as dt
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

    def starts(self) -> list[dt.datetime]:
        """Every start of the series, as aware UTC datetimes, at most MAX_SESSIONS."""
        tz = zoneinfo.ZoneInfo(self.zone)
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
        return [naive.replace(tzinfo=tz).astimezone(dt.UTC) for naive in rule[:limit]]


def session_start(day: dt.date, time: dt.time, zone: str) -> dt.datetime:
    """A wall-clock date and time in `zone`, as an aware datetime."""
    return dt.datetime.combine(day, time, tzinfo=zoneinfo.ZoneInfo(zone))
