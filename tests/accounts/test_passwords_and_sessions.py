"""Passwords of 12 characters (15 for staff); staff sessions end when idle or old."""

import datetime as dt

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
