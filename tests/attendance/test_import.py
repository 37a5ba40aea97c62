"""Importing a report for a session: preview, choices, atomic and idempotent saves."""

import datetime as dt
import io
import itertools
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from echohub.attendance import services
from echohub.attendance.models import Attendance, AttendanceImport
from echohub.programs.models import Session
from echohub.registration.models import Registration
from echohub.reports.figures import live
from tests.conftest import Network, client_for
from tests.factories import UserFactory
from tests.programs.test_public_views import text

TORONTO = zoneinfo.ZoneInfo("America/Toronto")


def report(session: Session, *rows: str) -> bytes:
    day = session.starts_at.astimezone(TORONTO).strftime("%m/%d/%Y")
    lines = ["Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)"]
    lines += [row.replace("DAY", day) for row in rows]
    return ("\n".join(lines) + "\n").encode()


ROWS = (
    "Brian Smith,brian@example.org,DAY 12:55:00 PM,DAY 01:40:00 PM,45",
    "Brian Smith,brian@example.org,DAY 01:35:00 PM,DAY 02:10:00 PM,35",
    "A. Tremblay,,DAY 01:00:00 PM,DAY 01:30:00 PM,30",
    "iPhone (Wei Zhang),,DAY 01:10:00 PM,DAY 01:50:00 PM,40",
)


def preview(session: Session, data: bytes, by: object) -> AttendanceImport:
    return services.preview_import(
        session, data, filename="zoom.csv", by=by, report_zone="America/Toronto"
    )


def test_preview_changes_nothing_and_proposes_matches(network: Network, session: Session) -> None:
    upload = preview(session, report(session, *ROWS), network.coordinator)
    assert not Attendance.objects.exists()
    rows = {row["name"]: row for row in upload.people}
    assert rows["Brian Smith"]["status"] == "matched"
    assert rows["Brian Smith"]["minutes"] == 60  # 12:55–14:10 clipped to 13:00–14:00
    assert rows["A. Tremblay"]["status"] == "ambiguous"
    assert rows["iPhone (Wei Zhang)"]["status"] == "unmatched"
    assert services.suggested_decisions(upload) == {
        0: str(rows["Brian Smith"]["person"]),
        2: "walk_in",
    }


def test_apply_then_reimport_changes_nothing_and_a_second_report_merges(
    network: Network, session: Session
) -> None:
    amelie = Registration.objects.get(person__email="amelie@example.org").person
    upload = preview(session, report(session, *ROWS), network.coordinator)
    decisions = {**services.suggested_decisions(upload), 1: str(amelie.pk)}
    assert services.apply_import(upload, decisions, by=network.coordinator) == 3
    assert Attendance.objects.get(person=amelie).minutes == 30
    assert Attendance.objects.get(walk_in_name="iPhone (Wei Zhang)").minutes == 40

    again = preview(session, report(session, *ROWS), network.coordinator)
    assert services.apply_import(again, {**decisions}, by=network.coordinator) == 0
    # The meeting restarted: a second report with Amélie's later time adds only that.
    restart = preview(
        session,
        report(session, "Amélie Tremblay,amelie@example.org,DAY 01:20:00 PM,DAY 01:50:00 PM,30"),
        network.coordinator,
    )
    assert (
        services.apply_import(
            restart, services.suggested_decisions(restart), by=network.coordinator
        )
        == 1
    )
    assert Attendance.objects.get(person=amelie).minutes == 50  # 13:00–13:50, overlap once
    assert Attendance.objects.count() == 3


def test_every_line_must_be_settled_and_nothing_is_half_saved(
    network: Network, session: Session
) -> None:
    upload = preview(session, report(session, *ROWS), network.coordinator)
    with pytest.raises(services.AttendanceError, match="Decide for every line"):
        services.apply_import(upload, services.suggested_decisions(upload), by=network.coordinator)
    assert not Attendance.objects.exists()
    upload.refresh_from_db()
    assert upload.status == AttendanceImport.Status.PREVIEW


def test_a_report_from_another_day_warns(network: Network, session: Session) -> None:
    data = report(
        session, "Brian Smith,brian@example.org,01/02/2020 01:00:00 PM,01/02/2020 02:00:00 PM,60"
    )
    upload = preview(session, data, network.coordinator)
    assert "a meeting of 2020-01-02" in upload.warnings[0]


