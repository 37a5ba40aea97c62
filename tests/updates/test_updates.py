"""Hub updates: drafts, scheduling, preview, public pages and feeds, their email once per person."""

import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from PIL import Image

from echohub.outreach.models import OutboxMessage
from echohub.updates.models import Consent, Update
from echohub.updates.services import Choices, _subscribe, publish_due_updates
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def reader(email: str, *, frequency: str = "each", hubs: tuple[str, ...] = (), language="en"):
    now = timezone.now()
    consent = Consent.objects.create(
        email=email, via="import", wording="w", language=language, asked_by="t",
        given_at=now, confirmed_at=now,
    )  # fmt: skip
    return _subscribe(
        email, consent=consent, language=language, zone="America/Toronto",
        choices=Choices(frequency=frequency, hubs=hubs), lift=False,
    )  # fmt: skip


def write(client: Client, **fields) -> object:
    data = {
        "hub_choice": "ontario",
        "title_en": "New PSW series this winter",
        "title_fr": "Nouvelle série PAB cet hiver",
        "body_en": "We start in **January**.\n\n<script>alert(1)</script>",
        "body_fr": "Nous commençons en **janvier**.",
        "send_email": "on",
        "publish": "draft",
        **fields,
    }
    return client.post("/en/manage/updates/new/", data)


def test_a_draft_is_seen_only_by_its_hubs_staff(network) -> None:
    response = write(client_for(network.coordinator))
    assert response.status_code == 302
    update = Update.objects.get()
    assert update.status == "draft"
    path = update.get_absolute_url()
    assert Client().get(path).status_code == 404
    assert client_for(network.other_coordinator).get(path).status_code == 404
    preview = client_for(network.coordinator).get(path)
    assert b"Preview of a draft" in preview.content
    assert Client().get("/en/updates/").content.count(b"New PSW series") == 0
    assert not OutboxMessage.objects.exists()


def test_publishing_shows_it_everywhere_and_emails_each_match_once(network, committed) -> None:
    wants_ontario = reader("ontario@example.org", hubs=("ontario",))
    reader("west@example.org", hubs=("west",))
    reader("digest@example.org", frequency="weekly")
    with committed():
        response = write(client_for(network.coordinator), publish="now")
    assert response.status_code == 302
    update = Update.objects.get()
    assert update.status == "published"
    assert update.emailed_at is not None
    [sent] = mail.outbox
    assert sent.to == ["ontario@example.org"]
    assert sent.subject == "New PSW series this winter"
    html = sent.alternatives[0][0]
    assert "<strong>January</strong>" in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert OutboxMessage.objects.get().reason_key == f"update:{update.pk}:{wants_ontario.pk}"
    # Saving it again sends nothing more.
    with committed():
        client_for(network.coordinator).post(
            f"/en/manage/updates/{update.pk}/edit/",
            {
                "hub_choice": "ontario",
                "title_en": "Edited",
                "body_en": "<script>alert(1)</script>",
                "publish": "now",
                "send_email": "on",
            },
        )
    assert len(mail.outbox) == 1
    page = Client().get(update.get_absolute_url(), follow=True)
    assert b"Edited" in page.content
    assert b"&lt;script&gt;" in page.content
    assert b"<script>alert" not in page.content
    for path in ("/en/updates/", "/en/hubs/ontario/updates/"):
        assert b"Edited" in Client().get(path).content
    assert b"Edited" not in Client().get("/en/hubs/west/updates/").content


def test_a_scheduled_update_appears_and_is_emailed_when_its_time_comes(network, committed) -> None:
    reader("ontario@example.org")
    later = timezone.localtime(timezone.now() + dt.timedelta(hours=2))
    with committed():
        write(
            client_for(network.coordinator),
            publish="schedule",
            publish_at_local=later.strftime("%Y-%m-%dT%H:%M"),
        )
    update = Update.objects.get()
    assert update.status == "scheduled"
    assert Client().get(update.get_absolute_url()).status_code == 404
    assert publish_due_updates() == 0
    Update.objects.filter(pk=update.pk).update(publish_at=timezone.now() - dt.timedelta(minutes=1))
    with committed():
        assert publish_due_updates() == 1
    assert [m.to for m in mail.outbox] == [["ontario@example.org"]]
    with committed():
        assert publish_due_updates() == 0
    assert Client().get(update.get_absolute_url()).status_code == 200


