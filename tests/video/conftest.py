"""The vendors' fakes served on loopback, EchoHub pointed at them, and connections to them."""

from collections.abc import Iterator
from typing import Any

import pytest

from echohub.video import services
from echohub.video.models import Connection, Platform
from echohub.video.platforms import base
from tests.conftest import Network
from tests.video.fakes import BigBlueButtonFake, GraphFake, ZoomFake, serving


@pytest.fixture(autouse=True)
def _fresh_tokens() -> Iterator[None]:
    """Each test signs in afresh: tokens are kept per process, by connection id."""
    base._tokens.clear()
    yield
    base._tokens.clear()


@pytest.fixture
def zoom(settings: Any) -> Iterator[ZoomFake]:
    with serving(ZoomFake()) as fake:
        settings.ZOOM_OAUTH_URL = f"{fake.url}/oauth/token"
        settings.ZOOM_API_URL = f"{fake.url}/v2"
        yield fake


@pytest.fixture
def graph(settings: Any) -> Iterator[GraphFake]:
    with serving(GraphFake()) as fake:
        settings.MICROSOFT_LOGIN_URL = fake.url
        settings.GRAPH_URL = f"{fake.url}/v1.0"
        yield fake


@pytest.fixture
def bbb(settings: Any) -> Iterator[BigBlueButtonFake]:
    settings.VIDEO_ALLOW_PRIVATE = True  # http on 127.0.0.1, for this test only
    with serving(BigBlueButtonFake()) as fake:
        yield fake


def zoom_values(fake: ZoomFake, **changes: str) -> dict[str, str]:
    return {
        "account_id": fake.account_id,
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
        "host": fake.host,
        "webhook_secret": "FAKE_webhook_secret_token",
    } | changes


def graph_values(fake: GraphFake, **changes: str) -> dict[str, str]:
    return {
        "tenant_id": fake.tenant_id,
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
        "organizer": fake.organizer,
    } | changes


def bbb_values(fake: BigBlueButtonFake, **changes: str) -> dict[str, str]:
    return {"url": fake.api, "shared_secret": fake.shared_secret} | changes


def connect(network: Network, platform: str, values: dict[str, str]) -> Connection:
    """A connection of the network's hub, tested (the immediate backend runs the test)."""
    connection = services.connect(
        network.hub, platform, f"{platform} of Ontario", values, by=network.hub_admin
    )
    connection.refresh_from_db()
    return connection


__all__ = ["Platform", "bbb_values", "connect", "graph_values", "zoom_values"]