def test_the_coordinator_uploads_chooses_and_confirms(network: Network, session: Session) -> None:
    client = client_for(network.coordinator)
    upload_url = reverse("attendance:upload", kwargs={"pk": session.pk})
    data = io.BytesIO(report(session, *ROWS))
    data.name = "zoom.csv"
    page = client.post(upload_url, {"report": data, "zone": "America/Toronto"}, follow=True)
    assert "1 matched, 1 to choose, 1 not found." in text(page)
    upload = AttendanceImport.objects.get()
    amelie = Registration.objects.get(person__email="amelie@example.org").person
    confirm = client.post(
        reverse("attendance:preview", kwargs={"pk": upload.pk}),
        {"row-0": str(upload.people[0]["person"]), "row-1": str(amelie.pk), "row-2": "ignore"},
        follow=True,
    )
    assert "Attendance saved: 2 records changed." in text(confirm)
    assert not Attendance.objects.filter(person=None).exists()
    figures = text(client.get(reverse("attendance:session", kwargs={"pk": session.pk})))
    assert "Registered and attended 2 (67 %)" in figures


def test_bad_uploads_get_a_message_and_save_nothing(network: Network, session: Session) -> None:
    client = client_for(network.coordinator)
    url = reverse("attendance:upload", kwargs={"pk": session.pk})
    for content, words in (
        (b"PK\x03\x04binary", "Excel workbook"),
        (b"colour,size\nred,1\n", "does not recognize this layout"),
        (b"", "empty"),
    ):
        data = io.BytesIO(content)
        data.name = "report.xlsx"
        page = client.post(url, {"report": data, "zone": "America/Toronto"}, follow=True)
        assert words in text(page)
    assert not AttendanceImport.objects.exists()


def test_manual_marking_needs_a_reason_and_shows_who(network: Network, session: Session) -> None:
    brian = Registration.objects.get(person__email="brian@example.org").person
    with pytest.raises(services.AttendanceError):
        services.mark(session, brian, present=True, minutes=30, reason=" ", by=network.coordinator)
    services.mark(
        session, brian, present=True, minutes=30, reason="Joined by phone", by=network.coordinator
    )
    record = Attendance.objects.get(person=brian)
    assert (record.minutes, record.is_adjusted, record.adjusted_by) == (
        30,
        True,
        network.coordinator,
    )
    # A later report keeps the coordinator's figure, and records its own beside it.
    upload = preview(session, report(session, *ROWS[:2]), network.coordinator)
    services.apply_import(upload, services.suggested_decisions(upload), by=network.coordinator)
    record.refresh_from_db()
    assert (record.minutes, record.report_minutes) == (30, 60)
    page = text(
        client_for(network.coordinator).get(
            reverse("attendance:session", kwargs={"pk": session.pk})
        )
    )
    assert "Adjusted by Chidi Okafor: Joined by phone" in page


def test_check_in_by_code_during_the_session_only(network: Network, session: Session) -> None:
    code = services.check_in_code(session).code
    person = UserFactory()
    during = session.starts_at + dt.timedelta(minutes=20)
    with pytest.raises(services.AttendanceError, match="not the session"):
        services.check_in(session, person, "WRONG1", now=during)
    with pytest.raises(services.AttendanceError, match="only during"):
        services.check_in(session, person, code, now=session.starts_at + dt.timedelta(days=1))
    record = services.check_in(session, person, code.lower(), now=during)
    assert (record.minutes, record.source) == (60, "check_in")


def test_the_command_previews_with_dry_run_then_saves(
    network: Network, session: Session, tmp_path, capsys
) -> None:
    path = tmp_path / "zoom.csv"
    path.write_bytes(report(session, *ROWS))
    args = [str(session.pk), str(path), "--by", network.coordinator.email]
    call_command("import_attendance", *args, "--dry-run")
    out = capsys.readouterr().out
    assert "zoom_meeting, 3 people" in out
    assert "Dry run: nothing saved." in out
    assert not Attendance.objects.exists()
    assert not AttendanceImport.objects.exists()
    call_command("import_attendance", *args)
    assert "Saved: 2 attendance record(s) changed." in capsys.readouterr().out


# --- Credit: accounts that did not register ------------------------------


