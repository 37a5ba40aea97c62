"""After the session: the platform says the meeting ended (a signed Zoom notification,
BigBlueButton's callbacks) or EchoHub asks a set time after the end (Teams); the
report is fetched and read into the same preview as an upload; coordinators are
told; a program may have it applied by itself; recordings go to the library."""

import datetime as dt
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import jwt
import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from echohub.attendance.models import Attendance, AttendanceImport
from echohub.library.models import Resource
from echohub.outreach.models import OutboxMessage
from echohub.programs.models import Session
from echohub.registration import services as registration
from echohub.video import meetings, services
from echohub.video.models import Meeting, Platform
from tests.conftest import Network, client_for
from tests.factories import UserFactory
from tests.video.conftest import bbb_values, connect, graph_values, zoom_values
from tests.video.fakes import BigBlueButtonFake, GraphFake, ZoomFake, fixture, fixture_json

# The fakes' secrets are shorter than PyJWT likes; BigBlueButton's are what they are.
pytestmark = pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")

Committed = Callable[[], AbstractContextManager[Any]]
SECRET_TOKEN = "FAKE_webhook_secret_token"


def made(network: Network, platform: str, values: dict[str, str], committed: Committed) -> Meeting:
    connection = connect(network, platform, values)
    with committed():
        services.use(network.program, connection, by=network.coordinator)
    return Meeting.objects.get(session=network.session)


def held_at(network: Network, start: str, minutes: int) -> None:
    """The session took place then (the fixtures' meeting): moved without a signal."""
    starts = dt.datetime.fromisoformat(start)
    Session.objects.filter(pk=network.session.pk).update(starts_at=starts, duration_minutes=minutes)


def registrants(network: Network, *people: tuple[str, str]) -> list[Any]:
    found = []
    for name, email in people:
        person = UserFactory(name=name, email=email)
        registration.register(person, Session.objects.get(pk=network.session.pk))
        found.append(person)
    return found


def signed(body: bytes, secret: str = SECRET_TOKEN, at: int | None = None) -> dict[str, str]:
    timestamp = str(at or int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256)
    return {
        "HTTP_X_ZM_REQUEST_TIMESTAMP": timestamp,
        "HTTP_X_ZM_SIGNATURE": f"v0={digest.hexdigest()}",
    }


def zoom_ended(meeting: Meeting) -> bytes:
    event = fixture_json("zoom/webhook_meeting_ended.json")
    event["payload"]["object"]["id"] = meeting.external_id
    event["payload"]["object"]["uuid"] = meeting.details["uuid"]
    return json.dumps(event).encode()


# --- Zoom: the signed notification -----------------------------------------------------


def test_zoom_validates_the_endpoint_with_the_secret_token(
    network: Network, zoom: ZoomFake, committed: Committed
) -> None:
    meeting = made(network, Platform.ZOOM, zoom_values(zoom), committed)
    url = reverse("video_hooks:zoom", args=[meeting.connection.hook_key])
    challenge = fixture("zoom/webhook_url_validation.json")
    answer = Client().post(url, challenge, content_type="application/json", **signed(challenge))
    assert answer.status_code == 200
    # The vector of fixtures/SOURCES.md: HMAC-SHA256 of the plain token under the secret.
    assert answer.json() == {
        "plainToken": "qgg8vlvZRS6UYooatFL8Aw",
        "encryptedToken": "261cea5dd578a48b3261440f486f83b17f600c3015eedf685ee83ae6b1c17262",
    }


@pytest.mark.parametrize(
    "tamper",
    ["wrong secret", "body changed", "stale", "no signature", "unknown hook"],
)
def test_a_zoom_notification_not_signed_right_is_refused_and_nothing_done(
    network: Network, zoom: ZoomFake, committed: Committed, tamper: str
) -> None:
    meeting = made(network, Platform.ZOOM, zoom_values(zoom), committed)
    zoom.ended = True
    body = zoom_ended(meeting)
    headers = {
        "wrong secret": signed(body, secret="not-the-secret"),
        "body changed": signed(body.replace(b"EchoHub", b"Evil")),
        "stale": signed(body, at=int(time.time()) - 3600),
        "no signature": {},
        "unknown hook": signed(body),
    }[tamper]
    hook = "not-a-hook-key" if tamper == "unknown hook" else meeting.connection.hook_key
    with committed():
        answer = Client().post(
            reverse("video_hooks:zoom", args=[hook]),
            body,
            content_type="application/json",
            **headers,
        )
    assert answer.status_code == (404 if tamper == "unknown hook" else 403)
    meeting.refresh_from_db()
    assert (meeting.ended_at, meeting.attendance) == (None, "")
    assert not AttendanceImport.objects.exists()
    assert not zoom.calls("GET", "/v2/report/")


