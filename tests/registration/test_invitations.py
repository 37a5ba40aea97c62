"""Invitations: pasted or uploaded, sent by the worker with progress, each a single-use link
that expires, in the invitee's language; accepted signed in or on the way through sign-up;
followed on the coordinator's list (sent, accepted, expired, bounced), sent again or
withdrawn."""

import datetime as dt
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from echohub.accounts.models import User
from echohub.outreach import services as outreach
from echohub.outreach.models import OutboxMessage
from echohub.programs.models import Invitation, Program, ProgramMember
from echohub.programs.services import add_member
from echohub.registration import invitations
from echohub.registration.invitations import parse_addresses
from echohub.registration.models import Enrolment, InvitationBatch, Registration
from tests.conftest import Network, client_for
from tests.factories import ProgramFactory, SessionFactory, UserFactory
from tests.programs.test_public_views import text

pytestmark = pytest.mark.django_db
Committed = Callable[[], AbstractContextManager[Any]]
PASSWORD = "Palliative-care-2026!"
LINK = re.compile(r"https?://[^/\s]+(/(?:en|fr)/[^\s\"<]*invitations/[^\s\"<]+/)")


def url(name: str, lang: str = "en", **kwargs: object) -> str:
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def circle(network: Network) -> Program:
    """A cohort program by invitation whose hub approves each enrolment (an invitation is
    that approval), with two sessions to come."""
    program = ProgramFactory(
        hub=network.hub,
        slug="thursday-circle",
        title_en="Thursday Circle",
        title_fr="Cercle du jeudi",
        access=Program.Access.INVITATION,
        enrolment=Program.Enrolment.COHORT,
        requires_approval=True,
    )
    for days in (3, 10):
        SessionFactory(program=program, starts_at=timezone.now() + dt.timedelta(days=days))
    return program


def invite_page(program: Program) -> str:
    return url("registration:invitations", slug=program.slug)


def send(committed: Committed, by: User, program: Program, addresses: str, **fields: Any) -> Any:
    with committed():
        return client_for(by).post(
            invite_page(program),
            {"addresses": addresses, "language": "en", "days": "30", **fields},
        )


def link_in(email: mail.EmailMessage) -> str:
    found = LINK.search(email.body)
    assert found, email.body
    return found.group(1)


def to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if m.to == [address]]


# Reading the addresses


def test_addresses_are_read_one_per_line_with_an_optional_language() -> None:
    parsed = parse_addresses(
        "Email,Language\n"
        '"Nadia@Example.org";fr\n'
        "sam@example.org\tEnglish\n"
        "\n"
        "  lee@example.org  \n"
        "nadia@example.org, en\n"
    )
    assert parsed.addresses == [
        ("nadia@example.org", "fr"),
        ("sam@example.org", "en"),
        ("lee@example.org", ""),
    ]
    assert parsed.bad_lines == []
    assert parsed.repeated == 1


def test_lines_that_are_not_one_address_are_named() -> None:
    parsed = parse_addresses(
        "ok@example.org\nnot an address\nbad@\ntwo@example.org three@example.org\nx@y.org, de\n"
    )
    assert parsed.addresses == [("ok@example.org", "")]
    assert [number for number, _line in parsed.bad_lines] == [2, 3, 4, 5]


def test_a_bad_line_sends_nothing_and_says_which(
    network: Network, circle: Program, committed: Committed
) -> None:
    response = send(
        committed, network.coordinator, circle, "ok@example.org\nnadia at example.org\n"
    )
    assert response.status_code == 200
    page = text(response)
    assert "1 line is not an email address, so nothing was sent" in page
    assert "line 2: “nadia at example.org”" in page
    assert not InvitationBatch.objects.exists()
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    empty = send(committed, network.coordinator, circle, "  \n")
    assert "Paste at least one address, or choose a file." in text(empty)


