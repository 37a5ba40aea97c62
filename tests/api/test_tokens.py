"""Tokens: made by a hub's admins (or national admins for the network), shown once, kept
as a fingerprint, scoped, expiring, revocable, and their last use recorded."""

import datetime as dt
import hashlib
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from echohub.api import services
from echohub.api.models import ApiToken
from tests.api.conftest import api_client
from tests.conftest import Network, client_for

SECRET = re.compile(r'value="(eh_[A-Za-z0-9_-]{43})"')


def test_a_hub_admin_makes_a_token_and_sees_it_once(network: Network) -> None:
    page = reverse("api_tokens:hub", kwargs={"slug": network.hub.slug})
    client = client_for(network.hub_admin)
    answer = client.post(
        page,
        {
            "name": "Provincial LMS",
            "scopes": ["registrations:read", "attendance:read"],
            "expires": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
        },
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "Copy it now: it will not be shown again." in html
    secret = SECRET.search(html).group(1)  # type: ignore[union-attr]
    token = ApiToken.objects.get()
    # It works to the end of the day chosen, on the admin's clock, and says that day.
    chosen = timezone.localdate() + dt.timedelta(days=90)
    assert timezone.localtime(token.expires_at).date() == chosen
    assert f"It works until {chosen:%A, %B} {chosen.day}, {chosen.year}." in html
    assert (token.hub, token.name, token.created_by) == (
        network.hub,
        "Provincial LMS",
        network.hub_admin,
    )
    assert token.scopes == ["attendance:read", "registrations:read"]
    # Only the fingerprint is kept: the secret is in no column.
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix)
    assert len(token.prefix) == 10
    dump = ApiToken.objects.values_list().get()
    assert secret not in str(dump)
    # The list names it by its prefix and never shows the secret again.
    listed = client.get(page).content.decode()
    assert "Provincial LMS" in listed
    assert f"{token.prefix}…" in listed
    assert secret not in listed
    assert "Never" in listed
    # It works, and its use is recorded.
    assert api_client(secret).get("/api/v1/attendance/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert "Never" not in client.get(page).content.decode()


def test_the_secret_never_reaches_the_logs(
    network: Network, caplog: pytest.LogCaptureFixture
) -> None:
    client = client_for(network.hub_admin)
    page = reverse("api_tokens:hub", kwargs={"slug": network.hub.slug})
    with caplog.at_level("DEBUG"):
        html = client.post(
            page, {"name": "Site", "expires": timezone.localdate() + dt.timedelta(days=5)}
        ).content.decode()
        secret = SECRET.search(html).group(1)  # type: ignore[union-attr]
        api_client(secret).get("/api/v1/programs/")
    assert caplog.records
    assert secret not in caplog.text


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"name": "", "expires": "2027-01-01"}, "This field is required."),
        ({"name": "<b>LMS</b>", "expires": "2027-01-01"}, "HTML"),
        ({"name": "LMS", "expires": "2020-01-01"}, "Choose a date in the future."),
        ({"name": "LMS", "expires": "2031-01-01"}, "A token can last two years at most."),
        ({"name": "LMS", "expires": "not a date"}, "Enter a valid date."),
        ({"name": "LMS", "expires": "2027-01-01", "scopes": ["admin"]}, "Select a valid choice"),
    ],
)
def test_a_bad_form_names_the_field_and_makes_nothing(
    network: Network, form: dict[str, Any], error: str
) -> None:
    page = reverse("api_tokens:hub", kwargs={"slug": network.hub.slug})
    html = client_for(network.hub_admin).post(page, form).content.decode()
    assert error in html
    assert "Copy it now" not in html
    assert not ApiToken.objects.exists()


def test_revoking_asks_first_then_refuses_every_call(network: Network) -> None:
    token, secret = services.create_token(
        network.hub,
        name="Old site",
        scopes=[],
        expires_at=timezone.now() + dt.timedelta(days=3),
        by=network.hub_admin,
    )
    client = client_for(network.hub_admin)
    url = reverse("api_tokens:hub_revoke", kwargs={"slug": network.hub.slug, "pk": token.pk})
    assert "Revoke “Old site”?" in client.get(url).content.decode()
    assert ApiToken.objects.get().revoked_at is None  # asking changed nothing
    answer = client.post(url, follow=True)
    assert "The token was revoked" in answer.content.decode()
    token.refresh_from_db()
    assert token.revoked_by == network.hub_admin
    assert token.status == "revoked"
    assert api_client(secret).get("/api/v1/programs/").status_code == 401
    # Another hub's admin cannot see it, nor revoke it.
    other = reverse(
        "api_tokens:hub_revoke", kwargs={"slug": network.other_hub.slug, "pk": token.pk}
    )
    assert client_for(network.other_admin).post(other).status_code == 404


def test_a_national_admin_makes_a_network_token(network: Network) -> None:
    client = client_for(network.national_admin)
    html = client.post(
        reverse("api_tokens:network"),
        {
            "name": "National LMS",
            "scopes": ["certificates:read"],
            "expires": timezone.localdate() + dt.timedelta(days=30),
        },
    ).content.decode()
    secret = SECRET.search(html).group(1)  # type: ignore[union-attr]
    assert ApiToken.objects.get().hub is None
    body = api_client(secret).get("/api/v1/token/").json()
    assert body["hub"] is None
    assert body["scopes"] == ["certificates:read"]
    # A hub's page never lists the network's tokens.
    hub_page = client.get(reverse("api_tokens:hub", kwargs={"slug": network.hub.slug}))
    assert "National LMS" not in hub_page.content.decode()


def test_the_service_refuses_unknown_scopes_and_endless_tokens(network: Network) -> None:
    with pytest.raises(ValidationError) as error:
        services.create_token(
            network.hub,
            name="x",
            scopes=["everything"],
            expires_at=timezone.now() + dt.timedelta(days=1),
            by=network.hub_admin,
        )
    assert error.value.message_dict == {"scopes": ["Choose scopes from the list."]}
    assert not ApiToken.objects.exists()


def test_a_token_survives_a_dump_only_as_its_fingerprint(network: Network, tmp_path: Any) -> None:
    _token, secret = services.create_token(
        None,
        name="n",
        scopes=[],
        expires_at=timezone.now() + dt.timedelta(days=1),
        by=network.national_admin,
    )
    out = tmp_path / "dump.json"
    call_command("dumpdata", "api", output=str(out))
    assert secret not in out.read_text()
    assert secret[10:] not in out.read_text()


def test_the_form_offers_a_year_from_today(network: Network) -> None:
    page = reverse("api_tokens:hub", kwargs={"slug": network.hub.slug})
    html = client_for(network.hub_admin).get(page).content.decode()
    in_a_year = (timezone.localdate() + dt.timedelta(days=365)).isoformat()
    assert f'type="date" name="expires" value="{in_a_year}"' in html