def test_zoom_attendance_is_fetched_as_the_meeting_ends_into_the_uploads_preview(
    network: Network, zoom: ZoomFake, committed: Committed
) -> None:
    meeting = made(network, Platform.ZOOM, zoom_values(zoom), committed)
    bea, alex = registrants(
        network, ("Bea Learner", "bea.learner@example.org"), ("Alex Host", "alex.host@example.org")
    )
    held_at(network, "2026-12-10T14:00:00+00:00", 60)
    zoom.ended = True
    body = zoom_ended(meeting)
    with committed():
        answer = Client().post(
            reverse("video_hooks:zoom", args=[meeting.connection.hook_key]),
            body,
            content_type="application/json",
            **signed(body),
        )
    assert answer.status_code == 204
    meeting.refresh_from_db()
    assert meeting.ended_at is not None
    assert meeting.attendance == "fetched"
    upload = meeting.attendance_import
    assert upload is not None
    assert upload.status == AttendanceImport.Status.PREVIEW
    assert (upload.platform, upload.warnings) == ("zoom_meeting", [])
    # Both pages of the report: Bea's two joins are one line, her minutes their union.
    lines = {row["name"]: row for row in upload.people}
    assert set(lines) == {"Alex Host", "Bea Learner", "Guest Phone Caller"}
    assert (lines["Bea Learner"]["person"], lines["Bea Learner"]["minutes"]) == (bea.pk, 54)
    assert lines["Alex Host"]["person"] == alex.pk
    assert lines["Guest Phone Caller"]["status"] == "unmatched"
    instance = f"/v2/report/meetings/{meeting.details['uuid']}/participants"
    assert [r.query.get("next_page_token", "") for r in zoom.calls("GET", instance)] == [
        "",
        "FAKEnextPageToken0000000000000000001",
    ]
    # The coordinator's preview page is the upload's, and they were told of it.
    page = client_for(network.coordinator).get(reverse("attendance:preview", args=[upload.pk]))
    assert page.status_code == 200
    assert "Guest Phone Caller" in page.text
    told = OutboxMessage.objects.filter(kind="video.attendance")
    assert {m.to_email for m in told} == {network.coordinator.email, network.hub_admin.email}
    assert all(reverse("attendance:preview", args=[upload.pk]) in m.body_text for m in told)
    assert not Attendance.objects.exists()  # nothing saved before the coordinator says so
    # Told twice (Zoom retries a notification): fetched once.
    with committed():
        Client().post(
            reverse("video_hooks:zoom", args=[meeting.connection.hook_key]),
            body,
            content_type="application/json",
            **signed(body),
        )
    assert AttendanceImport.objects.count() == 1


def test_zoom_recording_is_offered_then_added_to_the_library_with_its_transcript(
    network: Network, zoom: ZoomFake, committed: Committed
) -> None:
    meeting = made(network, Platform.ZOOM, zoom_values(zoom), committed)
    zoom.recorded = True
    event = {"event": "recording.completed", "payload": {"object": {"id": meeting.external_id}}}
    body = json.dumps(event).encode()
    with committed():
        Client().post(
            reverse("video_hooks:zoom", args=[meeting.connection.hook_key]),
            body,
            content_type="application/json",
            **signed(body),
        )
    meeting.refresh_from_db()
    [offered] = meeting.recordings
    assert offered["url"] == "https://example.org/rec/play/FAKEmp4"
    assert offered["minutes"] == 60
    assert offered["transcript_url"].endswith("/rec/download/vtt")
    staff = client_for(network.coordinator)
    page = staff.get(reverse("attendance:session", args=[network.session.pk])).text
    assert "Add to the library" in page
    with committed():
        staff.post(
            reverse("video:add_recording", args=[network.session.pk]),
            {"recording": offered["external_id"]},
        )
    resource = Resource.objects.get()
    assert (resource.kind, resource.session_id, resource.url) == (
        "recording",
        network.session.pk,
        offered["url"],
    )
    assert resource.visibility == "members"  # the program's choice (the default)
    assert resource.segments.count() > 100  # the real transcript's cues
    assert zoom.calls("GET", "/rec/download/vtt")[0].headers["authorization"].startswith("Bearer ")
    meeting.refresh_from_db()
    assert meeting.recordings[0]["resource"] == resource.key
    # Added twice (a double click): one resource.
    with committed():
        staff.post(
            reverse("video:add_recording", args=[network.session.pk]),
            {"recording": offered["external_id"]},
        )
    assert Resource.objects.count() == 1


