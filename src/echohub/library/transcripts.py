"""Reading a recording's WebVTT transcript into cues: who said what, from when to when.

`parse_vtt(data)` takes the file's bytes (UTF-8, or UTF-8/UTF-16/UTF-32 with a
BOM, any line endings) and returns its cues in order. The speaker comes from a
`<v Name>` voice tag (Teams and most captioning tools) or, as Zoom writes it,
from a "Name: " at the start of the text. Formatting tags are stripped, lines
of one cue joined with a space; NOTE, STYLE and REGION blocks and cue settings
are skipped.

webvtt-py reads the timestamps, the voice tag and strips the tags. Walking the
blocks is done here because its parser cannot say on which line a file goes
wrong: by default it drops a malformed cue without a word, and strict mode
raises without a line number and also refuses cue settings it doesn't know.
A coordinator needs "line 212: 00:61.000 is not a valid time", or nothing.
"""

import codecs
import html
import re
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _
from webvtt import Caption
from webvtt.errors import MalformedCaptionError
from webvtt.models import Timestamp

from echohub.library.uploads import MAX_BYTES, format_size

MAX_TRANSCRIPT_BYTES = MAX_BYTES["transcript"]

# TranscriptSegment stores milliseconds in a 32-bit integer; no recording lasts 100 hours.
MAX_TIME_MS = 100 * 3600 * 1000
SPEAKER_MAX_LENGTH = 200  # TranscriptSegment.speaker


class TranscriptError(ValueError):
    """Why a file cannot be read as a transcript, in words for the person who uploaded it."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class Cue:
    start_ms: int
    end_ms: int
    speaker: str
    text: str


def parse_vtt(data: bytes) -> list[Cue]:
    """The cues of a WebVTT file, in the file's order; cues with no text are left out."""
    if len(data) > MAX_TRANSCRIPT_BYTES:
        raise TranscriptError(
            _("The transcript is %(size)s; a transcript may be at most %(limit)s.")
            % {"size": format_size(len(data)), "limit": format_size(MAX_TRANSCRIPT_BYTES)}
        )
    lines = _LINE_BREAK.split(_decode(data))
    if not "".join(lines).strip():
        raise TranscriptError(_("Line 1: the transcript is empty."), line=1)
    if not _HEADER.match(lines[0]):
        raise TranscriptError(
            _("Line 1: this is not a WebVTT transcript (its first line must be WEBVTT)."), line=1
        )
    cues = [cue for first, block in _blocks(lines) if (cue := _cue(first, block))]
    if not cues:
        raise TranscriptError(
            _("The transcript has no cues: no line has times such as 00:01.000 --> 00:04.000.")
        )
    return _with_speakers([cue for cue in cues if cue.text])


# --- Bytes to lines ---------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_HEADER = re.compile(r"WEBVTT(?:[ \t].*)?\Z")


def _decode(data: bytes) -> str:
    codec, start = "utf-8", 0
    for bom, name in _BOMS:
        if data.startswith(bom):
            codec, start = name, len(bom)
            break
    else:
        # UTF-16 without a BOM still starts with "WEBVTT", one NUL byte per letter.
        for name in ("utf-16-le", "utf-16-be"):
            if data.startswith("WEBVTT".encode(name)):
                codec = name
    body = data[start:]
    try:
        return body.decode(codec)
    except UnicodeDecodeError as error:
        line = body[: error.start].decode(codec, errors="replace").count("\n") + 1
        raise TranscriptError(
            _(
                "Line %(line)d is not readable as %(encoding)s text. Save the transcript "
                "as UTF-8 and upload it again."
            )
            % {"line": line, "encoding": codec.upper().removesuffix("-LE").removesuffix("-BE")},
            line=line,
        ) from None


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """The blocks after the header, each with the number of its first line.

    Blocks end at a blank line. As in the WebVTT specification, a line with "-->"
    also starts a new block when it cannot be the timing line of the current one,
    so a cue missing its blank line is still read.
    """
    blocks: list[tuple[int, list[str]]] = []
    block: list[str] = []
    first = 1
    for number, line in enumerate(lines, start=1):
        starts_cue = (
            "-->" in line and bool(block) and (first == 1 or len(block) > 1 or "-->" in block[0])
        )
        if not line.strip() or starts_cue:
            if block and first > 1:  # the header block (line 1) was checked already
                blocks.append((first, block))
            block = []
        if line.strip():
            if not block:
                first = number
            block.append(line)
    if block and first > 1:
        blocks.append((first, block))
    return blocks


# --- Blocks to cues ----------------------------------------------------------------

_TIMING = re.compile(r"\s*(\S+?)\s*-->\s*(\S+)")
# Two times without an arrow between them: a timing line with a typo, not a cue's text.
_ARROWLESS_TIMING = re.compile(r"\s*(?:\d+:)?\d+:\d+[.,]\d+\s*\S{0,3}\s*(?:\d+:)?\d+:\d+[.,]\d+")
_SKIPPED_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t].*)?\Z")


