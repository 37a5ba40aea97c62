"""Participant groups of a cohort program (a Tuesday noon and a Thursday evening group of the
same series): each has its sessions and facilitator, each person enrolled follows one group,
and registrations, invitations, certificates and reach follow the groups."""

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from echohub.attendance.models import Attendance
from echohub.certificates import roster
from echohub.programs import services as program_services
from echohub.programs.models import Group, Invitation, Program, Session
from echohub.registration import invitations, services
from echohub.registration.models import Enrolment, Registration
from echohub.reports import aggregates
from tests.certificates.test_certificates import accredit
from tests.conftest import Network, client_for
from tests.factories import SessionFactory, UserFactory
from tests.programs.test_public_views import text

pytestmark = pytest.mark.django_db
Committed = Callable[[], AbstractContextManager[Any]]


def url(name: str, lang: str = "en", **kwargs: object) -> str:
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def series(network: Network) -> Program:
    """A cohort program with a Tuesday and a Thursday group, two sessions each to come and
    one session for everyone."""
    program = network.program
    program.enrolment = Program.Enrolment.COHORT
    program.save()
    network.session.delete()
    soon = timezone.now() + dt.timedelta(days=2)
    for name_en, name_fr, offset in (
        ("Tuesday noon", "Mardi midi", 0),
        ("Thursday evening", "Jeudi soir", 2),
    ):
        group = program_services.save_group(
            Group(
                program=program, name_en=name_en, name_fr=name_fr, facilitator=network.facilitator
            ),
            by=network.coordinator,
        )
        for week in (0, 1):
            SessionFactory(
                program=program,
                group=group,
                title_en=f"{name_en} {week + 1}",
                starts_at=soon + dt.timedelta(days=offset + 7 * week),
            )
    SessionFactory(program=program, title_en="Grand rounds", starts_at=soon + dt.timedelta(days=20))
    return program


def group(program: Program, name: str) -> Group:
    return program.groups.get(name_en=name)


def registered_titles(person: object) -> set[str]:
    return set(
        Registration.objects.filter(person=person, status="confirmed").values_list(
            "session__title_en", flat=True
        )
    )


def test_the_coordinator_makes_groups_only_for_a_cohort(network: Network) -> None:
    client = client_for(network.coordinator)
    page = url("programs:groups", slug=network.program.slug)
    refused = client.post(page, {"name_en": "Tuesday", "facilitator": ""})
    assert "Groups are for cohort programs" in text(refused)
    assert not Group.objects.exists()
    network.program.enrolment = Program.Enrolment.COHORT
    network.program.save()
    stranger = client.post(
        page, {"name_en": "Tuesday", "facilitator": network.other_coordinator.pk}
    )
    assert stranger.status_code == 200
    assert not Group.objects.exists()
    nameless = client.post(page, {"name_en": "", "name_fr": ""})
    assert nameless.status_code == 200
    assert not Group.objects.exists()
    done = client.post(page, {"name_en": "Tuesday", "facilitator": network.facilitator.pk})
    assert done.status_code == 302
    made = Group.objects.get()
    assert (made.program, made.facilitator) == (network.program, network.facilitator)
    listed = text(client.get(page))
    assert "Tuesday" in listed
    with translation.override("fr"):
        french = text(client.get(url("programs:groups", "fr", slug=network.program.slug)))
    assert "Ajouter un groupe" in french
    # A program with groups cannot stop being a cohort.
    edit = url("programs:program_edit", slug=network.program.slug)
    form = {
        "title_en": "PSW Series",
        "scope": "national",
        "languages": "en",
        "timezone": "America/Toronto",
        "enrolment": "open",
        "access": "public",
    }
    response = client.post(edit, form)
    assert "This program has groups, which need enrolment" in text(response)
    network.program.refresh_from_db()
    assert network.program.enrolment == Program.Enrolment.COHORT


