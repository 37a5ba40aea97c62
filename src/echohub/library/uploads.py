"""Checking a file for the library before it is stored: its size, its real type, a safe name.

`check_upload(upload, kind)` refuses a file that is too large for its kind of
resource, or whose content is not one of the kind's types, whatever its name or
the browser's Content-Type say; it returns a name safe to store and show, ending
with the extension of the type found, and that type.

The type comes from the first 8 KB, read by the `filetype` library, which knows
PDF, images, audio and video, OOXML (.docx/.xlsx/.pptx: it looks for `word/`,
`xl/` or `ppt/` among the zip's first entries) and OpenDocument. Two cases are
settled here: a zip whose Office parts come later is read from its central
directory, and an old Office file (.doc, .ppt) from the names in its directory,
where `filetype` only guesses from the first sector. Text is recognized here too,
refusing HTML, SVG and XML, which a browser could run.
"""

import math
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import filetype  # type: ignore[import-untyped]  # the package ships no type information
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.text import get_text_list, get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

KB = 1024
MB = 1024 * KB
GB = 1024 * MB

# Per kind of resource, for a small hub's server (a link has no file).
MAX_BYTES: dict[str, int] = {
    "recording": 1 * GB,
    "slides": 100 * MB,
    "tool": 50 * MB,
    "guide": 50 * MB,
    "article": 50 * MB,
    "protocol": 50 * MB,
    "transcript": 20 * MB,
}

HEAD_BYTES = 8 * KB
MAX_NAME_LENGTH = 100


@dataclass(frozen=True)
class FileType:
    mime: str
    extension: str
    family: str | Promise  # as listed in what a kind accepts: "PowerPoint"
    described: str | Promise  # as a found file is described: "a PowerPoint presentation"
    other_extensions: tuple[str, ...] = ()  # kept when the file already has one


PDF = FileType("application/pdf", "pdf", gettext_lazy("PDF"), gettext_lazy("a PDF document"))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
    gettext_lazy("Word"),
    gettext_lazy("a Word document"),
)
DOC = FileType("application/msword", "doc", gettext_lazy("Word"), gettext_lazy("a Word document"))
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pptx",
    gettext_lazy("PowerPoint"),
    gettext_lazy("a PowerPoint presentation"),
)
PPT = FileType(
    "application/vnd.ms-powerpoint",
    "ppt",
    gettext_lazy("PowerPoint"),
    gettext_lazy("a PowerPoint presentation"),
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
    gettext_lazy("Excel"),
    gettext_lazy("an Excel spreadsheet"),
)
XLS = FileType(
    "application/vnd.ms-excel", "xls", gettext_lazy("Excel"), gettext_lazy("an Excel spreadsheet")
)
ODT = FileType(
    "application/vnd.oasis.opendocument.text",
    "odt",
    gettext_lazy("OpenDocument"),
    gettext_lazy("an OpenDocument text"),
)
ODS = FileType(
    "application/vnd.oasis.opendocument.spreadsheet",
    "ods",
    gettext_lazy("OpenDocument"),
    gettext_lazy("an OpenDocument spreadsheet"),
)
ODP = FileType(
    "application/vnd.oasis.opendocument.presentation",
    "odp",
    gettext_lazy("OpenDocument"),
    gettext_lazy("an OpenDocument presentation"),
)
PNG = FileType("image/png", "png", gettext_lazy("PNG"), gettext_lazy("a PNG image"))
JPEG = FileType("image/jpeg", "jpg", gettext_lazy("JPEG"), gettext_lazy("a JPEG image"), ("jpeg",))
MP4 = FileType("video/mp4", "mp4", gettext_lazy("MP4"), gettext_lazy("an MP4 video"))
WEBM = FileType("video/webm", "webm", gettext_lazy("WebM"), gettext_lazy("a WebM video"))
MP3 = FileType("audio/mpeg", "mp3", gettext_lazy("MP3"), gettext_lazy("an MP3 recording"))
M4A = FileType("audio/mp4", "m4a", gettext_lazy("M4A"), gettext_lazy("an M4A recording"))
TEXT = FileType("text/plain", "txt", gettext_lazy("plain text"), gettext_lazy("plain text"))
VTT = FileType("text/vtt", "vtt", gettext_lazy("WebVTT"), gettext_lazy("a WebVTT transcript"))
HTML = FileType("text/html", "html", gettext_lazy("HTML"), gettext_lazy("HTML"))
SVG = FileType("image/svg+xml", "svg", gettext_lazy("SVG"), gettext_lazy("an SVG image"))
XML = FileType("application/xml", "xml", gettext_lazy("XML"), gettext_lazy("XML"))

