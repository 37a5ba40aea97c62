"""Staff need a second factor; everyone may add one; the admin logs in through the site."""

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time as counters
from django.test import Client

from echohub.accounts.security import needs_second_factor
from tests.conftest import Network, client_for
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(autouse=True)
def _second_factor_required(settings: Any) -> None:
    settings.REQUIRE_SECOND_FACTOR = True


def code_now() -> str:
    return format_hotp_value(hotp_value(SECRET, next(counters())))


def test_who_needs_a_second_factor(network: Network) -> None:
    for person in (
        network.national_admin,
        network.hub_admin,
        network.coordinator,
        network.facilitator,
        network.expert,
    ):
        assert needs_second_factor(person), person
    assert not needs_second_factor(network.participant)
    assert needs_second_factor(UserFactory(is_staff=True))


def test_staff_without_one_are_sent_to_set_it_up(network: Network) -> None:
    client = client_for(network.coordinator)
    for path in ("/en/manage/", "/en/", "/fr/programmes/", "/en/admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{path[:3]}/accounts/2fa/", path
    # The way there and the way out stay open.
    assert client.get("/en/accounts/2fa/").status_code == 200
    # Adding one asks for the password again first (allauth), on a page that stays open too.
    activate = client.get("/en/accounts/2fa/totp/activate/")
    assert activate["Location"].startswith("/en/accounts/reauthenticate/")
    assert client.get(activate["Location"]).status_code == 200
    assert client.get("/en/accounts/logout/").status_code == 200


def test_a_participant_is_offered_it_not_forced(network: Network) -> None:
    client = client_for(network.participant)
    assert client.get("/en/my-sessions/").status_code == 200
    assert client.get("/en/accounts/2fa/").status_code == 200


def test_with_an_authenticator_app_staff_log_in_with_its_code(network: Network) -> None:
    person = network.coordinator
    person.set_password(PASSWORD)
    person.save()
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    TOTP.activate(person, SECRET)
    client = Client()
    response = client.post("/en/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/2fa/authenticate/"
    # The password alone does not sign in.
    assert client.get("/en/manage/").status_code == 302
    wrong = client.post("/en/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    done = client.post("/en/accounts/2fa/authenticate/", {"code": code_now()})
    assert done.status_code == 302
    assert client.get("/en/manage/").status_code == 200


def test_the_admin_login_is_the_sites(network: Network) -> None:
    response = Client().get("/en/admin/login/?next=/en/admin/outreach/")
    assert response.status_code == 302
    assert response["Location"] == "/en/accounts/login/?next=%2Fen%2Fadmin%2Foutreach%2F"
    # Its own form cannot be used to guess: a POST goes the same way, checking nothing.
    superuser = UserFactory(is_staff=True, is_superuser=True)
    superuser.set_password(PASSWORD)
    superuser.save()
    posted = Client().post("/en/admin/login/", {"username": superuser.email, "password": PASSWORD})
    assert posted.status_code == 302
    assert posted["Location"].startswith("/en/accounts/login/")
    evil = Client().get("/en/admin/login/?next=https://evil.example.org/")
    assert evil["Location"] == "/en/accounts/login/?next=%2Fen%2Fadmin%2F"


def test_adding_one_lets_them_through_at_once(network: Network) -> None:
    client = client_for(network.hub_admin)
    assert client.get("/en/manage/").status_code == 302
    TOTP.activate(network.hub_admin, SECRET)
    assert client.get("/en/manage/").status_code == 200
