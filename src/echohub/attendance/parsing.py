"""Reading participant reports from Zoom, Microsoft Teams, or a plain CSV.

`parse_report(data)` takes the file's bytes and returns the platform it
recognized and, per person, the name, email, join–leave intervals and minutes.
It never asks which format a file is: it decodes the bytes (BOMs, UTF-16 LE or
BE with or without a BOM, UTF-8, else Windows-1252), finds the delimiter (comma,
tab or semicolon), then walks the rows looking for header rows it knows (in
English or French), keeping the section each table sits in (a webinar's hosts,
panelists and attendees; Teams' summary, participants and activities).

Times are returned as written (naive): reports carry no zone, the importer
applies the one the coordinator confirms. Whether 05/03 is the 5th of March or
May the 3rd is decided once per file, from all its dates (see `_date_order`).
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dateutil import parser as dateutil_parser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


class ReportError(ValueError):
    """Why a file cannot be read as a participant report, in words for the coordinator."""


@dataclass(frozen=True)
class Interval:
    joined: datetime
    left: datetime


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str
    intervals: tuple[Interval, ...]
    minutes: int
    role: str = "attendee"  # host, co-host, panelist or attendee
    attended: bool = True
    guest: bool | None = None
    # Who the platform knew them as when it has an id EchoHub gave them (a
    # BigBlueButton join link's userID); empty in an uploaded report.
    key: str = ""


@dataclass(frozen=True)
class Report:
    platform: str  # zoom_meeting, zoom_webinar, teams, teams_legacy, csv or bigbluebutton
    attendees: tuple[Attendee, ...]
    topic: str = ""
    meeting_id: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None


# --- Intervals -----------------------------------------------------------


Span = tuple[datetime, datetime]


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """The union of possibly overlapping (start, end) spans, sorted; touching spans join."""
    merged: list[Span] = []
    for start, end in sorted(span for span in spans if span[1] > span[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def span_minutes(
    spans: Iterable[Span], start: datetime | None = None, end: datetime | None = None
) -> int:
    """Whole minutes in the union of `spans` (overlaps counted once), optionally clipped."""
    clipped = ((max(s, start) if start else s, min(e, end) if end else e) for s, e in spans)
    seconds = sum((e - s).total_seconds() for s, e in merge_spans(clipped))
    return round(seconds / 60)


def union_minutes(
    intervals: Iterable[Interval], start: datetime | None = None, end: datetime | None = None
) -> int:
    """Minutes in the union of `intervals` (overlaps counted once), optionally clipped."""
    return span_minutes(((i.joined, i.left) for i in intervals), start, end)


# --- Decoding ------------------------------------------------------------

MAX_BYTES = 20 * 1024 * 1024


def _decode(data: bytes) -> str:
    if not data.strip():
        raise ReportError(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        raise ReportError(
            _("This is an Excel workbook or a zip file: download the report as CSV instead.")
        )
    if data.lstrip(b"\xef\xbb\xbf").startswith(b"WEBVTT"):
        raise ReportError(
            _(
                "This is a recording's transcript (WebVTT), not a participant report: download "
                "the participants report from the meeting's usage reports."
            )
        )
    if data.startswith(b"%PDF"):
        raise ReportError(_("This is a PDF: download the report as CSV instead."))
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding.replace("-sig", ""))
            except UnicodeDecodeError as error:
                raise ReportError(_("The file's text cannot be read.")) from error
    sample = data[:2000]
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    if zeros_odd > len(sample) // 4 and zeros_even < zeros_odd // 8:
        return data.decode("utf-16-le", errors="strict")
    if zeros_even > len(sample) // 4 and zeros_odd < zeros_even // 8:
        return data.decode("utf-16-be", errors="strict")
    if b"\x00" in sample:
        raise ReportError(_("This is not a text file: download the report as CSV."))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if text.count("\ufffd") > len(text) // 50:
        raise ReportError(_("This is not a text file: download the report as CSV."))
    return text


def _delimiter(lines: Sequence[str]) -> str:
    sample = [line for line in lines[:40] if line.strip()]
    counts = {d: sum(line.count(d) for line in sample) for d in ("\t", ";", ",")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


# --- Headers -------------------------------------------------------------


def _plain(text: str) -> str:
    """Lower-case, accents and surrounding quotes, spaces and colons removed."""
    text = unicodedata.normalize("NFKD", text.strip().strip('"').strip().rstrip(":"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace("\u2019", "'").casefold().split())


SYNONYMS = {
    "name": [
        "name (original name)",
        "name",
        "full name",
        "user name",
        "participant",
        "participant name",
        "display name",
        "nom (nom d'origine)",
        "nom (nom original)",
        "nom",
        "nom complet",
        "nom d'utilisateur",
        "nom du participant",
    ],
    "first_name": ["first name", "prenom"],
    "last_name": ["last name", "nom de famille"],
    "email": [
        "user email",
        "email",
        "e-mail",
        "email address",
        "courriel",
        "adresse e-mail",
        "adresse courriel",
        "e-mail de l'utilisateur",
        "courriel de l'utilisateur",
        "participant id (upn)",
    ],
    "join": [
        "join time",
        "first join",
        "join",
        "heure d'arrivee",
        "heure de connexion",
        "heure d'entree",
        "premiere connexion",
        "premiere entree",
        "premiere arrivee",
    ],
    "leave": [
        "leave time",
        "last leave",
        "leave",
        "heure de depart",
        "heure de deconnexion",
        "heure de sortie",
        "derniere sortie",
        "dernier depart",
        "derniere deconnexion",
    ],
    "duration": [
        "duration (minutes)",
        "total duration (minutes)",
        "time in session (minutes)",
        "in-meeting duration",
        "duration",
        "minutes",
        "attendance (minutes)",
        "duree (minutes)",
        "duree totale (minutes)",
        "duree",
        "duree de la reunion",
        "duree dans la reunion",
        "temps de session (minutes)",
    ],
    "guest": ["guest", "invite"],
    "attended": ["attended", "a participe", "present"],
    "role": ["role"],
    "action": ["user action", "action", "action de l'utilisateur", "activite"],
    "timestamp": ["timestamp", "horodatage", "date et heure"],
    "waiting": ["in waiting room", "dans la salle d'attente", "en salle d'attente"],
}
_COLUMN = {synonym: column for column, words in SYNONYMS.items() for synonym in words}


def _columns(row: Sequence[str]) -> dict[str, int]:
    """The known columns of a header row, by position; {} if it is not a header."""
    found: dict[str, int] = {}
    for index, cell in enumerate(row):
        column = _COLUMN.get(_plain(cell))
        if column and column not in found:
            found[column] = index
    # The participant's ID (UPN) is an email only where no email column exists.
    people = "name" in found or ("first_name" in found and "last_name" in found)
    return found if people and len(found) >= 2 else {}


SECTION_ROLES = {
    "host details": "host",
    "panelist details": "panelist",
    "attendee details": "attendee",
    "other attended": "attendee",
    "details de l'hote": "host",
    "details des panelistes": "panelist",
    "details des participants": "attendee",
}
ROLE_WORDS = {
    "organizer": "host",
    "organisateur": "host",
    "organisatrice": "host",
    "host": "host",
    "hote": "host",
    "co-host": "co-host",
    "co-organizer": "co-host",
    "coorganisateur": "co-host",
    "presenter": "panelist",
    "presentateur": "panelist",
    "presentatrice": "panelist",
    "panelist": "panelist",
    "attendee": "attendee",
    "participant": "attendee",
}
YES = {"yes", "oui", "y", "true", "1", "o"}
JOINED = {"joined", "joined before", "a rejoint", "rejoint avant", "a rejoint avant", "rejoint"}
LEFT = {"left", "a quitte", "quitte"}


# --- Times ---------------------------------------------------------------

_NUMERIC = re.compile(
    r"^\s*(\d{1,4})[./-](\d{1,2})[./-](\d{2,4}),?\s+(\d{1,2})\s*(?::|h)\s*(\d{2})"
    r"(?:\s*:\s*(\d{2}))?\s*([AaPp]\.?\s*[Mm]\.?)?\s*$"
)
_DURATION = re.compile(r"(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s)?", re.IGNORECASE)


@dataclass
class _Clock:
    """Reads the times of one file, the day/month order decided for the file."""

    day_first: bool | None = None
    seen: list[tuple[int, int]] = field(default_factory=list)

    def parse(self, text: str, line: int) -> datetime | None:
        text = text.strip().strip('"')
        if not text or text in {"--", "-", "NA", "N/A"}:
            return None
        match = _NUMERIC.match(text)
        if match:
            a, b, c, hour, minute, second, meridiem = match.groups()
            if len(a) == 4:
                year, month, day = int(a), int(b), int(c)
            else:
                day_first = self.day_first if self.day_first is not None else True
                day, month = (int(a), int(b)) if day_first else (int(b), int(a))
                year = int(c) + (2000 if len(c) == 2 else 0)
            hours = int(hour)
            if meridiem:
                pm = meridiem.lower().startswith("p")
                hours = hours % 12 + (12 if pm else 0)
            try:
                return datetime(year, month, day, hours, int(minute), int(second or 0))  # noqa: DTZ001
            except ValueError as error:
                raise ReportError(
                    _("Line %(line)s: %(text)s is not a date and time.")
                    % {"line": line, "text": text}
                ) from error
        try:
            return dateutil_parser.parse(text, dayfirst=bool(self.day_first))
        except (ValueError, OverflowError) as error:
            raise ReportError(
                _("Line %(line)s: %(text)s is not a date and time.") % {"line": line, "text": text}
            ) from error


def _date_order(texts: Iterable[str], default_day_first: bool) -> bool:
    """Day first or month first, for the whole file: a part above 12 settles it."""
    first_parts, second_parts = [], []
    for text in texts:
        match = _NUMERIC.match(text.strip().strip('"'))
        if match and len(match.group(1)) != 4:
            first_parts.append(int(match.group(1)))
            second_parts.append(int(match.group(2)))
    if any(part > 12 for part in first_parts):
        return True
    if any(part > 12 for part in second_parts):
        return False
    return default_day_first


def _duration_minutes(text: str) -> int:
    """'45', '45.5', '19m 26s', '1h 2m 3s' or '1:02:03' as whole minutes."""
    text = text.strip().strip('"')
    if not text or text in {"--", "NA"}:
        return 0
    try:
        return round(float(text.replace(",", ".")))
    except ValueError:
        pass
    if re.fullmatch(r"\d+:\d{2}(:\d{2})?", text):
        parts = [int(p) for p in text.split(":")]
        hours, minutes, seconds = (
            ([0] * (3 - len(parts)) + parts) if len(parts) == 3 else (0, *parts)
        )
        return round(hours * 60 + minutes + seconds / 60)
    match = _DURATION.fullmatch(text)
    if match and any(match.groups()):
        hours, minutes, seconds = (int(g or 0) for g in match.groups())
        return round(hours * 60 + minutes + seconds / 60)
    return 0


# --- Tables --------------------------------------------------------------


@dataclass
class _Table:
    section: str
    columns: dict[str, int]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def _cell(row: Sequence[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return row[index].strip() if index is not None and index < len(row) else ""


def _tables(rows: list[tuple[int, list[str]]]) -> tuple[list[_Table], dict[str, str]]:
    """The people tables of the file, each with its section; and the summary's facts."""
    tables: list[_Table] = []
    facts: dict[str, str] = {}
    section, current = "", None
    pending_summary: list[str] | None = None
    for line, row in rows:
        cells = [cell.strip() for cell in row]
        if not any(cells):
            current = None
            continue
        columns = _columns(cells)
        if columns:
            current = _Table(section, columns)
            tables.append(current)
            continue
        filled = [cell for cell in cells if cell]
        if (len(filled) == 1 and current is None) or (
            len(filled) == 1 and _plain(filled[0]) in SECTION_ROLES
        ):
            section = _plain(re.sub(r"^\d+\.\s*", "", filled[0]))
            current = None
            continue
        if current is not None:
            current.rows.append((line, cells))
            continue
        # A summary: key/value pairs (Teams) or a header row and its values (Zoom).
        if len(filled) == 2 and not pending_summary:
            facts.setdefault(_plain(filled[0]), filled[1])
        elif pending_summary is None and any(
            _plain(c) in {"topic", "meeting id", "webinar id", "sujet", "id"} for c in cells
        ):
            pending_summary = [_plain(c) for c in cells]
        elif pending_summary is not None:
            for key, value in zip(pending_summary, cells, strict=False):
                facts.setdefault(key, value)
            pending_summary = None
    return tables, facts


