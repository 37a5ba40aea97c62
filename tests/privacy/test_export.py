"""A person downloads everything EchoHub keeps about them, and nothing about anyone else."""

import io
import json
import zipfile

import pytest
from django.test import Client

from echohub.accounts.models import PrivacyConsent
from echohub.community import services as community_services
from echohub.community.permissions import space_for
from echohub.programs.models import ProgramMember
from echohub.programs.services import add_member
from echohub.registration.models import Registration
from tests.conftest import Network, client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_my_data_holds_my_records_as_json_and_csv(network: Network) -> None:
    from django.utils import timezone

    me = network.participant
    me.licence_number = "=CPSO 12345"
    me.save()
    someone = UserFactory(email="someone@example.org")
    Registration.objects.create(session=network.session, person=me, status="confirmed")
    Registration.objects.create(session=network.session, person=someone, status="confirmed")
    PrivacyConsent.objects.create(
        person=me, wording="I agree.", language="en", page="/en/", given_at=timezone.now()
    )
    add_member(network.program, me, source=ProgramMember.Source.INVITED)
    thread = community_services.start_thread(
        space_for(network.program), me, title="Mouth care", body="My own words.", language="en"
    )
    community_services.reply(thread, someone, body="Someone else's words.", language="en")
    response = client_for(me).post("/en/profile/my-data/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == sorted(
        [
            "my-data.json",
            "profile.csv",
            "registrations.csv",
            "attendance.csv",
            "certificates.csv",
            "cases.csv",
            "privacy_consents.csv",
            "update_consents.csv",
            "program_memberships.csv",
            "invitations.csv",
            "discussion_posts.csv",
            "subscription.csv",
        ]
    )
    data = json.loads(archive.read("my-data.json"))
    assert data["profile"][0]["email"] == me.email
    assert [r["status"] for r in data["registrations"]] == ["confirmed"]
    assert data["privacy_consents"][0]["wording"] == "I agree."
    assert [p["body"] for p in data["discussion_posts"]] == ["My own words."]
    assert data["program_memberships"][0]["program__slug"] == network.program.slug
    everything = archive.read("my-data.json").decode() + "".join(
        archive.read(name).decode("utf-8-sig") for name in archive.namelist()
    )
    assert "someone@example.org" not in everything
    assert "Someone else's words." not in everything
    # CSV cells never start a formula.
    assert "'=CPSO 12345" in archive.read("profile.csv").decode("utf-8-sig")


def test_only_by_a_signed_in_post(network: Network) -> None:
    assert client_for(network.participant).get("/en/profile/my-data/").status_code == 405
    anonymous = Client().post("/en/profile/my-data/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/en/accounts/login/")