# --- Teams: asked a set time after the end -----------------------------------------------


def test_teams_attendance_is_asked_for_after_the_end_and_waited_for(
    network: Network, graph: GraphFake, committed: Committed
) -> None:
    meeting = made(network, Platform.TEAMS, graph_values(graph), committed)
    (one,) = registrants(network, ("Alex Attendee", "attendee.one@example.org"))
    held_at(network, "2026-01-20T14:00:00+00:00", 60)
    ends = dt.datetime(2026, 1, 20, 15, tzinfo=dt.UTC)
    with committed():
        assert meetings.due(ends + dt.timedelta(minutes=10))["fetching"] == 0  # too soon
    with committed():
        assert meetings.due(ends + dt.timedelta(minutes=21))["fetching"] == 1
    meeting.refresh_from_db()
    assert meeting.attendance == "waiting"  # Teams has no report yet
    assert meeting.next_try_at is not None
    graph.ended = True
    with committed():
        meetings.due(meeting.next_try_at + dt.timedelta(seconds=1))
    meeting.refresh_from_db()
    upload = meeting.attendance_import
    assert meeting.attendance == "fetched"
    assert upload is not None
    lines = {row["name"]: row for row in upload.people}
    assert set(lines) == {
        "Olivia Organizer",
        "Alex Attendee",
        "Pat Presenter",
        "Guest Visitor (Unverified)",
    }
    assert lines["Alex Attendee"]["person"] == one.pk
    assert len(lines["Alex Attendee"]["intervals"]) == 2  # left and came back
    assert lines["Olivia Organizer"]["role"] == "host"
    assert upload.warnings == []


def test_a_report_that_never_comes_is_given_up_after_a_day(
    network: Network, graph: GraphFake, committed: Committed
) -> None:
    meeting = made(network, Platform.TEAMS, graph_values(graph), committed)
    held_at(network, "2026-01-20T14:00:00+00:00", 60)
    meetings.fetch_attendance(meeting.pk)
    meeting.refresh_from_db()
    assert meeting.attendance == "waiting"
    # A day of asking later (the first ask is kept), EchoHub stops and says so.
    asked = timezone.now() - dt.timedelta(hours=25)
    Meeting.objects.filter(pk=meeting.pk).update(details={"asked_since": asked.isoformat()})
    meetings.fetch_attendance(meeting.pk)
    meeting.refresh_from_db()
    assert (meeting.attendance, meeting.next_try_at) == ("failed", None)
    page = client_for(network.coordinator).get(
        reverse("attendance:session", args=[network.session.pk])
    )
    assert "Could not be fetched" in page.text


# --- BigBlueButton: the analytics callback -------------------------------------------------


def analytics_for(meeting: Meeting, people: list[Any], *, guest: bool = True) -> dict[str, Any]:
    payload = fixture_json("bbb/analytics_callback.json")
    payload["meeting_id"] = meeting.external_id
    attendees = payload["data"]["attendees"]
    for attendee, person in zip(attendees, people, strict=False):
        attendee["ext_user_id"] = f"echohub-{person.pk}"
    if not guest:
        payload["data"]["attendees"] = attendees[: len(people)]
    return payload