def _cue(first: int, block: list[str]) -> Cue | None:
    if _SKIPPED_BLOCK.match(block[0]):
        return None
    # The timing line comes first, or second after the cue's identifier.
    for offset, line in enumerate(block[:2]):
        if "-->" in line:
            return _read_cue(first + offset, line, block[offset + 1 :])
        if _ARROWLESS_TIMING.match(line):
            raise TranscriptError(
                _("Line %(line)d: the times must be separated by -->, as in %(example)s.")
                % {"line": first + offset, "example": "00:01.000 --> 00:04.000"},
                line=first + offset,
            )
    return None  # text outside any cue: WebVTT readers ignore it, and so do we


def _read_cue(number: int, timing: str, text_lines: list[str]) -> Cue:
    match = _TIMING.match(timing)
    if not match:
        raise TranscriptError(
            _("Line %(line)d: a cue needs a start and an end time, as in %(example)s.")
            % {"line": number, "example": "00:01.000 --> 00:04.000"},
            line=number,
        )
    start, end = (_time(text, number) for text in match.group(1, 2))
    if end < start:
        raise TranscriptError(
            _("Line %(line)d: the cue ends (%(end)s) before it starts (%(start)s).")
            % {"line": number, "start": match.group(1), "end": match.group(2)},
            line=number,
        )
    caption = Caption(text=text_lines)
    text = " ".join(html.unescape(caption.text).split())
    speaker = (caption.voice or "").strip()[:SPEAKER_MAX_LENGTH]
    return Cue(start, end, speaker, text)


def _time(text: str, line: int) -> int:
    try:
        milliseconds = Timestamp.from_string(text).in_milliseconds()
    except MalformedCaptionError:
        if "," in text:  # SubRip's way of writing times
            message = _(
                "Line %(line)d: %(time)s is not a valid time; WebVTT writes a dot before "
                "the milliseconds, as in 00:01.000."
            )
        else:
            message = _(
                "Line %(line)d: %(time)s is not a valid time; times are written "
                "hh:mm:ss.ttt or mm:ss.ttt."
            )
        raise TranscriptError(message % {"line": line, "time": text}, line=line) from None
    if milliseconds > MAX_TIME_MS:
        raise TranscriptError(
            _("Line %(line)d: %(time)s is more than 100 hours into the recording.")
            % {"line": line, "time": text},
            line=line,
        )
    return milliseconds


# --- Speakers ----------------------------------------------------------------------

# "Name: words", as Zoom writes every cue: a name starts with a letter (or is a phone
# number) and has no colon, so "At 10:30: …" has none.
_NAME_PREFIX = re.compile(r"([^\W\d_][^:]{0,79}?|\+[\d ().-]{6,30}): (.+)", re.DOTALL)
_NAME_PARTICLES = frozenset(
    {"al", "bin", "d", "da", "das", "de", "del", "della", "den", "der", "des", "di", "do"}
    | {"dos", "du", "el", "ibn", "la", "le", "st", "van", "von", "y"}
)
# Words that start a note rather than name a person: "Note: 10:30 in room B".
_LABELS = frozenset(
    {"agenda", "answer", "attention", "date", "example", "exemple", "heure", "important"}
    | {"nb", "note", "objectif", "objective", "question", "rappel", "re", "remarque"}
    | {"reminder", "réponse", "source", "step", "subject", "sujet", "summary", "tip"}
    | {"update", "warning", "étape"}
)
_CLOCK_TIME = re.compile(r"\d{1,2}(?::|h|\s?[ap]\.?m\b)\d{0,2}", re.IGNORECASE)
# A name in lower case ("jsmith") counts when it starts this many cues; once could be a sentence.
_RECURRING = 3


def _with_speakers(cues: list[Cue]) -> list[Cue]:
    """The cues, with a "Name: " taken off the text as the speaker where it names a person.

    A prefix that reads as a label ("Note: 10:30 …") stays in the text, unless the
    same name speaks elsewhere in the file without looking like a label.
    """
    prefixes = [None if cue.speaker else _name_prefix(cue.text) for cue in cues]
    counts = Counter(prefix[0] for prefix in prefixes if prefix)
    speakers = {
        name
        for name, rest in filter(None, prefixes)
        if not _is_label(name, rest) and (_reads_as_name(name) or counts[name] >= _RECURRING)
    }
    return [
        Cue(cue.start_ms, cue.end_ms, prefix[0], prefix[1])
        if prefix and prefix[0] in speakers
        else cue
        for cue, prefix in zip(cues, prefixes, strict=True)
    ]


def _name_prefix(text: str) -> tuple[str, str] | None:
    match = _NAME_PREFIX.fullmatch(text)
    if not match or len(match.group(1).split()) > 8:
        return None
    name, rest = match.group(1).strip(), match.group(2).strip()
    return (name, rest) if rest else None


def _reads_as_name(name: str) -> bool:
    # A lower-case word that is not a particle ("de", "van") makes it a phrase: "So you see: …"
    return not any(
        word.isalpha() and word.islower() and word not in _NAME_PARTICLES for word in name.split()
    )


def _is_label(name: str, rest: str) -> bool:
    return name.casefold().replace(".", "") in _LABELS or bool(_CLOCK_TIME.match(rest))
