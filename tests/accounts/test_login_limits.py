"""Login limits: per account, then per address; shared by every process; behind proxies."""

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client

from echohub.accounts.security import client_ip
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def person(email: str) -> Any:
    user = UserFactory(email=email)
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def log_in(email: str, password: str, **headers: str) -> int:
    response = Client(**headers).post("/en/accounts/login/", {"login": email, "password": password})
    return response.status_code


def test_a_storm_on_one_account_locks_that_account_only() -> None:
    person("target@example.org")
    person("colleague@example.org")
    for _ in range(40):  # more than the address's own limit (30 a minute)
        assert log_in("target@example.org", "wrong-password") == 200
    # The account is locked, even with its password…
    assert log_in("target@example.org", PASSWORD) == 200
    # …but a colleague at the same address signs in.
    assert log_in("colleague@example.org", PASSWORD) == 302


def test_twenty_unknown_addresses_do_not_lock_out_a_colleague() -> None:
    person("colleague@example.org")
    for n in range(20):
        log_in(f"nobody{n}@example.org", "wrong-password")
    assert log_in("colleague@example.org", PASSWORD) == 302


def test_the_counts_are_in_the_shared_cache_table(settings: Any) -> None:
    assert settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
    log_in("nobody@example.org", "wrong-password")
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM echohub_cache")
        (rows,) = cursor.fetchone()
    assert rows >= 2  # the account's count and the address's: visible to every process


def test_behind_proxies_each_client_has_its_own_address(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    person("colleague@example.org")
    attacker = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    nurse = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.4"}
    for n in range(31):
        log_in(f"spray{n}@example.org", "wrong-password", **attacker)
    # The attacker's address is limited; the nurse, through the same proxy, is not.
    assert log_in("colleague@example.org", PASSWORD, **attacker) == 200
    assert log_in("colleague@example.org", PASSWORD, **nurse) == 302


def test_the_audit_trail_and_consents_take_the_address_by_the_same_rule(settings: Any) -> None:
    from django.test import RequestFactory

    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="evil-written, 203.0.113.9"
    )
    assert client_ip(request) == "10.0.0.2"  # no trusted proxy: the header is ignored
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # the entry our proxy appended
