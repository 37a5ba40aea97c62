"""Each figure's definition on the hand-made network of conftest.py, counted by hand."""

import datetime as dt

import pytest

from echohub.reference.models import Profession, Province
from echohub.reports import figures
from echohub.reports.figures import Scope
from echohub.reports.periods import (
    ALL_TIME,
    fiscal_year_period,
    month_period,
    months_period,
    quarter_period,
)
from tests.reports.conftest import HandMade


def headline(scope: Scope) -> tuple[int, ...]:
    c = figures.reach(scope).counts
    return (
        c.participations,
        c.people,
        c.new,
        c.returning,
        c.minutes,
        c.registered,
        c.registered_attended,
        c.no_shows,
        c.unregistered,
        c.walk_ins,
        c.staff,
    )


def test_the_network_all_time(hand_made: HandMade) -> None:
    # 7 participations: A1 3 (nurse_on, facilitator, walk-in), A2 2, A3 1, B1 1.
    # 5 people: nurse_on, nurse_on2, physician_qc, the facilitator, the walk-in; all new.
    # Minutes 60+60+30 + 45+60 + 60 + 50 = 365. Registered 4 (A1 ×2, A2, B1), 3 came.
    assert headline(Scope()) == (7, 5, 5, 0, 365, 4, 3, 1, 2, 1, 1)
    reach = figures.reach(Scope())
    assert reach.sessions_held == 4  # the network fixture's two sessions are next week
    assert reach.counts.hours == pytest.approx(365 / 60)
    assert reach.counts.attendance_rate == pytest.approx(3 / 4)


def test_parts_add_up(hand_made: HandMade) -> None:
    c = figures.reach(Scope()).counts
    assert c.registered_attended + c.unregistered + c.walk_ins + c.staff == c.participations
    assert c.registered + c.unregistered + c.walk_ins + c.staff >= c.participations
    assert c.registered_attended + c.no_shows == c.registered


def test_a_hub_counts_its_own_people(hand_made: HandMade) -> None:
    ontario, west = hand_made.network.hub, hand_made.network.other_hub
    assert headline(Scope(hub=ontario)) == (6, 5, 5, 0, 315, 3, 2, 1, 2, 1, 1)
    # nurse_on's first participation in the western hub is B1, though not in the network.
    assert headline(Scope(hub=west)) == (1, 1, 1, 0, 50, 1, 1, 0, 0, 0, 0)
    hubs = figures.breakdown(Scope(), "hubs", suppress=False)
    assert {c.key: (c.counts.participations, c.counts.people) for c in hubs.cells} == {
        "ontario": (6, 5),
        "west": (1, 1),
    }


def test_periods_count_people_once_and_new_ones_once(hand_made: HandMade) -> None:
    # Q1 of 2025–26 (April–June 2025): A1 and B1; nurse_on came to both.
    assert headline(Scope(period=quarter_period(2025, 1)))[:4] == (4, 3, 3, 0)
    # Q2: A2; nurse_on returns, nurse_on2 is new (her no-show at A1 is no participation).
    assert headline(Scope(period=quarter_period(2025, 2)))[:4] == (2, 2, 1, 1)
    # Q4 (January–March 2026): A3, the physician's first.
    assert headline(Scope(period=quarter_period(2025, 4)))[:4] == (1, 1, 1, 0)
    assert headline(Scope(period=fiscal_year_period(2025)))[:4] == (7, 5, 5, 0)
    assert headline(Scope(period=fiscal_year_period(2024)))[:4] == (0, 0, 0, 0)
    assert headline(Scope(period=month_period(dt.date(2025, 5, 1))))[:4] == (4, 3, 3, 0)
    # May to July 2025 fits no flag: counted from the participations themselves.
    span = months_period(dt.date(2025, 5, 1), dt.date(2025, 7, 31))
    assert span.grain == "range"
    assert headline(Scope(period=span))[:4] == (6, 4, 4, 0)


def test_profession_and_province_filters(hand_made: HandMade) -> None:
    nurses = Profession.objects.get(pk="registered-nurse")
    ontario = Province.objects.get(pk="ON")
    scope = Scope(profession=nurses, province=ontario)
    # nurse_on 3 participations (A1, A2, B1), nurse_on2 1 (A2) and her no-show at A1;
    # registered: nurse_on for A1 and B1, nurse_on2 for A1 and A2.
    assert headline(scope) == (4, 2, 2, 0, 215, 4, 3, 1, 1, 0, 0)


