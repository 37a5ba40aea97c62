"""Periods of time the figures are counted over: months, fiscal quarters and years, all time.

Canadian public funders count in fiscal years from April to March; a fiscal year
is named by the calendar year it starts in ("2025–26" starts on 1 April 2025) and
its quarters run April–June (Q1) to January–March (Q4). Every period is whole
months on the network's clock (settings.TIME_ZONE): a session belongs to the
month of the day it starts there.
"""

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

FISCAL_START_MONTH = 4


def network_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


def fiscal_year(day: dt.date) -> int:
    """The calendar year the day's fiscal year starts in."""
    return day.year if day.month >= FISCAL_START_MONTH else day.year - 1


def quarter_start(day: dt.date) -> dt.date:
    """The first day of the day's fiscal quarter (April, July, October or January)."""
    return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def fiscal_quarter(day: dt.date) -> int:
    """1 for April–June … 4 for January–March."""
    return (day.month - FISCAL_START_MONTH) % 12 // 3 + 1


def fiscal_label(year: int) -> str:
    return f"{year}–{(year + 1) % 100:02d}"


@dataclass(frozen=True)
class Period:
    """Whole months from `start` (included) to `end` (excluded); None ends are open.

    `grain` says which first-participation flags count its unique participants
    ("ever", "year", "quarter", "month"), or "range" when no flag fits and they
    are counted from the participations themselves.
    """

    grain: str
    start: dt.date | None = None
    end: dt.date | None = None

    def _bounds(self) -> tuple[dt.date, dt.date]:
        if self.start is None or self.end is None:
            raise ValueError(f"a {self.grain} period has a start and an end")
        return self.start, self.end

    @property
    def key(self) -> str:
        if self.grain == "ever":
            return "all"
        start, end = self._bounds()
        if self.grain == "year":
            return f"fy{start.year}"
        if self.grain == "quarter":
            return f"{fiscal_year(start)}q{fiscal_quarter(start)}"
        if self.grain == "month":
            return f"{start:%Y-%m}"
        return f"{start:%Y-%m}..{add_months(end, -1):%Y-%m}"

    @property
    def label(self) -> str:
        if self.grain == "ever":
            return _("All time")
        start, end = self._bounds()
        if self.grain == "year":
            return _("Fiscal year %(year)s") % {"year": fiscal_label(start.year)}
        if self.grain == "quarter":
            return _("Q%(quarter)s of fiscal year %(year)s") % {
                "quarter": fiscal_quarter(start),
                "year": fiscal_label(fiscal_year(start)),
            }
        if self.grain == "month":
            return str(date_format(start, "YEAR_MONTH_FORMAT"))
        return _("%(start)s to %(end)s") % {
            "start": date_format(start, "YEAR_MONTH_FORMAT"),
            "end": date_format(add_months(end, -1), "YEAR_MONTH_FORMAT"),
        }

    def contains(self, month: dt.date) -> bool:
        return (self.start is None or month >= self.start) and (
            self.end is None or month < self.end
        )

    def moments(self, field: str) -> Q:
        """`field`, a moment, within the period: from the first day's midnight on the
        network's clock to the midnight that ends it."""
        zone = ZoneInfo(settings.TIME_ZONE)
        within = Q()
        if self.start:
            within &= Q(**{f"{field}__gte": dt.datetime.combine(self.start, dt.time(), zone)})
        if self.end:
            within &= Q(**{f"{field}__lt": dt.datetime.combine(self.end, dt.time(), zone)})
        return within

    @property
    def last_day(self) -> dt.date | None:
        return None if self.end is None else self.end - dt.timedelta(days=1)


ALL_TIME = Period("ever")


def fiscal_year_period(year: int) -> Period:
    start = dt.date(year, FISCAL_START_MONTH, 1)
    return Period("year", start, add_months(start, 12))


def quarter_period(year: int, quarter: int) -> Period:
    start = add_months(dt.date(year, FISCAL_START_MONTH, 1), (quarter - 1) * 3)
    return Period("quarter", start, add_months(start, 3))


def month_period(month: dt.date) -> Period:
    return Period("month", month, add_months(month, 1))


def months_period(first: dt.date, last: dt.date) -> Period:
    """From the month of `first` to the month of `last`, both included, in the finest grain
    that fits it exactly: a whole fiscal year or quarter, one month, or a range."""
    start, end = month_of(first), add_months(month_of(last), 1)
    span = (end.year - start.year) * 12 + end.month - start.month
    if span == 1:
        return month_period(start)
    if span == 3 and start == quarter_start(start):
        return Period("quarter", start, end)
    if span == 12 and start.month == FISCAL_START_MONTH:
        return Period("year", start, end)
    return Period("range", start, end)


_KEY = re.compile(r"^(?:fy(\d{4})|(\d{4})q([1-4])|(\d{4})-(\d{2}))$")


def parse(key: str) -> Period | None:
    """The period of a `?period=` value ("all", "fy2025", "2025q1", "2025-04"), or None."""
    if key in ("", "all"):
        return ALL_TIME
    found = _KEY.match(key)
    if not found:
        return None
    fy, qy, q, my, mm = found.groups()
    if fy:
        return fiscal_year_period(int(fy))
    if qy:
        return quarter_period(int(qy), int(q))
    if not 1 <= int(mm) <= 12:
        return None
    return month_period(dt.date(int(my), int(mm), 1))


def last_whole_quarter(today: dt.date) -> Period:
    """The fiscal quarter before today's: the one a quarterly report is due for."""
    start = add_months(quarter_start(today), -3)
    return Period("quarter", start, add_months(start, 3))


def recent_choices(today: dt.date, years: int = 3) -> list[Period]:
    """What the filter offers: all time, the last fiscal years, their quarters, this year's
    months, newest first."""
    current = fiscal_year(today)
    choices = [ALL_TIME]
    for year in range(current, current - years, -1):
        choices.append(fiscal_year_period(year))
        for quarter in range(4, 0, -1):
            period = quarter_period(year, quarter)
            if period.start is not None and period.start <= today:
                choices.append(period)
    month = month_of(today)
    for back in range(12):
        choices.append(month_period(add_months(month, -back)))
    return choices