def _platform(tables: list[_Table], facts: dict[str, str], first_line: str) -> str:
    columns = set().union(*(t.columns for t in tables)) if tables else set()
    sections = {t.section for t in tables}
    if {"action", "timestamp"} <= columns:
        return "teams_legacy"
    if sections & {"participants", "in-meeting activities", "activites pendant la reunion"} or (
        "meeting title" in facts or "titre de la reunion" in facts
    ):
        return "teams"
    if (
        sections & set(SECTION_ROLES)
        or "webinar id" in facts
        or "attendee report" in _plain(first_line)
    ):
        return "zoom_webinar"
    if columns & {"join", "leave", "guest", "waiting"} or "meeting id" in facts or "topic" in facts:
        return "zoom_meeting"
    if "duration" in columns and ("name" in columns or "email" in columns):
        return "csv" if not (columns & {"guest"}) else "zoom_meeting"
    return "csv"


@dataclass
class _Person:
    name: str
    email: str
    role: str = "attendee"
    attended: bool = False
    guest: bool | None = None
    intervals: list[Interval] = field(default_factory=list)
    stated: int = 0


def _key(name: str, email: str) -> str:
    return email.casefold() if email else " ".join(name.casefold().split())


def parse_report(data: bytes) -> Report:
    """Recognize the report and read its people; ReportError says what is wrong."""
    if len(data) > MAX_BYTES:
        raise ReportError(_("The file is too large for a participant report."))
    text = _decode(data).replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(lines))
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise ReportError(
            _("Line %(line)s cannot be read: %(error)s") % {"line": reader.line_num, "error": error}
        ) from error
    tables, facts = _tables(rows)
    if not tables:
        raise ReportError(_unknown_layout(rows))
    platform = _platform(tables, facts, lines[0] if lines else "")
    stamps = [
        _cell(row, t.columns, column)
        for t in tables
        for _line, row in t.rows
        for column in ("join", "leave", "timestamp")
    ]
    stamps += [value for key, value in facts.items() if "time" in key or "heure" in key]
    clock = _Clock(day_first=_date_order(stamps, default_day_first=platform.startswith("teams")))

    people: dict[str, _Person] = {}
    if platform == "teams":
        # The activities are the same time as the participants' totals: read one.
        activities = [t for t in tables if "join" in t.columns and t.section != "participants"]
        chosen = activities or tables
    else:
        chosen = tables
    for table in chosen:
        if "action" in table.columns:
            _read_actions(table, clock, people)
        else:
            _read_rows(table, clock, people, platform)
    attendees = tuple(
        Attendee(
            name=person.name,
            email=person.email,
            intervals=tuple(sorted(person.intervals, key=lambda i: i.joined)),
            minutes=union_minutes(person.intervals) if person.intervals else person.stated,
            role=person.role,
            attended=person.attended,
            guest=person.guest,
        )
        for person in people.values()
    )
    if not attendees:
        raise ReportError(_("The report lists no one."))
    topic = facts.get("topic") or facts.get("meeting title") or facts.get("sujet") or ""
    meeting_id = facts.get("meeting id") or facts.get("webinar id") or facts.get("id") or ""
    start = (
        facts.get("start time")
        or facts.get("actual start time")
        or facts.get("heure de debut")
        or ""
    )
    end = facts.get("end time") or facts.get("heure de fin") or ""
    starts_at = clock.parse(start, 0) if start else None
    ends_at = clock.parse(end, 0) if end else None
    if starts_at and not ends_at:
        # A webinar's summary gives its start and "Actual Duration (minutes)".
        minutes = _duration_minutes(
            next((facts[key] for key in _SUMMARY_DURATIONS if key in facts), "")
        )
        if minutes:
            ends_at = starts_at + timedelta(minutes=minutes)
    return Report(
        platform=platform,
        attendees=attendees,
        topic=topic,
        meeting_id=meeting_id,
        starts_at=starts_at,
        ends_at=ends_at,
    )