def test_breakdowns(hand_made: HandMade) -> None:
    rural = figures.breakdown(Scope(), "rurality", suppress=False)
    assert {c.key: (c.counts.participations, c.counts.people) for c in rural.cells} == {
        "rural": (3, 1),  # nurse_on, P0A: second character 0
        "urban": (1, 1),  # nurse_on2, K1A
        "": (3, 3),  # the physician (no postal code), the facilitator, the walk-in
    }
    provinces = figures.breakdown(Scope(), "provinces", suppress=False)
    assert {c.key: (c.counts.participations, c.counts.people) for c in provinces.cells} == {
        "ON": (4, 2),
        "QC": (1, 1),
        "": (2, 2),
    }
    languages = figures.breakdown(Scope(), "languages", suppress=False)
    assert {c.key: c.counts.people for c in languages.cells} == {"en": 2, "fr": 2, "": 1}
    programs = figures.breakdown(Scope(hub=hand_made.network.hub), "programs", suppress=False)
    assert {c.key: (c.counts.participations, c.counts.people) for c in programs.cells} == {
        "p1": (6, 5)
    }


def test_small_cells_are_hidden_when_asked(hand_made: HandMade) -> None:
    hidden = figures.breakdown(Scope(), "provinces", suppress=True)
    assert all(cell.hidden for cell in hidden.cells)  # no province has 5 people


def test_over_time_by_month(hand_made: HandMade) -> None:
    points = figures.series(Scope(period=fiscal_year_period(2025)), suppress=False)
    assert len(points) == 12
    by_key = {p.key: (p.counts.participations, p.counts.people) for p in points}
    assert by_key["2025-05"] == (4, 3)
    assert by_key["2025-07"] == (2, 2)
    assert by_key["2026-01"] == (1, 1)
    assert by_key["2025-06"] == (0, 0)


def test_over_time_by_quarter_when_long(hand_made: HandMade) -> None:
    # All time spans May 2025 to January 2026: nine months, shown month by month.
    assert len(figures.series(Scope(period=ALL_TIME), suppress=False)) == 9
    two_years = months_period(dt.date(2024, 4, 1), dt.date(2026, 3, 31))
    for scope in (Scope(period=two_years), Scope(period=two_years, program=hand_made.p1)):
        points = figures.series(scope, suppress=False)
        counted = [(p.key, p.counts.participations, p.counts.people) for p in points]
        expected = [
            ("2025q1", 4, 3) if scope.program is None else ("2025q1", 3, 3),
            ("2025q2", 2, 2),
            ("2025q3", 0, 0),
            ("2025q4", 1, 1),
        ]
        assert counted[4:] == expected
        assert counted[:4] == [(f"2024q{q}", 0, 0) for q in range(1, 5)]


def test_retention_follows_each_programs_completion_rule(hand_made: HandMade) -> None:
    # P1: 3 sessions with attendance, rule 50 %: 2 sessions needed. nurse_on came to 2 of
    # nurse_on, nurse_on2, physician_qc and the facilitator. P2: 1 session, rule 80 %: nurse_on.
    reach = figures.reach(Scope())
    assert (reach.retained, reach.cycle_participants) == (2, 5)
    p1 = figures.reach(Scope(hub=hand_made.network.hub, program=hand_made.p1))
    assert (p1.retained, p1.cycle_participants) == (1, 4)


def test_a_program_report_counts_from_its_participations(hand_made: HandMade) -> None:
    scope = Scope(hub=hand_made.network.hub, program=hand_made.p1)
    assert headline(scope) == (6, 5, 5, 0, 315, 3, 2, 1, 2, 1, 1)


def test_live_figures_of_a_session_equal_the_aggregates(hand_made: HandMade) -> None:
    from echohub.programs.models import Session

    live = figures.live(Session.objects.filter(pk=hand_made.a1.pk))
    assert (live.total.registered, live.total.registered_attended, live.total.no_shows) == (2, 1, 1)
    assert (live.total.walk_ins, live.total.staff, live.total.attended) == (1, 1, 3)
    program = figures.live(Session.objects.filter(program=hand_made.p1))
    aggregated = figures.reach(Scope(program=hand_made.p1, hub=hand_made.network.hub)).counts
    assert program.total.by_kind == aggregated.by_kind
    assert program.total.minutes == aggregated.minutes
    assert program.total.people == aggregated.people


def test_filtered_and_unfiltered_breakdowns_agree(hand_made: HandMade) -> None:
    """Unfiltered pages read coarse tallies, filtered ones detailed tallies: same counts."""
    ontario = Province.objects.get(pk="ON")
    nurses = Profession.objects.get(pk="registered-nurse")

    def cells(scope: Scope, name: str) -> dict[str, tuple[int, int]]:
        found = figures.breakdown(scope, name, suppress=False)
        return {c.key: (c.counts.participations, c.counts.people) for c in found.cells}

    assert cells(Scope(province=ontario), "professions") == {"registered-nurse": (4, 2)}
    assert cells(Scope(profession=nurses), "provinces") == {"ON": (4, 2)}
    assert cells(Scope(), "professions") == {
        "family-physician": (1, 1),
        "registered-nurse": (4, 2),
        "": (2, 2),
    }
    for name in ("settings", "rurality", "languages", "hubs"):
        assert cells(Scope(province=ontario), name) == cells(Scope(profession=nurses), name), name
    assert cells(Scope(province=ontario), "rurality") == {"rural": (3, 1), "urban": (1, 1)}