def post_analytics(meeting: Meeting, payload: dict[str, Any], secret: str) -> Any:
    token = jwt.encode({"exp": int(time.time()) + 3600}, secret, algorithm="HS512")
    return Client().post(
        reverse("video_hooks:events", args=[meeting.connection.hook_key, meeting.key]),
        json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_bigbluebutton_attendance_comes_with_its_analytics_and_is_matched_by_join_link(
    network: Network, bbb: BigBlueButtonFake, committed: Committed
) -> None:
    meeting = made(network, Platform.BIGBLUEBUTTON, bbb_values(bbb), committed)
    # Names alone would not do: the join link's userID says who each one is.
    host, learner = registrants(
        network, ("A. Host", "host@example.org"), ("B. Learner", "learner@example.org")
    )
    held_at(network, "2023-08-07T17:05:00+00:00", 30)
    with committed():
        ended = Client().get(
            reverse("video_hooks:ended", args=[meeting.connection.hook_key, meeting.key]),
            {"recordingmarks": "false"},
        )
    assert ended.status_code == 204
    meeting.refresh_from_db()
    assert meeting.ended_at is not None
    assert meeting.attendance == "waiting"
    refused = post_analytics(meeting, analytics_for(meeting, [host, learner]), "not-the-secret")
    assert refused.status_code == 403
    with committed():
        answer = post_analytics(meeting, analytics_for(meeting, [host, learner]), bbb.shared_secret)
    assert answer.status_code == 204
    meeting.refresh_from_db()
    upload = meeting.attendance_import
    assert upload is not None
    assert upload.status == "preview"
    lines = {row["name"]: row for row in upload.people}
    assert (lines["Alex Host"]["person"], lines["Alex Host"]["confidence"]) == (host.pk, 100)
    assert lines["Bea Learner"]["person"] == learner.pk
    assert len(lines["Bea Learner"]["intervals"]) == 2
    assert lines["Guest Without External Id"]["status"] == "unmatched"
    assert upload.warnings == []
    assert "analytics" not in meeting.details  # the names are the import's, not kept twice


@pytest.mark.parametrize("with_guest", [False, True])
def test_a_program_may_have_certain_attendance_applied_by_itself(
    network: Network, bbb: BigBlueButtonFake, committed: Committed, with_guest: bool
) -> None:
    """Every line certain: saved, and the coordinators told so. A guest no one knows:
    it waits for the coordinator, as an upload would."""
    connection = connect(network, Platform.BIGBLUEBUTTON, bbb_values(bbb))
    with committed():
        services.use(network.program, connection, by=network.coordinator, auto_apply=True)
    meeting = Meeting.objects.get()
    host, learner = registrants(
        network, ("A. Host", "host@example.org"), ("B. Learner", "learner@example.org")
    )
    held_at(network, "2023-08-07T17:05:00+00:00", 30)
    payload = analytics_for(meeting, [host, learner], guest=with_guest)
    with committed():
        post_analytics(meeting, payload, bbb.shared_secret)
    upload = AttendanceImport.objects.get()
    [told] = [m for m in mail.outbox if network.coordinator.email in m.to]
    present = set(Attendance.objects.filter(present=True).values_list("person_id", flat=True))
    if with_guest:
        assert upload.status == AttendanceImport.Status.PREVIEW
        assert present == set()
        assert "Attendance to confirm" in told.subject
    else:
        assert upload.status == AttendanceImport.Status.APPLIED
        assert present == {host.pk, learner.pk}
        assert "Attendance saved" in told.subject


def test_bigbluebutton_recording_ready_is_signed_and_offered_with_its_captions(
    network: Network, bbb: BigBlueButtonFake, committed: Committed
) -> None:
    meeting = made(network, Platform.BIGBLUEBUTTON, bbb_values(bbb), committed)
    bbb.recorded = True
    url = reverse("video_hooks:ended", args=[meeting.connection.hook_key, meeting.key])
    forged = jwt.encode({"meeting_id": meeting.key, "record_id": "x"}, "wrong", algorithm="HS256")
    assert Client().post(url, {"signed_parameters": forged}).status_code == 401
    meeting.refresh_from_db()
    assert meeting.recordings == []
    token = jwt.encode(
        {"meeting_id": meeting.key, "record_id": "x"}, bbb.shared_secret, algorithm="HS256"
    )
    with committed():
        assert Client().post(url, {"signed_parameters": token}).status_code == 204
    meeting.refresh_from_db()
    [offered] = meeting.recordings
    assert offered["url"].startswith("https://bbb.example.org/playback/presentation/2.0/")
    assert offered["transcript_url"].endswith("/textTrack/en-US.vtt")
