"""Erasing an account keeps attendance and certificates under a pseudonym, and nothing else."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from echohub.accounts.models import User
from echohub.attendance.models import Attendance
from echohub.certificates.models import Certificate
from echohub.community import services as community_services
from echohub.community.models import Follow as CommunityFollow
from echohub.community.permissions import space_for
from echohub.library.models import Follow
from echohub.outreach import services as outreach
from echohub.outreach.models import MailAddress, OutboxMessage
from echohub.programs.models import Invitation, ProgramMember
from echohub.programs.services import add_member
from echohub.reference.models import Topic
from echohub.registration.models import Registration
from echohub.updates.models import Consent, Subscriber
from echohub.updates.services import Choices, _subscribe
from tests.conftest import Network, client_for
from tests.factories import PASSWORD, SessionFactory

pytestmark = pytest.mark.django_db


def test_erasing_an_account(network: Network, committed) -> None:
    me = network.participant
    me.licence_number = "CNO 1234567"
    me.save()
    email = me.email.lower()
    held = SessionFactory(program=network.program, starts_at=timezone.now() - dt.timedelta(days=2))
    Attendance.objects.create(session=held, person=me, source="manual", minutes=60)
    Certificate.objects.create(
        person=me, program=network.program, session=held, person_name=me.name,
        licence_number=me.licence_number, activity_en="PSW Series", minutes=60,
    )  # fmt: skip
    upcoming = Registration.objects.create(session=network.session, person=me, status="confirmed")
    Follow.objects.create(person=me, topic=Topic.objects.first())
    add_member(network.program, me, source=ProgramMember.Source.INVITED)
    Invitation.objects.create(
        program=network.other_program, email=email, language="en", token_hash="e" * 64,
        expires_at=timezone.now() + dt.timedelta(days=3), sent_at=timezone.now(),
    )  # fmt: skip
    thread = community_services.start_thread(
        space_for(network.program), me, title="Mouth care", body="What do you use?", language="en"
    )
    consent = Consent.objects.create(
        email=email, via="profile", wording="w", language="en", asked_by="t",
        given_at=timezone.now(), confirmed_at=timezone.now(), person=me,
    )  # fmt: skip
    _subscribe(email, consent=consent, language="en", zone="America/Toronto",
               choices=Choices(), lift=False, person=me)  # fmt: skip
    with committed():
        outreach.queue_email(
            person=me, kind="session.reminder", reason_key="r:1",
            context={"session": network.session, "program": network.program,
                     "offset_minutes": 60},
        )  # fmt: skip
    client = client_for(me)
    page = client.get("/en/profile/erase/")
    assert b"This cannot be undone" in page.content
    wrong = client.post("/en/profile/erase/", {"password": "not-my-password"})
    assert b"That is not your password" in wrong.content
    me.refresh_from_db()
    assert me.is_active
    done = client.post("/en/profile/erase/", {"password": PASSWORD})
    assert done.status_code == 200
    assert b"Your account is erased" in done.content

    me = User.objects.get(pk=me.pk)
    assert me.email.endswith("@erased.invalid")
    assert (me.name, me.licence_number, me.is_active) == (f"Erased account {me.pk}", "", False)
    assert not me.has_usable_password()
    # What accreditors need stays, without the name.
    assert Attendance.objects.filter(person=me, session=held, minutes=60).exists()
    certificate = Certificate.objects.get(person=me)
    assert (certificate.person_name, certificate.licence_number) == (me.name, "")
    # The rest is gone; the seat to come is freed.
    upcoming.refresh_from_db()
    assert upcoming.status == "cancelled"
    assert not Follow.objects.filter(person=me).exists()
    assert not CommunityFollow.objects.filter(person=me).exists()
    assert not ProgramMember.objects.filter(person=me).exists()
    assert not Invitation.objects.exists()
    # Their post stays in the discussion, under the pseudonym.
    assert thread.posts.get().author == me
    assert not Subscriber.objects.exists()
    assert not Consent.objects.exists()
    assert not OutboxMessage.objects.filter(to_email__iexact=email).exists()
    # Except the suppression, which keeps anything from being sent to the address again.
    assert MailAddress.objects.get(email=email).suppressed == "unsubscribed"
    # Signed out, and no way back in.
    assert client.get("/en/my-sessions/").status_code == 302
    assert (
        Client().post("/en/accounts/login/", {"login": email, "password": PASSWORD}).status_code
        == 200
    )
