"""Meetings follow sessions on Zoom, Teams and BigBlueButton (the vendors' fakes on
loopback): made, moved, renamed, cancelled; retried after a 500 and a 429; a token
renewed mid-run; never made twice; the failure and its retry button on the staff page."""

import datetime as dt
import json
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from echohub.programs import services as program_services
from echohub.programs.models import Session
from echohub.video import meetings, services
from echohub.video.models import Connection, Meeting, Platform
from tests.conftest import Network, client_for
from tests.video.conftest import bbb_values, connect, graph_values, zoom_values
from tests.video.fakes import BigBlueButtonFake, Fake, GraphFake, ZoomFake, as_json

Committed = Callable[[], AbstractContextManager[Any]]


def use(network: Network, connection: Connection, committed: Committed, **options: Any) -> Meeting:
    """The program makes its meetings on the connection; the worker (at once) follows."""
    with committed():
        services.use(network.program, connection, by=network.coordinator, **options)
    return Meeting.objects.get(session=network.session)


def session_of(network: Network) -> Session:
    return Session.objects.get(pk=network.session.pk)


def change(network: Network, committed: Committed, **fields: Any) -> Meeting:
    session = session_of(network)
    for name, value in fields.items():
        setattr(session, name, value)
    with committed():
        program_services.save_session(session, by=network.coordinator)
    return Meeting.objects.get(session=network.session)


def cancel(network: Network, committed: Committed) -> Meeting:
    with committed():
        program_services.cancel_session(session_of(network), by=network.coordinator)
    return Meeting.objects.get(session=network.session)


def body(fake: Fake, method: str, path: str) -> dict[str, Any]:
    return dict(json.loads(fake.calls(method, path)[-1].body))


# --- Zoom -----------------------------------------------------------------------------


def test_zoom_meeting_is_made_moved_renamed_and_deleted_with_its_session(
    network: Network, zoom: ZoomFake, committed: Committed
) -> None:
    meeting = use(network, connect(network, Platform.ZOOM, zoom_values(zoom)), committed)
    assert meeting.state == Meeting.State.READY
    made = body(zoom, "POST", "/v2/users/alex.host@example.org/meetings")
    session = session_of(network)
    assert made["topic"] == session.title_en
    assert made["start_time"] == session.starts_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert (made["duration"], made["timezone"], made["type"]) == (60, "America/Toronto", 2)
    assert made["agenda"].endswith(meeting.key)
    # Registrants get the join link as today; the panel the start link.
    assert session.join_url == f"https://zoom.example.org/j/{meeting.external_id}"
    assert session.host_url.startswith(f"https://zoom.example.org/s/{meeting.external_id}?zak=")
    later = session.starts_at + dt.timedelta(hours=2)
    meeting = change(network, committed, starts_at=later, duration_minutes=90)
    moved = body(zoom, "PATCH", f"/v2/meetings/{meeting.external_id}")
    assert (moved["start_time"], moved["duration"]) == (later.strftime("%Y-%m-%dT%H:%M:%SZ"), 90)
    change(network, committed, title_en="Pain at the end of life")
    assert body(zoom, "PATCH", "/v2/meetings/")["topic"] == "Pain at the end of life"
    change(network, committed, capacity=80)  # nothing the platform knows: nothing sent
    assert len(zoom.calls("PATCH", "/v2/meetings/")) == 2
    meeting = cancel(network, committed)
    assert meeting.state == Meeting.State.REMOVED
    assert len(zoom.calls("DELETE", f"/v2/meetings/{meeting.external_id}")) == 1
    assert (session_of(network).join_url, session_of(network).host_url) == ("", "")
    assert len(zoom.calls("POST", "/v2/users/")) == 1  # one meeting all along


def test_a_session_added_to_a_series_gets_its_own_meeting(
    network: Network, zoom: ZoomFake, committed: Committed
) -> None:
    use(network, connect(network, Platform.ZOOM, zoom_values(zoom)), committed)
    from echohub.programs.series import SeriesRule

    start = timezone.localtime(timezone.now() + dt.timedelta(days=10)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )
    rule = SeriesRule(
        first_date=start.date(), start_time=start.time(), duration_minutes=60,
        zone=network.program.timezone, frequency="weekly", count=3,
    )  # fmt: skip
    with committed():
        series = program_services.generate_series(
            network.program, rule, by=network.coordinator, title_en="Week {n}", title_fr=""
        )
    made = Meeting.objects.filter(session__in=series).order_by("session__starts_at")
    assert [m.state for m in made] == ["ready"] * 3
    assert len({m.external_id for m in made}) == 3  # one meeting per session
    topics = [json.loads(r.body)["topic"] for r in zoom.calls("POST", "/v2/users/")]
    assert topics[1:] == [s.title_en for s in series]