def test_a_time_in_the_past_is_refused_with_a_message(network) -> None:
    response = write(
        client_for(network.coordinator), publish="schedule", publish_at_local="2020-01-01T09:00"
    )
    assert response.status_code == 200
    assert b"That time has passed" in response.content
    assert not Update.objects.exists()


def test_only_national_admins_write_for_the_whole_network(network) -> None:
    assert write(client_for(network.coordinator), hub_choice="").status_code == 200
    assert write(client_for(network.coordinator), hub_choice="west").status_code == 200
    assert not Update.objects.exists()
    assert write(client_for(network.national_admin), hub_choice="").status_code == 302
    assert Update.objects.get().hub is None
    assert client_for(network.participant).get("/en/manage/updates/").status_code == 403


def test_feeds_carry_the_published_updates(network) -> None:
    write(client_for(network.coordinator), publish="now")
    write(client_for(network.other_coordinator), hub_choice="west", publish="now",
          title_en="Western news", title_fr="Nouvelles de l'Ouest")  # fmt: skip
    # Our own feeds, read back in a test.
    atom = ET.fromstring(Client().get("/en/hubs/ontario/updates/feed.atom").content)  # noqa: S314
    titles = [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")]
    assert titles == ["New PSW series this winter"]
    rss = ET.fromstring(Client().get("/fr/actualites/fil.rss").content)  # noqa: S314
    titles = sorted(i.findtext("title") for i in rss.iter("item"))
    assert titles == ["Nouvelle série PAB cet hiver", "Nouvelles de l'Ouest"]
    description = next(rss.iter("item")).findtext("description") or ""
    assert "<script>" not in description


def test_an_image_needs_a_description_and_is_served_from_its_own_address(network) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "team.png"
    client = client_for(network.coordinator)
    response = write(client, publish="now", image_upload=buffer)
    assert b"Describe the image" in response.content
    buffer.seek(0)
    response = write(client, publish="now", image_upload=buffer, image_alt_en="The hub's team")
    assert response.status_code == 302
    update = Update.objects.get()
    image = Client().get(update.image_url())
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert b'alt="The hub&#x27;s team"' in Client().get(update.get_absolute_url()).content


def test_an_unsubscribed_or_bounced_reader_gets_no_update(network, committed) -> None:
    from echohub.outreach import services as outreach

    reader("stays@example.org")
    left = reader("left@example.org")
    reader("gone@example.org")
    outreach.unsubscribe(left.address.token, source="test")
    outreach.record_bounce("gone@example.org", source="test")
    with committed():
        write(client_for(network.coordinator), publish="now")
    assert [m.to for m in mail.outbox] == [["stays@example.org"]]


def test_an_update_links_programs_sessions_and_library_items(network) -> None:
    from echohub.library.models import Resource

    resource = Resource.objects.create(
        hub=network.hub, kind="tool", title_en="Pain chart", url="https://example.org/chart"
    )
    response = write(
        client_for(network.coordinator),
        publish="now",
        programs=[network.program.pk],
        sessions=[network.session.pk],
        resources=[resource.pk],
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    update = Update.objects.get()
    assert list(update.sessions.all()) == [network.session]
    page = Client().get(update.get_absolute_url()).content.decode()
    assert "PSW Series" in page
    assert "Pain chart" in page
    assert str(network.session.title) in page
    # Another hub's session is not offered, and not taken if posted.
    refused = write(client_for(network.coordinator), sessions=[network.other_session.pk])
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()


def test_saving_again_keeps_a_session_that_has_since_been_held(network) -> None:
    import datetime as dt

    client = client_for(network.coordinator)
    write(client, publish="now", sessions=[network.session.pk])
    update = Update.objects.get()
    network.session.starts_at = timezone.now() - dt.timedelta(days=1)
    network.session.save()
    form = client.get(f"/en/manage/updates/{update.pk}/edit/").content.decode()
    assert f'value="{network.session.pk}"' in form
    client.post(
        f"/en/manage/updates/{update.pk}/edit/",
        {"hub_choice": "ontario", "title_en": "Again", "publish": "now",
         "sessions": [network.session.pk]},
    )  # fmt: skip
    assert list(update.sessions.all()) == [network.session]
