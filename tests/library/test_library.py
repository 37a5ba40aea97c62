"""The library's pages and services: visibility, files, protocol versions, follows, players."""

import datetime as dt
import io
import re
import zoneinfo
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from echohub.library import notifications, services
from echohub.library.models import Follow, Resource
from echohub.library.search.entry import SearchEntry
from echohub.library.search.query import search
from echohub.library.video import player_for
from echohub.outreach.models import OutboxMessage
from echohub.reference.models import Topic
from echohub.registration.models import Registration
from tests.conftest import Network, client_for
from tests.factories import ProgramFactory, SessionFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make(network, by=None, *, topics=(), upload=None, **fields) -> Resource:
    defaults = {"kind": "guide", "title_en": "Opioid rotation guide", "hub": network.hub}
    return services.save_resource(
        Resource(**{**defaults, **fields}),
        by=by or network.coordinator,
        topics=list(topics),
        professions=[],
        practice_settings=[],
        upload=upload,
    )


def test_a_members_only_recording_is_invisible_to_others_by_direct_address(network) -> None:
    recording = make(
        network,
        kind="recording",
        title_en="Dyspnea at the end of life",
        url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        visibility="members",
        program=network.program,
    )
    member, stranger = UserFactory(), UserFactory()
    Registration.objects.create(session=network.session, person=member, status="confirmed")
    url = recording.get_absolute_url()
    assert client_for(member).get(url).status_code == 200
    assert client_for(network.coordinator).get(url).status_code == 200
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 404
    assert client_for(network.other_coordinator).get(url).status_code == 404
    listing = client_for(stranger).get(reverse("library:index")).content.decode()
    assert "Dyspnea at the end of life" not in listing


def test_a_file_is_served_only_to_readers_with_headers_that_stop_a_browser_running_it(
    network,
) -> None:
    tool = make(
        network,
        kind="tool",
        title_en="ESAS-r scale",
        visibility="signed_in",
        upload=SimpleUploadedFile("../../ESAS scale.pdf", PDF, content_type="text/html"),
    )
    assert tool.file_type == "application/pdf"
    assert "/" not in tool.file_name
    assert tool.file_name.endswith(".pdf")
    url = reverse("library:download", kwargs={"key": tool.key})
    response = client_for(UserFactory()).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert client_for(None).get(url).status_code == 404


def test_a_refused_upload_leaves_nothing_behind(network, tmp_path: Path) -> None:
    page = client_for(network.coordinator).post(
        reverse("library:create", kwargs={"slug": network.hub.slug}),
        {
            "kind": "tool",
            "title_en": "Checklist",
            "language": "en",
            "visibility": "public",
            "upload": SimpleUploadedFile("list.pdf", b"<html><script>alert(1)</script></html>"),
        },
    )
    assert page.status_code == 200
    assert "list.pdf" in page.content.decode()
    assert not Resource.objects.exists()
    stored = tmp_path / "private"
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))


def test_protocol_versions_keep_their_history_and_show_what_changed(network) -> None:
    protocol = make(
        network,
        kind="protocol",
        title_en="Subcutaneous hydromorphone",
        text="Start 0.5 mg q4h.\nBreakthrough 0.25 mg q1h.",
    )
    services.add_version(
        protocol,
        by=network.coordinator,
        text="Start 0.5 mg q4h.\nBreakthrough 10% of the daily dose q1h.",
        changes_en="Breakthrough dose follows the daily total.",
    )
    assert list(protocol.versions.values_list("number", flat=True)) == [2, 1]
    protocol.refresh_from_db()
    assert protocol.text.endswith("10% of the daily dose q1h.")
    client = client_for(None)
    page = client.get(protocol.get_absolute_url()).content.decode()
    assert "Version 2" in page
    assert "Version 1" in page
    assert "Breakthrough dose follows the daily total." in page
    diff = client.get(reverse("library:diff", kwargs={"key": protocol.key, "number": 2}))
    text = diff.content.decode()
    assert "<del><span" in text
    assert "Breakthrough 0.25 mg q1h." in text
    assert "<ins><span" in text
    assert "Breakthrough 10% of the daily dose q1h." in text


def test_followers_are_emailed_once_in_their_language(network, committed) -> None:
    dyspnea = Topic.objects.get(code="dyspnea")
    reader = UserFactory(email="lea@example.org", preferred_language="fr")
    services.follow(reader, topic=dyspnea)
    services.follow(reader, topic=dyspnea)  # twice: still one follow
    assert Follow.objects.count() == 1
    with committed():
        protocol = make(
            network,
            kind="protocol",
            title_en="Dyspnea crisis",
            title_fr="Crise de dyspnée",
            text="Midazolam 2.5 mg SC.",
            topics=[dyspnea],
        )
    [first] = mail.outbox
    assert first.to == ["lea@example.org"]
    assert first.subject == "Nouveau dans la bibliothèque\u00a0: Crise de dyspnée"
    services.follow(reader, resource=protocol)
    with committed():
        version = services.add_version(
            protocol, by=network.coordinator, text="Midazolam 5 mg SC.", changes_fr="Dose doublée."
        )
    assert len(mail.outbox) == 2  # one email for the new version, though she follows twice
    assert "Dose doublée." in mail.outbox[1].body
    assert notifications.new_version(version.pk) == 0  # run again: nobody twice
    assert OutboxMessage.objects.filter(kind="library.version").count() == 1


