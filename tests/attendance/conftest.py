"""The session most attendance tests import a report for."""

import datetime as dt
import zoneinfo

import pytest

from echohub.programs.models import Session
from echohub.registration.models import Registration
from tests.conftest import Network
from tests.factories import UserFactory

TORONTO = zoneinfo.ZoneInfo("America/Toronto")


@pytest.fixture
def session(network: Network) -> Session:
    """Yesterday 13:00–14:00 in Toronto, with three registrants."""
    session = network.session
    day = dt.date.today() - dt.timedelta(days=1)  # noqa: DTZ011
    session.starts_at = dt.datetime.combine(day, dt.time(13), tzinfo=TORONTO)
    session.duration_minutes = 60
    session.save()
    for name, email in (
        ("Brian Smith", "brian@example.org"),
        ("Amélie Tremblay", "amelie@example.org"),
        ("Alain Tremblay", "alain@example.org"),
    ):
        Registration.objects.create(
            session=session, person=UserFactory(name=name, email=email), status="confirmed"
        )
    return session