def test_an_account_that_did_not_register_is_found_by_the_lines_email(
    network: Network, session: Session
) -> None:
    nadia = network.participant  # has an account, never registered for this session…
    # …but known to its hub: registered for another of its sessions.
    Registration.objects.create(session=network.session, person=nadia, status="cancelled")
    data = report(
        session,
        f"Nadia P.,{nadia.email.upper()},DAY 01:00:00 PM,DAY 01:50:00 PM,50",
        "Wei Zhang,wei@elsewhere.example,DAY 01:00:00 PM,DAY 01:30:00 PM,30",
        "Nadia Participant,,DAY 01:00:00 PM,DAY 01:20:00 PM,20",
    )
    upload = preview(session, data, network.coordinator)
    found, stranger, namesake = upload.people
    assert (found["status"], found["person"]) == ("matched", nadia.pk)
    assert (stranger["status"], stranger["person"]) == ("unmatched", None)
    # An email with no account is for the coordinator to settle, never an anonymous walk-in;
    # and the account came in by its email only: its name brings no one else to it.
    assert (namesake["status"], namesake["choices"]) == ("unmatched", [])
    assert services.suggested_decisions(upload) == {0: str(nadia.pk), 2: "walk_in"}
    page = text(
        client_for(network.coordinator).get(
            reverse("attendance:preview", kwargs={"pk": upload.pk}) + "?show=matched"
        )
    )
    assert "Nadia P. · 50 min · Nadia Participant, by email" in page
    services.apply_import(
        upload, {0: str(nadia.pk), 1: "walk_in", 2: "ignore"}, by=network.coordinator
    )
    assert Attendance.objects.get(person=nadia).minutes == 50


def test_an_account_the_hub_does_not_know_is_a_stranger_like_any_address(
    network: Network, session: Session
) -> None:
    """Another hub's participant, in a report: not attached, and not told apart from an
    address without an account."""
    elsewhere = UserFactory(email="elsewhere.nurse@example.org")
    Registration.objects.create(session=network.other_session, person=elsewhere,
                                status="confirmed")  # fmt: skip
    data = report(
        session,
        "E. Nurse,elsewhere.nurse@example.org,DAY 01:00:00 PM,DAY 01:50:00 PM,50",
        "Wei Zhang,wei@elsewhere.example,DAY 01:00:00 PM,DAY 01:30:00 PM,30",
    )
    upload = preview(session, data, network.coordinator)
    known, stranger = upload.people
    assert (known["status"], known["person"], known["choices"]) == (
        stranger["status"], stranger["person"], stranger["choices"]
    )  # fmt: skip
    assert services.person_for_email(upload, 0, "elsewhere.nurse@example.org") is None
    with pytest.raises(services.AttendanceError):
        services.apply_import(upload, {0: str(elsewhere.pk), 1: "walk_in"}, by=network.coordinator)
    assert not Attendance.objects.filter(person=elsewhere).exists()


def test_a_line_cannot_be_given_to_someone_the_session_does_not_know(
    network: Network, session: Session
) -> None:
    outsider = network.other_coordinator  # an account of another hub, not registered
    data = report(session, "Brian Smith,brian@example.org,DAY 01:00:00 PM,DAY 01:50:00 PM,50")
    upload = preview(session, data, network.coordinator)
    with pytest.raises(services.AttendanceError, match="Brian Smith"):
        services.apply_import(upload, {0: str(outsider.pk)}, by=network.coordinator)
    client = client_for(network.coordinator)
    url = reverse("attendance:preview", kwargs={"pk": upload.pk})
    for posted in ({"row-0": str(outsider.pk)}, {"row-0": "", "email-0": outsider.email}):
        page = text(client.post(url, {**posted, "action": "apply"}, follow=True))
        assert "Brian Smith" in page
        assert outsider.email not in page or "email-0" in posted
    assert not Attendance.objects.exists()
    upload.refresh_from_db()
    assert upload.status == AttendanceImport.Status.PREVIEW
    # The hub's staff may be given a line: they host and present.
    services.apply_import(upload, {0: str(network.facilitator.pk)}, by=network.coordinator)
    assert Attendance.objects.get().person == network.facilitator


# --- Figures ---------------------------------------------------------------


