"""The aggregates kept up to date after each change equal a rebuild from the raw rows."""

import random
from typing import Any

import pytest
from django.core.management import call_command

from echohub.accounts.services import update_profile
from echohub.network.models import StaffRole
from echohub.registration.models import Registration
from echohub.reports import aggregates
from echohub.reports.models import FLAGS, Cycle, Participation, Tally
from tests.conftest import Network
from tests.factories import ProgramFactory, SessionFactory, UserFactory
from tests.reports.conftest import HandMade, add_walk_in, at, present

PARTICIPATION = aggregates.INSERT_COLUMNS
TALLY = (
    "hub_id",
    "month",
    "profession_id",
    "province_id",
    "dim",
    "value",
    "participations",
    "registered",
    "unregistered",
    "walk_in",
    "staff",
    "no_show",
    "minutes",
    *FLAGS,
)
CYCLE = (
    "program_id",
    "hub_id",
    "first_month",
    "last_month",
    "profession_id",
    "province_id",
    "participants",
    "completers",
)


def snapshot() -> tuple[list[Any], ...]:
    def rows(model: Any, fields: tuple[str, ...]) -> list[Any]:
        return sorted(model.objects.values_list(*fields), key=repr)

    return rows(Participation, PARTICIPATION), rows(Tally, TALLY), rows(Cycle, CYCLE)


def test_the_hand_made_network_equals_its_rebuild(hand_made: HandMade) -> None:
    kept = snapshot()
    assert len(kept[0]) == 8  # 7 participations and 1 no-show
    call_command("rebuild_reports", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == kept


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_changes_then_rebuild(network: Network, committed: Any, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311  # an invented network
    hubs = [network.hub, network.other_hub]
    programs = [
        ProgramFactory(hub=rng.choice(hubs), completion_percent=rng.choice([50, 80]))
        for _ in range(3)
    ]
    days = [
        "2025-03-28",
        "2025-04-02",
        "2025-06-30",
        "2025-07-01",
        "2025-12-31",
        "2026-01-05",
        "2026-04-01",
    ]
    sessions = [
        SessionFactory(program=rng.choice(programs), starts_at=at(rng.choice(days)))
        for _ in range(8)
    ]
    people = [
        UserFactory(
            profession_id=rng.choice(["registered-nurse", "psw", None]),
            province_id=rng.choice(["ON", "QC", "NU", None]),
            practice_postal_code=rng.choice(["", "P0A 1A0", "K1A 0B1", "X0A 0H0"]),
            preferred_language=rng.choice(["en", "fr"]),
        )
        for _ in range(10)
    ]
    staff = [network.coordinator, network.other_coordinator]
    for step in range(60):
        session = rng.choice(sessions)
        person = rng.choice(people)
        action = rng.random()
        with committed():
            if action < 0.35:
                present(session, person, rng.randint(0, 60), rng.choice(staff))
            elif action < 0.45:
                from echohub.attendance import services

                services.mark(
                    session,
                    person,
                    present=False,
                    minutes=None,
                    reason="left",
                    by=network.coordinator,
                )
            elif action < 0.55:
                add_walk_in(session, f"Walk {step}", rng.randint(1, 59), network.coordinator)
            elif action < 0.75:
                Registration.objects.update_or_create(
                    session=session, person=person, defaults={"status": "confirmed"}
                )
            elif action < 0.82:
                Registration.objects.filter(session=session, person=person).delete()
            elif action < 0.85:
                role = StaffRole.objects.filter(hub=session.program.hub, person=person)
                if role.exists():
                    role.delete()
                else:
                    StaffRole.objects.create(
                        hub=session.program.hub, person=person, role="facilitator"
                    )
            else:
                person.province_id = rng.choice(["ON", "QC", "BC", None])
                person.practice_postal_code = rng.choice(["", "P0A 1A0", "K1A 0B1"])
                update_profile(person)
    # A person with registrations only is erased: their rows go, and the figures follow.
    loner = UserFactory()
    with committed():
        Registration.objects.create(session=sessions[0], person=loner, status="confirmed")
        present(sessions[0], people[0], 30, network.coordinator)
    with committed():
        loner.delete()
    kept = snapshot()
    assert kept[0], "the random changes made no participation at all"
    aggregates.rebuild()
    rebuilt = snapshot()
    for before, after in zip(kept, rebuilt, strict=True):
        assert [row for row in before if row not in after] == [
            row for row in after if row not in before
        ]
    assert rebuilt == kept
