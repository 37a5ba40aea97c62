"""Case numbers and slots under concurrent writers, on real threads and committed transactions."""

import pytest

from echohub.cases import design, services
from echohub.cases.models import Case
from echohub.network.models import StaffRole
from tests.cases.conftest import CLEAN_ANSWERS
from tests.factories import ProgramFactory, SessionFactory, StaffRoleFactory, UserFactory
from tests.registration.test_races import pool_size, race

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_first_saves_take_distinct_case_numbers(reference_lists) -> None:
    program = ProgramFactory()
    design.current_form(program)
    presenters = [UserFactory() for _ in range(20)]

    def write(person):
        return lambda: (
            services.save_case(
                None, program=program, presenter=person, title="Delirium", answers=CLEAN_ANSWERS
            ).number
        )

    result = race([write(p) for p in presenters], threads=pool_size(10))

    assert result.errors == []
    assert sorted(result.results) == list(range(1, 21))
    assert Case.objects.filter(program=program).count() == 20


def test_simultaneous_scheduling_never_puts_two_cases_in_one_slot(reference_lists) -> None:
    program = ProgramFactory()
    session = SessionFactory(program=program)
    coordinator = StaffRoleFactory(hub=program.hub, role=StaffRole.Role.COORDINATOR).person
    cases = []
    for _ in range(6):
        case = services.save_case(
            None,
            program=program,
            presenter=UserFactory(),
            title="Dyspnea",
            answers=CLEAN_ANSWERS,
            submit=True,
            attested=True,
        )
        cases.append(services.review(case, "accepted", by=coordinator))

    def schedule(case):
        def run() -> int | None:
            try:
                return services.schedule(case, session, by=coordinator).slot
            except services.CaseError:
                return None

        return run

    result = race([schedule(c) for c in cases], threads=pool_size(6))

    assert result.errors == []
    assert sorted(s for s in result.results if s is not None) == [1, 2]  # two slots by default
    assert Case.objects.filter(session=session).count() == 2