def test_figures_add_up_with_staff_and_people_who_did_not_register(
    network: Network, session: Session
) -> None:
    Registration.objects.filter(person__email="alain@example.org").delete()  # 2 registrants
    brian = Registration.objects.get(person__email="brian@example.org").person
    for person in (brian, network.facilitator, network.participant):
        services.mark(
            session, person, present=True, minutes=60, reason="Zoom", by=network.coordinator
        )
    figures = live(Session.objects.filter(pk=session.pk)).total
    assert (
        figures.registered,
        figures.registered_attended,
        figures.no_shows,
        figures.unregistered,
        figures.walk_ins,
        figures.staff,
        figures.attended,
    ) == (2, 1, 1, 1, 0, 1, 3)
    assert (
        figures.registered_attended + figures.unregistered + figures.walk_ins + (figures.staff)
        == figures.attended
    )
    page = text(
        client_for(network.coordinator).get(
            reverse("attendance:session", kwargs={"pk": session.pk})
        )
    )
    assert "Registered 2" in page
    assert "Registered and attended 1 (50 %)" in page
    assert "Registered, did not attend 1" in page
    assert "Attended without registering 1" in page
    assert "Walk-ins without an account 0" in page
    assert "Hub staff 1" in page
    assert "Attended in all 3" in page


# --- The report's own date ------------------------------------------------

SAMPLES = Path(__file__).parent / "samples"


def unique_users(day: str) -> bytes:
    """Zoom's "unique users" export with meeting data: totals only, the date in its header."""
    return (
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
        f"812 3456 7890,Grief ECHO,{day} 01:00:00 PM,{day} 02:00:00 PM,host@example.org,60,2\n"
        "\n"
        "Name (Original Name),User Email,Total Duration (Minutes),Guest\n"
        "Brian Smith,brian@example.org,55,No\n"
        "Wei Zhang,,50,Yes\n"
    ).encode()


@pytest.mark.parametrize(
    ("sample", "day"),
    [
        ("zoomclass_participants_heroes_full.csv", "2021-11-19"),  # Zoom meeting, header
        ("zoomclass_participants_heroes.csv", "2021-11-19"),  # Zoom meeting, joins only
        ("ZoomReports_Anonymized_Zoom_Attendee_Report.csv", "2020-03-28"),  # Zoom webinar
        ("dvaneynde_IDL-14-11-22_utf16.csv", "2022-11-14"),  # Teams
        ("dominikhoebert_meetingAttendanceList_legacy_utf16.csv", "2020-12-11"),  # older Teams
    ],
)
def test_a_report_of_another_day_warns_whatever_its_layout(
    network: Network, session: Session, sample: str, day: str
) -> None:
    upload = preview(session, (SAMPLES / sample).read_bytes(), network.coordinator)
    session_day = session.starts_at.astimezone(TORONTO).date().isoformat()
    [warning] = upload.warnings
    assert f"a meeting of {day}," in warning
    assert f"the session is on {session_day}," in warning


def test_a_unique_users_report_warns_from_its_header_date(
    network: Network, session: Session
) -> None:
    upload = preview(session, unique_users("01/02/2020"), network.coordinator)
    assert upload.platform == "zoom_meeting"
    [warning] = upload.warnings
    assert "a meeting of 2020-01-02" in warning
    same_day = session.starts_at.astimezone(TORONTO).strftime("%m/%d/%Y")
    assert preview(session, unique_users(same_day), network.coordinator).warnings == []


def test_a_report_without_any_date_says_it_cannot_be_checked(
    network: Network, session: Session
) -> None:
    data = b"name,email,minutes\nBrian Smith,brian@example.org,45\n"
    [warning] = preview(session, data, network.coordinator).warnings
    assert "gives no date" in warning


# --- A long report ---------------------------------------------------------


def invented_words(count: int) -> list[str]:
    """Distinct name-like words of letters only (the matcher ignores words with digits)."""
    syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "bu"]
    words = ["".join(parts).title() for parts in itertools.product(syllables, repeat=3)]
    return words[:count]


def long_report(session: Session) -> tuple[bytes, dict[int, int | None]]:
    """300 lines: 200 registrants by email, 50 by their exact name, 30 by their first name
    alone (a suggestion to accept), 20 strangers; and whom each line stands for."""
    words = invented_words(600)
    rows, owners = [], {}
    for i in range(280):
        first, last = words[2 * i], words[2 * i + 1]
        person = UserFactory(name=f"{first} {last}", email=f"p{i}@example.org")
        Registration.objects.create(session=session, person=person, status="confirmed")
        shown, email = (
            (f"{first} {last}", person.email)
            if i < 200
            else (f"{first} {last}", "")
            if i < 250
            else (first, "")
        )
        rows.append(f"{shown},{email},DAY 01:00:00 PM,DAY 01:{10 + i % 40}:00 PM,{10 + i % 40}")
        owners[i] = person.pk
    for i in range(20):
        rows.append(
            f"Xyqw Stranger{'abcdefghijklmnopqrst'[i]}x,,DAY 01:00:00 PM,DAY 01:30:00 PM,30"
        )
        owners[280 + i] = None
    return report(session, *rows), owners


