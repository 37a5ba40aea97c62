"""Tokens and clients for the API tests, on the shared `network` (tests/conftest.py)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from echohub.api import services
from echohub.api.models import Scope
from echohub.attendance.models import Attendance
from echohub.certificates.models import Certificate
from echohub.network.models import Hub
from echohub.registration.models import Registration
from tests.conftest import Network
from tests.factories import UserFactory


def api_client(secret: str | None = None, **headers: str) -> Client:
    if secret is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return Client(**headers)


# The reports' and evaluations' own fixtures, for the figures' tests.
from tests.evaluations.conftest import evaluated  # noqa: E402, F401
from tests.reports.conftest import hand_made  # noqa: E402, F401


@pytest.fixture
def make_token(network: Network) -> Callable[..., str]:
    """`make_token(hub, scopes)`: a new token's secret (the network's when `hub` is None)."""

    def make(hub: Hub | None, scopes: list[str] | tuple[str, ...] = (), **extra: Any) -> str:
        _token, secret = services.create_token(
            hub,
            name=extra.get("name", "LMS"),
            scopes=list(scopes),
            expires_at=extra.get("expires_at", timezone.now() + dt.timedelta(days=30)),
            by=network.hub_admin if hub == network.hub else network.national_admin,
        )
        return secret

    return make


@dataclass
class People:
    """Someone in each hub's session: registered, attended, certified."""

    ours: Any
    theirs: Any


def certificate(person: Any, session: Any) -> Certificate:
    return Certificate.objects.create(
        person=person,
        program=session.program,
        session=session,
        person_name=person.name,
        activity_en=session.title_en,
        hub_en=session.program.hub.name_en,
        days=[session.starts_at.date().isoformat()],
        minutes=60,
        credits=[{"type": "hours", "label_en": "Hours", "label_fr": "Heures", "amount": "1"}],
    )


@pytest.fixture
def people(network: Network) -> People:
    ours = UserFactory(name="Olive Ours", email="olive.ours@example.org")
    theirs = UserFactory(name="Theo Theirs", email="theo.theirs@example.org")
    for person, session in ((ours, network.session), (theirs, network.other_session)):
        Registration.objects.create(session=session, person=person, status="confirmed")
        Attendance.objects.create(session=session, person=person, minutes=60, source="report")
        certificate(person, session)
    return People(ours=ours, theirs=theirs)


ALL_SCOPES = tuple(Scope.values)
