"""The video room from EchoHub, in a browser: a hub admin connects BigBlueButton (the
fake server on loopback), a coordinator chooses it for a program and publishes it,
the meeting appears with its host link for the facilitator only, the session ends,
and the fetched attendance waits in the coordinator's preview."""

import datetime as dt
import json
import time
import urllib.request

import jwt
import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import expect

from echohub.programs import services as program_services
from echohub.programs.models import Session
from echohub.registration.models import Registration
from echohub.video.models import Meeting
from tests.browser.conftest import assert_accessible, doc_screenshot, log_in, url
from tests.conftest import Network
from tests.factories import UserFactory
from tests.video.fakes import BigBlueButtonFake, fixture_json

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning"),
]


def test_a_bigbluebutton_room_from_connection_to_attendance(
    browser_live, contexts, network: Network, bbb: BigBlueButtonFake, settings
) -> None:
    base = browser_live.url
    settings.SITE_URL = base
    for person in (network.hub_admin, network.coordinator, network.facilitator):
        EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    draft = network.draft
    draft.title_en = "Pain and symptoms"
    draft.save()
    session = program_services.save_session(
        Session(
            program=draft,
            title_en="Breathlessness at home",
            starts_at=timezone.now() + dt.timedelta(minutes=15),
            duration_minutes=60,
        ),
        by=network.coordinator,
    )
    program_services.add_to_panel(draft, network.facilitator, "facilitator", by=network.coordinator)

    # 1. The hub admin connects the hub's BigBlueButton server; the test runs by itself.
    admin = contexts(locale="en-CA", timezone_id="America/Toronto").new_page()
    log_in(admin, base, network.hub_admin)
    admin.goto(base + url("programs:manage", "en"))
    admin.get_by_role("link", name="Video platforms").first.click()
    expect(admin.locator("h1")).to_have_text("Video platforms of Ontario Hub")
    admin.get_by_role("link", name="BigBlueButton").click()
    admin.get_by_label("Name").fill("Ontario BigBlueButton")
    admin.get_by_label("Server address").fill(bbb.api)
    admin.get_by_label("Shared secret").fill(bbb.shared_secret)
    admin.get_by_role("button", name="Connect and test").click()
    expect(admin.locator("#connection-test")).to_contain_text("It works", timeout=20_000)
    expect(admin.locator("#connection-test")).to_contain_text("BigBlueButton 2.7.3")
    expect(admin.locator("body")).not_to_contain_text(bbb.shared_secret)
    assert_accessible(admin)

    # 2. The coordinator has the program's meetings made there, and publishes it.
    coordinator = contexts(locale="en-CA", timezone_id="America/Toronto").new_page()
    log_in(coordinator, base, network.coordinator)
    coordinator.goto(base + url("programs:manage_program", "en", slug=draft.slug))
    coordinator.get_by_role("link", name="Video meetings").click()
    coordinator.get_by_label("Video platform").select_option(
        label="Ontario BigBlueButton (BigBlueButton)"
    )
    coordinator.get_by_role("button", name="Save").click()
    expect(coordinator.locator(".messages")).to_contain_text("meetings follow")
    assert_accessible(coordinator)
    coordinator.goto(base + url("programs:manage_program", "en", slug=draft.slug))
    coordinator.get_by_role("button", name="Publish").click()
    meeting = Meeting.objects.get(session=session)
    assert meeting.state == "ready"
    assert meeting.opened_at is not None  # the room opens within the quarter hour
    assert meeting.key in bbb.rooms

    # 3. The facilitator sees the host link; a registrant sees Join, never the host link.
    nurse = UserFactory(
        name="Juliette Nadeau", email="juliette@example.org", preferred_language="fr"
    )
    EmailAddress.objects.create(user=nurse, email=nurse.email, verified=True, primary=True)
    Registration.objects.create(session=session, person=nurse, status="confirmed")
    facilitator = contexts(locale="en-CA", timezone_id="America/Toronto").new_page()
    log_in(facilitator, base, network.facilitator)
    facilitator.goto(base + url("programs:session", "en", pk=session.pk))
    host = facilitator.get_by_role("link", name="Start as host")
    expect(host).to_have_attribute("href", f"{base}/video/host/{meeting.key}/")
    participant = contexts(locale="fr-CA", timezone_id="America/Toronto", phone=True).new_page()
    log_in(participant, base, nurse, "fr")
    participant.goto(base + url("programs:session", "fr", pk=session.pk))
    expect(participant.get_by_role("link", name="Rejoindre")).to_be_visible()
    expect(participant.locator("#host-links")).to_have_count(0)
    expect(participant.locator("body")).not_to_contain_text(f"/video/host/{meeting.key}/")
    # The link signs the facilitator in as a moderator, under their own name.
    facilitator.goto(f"{base}/video/host/{meeting.key}/")
    [joined] = bbb.calls("GET", "/bigbluebutton/api/join")
    assert (joined.query["role"], joined.query["fullName"]) == (
        "MODERATOR",
        network.facilitator.name,
    )
    assert bbb.signed("join", joined)

    # 4. The session ends: BigBlueButton tells EchoHub, then posts its analytics.
    Session.objects.filter(pk=session.pk).update(
        starts_at=dt.datetime(2023, 8, 7, 17, 5, tzinfo=dt.UTC), duration_minutes=30
    )
    hook = meeting.connection.hook_key
    urllib.request.urlopen(f"{base}/video/hooks/{hook}/{meeting.key}/ended/", timeout=10)  # noqa: S310
    analytics = fixture_json("bbb/analytics_callback.json")
    analytics["meeting_id"] = meeting.key
    analytics["data"]["attendees"][1]["ext_user_id"] = f"echohub-{nurse.pk}"
    token = jwt.encode({"exp": int(time.time()) + 60}, bbb.shared_secret, algorithm="HS512")
    request = urllib.request.Request(  # noqa: S310 (the live server on loopback)
        f"{base}/video/hooks/{hook}/{meeting.key}/events/",
        data=json.dumps(analytics).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        assert answer.status == 204

    # 5. The preview waits for the coordinator, as an upload's would.
    coordinator.goto(base + url("attendance:session", "en", pk=session.pk))
    box = coordinator.locator("#meeting")
    expect(box).to_contain_text("Meeting on BigBlueButton")
    expect(box).to_contain_text("Fetched")
    box.get_by_role("link", name="Awaiting confirmation").click()
    expect(coordinator.locator("body")).to_contain_text("Juliette Nadeau")
    expect(coordinator.locator("body")).to_contain_text("Guest Without External Id")
    assert_accessible(coordinator)
    doc_screenshot(coordinator, "video-attendance-preview")
