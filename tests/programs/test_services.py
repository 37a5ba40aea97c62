import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from echohub.programs import services
from echohub.programs.models import Program, ProgramStaff, Session
from echohub.programs.series import SeriesRule
from echohub.reference.models import Profession, Province
from tests.conftest import Network
from tests.factories import ProgramFactory, SessionFactory


def next_tuesday() -> dt.date:
    today = timezone.now().date() + dt.timedelta(days=7)
    return today + dt.timedelta(days=(1 - today.weekday()) % 7)


def test_save_program_makes_a_unique_slug_and_sets_its_audience(network: Network) -> None:
    ProgramFactory(slug="paramedic-series")
    program = Program(hub=network.hub, title_en="Paramedic Series", scope=Program.Scope.PROVINCIAL)
    services.save_program(
        program,
        by=network.coordinator,
        professions=Profession.objects.filter(code="paramedic"),
        provinces=Province.objects.filter(code__in=["NS", "PE"]),
    )
    program.refresh_from_db()
    assert program.slug == "paramedic-series-2"
    assert program.status == Program.Status.DRAFT
    assert [p.code for p in program.audience_professions.all()] == ["paramedic"]
    assert sorted(p.code for p in program.provinces.all()) == ["NS", "PE"]


def test_save_program_refuses_a_program_without_a_title(network: Network) -> None:
    with pytest.raises(ValidationError) as error:
        services.save_program(Program(hub=network.hub), by=network.coordinator)
    assert "title_en" in error.value.message_dict
    assert Program.objects.filter(hub=network.hub).count() == 2


def test_national_programs_keep_no_provinces(network: Network) -> None:
    program = Program(hub=network.hub, title_fr="Série nationale", scope=Program.Scope.NATIONAL)
    services.save_program(
        program, by=network.coordinator, provinces=Province.objects.filter(code="ON")
    )
    assert program.provinces.count() == 0


def test_cancel_program_cancels_only_its_upcoming_sessions(network: Network) -> None:
    past = SessionFactory(program=network.program, starts_at=timezone.now() - dt.timedelta(days=3))
    count = services.cancel_program(network.program, by=network.coordinator)
    assert count == 1
    network.session.refresh_from_db()
    past.refresh_from_db()
    assert network.session.status == Session.Status.CANCELLED
    assert past.status == Session.Status.SCHEDULED
    assert Program.objects.get(pk=network.program.pk).status == Program.Status.CANCELLED


def test_generate_series_numbers_titles_after_existing_sessions(network: Network) -> None:
    rule = SeriesRule(next_tuesday(), dt.time(12), 90, "America/Toronto", "biweekly", count=8)
    created = services.generate_series(
        network.program,
        rule,
        by=network.coordinator,
        title_en="Session {n}",
        title_fr="Séance {n}",
        capacity=40,
        join_url="https://video.example.org/j/1",
    )
    assert len(created) == 8
    sessions = list(network.program.sessions.order_by("starts_at"))[1:]
    assert [s.title_en for s in sessions][:2] == ["Session 2", "Session 3"]
    assert sessions[-1].title_fr == "Séance 9"
    assert {s.duration_minutes for s in sessions} == {90}
    assert {s.capacity for s in sessions} == {40}


def test_generate_series_refuses_a_rule_in_the_past(network: Network) -> None:
    rule = SeriesRule(dt.date(2020, 1, 7), dt.time(12), 60, "America/Toronto", "weekly", count=3)
    with pytest.raises(ValidationError):
        services.generate_series(
            network.program, rule, by=network.coordinator, title_en="S {n}", title_fr=""
        )
    assert network.program.sessions.count() == 1


def test_panel_takes_only_the_hubs_own_facilitators_and_experts(network: Network) -> None:
    member = services.add_to_panel(
        network.program, network.facilitator, "facilitator", by=network.coordinator
    )
    assert member.role == ProgramStaff.Role.FACILITATOR
    with pytest.raises(ValidationError):
        services.add_to_panel(
            network.program, network.facilitator, "facilitator", by=network.coordinator
        )
    with pytest.raises(ValidationError):  # an expert of this hub is not a facilitator
        services.add_to_panel(network.program, network.expert, "facilitator", by=network.hub_admin)
    with pytest.raises(ValidationError):  # another hub's coordinator is no expert here
        services.add_to_panel(
            network.program, network.other_coordinator, "expert", by=network.hub_admin
        )
    assert list(network.program.team.values_list("person__name", flat=True)) == ["Fatima Haddad"]


def test_panel_candidates_are_the_hubs_facilitators_and_experts(network: Network) -> None:
    names = sorted(services.panel_candidates(network.hub).values_list("name", flat=True))
    assert names == ["Erik Larsen", "Fatima Haddad"]
