"""The report parser on the real files and on small files for each quirk.

Expected figures were worked out by reading the files (join and leave times
subtracted by hand), not by running the parser.
"""

import datetime as dt
from pathlib import Path

import pytest

from echohub.attendance import ReportError, parse_report
from echohub.attendance.parsing import Attendee, Interval, Report, union_minutes

SAMPLES = Path(__file__).parent / "samples"


def read(name: str) -> Report:
    return parse_report((SAMPLES / name).read_bytes())


def by_email(report: Report, email: str) -> Attendee:
    [person] = [a for a in report.attendees if a.email.lower() == email.lower()]
    return person


def by_name(report: Report, name: str) -> Attendee:
    [person] = [a for a in report.attendees if a.name == name]
    return person


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# --- The real files ------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["zoomclass_participants_heroes.csv", "zoomclass_participants_heroes_full.csv"]
)
def test_zoom_meeting_reports_union_rejoins_and_devices(name: str) -> None:
    report = read(name)
    assert report.platform == "zoom_meeting"
    assert len(report.attendees) == 27  # 31 rows, 4 people on two rows
    # Two devices at once: 10:08:26–12:01:58 and 10:11:31–12:01:58 count once.
    assert by_email(report, "power-girl_kryptonian@dc.com").minutes == 114
    # Left and came back: 51 min 41 s + 33 min 47 s.
    cyborg = by_email(report, "cyborg-superman_cyborg@dc.com")
    assert cyborg.minutes == 85
    assert cyborg.intervals[0] == Interval(at("2021-11-19 10:08:32"), at("2021-11-19 11:00:13"))
    # Rejoined before the first row ended: 10:14:30–12:01:58.
    assert by_email(report, "swarm_mutant@marvel.com").minutes == 107
    assert by_email(report, "dazzler_mutant@marvel.com").minutes == 28
    loki = by_email(report, "loki_asgardian@marvel.com")
    assert loki.name == "015_Loki (Loki Laufeyson)"
    assert loki.minutes == 128
    assert loki.guest is True
    assert by_email(report, "clea_unknown@marvel.com").guest is False


def test_zoom_meeting_data_preamble_gives_the_meeting() -> None:
    report = read("zoomclass_participants_heroes_full.csv")
    assert report.topic == "Heroes meeting"
    assert report.meeting_id == "60245167821"
    assert report.starts_at == at("2021-11-19 10:00:00")
    assert report.ends_at == at("2021-11-19 12:00:00")
    # Minutes clipped to the meeting: Loki came six minutes early.
    loki = by_email(report, "loki_asgardian@marvel.com")
    assert union_minutes(loki.intervals, report.starts_at, report.ends_at) == 120


def test_zoom_webinar_sections_roles_and_no_shows() -> None:
    report = read("ZoomReports_Anonymized_Zoom_Attendee_Report.csv")
    assert report.platform == "zoom_webinar"
    assert report.topic == "satRdays DC 2020"
    host = by_email(report, "hostName_1@email.com")
    assert host.role == "host"
    assert host.minutes == 547  # 08:07:27–17:14:45
    panelist = by_email(report, "userName_3@email.com")
    assert panelist.role == "panelist"
    assert panelist.minutes == 130  # 7:11 + 1:58:00 + 4:21
    # Registered, never came: listed, not attended, no time.
    no_shows = [a for a in report.attendees if not a.attended]
    assert len(no_shows) == 14
    assert all(a.minutes == 0 and not a.intervals for a in no_shows)
    absent = by_email(report, "attendee384@email.com")
    assert absent.name == "firstAttendee_384 lastAttendee_384"
    # "Other Attended": names without email, 12-hour clock.
    other = by_name(report, "userOther_4")
    assert other.email == ""
    assert other.intervals == (Interval(at("2020-03-28 13:52"), at("2020-03-28 14:40")),)


def test_teams_report_counts_activities_once_and_reads_day_first() -> None:
    report = read("dvaneynde_IDL-14-11-22_utf16.csv")
    assert report.platform == "teams"
    assert report.topic == "Scrum Meeting"
    assert report.starts_at == at("2022-11-14 09:29:07")  # 14/11/22: day first
    assert len(report.attendees) == 7
    organizer = by_email(report, "jan.janssens.ext@un.int")
    assert organizer.role == "host"
    assert organizer.minutes == 19  # 09:30:46–09:50:12, not twice that
    assert len(organizer.intervals) == 1
    pedro = by_email(report, "pgsimon@spain.es")
    assert pedro.name == "García Simón, Pedro"  # a comma inside a name
    assert pedro.role == "panelist"
    assert by_email(report, "sdc@smallco.co.uk").minutes == 15  # 09:35:21–09:50:12