def test_a_group_with_sessions_or_members_is_not_deleted(network: Network, series: Program) -> None:
    tuesday = group(series, "Tuesday noon")
    client = client_for(network.coordinator)
    edit = url("programs:group_edit", slug=series.slug, pk=tuesday.pk)
    kept = client.post(edit, {"delete": "1"}, follow=True)
    assert "This group has sessions or members" in text(kept)
    assert Group.objects.filter(pk=tuesday.pk).exists()
    spare = program_services.save_group(
        Group(program=series, name_en="Spare"), by=network.coordinator
    )
    client.post(url("programs:group_edit", slug=series.slug, pk=spare.pk), {"delete": "1"})
    assert not Group.objects.filter(pk=spare.pk).exists()


def test_enrolling_follows_one_group_and_the_sessions_for_everyone(
    network: Network, series: Program
) -> None:
    person = network.participant
    with pytest.raises(services.RegistrationRefused, match="Choose the group"):
        services.enrol(person, series)
    thursday = group(series, "Thursday evening")
    services.enrol(person, series, group=thursday)
    assert registered_titles(person) == {"Thursday evening 1", "Thursday evening 2", "Grand rounds"}
    tuesday_session = series.sessions.get(title_en="Tuesday noon 1")
    assert services.refusal(tuesday_session, person) == (
        "This session is for another group of the program."
    )
    page = text(client_for(person).get(tuesday_session.get_absolute_url()))
    assert "This session is for another group of the program." in page
    assert "For the group “Tuesday noon”" in page
    program_page = text(client_for(person).get(series.get_absolute_url()))
    assert "You are enrolled, in the group “Thursday evening”." in program_page
    # A session added to a group registers that group's members only.
    program_services.save_session(
        Session(
            program=series,
            group=thursday,
            title_en="Thursday evening 3",
            starts_at=timezone.now() + dt.timedelta(days=30),
        ),
        by=network.coordinator,
    )
    program_services.save_session(
        Session(
            program=series,
            group=group(series, "Tuesday noon"),
            title_en="Tuesday noon 3",
            starts_at=timezone.now() + dt.timedelta(days=31),
        ),
        by=network.coordinator,
    )
    assert "Thursday evening 3" in registered_titles(person)
    assert "Tuesday noon 3" not in registered_titles(person)


def test_changing_group_moves_the_registrations(network: Network, series: Program) -> None:
    person = network.participant
    services.enrol(person, series, group=group(series, "Thursday evening"))
    client = client_for(person)
    moved = client.post(
        url("registration:enrol", slug=series.slug),
        {"group": group(series, "Tuesday noon").pk},
        follow=True,
    )
    assert "You are in the group “Tuesday noon”" in text(moved)
    assert registered_titles(person) == {"Tuesday noon 1", "Tuesday noon 2", "Grand rounds"}
    assert Enrolment.objects.get(person=person).group == group(series, "Tuesday noon")
    # Someone else's group (another program's) is never taken.
    other = Group.objects.create(program=network.other_program, name_en="Elsewhere")
    client.post(url("registration:enrol", slug=series.slug), {"group": other.pk})
    assert Enrolment.objects.get(person=person).group == group(series, "Tuesday noon")


def test_the_coordinator_moves_a_member_and_a_session(network: Network, series: Program) -> None:
    person = network.participant
    tuesday, thursday = group(series, "Tuesday noon"), group(series, "Thursday evening")
    enrolment = services.enrol(person, series, group=tuesday)
    client = client_for(network.coordinator)
    members = url("registration:group_members", slug=series.slug, pk=tuesday.pk)
    assert person.name in text(client.get(members))
    client.post(members, {"enrolment": enrolment.pk, "to": thursday.pk})
    enrolment.refresh_from_db()
    assert enrolment.group == thursday
    assert registered_titles(person) == {"Thursday evening 1", "Thursday evening 2", "Grand rounds"}
    # A Tuesday session given to everyone registers every member; given to Tuesday, not her.
    session = series.sessions.get(title_en="Tuesday noon 2")
    session.group = None
    program_services.save_session(session, by=network.coordinator)
    assert "Tuesday noon 2" in registered_titles(person)
    session.group = tuesday
    program_services.save_session(session, by=network.coordinator)
    assert "Tuesday noon 2" not in registered_titles(person)
    # Another hub's coordinator learns nothing.
    other = client_for(network.other_coordinator)
    assert other.get(members).status_code == 404
    assert other.post(members, {"enrolment": enrolment.pk, "to": tuesday.pk}).status_code == 404
    assert other.get(url("programs:groups", slug=series.slug)).status_code == 404


