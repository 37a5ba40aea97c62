"""Reading WebVTT transcripts: the real Zoom file, the variants other tools write, bad files."""

from pathlib import Path

import pytest
from django.utils import translation

from echohub.library.transcripts import MAX_TRANSCRIPT_BYTES, Cue, TranscriptError, parse_vtt

ZOOM_SAMPLE = Path(__file__).parent / "samples" / "zoomGroupStats_meeting001_transcript.vtt"


def vtt(text: str) -> bytes:
    return text.encode("utf-8")


def error_for(data: bytes) -> TranscriptError:
    with pytest.raises(TranscriptError) as caught:
        parse_vtt(data)
    return caught.value


# --- The real Zoom cloud-recording transcript ------------------------------------


def test_zoom_transcript_reads_every_cue_with_its_speaker():
    cues = parse_vtt(ZOOM_SAMPLE.read_bytes())

    assert len(cues) == 300
    assert cues[0] == Cue(
        start_ms=4859,
        end_ms=7410,
        speaker="Andrew Knight",
        text="Okay, so we're recording. We're streaming",
    )
    assert cues[4] == Cue(
        24000, 26070, "Paul McCartney", "She just got back from a vacation or something."
    )
    assert cues[-1].start_ms == 3326820
    assert cues[-1].speaker == "Andrew Knight"
    assert cues[-1].text.startswith("Certainly, if you are in person")
    assert {cue.speaker for cue in cues} == {
        "Andrew Knight",
        "Paul McCartney",
        "George Harrison",
        "John Lennon",
        "Ringo Starr",
        "",
    }


def test_zoom_cues_without_a_name_keep_their_text_and_no_speaker():
    cues = parse_vtt(ZOOM_SAMPLE.read_bytes())

    unnamed = [cue for cue in cues if not cue.speaker]

    assert unnamed == [Cue(150060, 150420, "", "And that"), Cue(168000, 169320, "", "Yes. Okay.")]


def test_zoom_cues_are_in_order_and_never_end_before_they_start():
    cues = parse_vtt(ZOOM_SAMPLE.read_bytes())

    assert all(cue.start_ms <= cue.end_ms for cue in cues)
    assert [cue.start_ms for cue in cues] == sorted(cue.start_ms for cue in cues)


# --- Variants ----------------------------------------------------------------------


def test_voice_tags_give_the_speaker():
    data = vtt(
        "WEBVTT\n\n"
        "a1b2-12-0\n00:00:01.000 --> 00:00:04.500\n<v Marie-Ève Tremblay>Bonjour à tous.</v>\n\n"
        "00:00:05.000 --> 00:00:06.000\n<v.loud Dr. Singh>Good morning.\n"
    )

    assert parse_vtt(data) == [
        Cue(1000, 4500, "Marie-Ève Tremblay", "Bonjour à tous."),
        Cue(5000, 6000, "Dr. Singh", "Good morning."),
    ]


def test_bom_crlf_cue_settings_and_hours_less_times():
    data = b"\xef\xbb\xbf" + vtt(
        "WEBVTT - Made by hand\r\nKind: captions\r\nLanguage: fr\r\n\r\n"
        "01:02.250 --> 01:05.000 align:start position:10% line:0\r\nAlice Roy: Allô.\r\n"
    )

    assert parse_vtt(data) == [Cue(62250, 65000, "Alice Roy", "Allô.")]


def test_old_mac_line_endings():
    data = vtt("WEBVTT\r\r00:01.000 --> 00:02.000\rHello\r")

    assert parse_vtt(data) == [Cue(1000, 2000, "", "Hello")]


def test_note_style_and_region_blocks_are_skipped():
    data = vtt(
        "WEBVTT\n\n"
        "STYLE\n::cue { color: yellow; }\n\n"
        "REGION\nid:fred width:40%\n\n"
        "NOTE This transcript was corrected by hand\n\n"
        "NOTE\nIt spans\ntwo lines\n\n"
        "00:01.000 --> 00:02.000\nHello\n\n"
        "NOTE the end\n"
    )

    assert parse_vtt(data) == [Cue(1000, 2000, "", "Hello")]


def test_multi_line_text_is_joined_with_a_space():
    data = vtt(
        "WEBVTT\n\n1\n00:01.000 --> 00:03.000\nBob Li: The pain scale\n  goes from\n0 to 10.\n"
    )

    assert parse_vtt(data) == [Cue(1000, 3000, "Bob Li", "The pain scale goes from 0 to 10.")]