_DOCUMENT_TYPES = (PDF, DOCX, DOC, PPTX, PPT, XLSX, XLS, ODT, ODS, ODP, PNG, JPEG)
_MEDIA_AND_TEXT_TYPES = (MP4, WEBM, MP3, M4A, TEXT, VTT, HTML, SVG, XML)
KNOWN_TYPES = {t.mime: t for t in (*_DOCUMENT_TYPES, *_MEDIA_AND_TEXT_TYPES)}
# filetype's name for what M4A audio is also sent as.
KNOWN_TYPES["audio/x-m4a"] = M4A

_DOCUMENTS = (PDF, DOCX, DOC, XLSX, ODT, ODS, PNG, JPEG)
ACCEPTED: dict[str, tuple[FileType, ...]] = {
    "recording": (MP4, WEBM, MP3, M4A),
    "slides": (PDF, PPTX, PPT, ODP),
    "tool": _DOCUMENTS,
    "guide": _DOCUMENTS,
    "article": _DOCUMENTS,
    "protocol": (*_DOCUMENTS, TEXT),
    "transcript": (VTT,),
}

# How a too-large file's kind is named: "slides may be at most 100 MB".
_KIND_NOUNS = {
    "recording": gettext_lazy("a recording"),
    "slides": gettext_lazy("slides"),
    "tool": gettext_lazy("a tool"),
    "guide": gettext_lazy("a guide"),
    "article": gettext_lazy("an article"),
    "protocol": gettext_lazy("a protocol"),
    "transcript": gettext_lazy("a transcript"),
}


@dataclass(frozen=True)
class CheckedFile:
    safe_name: str
    content_type: str
    size: int


def check_upload(upload: UploadedFile, kind: str) -> CheckedFile:
    """The upload's safe name, real type and size; ValidationError if it may not be stored."""
    if kind == "link":
        raise ValidationError(_("A link has no file: give its address instead."), code="link")
    accepted = _accepted(kind)
    name = _base_name(upload.name or "")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("%(name)s is empty."), code="empty", params={"name": name})
    if size > MAX_BYTES[kind]:
        raise ValidationError(
            _("%(name)s is %(size)s; %(kind)s may be at most %(limit)s."),
            code="too_large",
            params={
                "name": name,
                "size": format_size(size),
                "kind": _KIND_NOUNS[kind],
                "limit": format_size(MAX_BYTES[kind]),
            },
        )
    found = detect_type(upload)
    if found is None or found.mime not in {t.mime for t in accepted}:
        params = {"name": name, "types": _families(accepted)}
        if found is None:
            raise ValidationError(
                _("%(name)s is not an accepted file (%(types)s), and its type is not recognized."),
                code="wrong_type",
                params=params,
            )
        raise ValidationError(
            _("%(name)s is not an accepted file (%(types)s): it looks like %(found)s."),
            code="wrong_type",
            params={**params, "found": found.described},
        )
    return CheckedFile(safe_name(name, found, fallback=kind), found.mime, size)


def limits_for(kind: str) -> str:
    """What a kind accepts, for a help text: "PDF, PowerPoint or OpenDocument, up to 100 MB".

    A link (or a kind nobody knows, from a tampered form) takes no file.
    """
    if kind not in ACCEPTED:
        return _("This kind takes no file: give its address instead.")
    return _("%(types)s, up to %(limit)s") % {
        "types": _families(_accepted(kind)),
        "limit": format_size(MAX_BYTES[kind]),
    }