def test_teams_legacy_list_pairs_joins_and_leaves() -> None:
    report = read("dominikhoebert_meetingAttendanceList_legacy_utf16.csv")
    assert report.platform == "teams_legacy"
    assert len(report.attendees) == 5
    max_ = by_name(report, "Mustermann Max")
    assert len(max_.intervals) == 4
    assert max_.minutes == 35  # 17:54 + 11:07 + 0:38 + 5:36
    assert max_.intervals[0].joined == at("2020-12-11 12:27:24")  # 11/12/2020, day first
    assert by_name(report, "Musterfrau Franziska").minutes == 11


# --- Quirks, each from a small file --------------------------------------

ZOOM = (
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
    "Brian Smith,brian@example.org,03/05/2024 01:00:00 PM,03/05/2024 02:00:00 PM,60,No\n"
)


def test_encodings_and_line_ends() -> None:
    for data in (
        ZOOM.encode("utf-8"),
        b"\xef\xbb\xbf" + ZOOM.replace("\n", "\r\n").encode("utf-8"),
        b"\xff\xfe" + ZOOM.encode("utf-16-le"),
        b"\xfe\xff" + ZOOM.encode("utf-16-be"),
        ZOOM.encode("utf-16-le"),  # no BOM
        ZOOM.encode("utf-16-be"),
        ZOOM.replace("\n", "\r").encode("cp1252"),
    ):
        [brian] = parse_report(data).attendees
        assert (brian.email, brian.minutes) == ("brian@example.org", 60)


def test_windows_1252_accents() -> None:
    data = ZOOM.replace("Brian Smith", "Amélie Tremblay").encode("cp1252")
    assert parse_report(data).attendees[0].name == "Amélie Tremblay"


def test_month_first_and_day_first_are_decided_per_file() -> None:
    month_first = ZOOM + "Priya Patel,,03/25/2024 01:00 PM,03/25/2024 01:30 PM,30,Yes\n"
    priya = by_name(parse_report(month_first.encode()), "Priya Patel")
    assert priya.intervals[0].joined == at("2024-03-25 13:00")
    brian = by_name(parse_report(month_first.encode()), "Brian Smith")
    assert brian.intervals[0].joined == at("2024-03-05 13:00")  # 03/05 read as the file reads
    day_first = (
        "Name,Email,Join time,Leave time\n"
        "Brian Smith,b@example.org,25/03/2024 13:00,25/03/2024 14:00\n"
        "Priya Patel,p@example.org,03/05/2024 13:00,03/05/2024 13:45\n"
    )
    priya = by_name(parse_report(day_first.encode()), "Priya Patel")
    assert priya.intervals[0].joined == at("2024-05-03 13:00")


def test_french_headers_semicolons_and_french_clock() -> None:
    data = (
        "Nom (nom d'origine);Courriel;Heure d'arrivée;Heure de départ;Durée (minutes);Invité\n"
        "Tremblay, Amélie;amelie@example.org;2024-03-05 13 h 00;2024-03-05 13 h 50;50;Non\n"
    ).encode()
    [amelie] = parse_report(data).attendees
    assert amelie.name == "Tremblay, Amélie"
    assert amelie.minutes == 50
    assert amelie.guest is False


def test_new_portal_headers_with_preamble_and_waiting_room() -> None:
    data = (
        b"Topic,ID,Host,Duration (minutes),Start time,End time,Participants\n"
        b"Grief ECHO,812 3456 7890,Host Name,60,03/05/2024 01:00:00 PM,03/05/2024 02:00:00 PM,3\n"
        b"\n"
        b"Name (original name),Email,Join time,Leave time,Duration (minutes),Guest,"
        b"In waiting room\n"
        b"Brian Smith,brian@example.org,03/05/2024 12:58:00 PM,03/05/2024 01:00:00 PM,2,No,Yes\n"
        b"Brian Smith,brian@example.org,03/05/2024 01:00:00 PM,03/05/2024 01:40:00 PM,40,No,No\n"
        b"iPhone (Priya Patel),,03/05/2024 01:05:00 PM,03/05/2024 01:15:00 PM,10,Yes,No\n"
    )
    report = parse_report(data)
    assert report.platform == "zoom_meeting"
    assert report.topic == "Grief ECHO"
    assert by_email(report, "brian@example.org").minutes == 40  # the lobby does not count
    assert by_name(report, "iPhone (Priya Patel)").guest is True


def test_totals_only_unique_users_and_plain_csv() -> None:
    totals = (
        b"Name (original name),Email,Total duration (minutes),Guest\n"
        b"priya (she/her),,55,Yes\nBrian Smith,brian@example.org,61,No\n"
    )
    report = parse_report(totals)
    assert by_name(report, "priya (she/her)").minutes == 55
    assert by_name(report, "priya (she/her)").intervals == ()
    plain = parse_report(b"name,email,minutes\nFatima Haddad,fatima@example.org,45\n")
    assert plain.platform == "csv"
    assert plain.attendees[0].minutes == 45