_SUMMARY_DURATIONS = (
    "actual duration (minutes)",
    "duration (minutes)",
    "duree reelle (minutes)",
    "duree (minutes)",
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.\w+")
LAYOUTS = gettext_noop(
    "Zoom meeting and webinar participant reports, Microsoft Teams attendance reports, and "
    "a plain CSV with name, email and minutes columns"
)


def _unknown_layout(rows: Sequence[tuple[int, list[str]]]) -> str:
    """Why no table of people was found: headers in another language, or not a report."""
    previous: list[str] = []
    for _line, row in rows:
        cells = [cell.strip() for cell in row if cell.strip()]
        if any(_EMAIL.search(cell) or _NUMERIC.match(cell) for cell in cells):
            # The first row of data: the row above it holds the headers, if any.
            if previous:
                shown = ", ".join(cell[:40] for cell in previous[:3])
                return _(
                    "The column headers of this report (%(headers)s…) are not in English or "
                    "French. EchoHub reads, with English or French headers: %(layouts)s. "
                    "Download the report again with Zoom or Teams in English or French, or "
                    "rename its columns."
                ) % {"headers": shown, "layouts": _(LAYOUTS)}
            break
        if cells:
            previous = cells
    return _(
        "EchoHub does not recognize this layout: no column of names was found. It reads, "
        "with English or French headers: %(layouts)s."
    ) % {"layouts": _(LAYOUTS)}


def _person(people: dict[str, _Person], name: str, email: str) -> _Person:
    key = _key(name, email)
    if key not in people:
        people[key] = _Person(name=name, email=email)
    return people[key]


def _read_rows(table: _Table, clock: _Clock, people: dict[str, _Person], platform: str) -> None:
    section_role = SECTION_ROLES.get(table.section, "attendee")
    for line, row in table.rows:
        name = _cell(row, table.columns, "name")
        if not name:
            name = " ".join(
                part
                for part in (
                    _cell(row, table.columns, "first_name"),
                    _cell(row, table.columns, "last_name"),
                )
                if part
            )
        email = _cell(row, table.columns, "email")
        if email.upper() in {"NA", "N/A", "--"} or "@" not in email:
            email = ""
        if not name and not email:
            continue
        if _plain(_cell(row, table.columns, "waiting")) in YES:
            continue  # waiting in the lobby is not attending
        attended_text = _plain(_cell(row, table.columns, "attended"))
        attended = attended_text in YES if "attended" in table.columns else True
        person = _person(people, name or email, email)
        role_text = _plain(_cell(row, table.columns, "role"))
        role = ROLE_WORDS.get(role_text, section_role)
        if role != "attendee":
            person.role = role
        guest = _plain(_cell(row, table.columns, "guest"))
        if guest:
            person.guest = guest in YES
        if not attended:
            continue
        person.attended = True
        joined = clock.parse(_cell(row, table.columns, "join"), line)
        left = clock.parse(_cell(row, table.columns, "leave"), line)
        if joined and left:
            if left < joined:
                raise ReportError(
                    _("Line %(line)s: the leave time comes before the join time.") % {"line": line}
                )
            person.intervals.append(Interval(joined, left))
        else:
            person.stated += _duration_minutes(_cell(row, table.columns, "duration"))


def _read_actions(table: _Table, clock: _Clock, people: dict[str, _Person]) -> None:
    """Teams' old list: a Joined row, then a Left row; a join never left lasts to the end."""
    events: list[tuple[datetime, str, str]] = []
    for line, row in table.rows:
        name = _cell(row, table.columns, "name")
        moment = clock.parse(_cell(row, table.columns, "timestamp"), line)
        if not name or moment is None:
            continue
        events.append((moment, name, _plain(_cell(row, table.columns, "action"))))
    if not events:
        return
    last = max(moment for moment, _name, _action in events)
    open_joins: dict[str, datetime] = {}
    for moment, name, action in sorted(events, key=lambda e: e[0]):
        person = _person(people, name, "")
        person.attended = True
        if action in JOINED:
            open_joins.setdefault(name, moment)
        elif action in LEFT and name in open_joins:
            person.intervals.append(Interval(open_joins.pop(name), moment))
    for name, joined in open_joins.items():
        people[_key(name, "")].intervals.append(Interval(joined, last))