def test_a_crash_after_zoom_made_the_meeting_does_not_make_a_second(
    network: Network, zoom: ZoomFake, committed: Committed
) -> None:
    meeting = use(network, connect(network, Platform.ZOOM, zoom_values(zoom)), committed)
    # As if the worker died after Zoom answered but before EchoHub kept the meeting's id.
    Meeting.objects.filter(pk=meeting.pk).update(external_id="", attempts=1, told={})
    meeting = meetings.sync(network.session.pk)
    assert meeting is not None
    assert meeting.state == Meeting.State.READY
    assert len(zoom.calls("POST", "/v2/users/")) == 1
    assert zoom.calls("GET", "/v2/users/alex.host@example.org/meetings")  # it looked first
    assert meeting.external_id == next(iter(zoom.meetings))


def test_after_a_500_and_a_429_the_worker_tries_again(
    network: Network, zoom: ZoomFake, committed: Committed, client: Any
) -> None:
    connection = connect(network, Platform.ZOOM, zoom_values(zoom))
    error = as_json(500, {"code": 500, "message": "Internal error"})
    zoom.script("POST", "/v2/users/", error, error, error)  # beyond the two tries in line
    meeting = use(network, connection, committed)
    assert (meeting.state, meeting.problem, meeting.attempts) == ("failed", "server", 1)
    assert meeting.next_try_at is not None
    # The staff page says so, with a button to try again now.
    staff = client_for(network.coordinator)
    page = staff.get(reverse("attendance:session", args=[network.session.pk]))
    assert "The platform failed to answer properly" in page.text
    assert reverse("video:retry", args=[network.session.pk]) in page.text
    with committed():
        staff.post(reverse("video:retry", args=[network.session.pk]))
    meeting.refresh_from_db()
    assert (meeting.state, meeting.problem, meeting.attempts) == ("ready", "", 0)
    # A 429 asking for 30 seconds: not waited in line; `due` takes it up when it falls due.
    busy = as_json(429, {"code": 429, "message": "Too many requests"}, {"Retry-After": "30"})
    zoom.script("PATCH", "/v2/meetings/", busy)
    meeting = change(network, committed, title_en="Renamed")
    assert (meeting.state, meeting.problem) == ("failed", "busy")
    wait = (meeting.next_try_at - timezone.now()).total_seconds()
    assert 25 < wait <= 30
    with committed():
        assert meetings.due(timezone.now())["synced"] == 0  # not yet
    with committed():
        assert meetings.due(timezone.now() + dt.timedelta(seconds=31))["synced"] == 1
    meeting.refresh_from_db()
    assert meeting.state == "ready"
    assert body(zoom, "PATCH", "/v2/meetings/")["topic"] == "Renamed"


def test_a_token_that_expires_mid_run_is_renewed(
    network: Network, zoom: ZoomFake, committed: Committed
) -> None:
    use(network, connect(network, Platform.ZOOM, zoom_values(zoom)), committed)
    issued = zoom.tokens.issued
    zoom.tokens.expire_all()
    meeting = change(network, committed, title_en="After the token expired")
    assert meeting.state == "ready"
    assert zoom.tokens.issued == issued + 1
    patches = zoom.calls("PATCH", "/v2/meetings/")
    assert [r.headers["authorization"] for r in patches][-1] == f"Bearer zoom-token-{issued + 1}"


def test_the_start_link_is_renewed_as_the_room_opens(
    network: Network, zoom: ZoomFake, committed: Committed
) -> None:
    meeting = use(network, connect(network, Platform.ZOOM, zoom_values(zoom)), committed)
    first = session_of(network).host_url
    meeting = change(network, committed, starts_at=timezone.now() + dt.timedelta(minutes=20))
    assert meeting.opened_at is not None
    assert session_of(network).host_url != first  # a fresh zak
    assert zoom.calls("GET", f"/v2/meetings/{meeting.external_id}")


# --- Microsoft Teams --------------------------------------------------------------------