def test_a_300_line_report_is_settled_in_bulk_and_saved_whole(
    network: Network, session: Session
) -> None:
    data, owners = long_report(session)
    upload = preview(session, data, network.coordinator)
    client = client_for(network.coordinator)
    url = reverse("attendance:preview", kwargs={"pk": upload.pk})
    page = client.get(url)
    words = text(page)
    for offered in (
        "Needs a decision (30)",
        "Matched to a person (250)",
        "Not found (20)",
        "Walk-ins (20)",
        "Left out (0)",
        "All lines (300)",
        "250 lines matched by email or by the exact name are taken as they are",
        "Accept the suggestions for 30 lines",
        "Record every undecided line as a walk-in",
        "Leave out every undecided line",
    ):
        assert offered in words
    # Only what needs a decision is listed; the certain lines are summarised.
    assert page.content.decode().count('class="import-line ') == 30
    assert text(client.get(url + "?show=walk_in")).count("Not found") >= 20

    accepted = client.post(url, {"action": "accept", "show": "decide"}, follow=True)
    assert "30 suggestions accepted." in text(accepted)
    assert "Needs a decision (0)" in text(accepted)
    saved = client.post(url, {"action": "apply"}, follow=True)
    assert "Attendance saved: 300 records changed." in text(saved)
    got = {(a.person_id, a.walk_in_name != "") for a in Attendance.objects.filter(session=session)}
    assert {(pk, False) for pk in owners.values() if pk} <= got
    assert Attendance.objects.filter(session=session, person=None).count() == 20
    assert Attendance.objects.filter(session=session).count() == 300


def test_bulk_walk_ins_or_leaving_out_settle_only_the_undecided(
    network: Network, session: Session
) -> None:
    brian = Registration.objects.get(person__email="brian@example.org").person
    data = report(
        session, *ROWS, "Wei Zhang,wei@elsewhere.example,DAY 01:00:00 PM,DAY 01:20:00 PM,20"
    )
    upload = preview(session, data, network.coordinator)
    client = client_for(network.coordinator)
    url = reverse("attendance:preview", kwargs={"pk": upload.pk})
    # A choice posted with the bulk button is kept first: "A. Tremblay" is Brian's second line.
    client.post(url, {"row-1": str(brian.pk), "action": "ignore"})
    upload.refresh_from_db()
    assert services.decisions_so_far(upload) == {
        0: str(brian.pk),
        1: str(brian.pk),
        2: "walk_in",
        3: "ignore",
    }
    page = text(client.post(url, {"action": "apply"}, follow=True))
    assert "Attendance saved: 2 records changed." in page
    assert Attendance.objects.get(person=brian).minutes == 60


def test_a_600_line_report_is_decided_a_page_at_a_time(network: Network, session: Session) -> None:
    rows = [f"Walk In {n:03d},,DAY 01:00:00 PM,DAY 01:45:00 PM,45" for n in range(600)]
    upload = preview(session, report(session, *rows), network.coordinator)
    client = client_for(network.coordinator)
    url = reverse("attendance:preview", kwargs={"pk": upload.pk})
    first = client.get(url, {"show": "all"})
    page = text(first)
    assert "Page 1 of 6" in page
    assert first.content.decode().count('name="row-') == 100
    # Choices on page 1, then on to page 2: kept, nothing applied, under Django's field limit.
    posted = {"show": "all", "page_to": "2", **{f"row-{n}": "walk_in" for n in range(100)}}
    assert len(posted) < 1000
    moved = client.post(url, posted)
    assert moved.status_code == 302
    assert moved["Location"] == f"{url}?show=all&page=2"
    upload.refresh_from_db()
    assert upload.status == "preview"
    assert len(services.decisions_so_far(upload)) >= 100
    second = client.get(moved["Location"])
    assert 'name="row-100"' in second.content.decode()
    assert 'name="row-99"' not in second.content.decode()