def test_too_many_addresses_are_refused(
    network: Network, circle: Program, committed: Committed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(invitations, "MOST_ADDRESSES", 2)
    response = send(committed, network.coordinator, circle, "a@x.org\nb@x.org\nc@x.org")
    assert "At most 2 addresses at once: split the list." in text(response)
    assert not Invitation.objects.exists()


def test_an_uploaded_spreadsheet_is_read(
    network: Network, circle: Program, committed: Committed
) -> None:
    csv = "Courriel;Langue\r\nrene@example.org;français\r\nsam@example.org;en\r\n"
    for encoding in ("utf-8-sig", "cp1252"):  # Excel's two ways of saving CSV
        upload = SimpleUploadedFile("list.csv", csv.encode(encoding), content_type="text/csv")
        response = send(committed, network.coordinator, circle, "", file=upload)
        assert response.status_code == 302
    languages = dict(Invitation.objects.values_list("email", "language"))
    assert languages == {"rene@example.org": "fr", "sam@example.org": "en"}
    binary = SimpleUploadedFile("list.xlsx", b"PK\x03\x04\x00\xff\xfe\x00", content_type="text/csv")
    response = send(committed, network.coordinator, circle, "", file=binary)
    assert "This file is not text: save it as CSV and try again." in text(response)


# Sending them


def test_a_batch_invites_each_in_their_language_and_skips_members(
    network: Network, circle: Program, committed: Committed
) -> None:
    francophone = UserFactory(email="Josee@Example.org", preferred_language="fr")
    member = UserFactory(email="member@example.org")
    add_member(circle, member, source=ProgramMember.Source.INVITED)
    response = send(
        committed,
        network.coordinator,
        circle,
        "josee@example.org, en\nrene@example.org, fr\nsam@example.org\nMember@example.org",
    )
    assert response.status_code == 302
    batch = InvitationBatch.objects.get()
    assert (batch.status, batch.total, batch.done) == ("done", 4, 4)
    assert (batch.invited, batch.already_in, batch.not_sent) == (3, 1, 0)
    assert batch.addresses == []  # the list is not kept once done
    # An account's own language wins over the list's.
    languages = dict(Invitation.objects.values_list("email", "language"))
    assert languages == {
        "josee@example.org": "fr",
        "rene@example.org": "fr",
        "sam@example.org": "en",
    }
    [josee] = to(francophone.email.lower())
    assert josee.subject == "Vous êtes invité·e\u00a0: Cercle du jeudi"
    assert "/fr/" in link_in(josee)
    [sam] = to("sam@example.org")
    assert sam.subject == "You are invited: Thursday Circle"
    assert "invited you to one of its programs" in sam.body
    assert "Unsubscribe" in sam.body
    assert to("member@example.org") == []
    links = {link_in(m) for m in mail.outbox}
    assert len(links) == 3
    # Only a digest of each token is kept.
    for invitation in Invitation.objects.all():
        assert all(invitation.token_hash not in link for link in links)
    page = text(client_for(network.coordinator).get(invite_page(circle)))
    assert "Sent (3)" in page
    assert "3 invited, 1 already a member" in page


def test_a_batch_runs_in_the_background_with_its_progress_shown(
    network: Network, circle: Program, committed: Committed, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(invitations, "CHUNK", 2)
    parsed = parse_addresses("\n".join(f"p{n}@example.org" for n in range(5)))
    with committed():
        batch = InvitationBatch.objects.create(
            program=circle,
            requested_by=network.coordinator,
            addresses=[list(pair) for pair in parsed.addresses],
            language="en",
            days=30,
            total=5,
            status=InvitationBatch.Status.RUNNING,
            done=2,  # a worker stopped after the first chunk
            beat_at=timezone.now(),
        )
    page = client_for(network.coordinator).get(invite_page(circle)).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert '<progress max="5" value="2">' in page
    assert "2 of 5 addresses" in page
    InvitationBatch.objects.filter(pk=batch.pk).update(
        beat_at=timezone.now() - dt.timedelta(minutes=11)
    )
    stalled = client_for(network.coordinator).get(invite_page(circle)).content.decode()
    assert "the background worker seems to have stopped" in stalled
    assert 'http-equiv="refresh"' not in stalled
    with committed():
        invitations.run_batch(batch.pk)  # taken up again: it resumes
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.invited) == ("done", 5, 3)
    assert sorted(Invitation.objects.values_list("email", flat=True)) == [
        "p2@example.org",
        "p3@example.org",
        "p4@example.org",
    ]
    assert len(mail.outbox) == 3


def test_a_draft_program_invites_nobody(network: Network, committed: Committed) -> None:
    page = invite_page(network.draft)
    assert "Publish the program before inviting anyone to it." in text(
        client_for(network.coordinator).get(page)
    )
    response = send(committed, network.coordinator, network.draft, "a@example.org")
    assert "Publish the program before inviting anyone to it." in text(response)
    assert not InvitationBatch.objects.exists()


# Accepting


def test_the_link_works_once_and_only_for_the_first(
    network: Network, circle: Program, committed: Committed
) -> None:
    invitee = UserFactory(email="nadia@example.org")
    send(committed, network.coordinator, circle, invitee.email)
    link = link_in(mail.outbox[0])
    client = client_for(invitee)
    ask = client.get(link)
    assert ask.status_code == 200
    assert "Join and enrol" in text(ask)
    assert ask["Cache-Control"].startswith("max-age=0") or "no-cache" in ask["Cache-Control"]
    assert not ProgramMember.objects.exists()  # a GET alone lets no one in
    with committed():
        done = client.post(link, follow=True)
    assert done.redirect_chain[-1][0] == circle.get_absolute_url()
    assert "Welcome to the program: you are enrolled" in text(done)
    assert ProgramMember.objects.get(program=circle).person == invitee
    # The invitation is the hub's approval: enrolled, not awaiting approval.
    assert Enrolment.objects.get(person=invitee).status == Enrolment.Status.ACTIVE
    assert Registration.objects.filter(person=invitee, status="confirmed").count() == 2
    invitation = Invitation.objects.get()
    assert (invitation.status, invitation.accepted_by) == ("accepted", invitee)
    # Again by the same person: nothing changes; by anyone else: gone.
    assert client.post(link).status_code == 302
    assert ProgramMember.objects.count() == 1
    other = client_for(network.participant).get(link)
    assert other.status_code == 410
    assert "This invitation has already been used." in text(other)
    assert Client().get(link).status_code == 410


def test_tampered_expired_and_withdrawn_links(
    network: Network, circle: Program, committed: Committed
) -> None:
    send(committed, network.coordinator, circle, "a@example.org\nb@example.org")
    link_a = link_in(to("a@example.org")[0])
    link_b = link_in(to("b@example.org")[0])
    tampered = link_a[:-3] + ("x" if link_a[-3] != "x" else "y") + link_a[-2:]
    response = Client().get(tampered)
    assert response.status_code == 400
    assert "The link is incomplete or changed" in text(response)
    assert Client().get(url("registration:invitation", token="x" * 200)).status_code == 400
    Invitation.objects.filter(email="a@example.org").update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = client_for(network.participant).post(link_a)
    assert expired.status_code == 410
    assert "This invitation has expired." in text(expired)
    client_for(network.coordinator).post(
        url(
            "registration:invitation_withdraw",
            slug=circle.slug,
            pk=Invitation.objects.get(email="b@example.org").pk,
        )
    )
    withdrawn = client_for(network.participant).post(link_b)
    assert withdrawn.status_code == 410
    assert "This invitation was withdrawn by the hub." in text(withdrawn)
    assert not ProgramMember.objects.exists()


def test_an_invitee_signs_up_on_the_way_and_lands_enrolled(
    network: Network, circle: Program, committed: Committed
) -> None:
    send(committed, network.coordinator, circle, "psw@example.org, fr")
    link = link_in(mail.outbox[0])
    assert link.startswith("/fr/")
    visitor = Client()
    page = visitor.get(link)
    assert "Créer un compte et rejoindre" in text(page)
    to_signup = visitor.get(link, {"then": "signup"})
    signup = to_signup["Location"]
    assert signup.startswith("/fr/")
    assert "next=" in signup
    mail.outbox.clear()
    with committed():
        visitor.post(
            signup,
            {
                "email": "psw@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "name": "Josée Tremblay",
                "privacy_consent": "on",
                "privacy_notice_version": "1",
            },
        )
    person = User.objects.get(email="psw@example.org")
    assert not ProgramMember.objects.exists()  # not before the address is confirmed
    [confirmation] = mail.outbox
    confirm = re.search(r"https?://testserver(/\S+)", confirmation.body)
    assert confirm
    with committed():
        back = visitor.post(confirm.group(1), follow=True)
    assert back.redirect_chain[-1][0] == url("programs:program", "fr", slug=circle.slug)
    assert "Bienvenue dans le programme" in text(back)
    assert ProgramMember.objects.get(program=circle).person == person
    assert Enrolment.objects.get(person=person).status == Enrolment.Status.ACTIVE
    assert Invitation.objects.get().status == Invitation.Status.ACCEPTED


def test_an_invitee_signed_in_joins_from_the_program_page(
    network: Network, circle: Program, committed: Committed
) -> None:
    invitee = UserFactory(email="Sam@Example.org")
    send(committed, network.coordinator, circle, "sam@example.org")
    page = text(client_for(invitee).get(circle.get_absolute_url()))
    assert "You are invited" in page
    with committed():
        done = client_for(invitee).post(url("registration:join", slug=circle.slug), follow=True)
    assert "Welcome to the program" in text(done)
    assert ProgramMember.objects.filter(program=circle, person=invitee).exists()
    assert "You are invited" not in text(client_for(invitee).get(circle.get_absolute_url()))
    assert (
        client_for(network.participant).post(url("registration:join", slug=circle.slug)).status_code
        == 404
    )


# The coordinator's list


def test_the_list_shows_what_became_of_each_invitation(
    network: Network, circle: Program, committed: Committed
) -> None:
    outreach.unsubscribe(outreach.mail_address("quiet@example.org").token, source="test")
    send(
        committed,
        network.coordinator,
        circle,
        "\n".join(
            f"{who}@example.org" for who in ("yes", "late", "gone", "bounce", "quiet", "new")
        ),
    )
    batch = InvitationBatch.objects.get()
    assert (batch.invited, batch.not_sent) == (6, 1)
    assert to("quiet@example.org") == []  # an unsubscribed address is not written to
    yes = UserFactory(email="yes@example.org")
    invitations.accept(Invitation.objects.get(email="yes@example.org"), yes)
    Invitation.objects.filter(email="late@example.org").update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    invitations.withdraw(Invitation.objects.get(email="gone@example.org"), by=network.coordinator)
    outreach.record_bounce("bounce@example.org", source="test")
    assert invitations.counts(circle) == {
        "sent": 1,
        "accepted": 1,
        "expired": 1,
        "bounced": 1,
        "unsubscribed": 1,
        "withdrawn": 1,
    }
    client = client_for(network.coordinator)
    page = text(client.get(invite_page(circle)))
    for label in ("Sent (1)", "Accepted (1)", "Expired (1)", "Bounced (1)", "Withdrawn (1)"):
        assert label in page
    bounced = client.get(invite_page(circle), {"status": "bounced"}).content.decode()
    assert "bounce@example.org" in bounced
    assert "new@example.org" not in bounced
    found = client.get(invite_page(circle), {"q": "LATE"}).content.decode()
    assert "late@example.org" in found
    assert "new@example.org" not in found
    # An email still in the outbox says so.
    OutboxMessage.objects.filter(to_email="new@example.org").update(status="queued")
    assert "Being sent" in text(client.get(invite_page(circle), {"status": "sent"}))


def test_sending_again_replaces_the_link(
    network: Network, circle: Program, committed: Committed
) -> None:
    send(committed, network.coordinator, circle, "late@example.org")
    old = link_in(mail.outbox[0])
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(days=1)
    )
    resend = url("registration:invitation_resend", slug=circle.slug, pk=invitation.pk)
    with committed():
        done = client_for(network.coordinator).post(resend, follow=True)
    assert "A new invitation is on its way to late@example.org" in text(done)
    assert len(mail.outbox) == 2
    new = link_in(mail.outbox[1])
    assert new != old
    assert Client().get(old).status_code == 400  # replaced
    assert Client().get(new).status_code == 200
    invitation.refresh_from_db()
    assert invitation.times_sent == 2
    assert invitation.expires_at > timezone.now() + dt.timedelta(days=29)
    # An accepted invitation is not sent again.
    invitations.accept(invitation, UserFactory())
    refused = client_for(network.coordinator).post(resend, follow=True)
    assert "This invitation has already been accepted." in text(refused)
    assert len(mail.outbox) == 2


