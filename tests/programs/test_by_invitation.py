"""A program by invitation: seen and joined only by those it lets in (its members, those
with a pending invitation, its panel, its hub's staff, national admins); to anyone else
it does not exist (404), in every page that could name it. Becoming by invitation puts
nobody out."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone, translation

from echohub.accounts.models import User
from echohub.programs.models import Invitation, Program, ProgramMember, Session
from echohub.programs.permissions import (
    is_member,
    listed_programs,
    may_reach,
    reachable_programs,
)
from echohub.programs.services import add_member
from echohub.registration import services
from echohub.registration.models import Enrolment, Registration
from tests.conftest import Network, client_for
from tests.factories import ProgramFactory, ProgramStaffFactory, SessionFactory, UserFactory
from tests.programs.test_unlisted import NOINDEX, edit_form

pytestmark = pytest.mark.django_db


def url(name: str, lang: str = "en", **kwargs: object) -> str:
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def closed(network: Network) -> Program:
    program = ProgramFactory(
        hub=network.hub,
        slug="thursday-circle",
        title_en="Thursday Circle",
        title_fr="Cercle du jeudi",
        access=Program.Access.INVITATION,
    )
    SessionFactory(program=program, starts_at=timezone.now() + dt.timedelta(days=2))
    return program


def invite(program: Program, email: str, *, days: int = 30) -> Invitation:
    now = timezone.now()
    return Invitation.objects.create(
        program=program,
        email=email,
        language="en",
        token_hash=f"{program.pk}-{email}".ljust(64, "0")[:64],
        expires_at=now + dt.timedelta(days=days),
        sent_at=now,
    )


def pages(program: Program) -> list[str]:
    session = program.sessions.get()
    return [
        program.get_absolute_url(),
        session.get_absolute_url(),
        url("calendars:session_ics", pk=session.pk),
        url("calendars:program_feed", slug=program.slug),
    ]


def test_who_may_open_it_and_who_is_told_it_does_not_exist(
    network: Network, closed: Program
) -> None:
    member = UserFactory(name="Member")
    add_member(closed, member, source=ProgramMember.Source.INVITED)
    invitee = UserFactory(email="Invitee@Example.org")
    invite(closed, "invitee@example.org")
    expired = UserFactory()
    invite(closed, expired.email, days=-1)
    panel = ProgramStaffFactory(program=closed, role="expert").person
    let_in = {
        "member": member,
        "invitee": invitee,
        "panel": panel,
        "facilitator": network.facilitator,  # the hub's staff, any role
        "expert": network.expert,
        "coordinator": network.coordinator,
        "hub_admin": network.hub_admin,
        "national_admin": network.national_admin,
    }
    kept_out = {
        "participant": network.participant,
        "expired invitee": expired,
        "other hub's coordinator": network.other_coordinator,
        "other hub's admin": network.other_admin,
    }
    for who, person in let_in.items():
        client = client_for(person)
        for page in pages(closed):
            assert client.get(page).status_code == 200, (who, page)
        assert may_reach(person, closed), who
        assert closed in reachable_programs(person), who
    for who, person in {**kept_out, "visitor": None}.items():
        client = client_for(person)
        for page in pages(closed):
            assert client.get(page).status_code == 404, (who, page)
        user = person or AnonymousUser()
        assert not may_reach(user, closed), who
        assert closed not in reachable_programs(user), who
    # Its pages are never indexed, even for those who see them.
    assert NOINDEX in client_for(member).get(closed.get_absolute_url()).content.decode()


def test_it_is_listed_to_those_it_lets_in_and_to_nobody_else(
    network: Network, closed: Program
) -> None:
    member = UserFactory()
    add_member(closed, member, source=ProgramMember.Source.INVITED)
    invitee = UserFactory()
    invite(closed, invitee.email)
    lists = (
        url("programs:catalogue"),
        url("programs:catalogue") + "?q=thursday",
        url("programs:hub", slug=network.hub.slug),
    )
    for person in (member, invitee, network.coordinator):
        for page in lists:
            assert "Thursday Circle" in client_for(person).get(page).content.decode(), page
    for person in (None, network.participant, network.other_coordinator):
        for lang in ("en", "fr"):
            for page in (
                url("programs:catalogue", lang),
                url("programs:hub", lang, slug=network.hub.slug),
                url("programs:home", lang),
            ):
                body = client_for(person).get(page).content.decode()
                assert "Thursday" not in body, page
                assert "Cercle du jeudi" not in body, page
    # Lists sent to many (digests) name no one: only public programs.
    assert closed not in listed_programs()
    assert closed in listed_programs(member)


def test_the_queryset_and_the_one_program_answers_agree(network: Network, closed: Program) -> None:
    """`reachable_programs` (lists) and `may_reach` (one page) say the same for everyone."""
    member = UserFactory()
    add_member(closed, member, source=ProgramMember.Source.ADDED)
    unlisted = ProgramFactory(hub=network.hub, access=Program.Access.UNLISTED)
    people: list[User | AnonymousUser] = [
        AnonymousUser(),
        member,
        network.participant,
        network.expert,
        network.other_admin,
        network.national_admin,
    ]
    for person in people:
        reachable = set(reachable_programs(person))
        for program in (closed, unlisted, network.program, network.other_program):
            assert (program in reachable) == may_reach(person, program), (person, program)


def test_registering_needs_membership(network: Network, closed: Program) -> None:
    session = closed.sessions.get()
    invitee = UserFactory()
    invite(closed, invitee.email)
    # An invitee sees the program, but registers only once they have accepted.
    response = client_for(invitee).post(url("registration:register", pk=session.pk))
    assert response.status_code == 409
    assert "This program is by invitation" in response.content.decode()
    assert not Registration.objects.filter(person=invitee).exists()
    # Posting to it without being let in: as for a program that does not exist.
    assert (
        client_for(network.participant)
        .post(url("registration:register", pk=session.pk))
        .status_code
        == 404
    )
    with pytest.raises(services.RegistrationRefused):
        services.register(network.participant, session)
    add_member(closed, invitee, source=ProgramMember.Source.INVITED)
    assert client_for(invitee).post(url("registration:register", pk=session.pk)).status_code == 302
    assert Registration.objects.get(person=invitee).status == Registration.Status.CONFIRMED
    # The panel and the hub's staff need no membership row.
    assert is_member(network.facilitator, closed)
    assert services.refusal(session, network.facilitator) is None


def test_a_cohort_by_invitation_refuses_enrolment_to_who_is_not_in(
    network: Network, closed: Program
) -> None:
    closed.enrolment = Program.Enrolment.COHORT
    closed.save()
    invitee = UserFactory()
    invite(closed, invitee.email)
    enrol = url("registration:enrol", slug=closed.slug)
    assert client_for(invitee).post(enrol).status_code == 409
    assert client_for(network.participant).post(enrol).status_code == 404
    assert not Enrolment.objects.exists()


def test_a_coordinator_adding_someone_lets_them_in(network: Network, closed: Program) -> None:
    session = closed.sessions.get()
    client = client_for(network.coordinator)
    client.post(url("registration:add", pk=session.pk), {"email": network.participant.email})
    assert ProgramMember.objects.get(program=closed, person=network.participant).source == "added"
    assert client_for(network.participant).get(closed.get_absolute_url()).status_code == 200


def test_becoming_by_invitation_puts_nobody_out(network: Network) -> None:
    program = network.program
    services.register(network.participant, network.session)
    waiting = UserFactory()
    Registration.objects.create(session=network.session, person=waiting, status="waitlisted")
    gone = UserFactory()
    Registration.objects.create(session=network.session, person=gone, status="cancelled")
    cohort = ProgramFactory(hub=network.hub, enrolment=Program.Enrolment.COHORT)
    enrolled = UserFactory()
    Enrolment.objects.create(program=cohort, person=enrolled, status="active")

    editor = client_for(network.coordinator)
    for target in (program, cohort):
        form = edit_form(target.title_en, "invitation")
        form["enrolment"] = target.enrolment
        response = editor.post(url("programs:program_edit", slug=target.slug), form)
        assert response.status_code == 302
        target.refresh_from_db()
        assert target.access == Program.Access.INVITATION
    members = set(ProgramMember.objects.values_list("program__slug", "person__pk", "source"))
    assert members == {
        (program.slug, network.participant.pk, "already_in"),
        (program.slug, waiting.pk, "already_in"),
        (cohort.slug, enrolled.pk, "already_in"),
    }
    for person, page in ((network.participant, program), (enrolled, cohort)):
        assert client_for(person).get(page.get_absolute_url()).status_code == 200
    assert client_for(gone).get(program.get_absolute_url()).status_code == 404
    # Saving it again (still by invitation) adds no one twice.
    editor.post(
        url("programs:program_edit", slug=program.slug), edit_form(program.title_en, "invitation")
    )
    assert ProgramMember.objects.count() == 3
    manage = editor.get(url("programs:manage_program", slug=program.slug)).content.decode()
    assert "By invitation" in manage
    with translation.override("fr"):
        page = editor.get(url("programs:manage_program", "fr", slug=program.slug))
    assert "Sur invitation" in page.content.decode()


def test_its_library_and_cases_are_its_members(network: Network, closed: Program) -> None:
    """Being let in makes one a member of the program for its library and case library."""
    from echohub.cases.permissions import member_programs

    member = UserFactory()
    assert closed not in member_programs(member)
    add_member(closed, member, source=ProgramMember.Source.INVITED)
    assert closed in member_programs(member)
    filtered = url("library:index") + f"?program={closed.slug}"
    assert "Thursday Circle" in client_for(member).get(filtered).content.decode()
    assert "Thursday Circle" not in client_for(network.participant).get(filtered).content.decode()


def test_draft_or_cancelled_sessions_keep_the_same_rule(network: Network, closed: Program) -> None:
    session = closed.sessions.get()
    session.status = Session.Status.CANCELLED
    session.save()
    assert client_for(network.participant).get(session.get_absolute_url()).status_code == 404
    assert client_for(network.coordinator).get(session.get_absolute_url()).status_code == 200
