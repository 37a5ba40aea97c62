"""Passwords of 12 characters (15 for staff); staff sessions end when idle or old."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from tests.conftest import Network, client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_everyone_needs_twelve_characters_and_staff_fifteen(network: Network) -> None:
    validate_password("Tulip-River9", network.participant)  # 12: fine
    with pytest.raises(ValidationError, match="at least 12"):
        validate_password("Tulip-River", network.participant)  # 11: refused
    with pytest.raises(ValidationError, match="at least 15"):
        validate_password("Tulip-River-42", network.coordinator)
    validate_password("Tulip-River-4242", network.coordinator)


def test_a_common_password_is_refused(network: Network) -> None:
    # Django's list of 20,000 passwords seen most in breaches, shipped with it (offline).
    with pytest.raises(ValidationError, match="too common"):
        validate_password("password1234", network.participant)


def test_signing_up_with_eleven_characters_is_refused() -> None:
    response = Client().post(
        "/en/accounts/signup/",
        {
            "email": "short@example.org",
            "password1": "Tulip-River",
            "password2": "Tulip-River",
            "name": "Short",
            "privacy_consent": "on",
            "privacy_notice_version": "1",
        },
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()


def set_clock(client: Client, *, seen_ago: dt.timedelta, signed_in_ago: dt.timedelta) -> None:
    from django.utils import timezone

    session = client.session
    now = timezone.now().timestamp()
    session["echohub_seen"] = now - seen_ago.total_seconds()
    session["echohub_signed_in"] = now - signed_in_ago.total_seconds()
    session.save()


def test_staff_are_signed_out_after_thirty_idle_minutes(network: Network) -> None:
    client = client_for(network.coordinator)
    set_clock(client, seen_ago=dt.timedelta(minutes=29), signed_in_ago=dt.timedelta(hours=1))
    assert client.get("/en/manage/").status_code == 200
    set_clock(client, seen_ago=dt.timedelta(minutes=31), signed_in_ago=dt.timedelta(hours=1))
    response = client.get("/en/manage/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=%2Fen%2Fmanage%2F"
    assert client.get("/en/manage/")["Location"].startswith("/en/accounts/login/")


def test_staff_are_signed_out_twelve_hours_after_signing_in(network: Network) -> None:
    client = client_for(network.hub_admin)
    set_clock(client, seen_ago=dt.timedelta(minutes=1), signed_in_ago=dt.timedelta(hours=13))
    assert client.get("/en/manage/").status_code == 302


def test_a_participant_stays_signed_in(network: Network) -> None:
    client = client_for(UserFactory())
    set_clock(client, seen_ago=dt.timedelta(days=3), signed_in_ago=dt.timedelta(days=10))
    assert client.get("/en/my-sessions/").status_code == 200


@pytest.fixture
def pwned_range(settings: Any) -> Iterator[list[str]]:
    """Pwned Passwords' range API, served on loopback: records the prefixes asked."""
    import hashlib
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    breached = hashlib.sha1(b"Winter-Garden-2019", usedforsecurity=False).hexdigest().upper()
    asked: list[str] = []

    class Range(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            prefix = self.path.rsplit("/", 1)[-1]
            asked.append(prefix)
            body = "0000000000000000000000000000000000A:0\r\n"  # padding, as the API adds
            if breached.startswith(prefix):
                body += f"{breached[5:]}:4211\r\n"
            self.send_response(200)
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Range)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.PWNED_PASSWORDS_URL = f"http://127.0.0.1:{server.server_port}/range/"
    yield asked
    server.shutdown()


def test_a_breached_password_is_refused_by_k_anonymity(network: Network, pwned_range) -> None:
    with pytest.raises(ValidationError, match="appeared in a data breach"):
        validate_password("Winter-Garden-2019", network.participant)
    validate_password("Quiet-Lantern-Harbour-7", network.participant)
    # Only five characters of each SHA-1 left: never the password, never its full hash.
    assert [len(prefix) for prefix in pwned_range] == [5, 5]


def test_the_check_unreachable_lets_the_password_through(network: Network, settings) -> None:
    settings.PWNED_PASSWORDS_URL = "http://127.0.0.1:9/range/"  # nothing listens there
    validate_password("Quiet-Lantern-Harbour-7", network.participant)