def test_teams_meeting_follows_its_session_and_is_made_once(
    network: Network, graph: GraphFake, committed: Committed
) -> None:
    connection = connect(network, Platform.TEAMS, graph_values(graph))
    assert connection.options["organizer_id"] == "00000000-0000-4000-8000-000000000001"
    meeting = use(network, connection, committed)
    path = "/v1.0/users/00000000-0000-4000-8000-000000000001/onlineMeetings"
    made = body(graph, "POST", f"{path}/createOrGet")
    assert made["externalId"] == meeting.key
    session = session_of(network)
    assert made["startDateTime"] == session.starts_at.astimezone(dt.UTC).isoformat()
    assert session.join_url == graph.meetings[meeting.external_id]["joinWebUrl"]
    assert session.host_url == ""  # Teams: the organizer and presenters use the same link
    # A retry after a crash asks again under the same external ID: the same meeting.
    Meeting.objects.filter(pk=meeting.pk).update(external_id="", attempts=1)
    again = meetings.sync(network.session.pk)
    assert again is not None
    assert again.external_id == meeting.external_id
    assert len(graph.meetings) == 1
    later = session.starts_at + dt.timedelta(days=1)
    change(network, committed, starts_at=later)
    moved = body(graph, "PATCH", f"{path}/{meeting.external_id}")
    assert moved["startDateTime"] == later.astimezone(dt.UTC).isoformat()
    assert cancel(network, committed).state == "removed"
    assert graph.meetings[meeting.external_id]["deleted"] is True


def test_teams_without_the_access_policy_fails_with_the_reason(
    network: Network, graph: GraphFake, committed: Committed
) -> None:
    connection = connect(network, Platform.TEAMS, graph_values(graph))
    graph.policy = False
    meeting = use(network, connection, committed)
    assert (meeting.state, meeting.problem) == ("failed", "permission")
    assert "No Application Access Policy" in meeting.detail


# --- BigBlueButton ----------------------------------------------------------------------


def test_bigbluebutton_room_is_made_when_it_opens_and_ended_when_cancelled(
    network: Network, bbb: BigBlueButtonFake, committed: Committed
) -> None:
    meeting = use(network, connect(network, Platform.BIGBLUEBUTTON, bbb_values(bbb)), committed)
    assert (meeting.state, meeting.external_id) == ("ready", meeting.key)
    assert bbb.rooms == {}  # a week ahead: nothing in the server's memory yet
    session = session_of(network)
    assert session.join_url.endswith(reverse("video_hooks:join", args=[meeting.key]))
    assert session.host_url.endswith(reverse("video_hooks:host", args=[meeting.key]))
    meeting = change(network, committed, starts_at=timezone.now() + dt.timedelta(minutes=20))
    assert meeting.opened_at is not None
    made = bbb.rooms[meeting.key]
    assert made["meetingKeepEvents"] == "true"
    assert made["meta_endCallbackUrl"].endswith(
        reverse("video_hooks:ended", args=[meeting.connection.hook_key, meeting.key])
    )
    assert made["meta_analytics-callback-url"].endswith(
        reverse("video_hooks:events", args=[meeting.connection.hook_key, meeting.key])
    )
    assert 75 <= int(made["meetingExpireIfNoUserJoinedInMinutes"]) <= 81
    assert meeting.details["createTime"] == "1531155809613"
    assert cancel(network, committed).state == "removed"
    assert bbb.rooms == {}
    assert len(bbb.calls("GET", "/bigbluebutton/api/end")) == 1


def test_bigbluebutton_links_are_each_persons_own(
    network: Network, bbb: BigBlueButtonFake, committed: Committed
) -> None:
    use(network, connect(network, Platform.BIGBLUEBUTTON, bbb_values(bbb)), committed)
    meeting = change(network, committed, starts_at=timezone.now() + dt.timedelta(minutes=5))
    from echohub.registration import services as registration

    registration.register(network.participant, session_of(network))
    joined = client_for(network.participant).get(reverse("video_hooks:join", args=[meeting.key]))
    assert joined.status_code == 302
    url = joined["Location"]
    assert url.startswith(f"{bbb.api}api/join?fullName=Nadia+Participant&meetingID={meeting.key}")
    assert f"role=VIEWER&userID=echohub-{network.participant.pk}&createTime=1531155809613" in url
    assert bbb.signed("join", _request_of(url))
    hosted = client_for(network.facilitator).get(reverse("video_hooks:host", args=[meeting.key]))
    assert "role=MODERATOR" in hosted["Location"]
    # A participant cannot make themselves a host, and a stranger cannot join.
    refused = client_for(network.participant).get(reverse("video_hooks:host", args=[meeting.key]))
    assert refused.status_code == 404
    stranger = client_for(network.second_participant)
    assert stranger.get(reverse("video_hooks:join", args=[meeting.key])).status_code == 404
    # The session page shows the host link to the panel only.
    page = reverse("programs:session", args=[network.session.pk])
    host = reverse("video_hooks:host", args=[meeting.key])
    assert host in client_for(network.facilitator).get(page).text
    assert host not in client_for(network.participant).get(page).text


def _request_of(url: str) -> Any:
    from urllib.parse import parse_qsl, urlsplit

    from tests.video.fakes import Request

    parts = urlsplit(url)
    return Request("GET", parts.path, dict(parse_qsl(parts.query)), {}, b"", parts.query)