def test_followers_who_may_not_see_it_are_not_told(network, committed) -> None:
    pain = Topic.objects.get(code="pain")
    outsider = UserFactory()
    services.follow(outsider, topic=pain)
    with committed():
        make(network, topics=[pain], visibility="members", program=network.program)
    assert mail.outbox == []


def test_recording_players_start_at_the_moment() -> None:
    youtube = player_for("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=5")
    assert youtube is not None
    assert youtube.at(95) == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=95"
    vimeo = player_for("https://vimeo.com/123456789")
    assert vimeo is not None
    assert vimeo.at(60) == "https://player.vimeo.com/video/123456789#t=60s"
    zoom = player_for("https://us02web.zoom.us/rec/share/AbC-123")
    assert zoom is not None
    assert not zoom.embeds
    assert player_for("http://www.youtube.com/watch?v=dQw4w9WgXcQ") is None
    assert player_for("https://example.org/video.mp4") is None


def test_a_program_page_lists_its_past_sessions_recordings(network) -> None:
    network.session.starts_at = timezone.now() - dt.timedelta(days=7)
    network.session.save()
    make(
        network,
        kind="recording",
        title_en="Session recording",
        url="https://vimeo.com/123456789",
        program=network.program,
        session=network.session,
    )
    page = client_for(None).get(network.program.get_absolute_url()).content.decode()
    recording = Resource.objects.get()
    assert f'<a href="{recording.get_absolute_url()}">Recording</a>' in page


def test_a_transcript_makes_the_recording_searchable_at_the_moment(network) -> None:
    recording = make(
        network, kind="recording", title_en="Grand rounds", url="https://vimeo.com/123456789"
    )
    vtt = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nDr. Ada: Bonjour.\n\n"
        "2\n00:01:35.500 --> 00:01:40.000\nDr. Ada: La dyspnée répond aux opioïdes.\n"
    )
    response = client_for(network.coordinator).post(
        reverse("library:transcript", kwargs={"key": recording.key}),
        {"file": SimpleUploadedFile("t.vtt", vtt.encode())},
    )
    assert response.status_code == 302
    assert recording.segments.count() == 2
    results = client_for(None).get(reverse("library:index"), {"q": "dyspnées"}).content.decode()
    assert f"{recording.get_absolute_url()}?t=95" in results
    page = client_for(None).get(recording.get_absolute_url(), {"t": "95"}).content.decode()
    assert "https://player.vimeo.com/video/123456789#t=95s" in page
    assert 'id="t95" class="current"' in page


@pytest.mark.parametrize("page", ["²", "99999999999999999999", "-1", "abc"])
def test_odd_numbers_in_the_address_never_break_the_search(db, page) -> None:
    response = client_for(None).get(reverse("library:index"), {"q": "pain", "page": page})
    assert response.status_code == 200


def test_rebuilding_the_index_finds_everything_again(network) -> None:
    guide = make(network, title_en="Constipation with opioids")
    SearchEntry.objects.all().delete()
    assert search(AnonymousUser(), "constipation").total == 0
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert out.getvalue().strip().endswith("search entries written")
    hits = search(AnonymousUser(), "constipation").hits
    assert [h.resource_id for h in hits] == [guide.pk]


def test_the_session_picker_names_the_program_and_the_day(network: Network) -> None:
    """Not "Session 6, Session 5…": each option says its program and date, by program."""
    network.session.delete()
    toronto = zoneinfo.ZoneInfo("America/Toronto")
    grief = ProgramFactory(hub=network.hub, title_en="Grief ECHO")
    for program, day, title in (
        (network.program, 3, "Delirium"),
        (grief, 5, "Anticipatory grief"),
        (network.program, 10, "Dyspnea"),
    ):
        SessionFactory(
            program=program,
            title_en=title,
            starts_at=dt.datetime(2026, 12, day, 13, tzinfo=toronto),
        )
    SessionFactory(title_en="Another hub's session")
    page = client_for(network.coordinator).get(
        reverse("library:create", kwargs={"slug": network.hub.slug})
    )
    select = page.content.decode().split('id="id_session"')[1].split("</select>")[0]
    options = re.findall(r'<option value="\d+">([^<]*)</option>', select)
    assert options == [
        "Grief ECHO · Dec 5, 2026 · Anticipatory grief",
        "PSW Series · Dec 10, 2026 · Dyspnea",
        "PSW Series · Dec 3, 2026 · Delirium",
    ]