def test_another_hubs_coordinator_never_sees_an_invitation(
    network: Network, circle: Program, committed: Committed
) -> None:
    send(committed, network.coordinator, circle, "a@example.org")
    invitation = Invitation.objects.get()
    other = client_for(network.other_coordinator)
    assert other.get(invite_page(circle)).status_code == 404
    for name in ("registration:invitation_resend", "registration:invitation_withdraw"):
        response = other.post(url(name, slug=circle.slug, pk=invitation.pk))
        assert response.status_code == 404
        # Nor through their own program's address.
        own = url(name, slug=network.other_program.slug, pk=invitation.pk)
        assert other.post(own).status_code == 404
    invitation.refresh_from_db()
    assert (invitation.status, invitation.times_sent) == ("pending", 1)


def test_the_pages_in_french(network: Network, circle: Program, committed: Committed) -> None:
    send(committed, network.coordinator, circle, "a@example.org, fr")
    with translation.override("fr"):
        page = text(
            client_for(network.coordinator).get(
                url("registration:invitations", "fr", slug=circle.slug)
            )
        )
    assert "Envoyée (1)" in page
    link = link_in(mail.outbox[0])
    invitation = text(Client().get(link))
    assert "Cercle du jeudi" in invitation
    assert "Se connecter et rejoindre" in invitation
