"""Case fixtures: the shared network plus a registered nurse, and helpers to search everywhere."""

import io
from typing import Any

import pytest
from django.core.management import call_command

from echohub.accounts.models import User
from echohub.cases import services
from echohub.cases.models import Case
from echohub.registration.models import Registration
from tests.conftest import Network
from tests.factories import UserFactory

# A valid BC personal health number (MOD 11 check digit 5), invented for these tests.
HEALTH_CARD = "9698 658 215"

CLEAN_ANSWERS = {
    "age_band": "80-89",
    "sex": "female",
    "setting": "home",
    "diagnosis": "Metastatic pancreatic cancer",
    "symptoms": "Pain 7/10 despite morphine 2.5 mg SC q4h PRN. PPS 40%, ESAS fatigue 8/10.",
    "question": "How should we adjust her opioid, and when to consider a subcutaneous infusion?",
}


@pytest.fixture
def nurse(network: Network) -> User:
    """A participant registered for the program's session: a member who may present."""
    person = UserFactory(name="Nora Nurse", email="nora@example.org")
    Registration.objects.create(
        session=network.session, person=person, status=Registration.Status.CONFIRMED
    )
    return person


def submitted_case(network: Network, presenter: User, **answers: Any) -> Case:
    return services.save_case(
        None,
        program=network.program,
        presenter=presenter,
        title="Pain crisis at home",
        answers={**CLEAN_ANSWERS, **answers},
        submit=True,
        attested=True,
    )


def everything_stored() -> str:
    """Every row of every table Django knows, as text: what a search of the database finds."""
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()