def test_formatting_tags_are_stripped_and_entities_read():
    data = vtt(
        "WEBVTT\n\n00:01.000 --> 00:03.000\n"
        "<b>Morphine</b> &amp; <i>hydromorphone</i>: <c.yellow.bg_blue>doses</c> "
        "<00:00:02.000><u>&lt;</u> 5&nbsp;mg\n"
    )

    assert parse_vtt(data) == [
        # Runs of spaces, no-break ones included, become one space.
        Cue(1000, 3000, "", "Morphine & hydromorphone: doses < 5 mg"),
    ]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_utf16_with_a_bom(codec):
    text = "WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\nÉlise Côté: Ça va.\r\n"
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data

    assert parse_vtt(data) == [Cue(1000, 2000, "Élise Côté", "Ça va.")]


def test_utf16_without_a_bom():
    data = "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n".encode("utf-16-le")

    assert parse_vtt(data) == [Cue(1000, 2000, "", "Hi")]


def test_cue_missing_its_blank_line_is_still_read():
    data = vtt("WEBVTT\n00:01.000 --> 00:02.000\nOne\n00:02.000 --> 00:03.000\nTwo\n")

    assert [cue.text for cue in parse_vtt(data)] == ["One", "Two"]


def test_cues_with_no_text_are_left_out():
    data = vtt("WEBVTT\n\n00:01.000 --> 00:02.000\n<i></i>\n\n00:02.000 --> 00:03.000\nYes\n")

    assert parse_vtt(data) == [Cue(2000, 3000, "", "Yes")]


def test_text_outside_any_cue_is_ignored_as_webvtt_readers_do():
    data = vtt("WEBVTT\n\n00:01.000 --> 00:02.000\nYes\n\nstray words\n")

    assert parse_vtt(data) == [Cue(1000, 2000, "", "Yes")]


# --- Speakers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "speaker", "said"),
    [
        ("Jean-François Lévesque (il/lui): Merci.", "Jean-François Lévesque (il/lui)", "Merci."),
        ("Anne de la Fontaine: Oui.", "Anne de la Fontaine", "Oui."),
        ("Knight, Andrew: Welcome.", "Knight, Andrew", "Welcome."),
        ("iPhone de Marie: Allô?", "iPhone de Marie", "Allô?"),
        ("+1 514 555 0123: Can you hear me?", "+1 514 555 0123", "Can you hear me?"),
        # Not names: a label, a time, a sentence.
        ("Note: 10:30 in room B", "", "Note: 10:30 in room B"),
        ("Break: 10:30 to 10:45", "", "Break: 10:30 to 10:45"),
        ("N.B.: the dose is daily", "", "N.B.: the dose is daily"),
        ("At 10:30: we start", "", "At 10:30: we start"),
        ("So what I mean is: rest", "", "So what I mean is: rest"),
        ("Ratio 3:1 today", "", "Ratio 3:1 today"),
    ],
)
def test_speaker_prefix(text, speaker, said):
    data = vtt(f"WEBVTT\n\n00:01.000 --> 00:02.000\n{text}\n")

    assert parse_vtt(data) == [Cue(1000, 2000, speaker, said)]


def test_a_known_speaker_is_split_even_before_a_time():
    data = vtt(
        "WEBVTT\n\n00:01.000 --> 00:02.000\nAndrew Knight: Shall we meet again?\n\n"
        "00:02.000 --> 00:03.000\nAndrew Knight: 10:30 works for me.\n"
    )

    assert [cue.speaker for cue in parse_vtt(data)] == ["Andrew Knight", "Andrew Knight"]


def test_a_lower_case_name_counts_when_it_recurs():
    cues = "".join(f"00:0{i}.000 --> 00:0{i}.500\njsmith: part {i}\n\n" for i in range(1, 4))

    assert [cue.speaker for cue in parse_vtt(vtt("WEBVTT\n\n" + cues))] == ["jsmith"] * 3


def test_voice_tag_wins_over_a_name_in_the_text():
    data = vtt("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Alice>Bob: did you see?\n")

    assert parse_vtt(data) == [Cue(1000, 2000, "Alice", "Bob: did you see?")]