def test_teams_french_interface_and_restarted_durations() -> None:
    data = (
        "1. Résumé\nTitre de la réunion\tÉCHO soins palliatifs\n\n"
        "2. Participants\n"
        "Nom\tPremière entrée\tDernière sortie\tDurée de la réunion\tAdresse e-mail\tRôle\n"
        "Amélie Tremblay\t05/03/2024 13:00\t05/03/2024 13:58\t1h 2m 3s\t"
        "amelie@example.org\tOrganisateur\n"
        "\n3. Activités pendant la réunion\n"
        "Nom\tHeure d'arrivée\tHeure de départ\tDurée\tAdresse e-mail\tRôle\n"
        "Amélie Tremblay\t05/03/2024 13:00\t05/03/2024 13:30\t30m\t"
        "amelie@example.org\tOrganisateur\n"
        "Amélie Tremblay\t05/03/2024 13:40\t05/03/2024 13:58\t18m\t"
        "amelie@example.org\tOrganisateur\n"
    ).encode("utf-16")
    report = parse_report(data)
    assert report.platform == "teams"
    [amelie] = report.attendees
    assert amelie.role == "host"
    assert amelie.minutes == 48  # the activities (30 + 18), not the totals on top


def test_bad_files_say_what_is_wrong() -> None:
    cases = {
        b"": "empty",
        b"   \n\n": "empty",
        b"PK\x03\x04\x14\x00\x06\x00rest-of-a-workbook": "Excel",
        bytes(range(256)) * 20: "not a text file",
        b"colour,size\nred,3\n": "does not recognize this layout",
        b"Name,Email,Join Time,Leave Time\n": "lists no one",
    }
    for data, words in cases.items():
        with pytest.raises(ReportError, match=words):
            parse_report(data)


def test_a_bad_time_names_its_line() -> None:
    data = ZOOM + "Priya Patel,,yesterday-ish,03/05/2024 02:00:00 PM,60,No\n"
    with pytest.raises(ReportError, match="Line 3"):
        parse_report(data.encode())


def test_union_minutes_overlapping_touching_disjoint_and_clipped() -> None:
    def span(a: str, b: str) -> Interval:
        return Interval(at(f"2024-03-05 {a}"), at(f"2024-03-05 {b}"))

    assert union_minutes([span("13:00", "13:30"), span("13:15", "13:45")]) == 45
    assert union_minutes([span("13:00", "13:30"), span("13:30", "13:45")]) == 45
    assert union_minutes([span("13:00", "13:10"), span("14:00", "14:10")]) == 20
    start, end = at("2024-03-05 13:05"), at("2024-03-05 14:05")
    assert union_minutes([span("13:00", "13:10"), span("14:00", "14:10")], start, end) == 10


def test_a_recording_transcript_is_named_for_what_it_is() -> None:
    data = (SAMPLES / "zoomGroupStats_meeting001_transcript.vtt").read_bytes()
    with pytest.raises(ReportError, match="transcript"):
        parse_report(data)


def test_a_fifty_megabyte_file_is_refused_before_reading() -> None:
    from echohub.attendance.services import AttendanceError, read_report

    with pytest.raises(AttendanceError, match="50 MB"):
        read_report(b"x" * (50 * 1024 * 1024))


SPANISH = (
    "Nombre (nombre original),Correo electrónico del usuario,Hora de entrada,Hora de salida,"
    "Duración (minutos),Invitado\n"
    "Brian Smith,brian@example.org,03/05/2024 01:00:00 PM,03/05/2024 02:00:00 PM,60,No\n"
)
GERMAN = (
    "Name (ursprünglicher Name);E-Mail-Adresse des Benutzers;Beitrittszeit;Zeitpunkt des "
    "Verlassens;Dauer (Minuten);Gast\n"
    "Brian Smith;brian@example.org;05.03.2024 13:00:00;05.03.2024 14:00:00;60;Nein\n"
)


@pytest.mark.parametrize(
    ("data", "header"),
    [(SPANISH, "Nombre (nombre original)"), (GERMAN, "Name (ursprünglicher Name)")],
)
def test_headers_in_another_language_are_named_as_such(data: str, header: str) -> None:
    with pytest.raises(ReportError) as refused:
        parse_report(data.encode())
    message = str(refused.value)
    assert "not in English or French" in message
    assert header in message
    assert "no column of names" not in message
    for layout in (
        "Zoom meeting and webinar",
        "Microsoft Teams attendance reports",
        "name, email and minutes",
    ):
        assert layout in message


def test_headers_in_another_language_are_named_in_french_too() -> None:
    from django.utils import translation

    with translation.override("fr"), pytest.raises(ReportError) as refused:
        parse_report(SPANISH.encode())
    assert "ni en anglais ni en français" in str(refused.value)


def test_a_webinars_end_is_its_start_and_duration() -> None:
    report = read("ZoomReports_Anonymized_Zoom_Attendee_Report.csv")
    assert report.starts_at == at("2020-03-28 08:07")
    assert report.ends_at == at("2020-03-28 17:15")  # 548 minutes later