def format_size(num_bytes: int) -> str:
    """A size as people read it: "140 MB", "1.5 GB"; rounded up, so an excess always shows."""
    for unit, template in ((GB, "%s GB"), (MB, "%s MB"), (KB, "%s KB")):
        if num_bytes >= unit:
            tenths = math.ceil(num_bytes * 10 / unit)
            decimals = 0 if tenths % 10 == 0 else 1
            # Django's own messages, already translated ("%s Mio" in French).
            return _(template) % number_format(tenths / 10, decimals)
    return ngettext("%(size)d byte", "%(size)d bytes", num_bytes) % {"size": num_bytes}


def safe_name(name: str, found: FileType, fallback: str = "file") -> str:
    """A readable name without a path or odd characters, ending with the type's extension."""
    base = _base_name(name)
    stem, dot, extension = base.rpartition(".")
    if not dot or not _EXTENSION.fullmatch(extension):  # "v1.2 final" has no extension
        stem, extension = base, ""
    extension = extension.lower()
    if extension not in (found.extension, *found.other_extensions):
        extension = found.extension
    try:
        # Characters it would drop become one space, so "douleur—soins" keeps two words.
        stem = get_valid_filename(re.sub(r"[^-\w.]+", " ", stem))
    except SuspiciousFileOperation:  # nothing readable was left
        stem = ""
    stem = stem[: MAX_NAME_LENGTH - len(extension) - 1].strip("._-") or fallback
    return f"{stem}.{extension}"


_EXTENSION = re.compile(r"[A-Za-z0-9]{1,5}")


def _accepted(kind: str) -> tuple[FileType, ...]:
    if kind not in ACCEPTED:
        raise ValueError(f"No file is accepted for a resource of kind {kind!r}.")
    return ACCEPTED[kind]


def _families(types: tuple[FileType, ...]) -> str:
    families = dict.fromkeys(str(t.family) for t in types)  # in order, once each
    return str(get_text_list(list(families), _("or")))


def _base_name(name: str) -> str:
    # Browsers on Windows may send the whole path, with backslashes.
    return unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1].strip()


# --- What the content is -----------------------------------------------------------