# --- Bad files: a clear message naming the line --------------------------------------


def test_empty_file():
    error = error_for(b"")

    assert error.line == 1
    assert str(error) == "Line 1: the transcript is empty."


def test_blank_file_with_a_bom():
    assert error_for(b"\xef\xbb\xbf \r\n\r\n").line == 1


def test_not_webvtt():
    error = error_for(vtt("1\n00:00:01,000 --> 00:00:02,000\nHello\n"))

    assert error.line == 1
    assert str(error) == (
        "Line 1: this is not a WebVTT transcript (its first line must be WEBVTT)."
    )


def test_webvtt_without_cues():
    error = error_for(vtt("WEBVTT\n\nNOTE nothing yet\n"))

    assert str(error) == (
        "The transcript has no cues: no line has times such as 00:01.000 --> 00:04.000."
    )


@pytest.mark.parametrize(
    ("timing", "time"),
    [
        ("00:00:61.000 --> 00:01:02.000", "00:00:61.000"),
        ("00:01.000 --> 00:75:02.000", "00:75:02.000"),
        ("00:00:04.3001 --> 00:00:05.000", "00:00:04.3001"),
        ("00:01.000 --> soon", "soon"),
    ],
)
def test_impossible_time(timing, time):
    error = error_for(vtt(f"WEBVTT\n\n00:01.000 --> 00:02.000\nFine\n\n7\n{timing}\nBad\n"))

    assert error.line == 7
    assert str(error) == (
        f"Line 7: {time} is not a valid time; times are written hh:mm:ss.ttt or mm:ss.ttt."
    )


def test_srt_style_comma_gets_a_hint():
    error = error_for(vtt("WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nHello\n"))

    assert error.line == 3
    assert str(error) == (
        "Line 3: 00:00:01,000 is not a valid time; WebVTT writes a dot before the "
        "milliseconds, as in 00:01.000."
    )


def test_missing_end_time():
    error = error_for(vtt("WEBVTT\n\n00:01.000 -->\nHello\n"))

    assert error.line == 3
    assert str(error) == (
        "Line 3: a cue needs a start and an end time, as in 00:01.000 --> 00:04.000."
    )


def test_timing_line_without_its_arrow():
    error = error_for(
        vtt("WEBVTT\n\n00:01.000 --> 00:02.000\nOk\n\n12\n00:03.000 -> 00:04.000\nX\n")
    )

    assert error.line == 7
    assert str(error) == (
        "Line 7: the times must be separated by -->, as in 00:01.000 --> 00:04.000."
    )


def test_end_before_start():
    error = error_for(vtt("WEBVTT\r\n\r\n00:00:05.000 --> 00:00:04.000\r\nBackwards\r\n"))

    assert error.line == 3
    assert str(error) == "Line 3: the cue ends (00:00:04.000) before it starts (00:00:05.000)."


def test_time_past_100_hours():
    error = error_for(vtt("WEBVTT\n\n100:00:00.001 --> 100:00:01.000\nLate\n"))

    assert error.line == 3


def test_not_utf8_names_the_line():
    data = vtt("WEBVTT\n\n00:01.000 --> 00:02.000\n") + "Élise: Ça va\n".encode("cp1252")

    error = error_for(data)

    assert error.line == 4
    assert str(error) == (
        "Line 4 is not readable as UTF-8 text. Save the transcript as UTF-8 and upload it again."
    )


def test_broken_utf16_names_the_line():
    data = b"\xff\xfe" + "WEBVTT\n\n00:01.000 --> 00:02.000\nHi\n".encode("utf-16-le") + b"\x00\xd8"

    error = error_for(data)

    assert error.line == 5
    assert "UTF-16" in str(error)


def test_too_large_is_refused_before_reading():
    data = b"WEBVTT\n\n" + b"x" * MAX_TRANSCRIPT_BYTES

    error = error_for(data)

    assert error.line is None
    assert str(error) == "The transcript is 20.1 MB; a transcript may be at most 20 MB."


def test_messages_are_translated():
    with translation.override("fr"):
        error = error_for(b"x" * (MAX_TRANSCRIPT_BYTES + 1))

    # Django's French catalog names the units: the sentence itself awaits the project's.
    assert "Mio" in str(error)


def test_transcript_error_is_a_value_error():
    assert issubclass(TranscriptError, ValueError)