def test_a_visitor_chooses_a_group_and_lands_enrolled_in_it(
    network: Network, series: Program
) -> None:
    thursday = group(series, "Thursday evening")
    visitor = Client()
    page = visitor.get(series.get_absolute_url()).content.decode()
    assert 'name="group"' in page
    assert "Thursday evening" in page
    enrol = url("registration:enrol", slug=series.slug)
    to_login = visitor.get(enrol, {"then": "login", "group": thursday.pk})
    assert to_login.status_code == 302
    visitor.force_login(network.participant)
    visitor.get(enrol)  # back from logging in
    assert Enrolment.objects.get(person=network.participant).group == thursday


def test_an_invitation_to_a_group_enrols_in_it(
    network: Network, series: Program, committed: Committed
) -> None:
    thursday = group(series, "Thursday evening")
    with committed():
        response = client_for(network.coordinator).post(
            url("registration:invitations", slug=series.slug),
            {"addresses": "psw@example.org", "language": "en", "days": "30", "group": thursday.pk},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.group == thursday
    person = UserFactory(email="psw@example.org")
    invitations.accept(invitation, person)
    assert Enrolment.objects.get(person=person).group == thursday
    assert "Thursday evening 1" in registered_titles(person)
    # Invited to no group in particular: a member, who then chooses.
    loose = Invitation.objects.create(
        program=series,
        email="loose@example.org",
        language="en",
        token_hash="1" * 64,
        expires_at=timezone.now() + dt.timedelta(days=3),
        sent_at=timezone.now(),
    )
    chooser = UserFactory(email="loose@example.org")
    assert invitations.accept(loose, chooser) is None
    assert not Enrolment.objects.filter(person=chooser).exists()


def test_a_cycle_certificate_counts_the_sessions_of_ones_group(
    network: Network, series: Program
) -> None:
    """Four held sessions, two per group: attending both of one's own is all of them."""
    tuesday, thursday = group(series, "Tuesday noon"), group(series, "Thursday evening")
    series.sessions.all().delete()
    past = timezone.now() - dt.timedelta(days=30)
    held = {
        (g.name_en, week): SessionFactory(
            program=series, group=g, starts_at=past + dt.timedelta(days=7 * week)
        )
        for g in (tuesday, thursday)
        for week in (0, 1)
    }
    series.completion_percent = 100
    series.save()
    hours = accredit(series, credit_type="hours", professions=[])
    keen, casual = UserFactory(name="Keen"), UserFactory(name="Casual")
    Enrolment.objects.create(program=series, person=keen, status="active", group=thursday)
    Enrolment.objects.create(program=series, person=casual, status="active", group=tuesday)
    for week in (0, 1):
        Attendance.objects.create(
            session=held[("Thursday evening", week)], person=keen, minutes=60, source="report"
        )
    Attendance.objects.create(
        session=held[("Tuesday noon", 0)], person=casual, minutes=60, source="report"
    )
    standings = {s.person.name: s for s in roster.for_cycle(series, [hours])}
    assert standings["Keen"].sessions == 2
    assert standings["Keen"].eligible  # 2 of her group's 2, not 2 of the program's 4
    assert not standings["Casual"].eligible  # 1 of 2


def test_the_program_report_breaks_down_by_group(network: Network, series: Program) -> None:
    tuesday = group(series, "Tuesday noon")
    past = SessionFactory(
        program=series, group=tuesday, starts_at=timezone.now() - dt.timedelta(days=3)
    )
    Attendance.objects.create(session=past, person=network.participant, minutes=60, source="report")
    aggregates.rebuild()
    page = text(client_for(network.coordinator).get(url("reports:program", slug=series.slug)))
    assert "Groups" in page
    assert "Tuesday noon" in page
    open_program = text(
        client_for(network.other_coordinator).get(
            url("reports:program", slug=network.other_program.slug)
        )
    )
    assert "Tuesday noon" not in open_program