def detect_type(upload: UploadedFile) -> FileType | None:
    """The upload's type from its content, or None when it is not one EchoHub knows."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    try:
        if head.startswith(_COMPOUND_MAGIC):
            return _office_97_type(upload, head) or _filetype_guess(head)
        found = _filetype_guess(head)
        if head.startswith(b"PK\x03\x04") and (found is None or found.mime not in KNOWN_TYPES):
            return _zip_document_type(upload)
        return found if found is not None else _text_type(head)
    finally:
        upload.seek(0)


def _filetype_guess(head: bytes) -> FileType | None:
    guess = filetype.guess(head)
    if guess is None:
        return None
    return KNOWN_TYPES.get(guess.mime) or FileType(
        guess.mime,
        guess.extension,
        gettext_lazy("other"),
        gettext_lazy("a .%(extension)s file") % {"extension": guess.extension},
    )


def _zip_document_type(upload: UploadedFile) -> FileType | None:
    """An OOXML or OpenDocument file whose telling entries are not among its first ones."""
    try:
        # ZipFile reads the central directory at the end of the file, not the whole file.
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                mime = archive.read("mimetype").decode("ascii", errors="replace").strip()
                if mime in (ODT.mime, ODS.mime, ODP.mime):
                    return KNOWN_TYPES[mime]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError):
        return None
    if "[Content_Types].xml" in names:
        for folder, found in (("word/", DOCX), ("ppt/", PPTX), ("xl/", XLSX)):
            if any(name.startswith(folder) for name in names):
                return found
    return FileType("application/zip", "zip", gettext_lazy("ZIP"), gettext_lazy("a ZIP archive"))


_HTML_START = re.compile(
    rb"<(?:!doctype\s+html|!--|html|head|body|script|iframe|object|embed|style|title|meta"
    rb"|link|form|img|a|b|p|br|div|font|table|h1)[\s/>]",
    re.IGNORECASE,
)
# Control characters (other than tab, line feeds, form feed and escape) mean binary data.
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
_TEXT_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def _text_type(head: bytes) -> FileType | None:
    """Plain text, a WebVTT transcript, or markup a browser would run."""
    if head.startswith(("WEBVTT".encode("utf-16-le"), "WEBVTT".encode("utf-16-be"))):
        return VTT  # UTF-16 without a BOM, which parse_vtt reads too
    for bom, codec in _TEXT_BOMS:
        if head.startswith(bom):
            # Re-encoded as UTF-8, so the checks below read the same whatever the encoding.
            head = head[len(bom) :].decode(codec, errors="replace").encode("utf-8")
            break
    if _BINARY_BYTES.search(head):
        return None
    if head.startswith(b"WEBVTT"):
        return VTT
    if re.search(rb"<svg[\s>]", head, re.IGNORECASE):
        return SVG
    if _HTML_START.search(head):
        return HTML
    if head.lstrip().startswith(b"<?xml"):
        return XML
    return TEXT


# Old Office files (.doc, .ppt, .xls) are "compound files": a small file system whose
# directory names the streams inside. filetype guesses from the first sector's bytes,
# which tells a .ppt from a .xls only some of the time; the directory always does.
_COMPOUND_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LAST_SECTOR = 0xFFFFFFFA  # numbers above it end a chain or mark free space
_MAX_SECTORS_READ = 256  # a directory, or the list of FAT sectors, this long is not a document


def _office_97_type(upload: UploadedFile, header: bytes) -> FileType | None:
    names = set(_compound_stream_names(upload, header))
    if "WordDocument" in names:
        return DOC
    if "PowerPoint Document" in names:
        return PPT
    if "Workbook" in names or "Book" in names:
        return XLS
    return None


def _compound_stream_names(upload: UploadedFile, header: bytes) -> Iterator[str]:
    shift = int.from_bytes(header[30:32], "little")
    if len(header) < 512 or shift not in (9, 12):
        return
    sector_size = 1 << shift

    def sector(number: int) -> bytes:
        upload.seek((number + 1) * sector_size)
        return upload.read(sector_size)

    def numbers(data: bytes) -> list[int]:
        return [int.from_bytes(data[i : i + 4], "little") for i in range(0, len(data) - 3, 4)]

    fat_sectors = numbers(header[76:512])  # the first 109; more are listed in a chain
    next_list = int.from_bytes(header[68:72], "little")

    def next_sector(number: int) -> int:
        nonlocal next_list
        index, offset = divmod(number, sector_size // 4)
        while index >= len(fat_sectors) and next_list <= _LAST_SECTOR:
            listed = numbers(sector(next_list))
            fat_sectors.extend(listed[:-1])
            next_list = listed[-1] if listed else _LAST_SECTOR + 1
            if len(fat_sectors) > _MAX_SECTORS_READ * sector_size // 4:
                return _LAST_SECTOR + 1
        if index >= len(fat_sectors) or fat_sectors[index] > _LAST_SECTOR:
            return _LAST_SECTOR + 1
        entries = numbers(sector(fat_sectors[index]))
        return entries[offset] if offset < len(entries) else _LAST_SECTOR + 1

    current = int.from_bytes(header[48:52], "little")
    for _step in range(_MAX_SECTORS_READ):
        if current > _LAST_SECTOR:
            return
        data = sector(current)
        for start in range(0, len(data) - 127, 128):  # directory entries of 128 bytes
            length = int.from_bytes(data[start + 64 : start + 66], "little")
            if 2 <= length <= 64:
                yield data[start : start + length - 2].decode("utf-16-le", errors="replace")
        current = next_sector(current)