# --- Switching platform, stopping, secrets -------------------------------------------------


def test_moving_the_program_to_another_platform_moves_its_meetings(
    network: Network, zoom: ZoomFake, graph: GraphFake, committed: Committed
) -> None:
    first = use(network, connect(network, Platform.ZOOM, zoom_values(zoom)), committed)
    teams = connect(network, Platform.TEAMS, graph_values(graph))
    second = use(network, teams, committed)
    assert second.connection_id == teams.pk
    assert second.key != first.key
    assert zoom.calls("DELETE", f"/v2/meetings/{first.external_id}")
    assert session_of(network).join_url.startswith("https://teams.microsoft.com/")
    with committed():
        services.use(network.program, None, by=network.coordinator)
    assert Meeting.objects.get().state == "removed"
    assert graph.meetings[second.external_id]["deleted"] is True


def test_no_secret_in_the_logs_of_a_whole_lifecycle(
    network: Network,
    zoom: ZoomFake,
    graph: GraphFake,
    bbb: BigBlueButtonFake,
    committed: Committed,
    caplog: Any,
) -> None:
    caplog.set_level(logging.DEBUG)
    for platform, values in [
        (Platform.ZOOM, zoom_values(zoom)),
        (Platform.TEAMS, graph_values(graph)),
        (Platform.BIGBLUEBUTTON, bbb_values(bbb)),
    ]:
        use(network, connect(network, platform, values), committed)
        change(network, committed, starts_at=timezone.now() + dt.timedelta(minutes=20))
        change(network, committed, starts_at=timezone.now() + dt.timedelta(days=3))
    for secret in [zoom.client_secret, graph.client_secret, bbb.shared_secret]:
        assert secret not in caplog.text
    assert "FAKE_webhook_secret_token" not in caplog.text


@pytest.mark.parametrize("platform", ["zoom", "bigbluebutton"])
def test_a_draft_programs_sessions_get_no_meeting_until_it_is_published(
    network: Network, request: pytest.FixtureRequest, committed: Committed, platform: str
) -> None:
    values = (
        zoom_values(request.getfixturevalue("zoom"))
        if platform == "zoom"
        else bbb_values(request.getfixturevalue("bbb"))
    )
    connection = connect(network, platform, values)
    draft = network.draft
    session = program_services.save_session(
        Session(program=draft, title_en="First", starts_at=timezone.now() + dt.timedelta(days=3)),
        by=network.coordinator,
    )
    with committed():
        services.use(draft, connection, by=network.coordinator)
    assert not Meeting.objects.filter(session=session).exists()
    with committed():
        program_services.publish_program(draft, by=network.coordinator)
    assert Meeting.objects.get(session=session).state == "ready"


def test_a_change_made_while_a_worker_is_at_the_meeting_is_not_lost(
    network: Network, zoom: ZoomFake, committed: Committed, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = use(network, connect(network, Platform.ZOOM, zoom_values(zoom)), committed)
    bring_up = meetings._bring_up
    changed = []

    def renamed_meanwhile(meeting: Meeting, client: Any, session: Session) -> None:
        bring_up(meeting, client, session)
        if not changed:  # another worker, told of a rename, finds the meeting busy
            changed.append(True)
            Session.objects.filter(pk=session.pk).update(title_en="Renamed meanwhile")
            assert meetings.sync(session.pk) is not None
            assert len(zoom.calls("PATCH", "/v2/meetings/")) == 1  # it left it to this one

    monkeypatch.setattr(meetings, "_bring_up", renamed_meanwhile)
    Session.objects.filter(pk=network.session.pk).update(title_en="First rename")
    meetings.sync(network.session.pk)
    topics = [json.loads(r.body)["topic"] for r in zoom.calls("PATCH", "/v2/meetings/")]
    assert topics == ["First rename", "Renamed meanwhile"]
    meeting.refresh_from_db()
    assert (meeting.again, meeting.busy_until, meeting.state) == (False, None, "ready")


def test_a_meeting_never_made_is_given_up_once_its_session_is_over(
    network: Network, zoom: ZoomFake, committed: Committed
) -> None:
    connection = connect(network, Platform.ZOOM, zoom_values(zoom))
    zoom.script("POST", "/v2/users/", *[as_json(500, {"code": 500, "message": "down"})] * 3)
    meeting = use(network, connection, committed)
    assert meeting.state == "failed"
    Session.objects.filter(pk=network.session.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=3)
    )
    meetings.sync(network.session.pk)
    meeting.refresh_from_db()
    assert (meeting.state, meeting.next_try_at) == ("failed", None)
    with committed():
        assert meetings.due(timezone.now() + dt.timedelta(days=1))["synced"] == 0
