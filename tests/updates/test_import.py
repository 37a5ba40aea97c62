"""Importing a hub's list keeps the rows that can show consent and says why it refused others."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from echohub.outreach import services as outreach
from echohub.updates.models import Consent, Subscriber
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LIST = """Email,Consent_Date,Consent_Source,Language
good@example.org,2025-03-14,Sign-up sheet at the 2025 Ontario palliative care day,fr
nodate@example.org,,Sign-up sheet,en
nosource@example.org,2025-03-14,,en
not-an-address,2025-03-14,Web form,en
gone@example.org,2024-01-02,Web form,en
good@example.org,2025-03-14,Duplicate,en
future@example.org,2999-01-01,Web form,en
"""


def upload(client, text: str, hub: str = "ontario"):
    return client.post(
        "/en/manage/updates/subscribers/import/",
        {"hub": hub, "file": SimpleUploadedFile("list.csv", text.encode(), "text/csv")},
    )


def test_rows_without_consent_are_refused_with_the_reason(network) -> None:
    outreach.unsubscribe(outreach.mail_address("gone@example.org").token, source="test")
    response = upload(client_for(network.hub_admin), LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 subscriber added." in page
    assert "6 rows refused." in page
    for line, reason in (
        (3, "no consent date"),
        (4, "no consent source"),
        (5, "not an email address"),
        (6, "unsubscribed: an import never undoes it"),
        (7, "already on an earlier line"),
        (8, "the consent date is in the future"),
    ):
        assert f"<td>{line}</td>" in page
        assert reason in page
    subscriber = Subscriber.objects.get()
    assert subscriber.address.email == "good@example.org"
    assert subscriber.language == "fr"
    assert list(subscriber.hubs.values_list("slug", flat=True)) == ["ontario"]
    consent = subscriber.consent
    assert consent.via == Consent.Via.IMPORT
    assert consent.source == "Sign-up sheet at the 2025 Ontario palliative care day"
    assert consent.given_at.date().isoformat() == "2025-03-14"
    # The unsubscribed address stays unsubscribed.
    assert outreach.mail_address("gone@example.org").suppressed == "unsubscribed"


def test_a_second_import_keeps_the_persons_own_choices(network) -> None:
    first = upload(client_for(network.hub_admin), LIST)
    assert "2 subscribers added." in first.content.decode()  # good@ and gone@ (never unsubscribed)
    Subscriber.objects.update(frequency="monthly")
    response = upload(client_for(network.hub_admin), LIST)
    assert "0 subscribers added." in response.content.decode()
    assert "already subscribed" in response.content.decode()
    assert set(Subscriber.objects.values_list("frequency", flat=True)) == {"monthly"}


def test_a_file_without_the_columns_says_which_are_missing(network) -> None:
    response = upload(client_for(network.hub_admin), "email\ngood@example.org\n")
    assert "missing: consent_date, consent_source" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_only_a_hubs_admins_import_for_it(network) -> None:
    assert upload(client_for(network.coordinator), LIST).status_code == 403
    response = upload(client_for(network.other_admin), LIST, hub="ontario")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Subscriber.objects.exists()
