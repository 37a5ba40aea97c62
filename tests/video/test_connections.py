"""Connecting a hub to Zoom, Microsoft Teams or BigBlueButton, against the vendors'
fakes on loopback: a test that says what is wrong, tokens renewed, waits honoured,
secrets sealed and never in a page or a log, and each hub's own."""

import json
import logging
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from echohub import sealing
from echohub.video import platforms, services
from echohub.video.models import Connection, Platform
from echohub.video.platforms.base import PROBLEMS
from tests.conftest import Network, client_for
from tests.video.conftest import bbb_values, connect, graph_values, zoom_values
from tests.video.fakes import BigBlueButtonFake, GraphFake, ZoomFake, as_json, fixture_json

ZOOM, TEAMS, BBB = Platform.ZOOM, Platform.TEAMS, Platform.BIGBLUEBUTTON


# --- Each platform: a good test, and a bad secret ------------------------------


def test_zoom_connects_and_its_test_finds_the_host(network: Network, zoom: ZoomFake) -> None:
    connection = connect(network, ZOOM, zoom_values(zoom))
    assert connection.check_status == Connection.Check.WORKS
    assert connection.check_detail == "alex.host@example.org"
    [token] = zoom.calls("POST", "/oauth/token")
    assert token.query == {"grant_type": "account_credentials", "account_id": zoom.account_id}
    [user] = zoom.calls("GET", "/v2/users/")
    assert user.path == "/v2/users/alex.host@example.org"
    assert user.headers["authorization"] == "Bearer zoom-token-1"


def test_teams_connects_and_its_test_proves_the_access_policy(
    network: Network, graph: GraphFake
) -> None:
    connection = connect(network, TEAMS, graph_values(graph))
    assert connection.check_status == Connection.Check.WORKS
    assert connection.check_detail == "organizer@example.org"
    [token] = graph.calls("POST", f"/{graph.tenant_id}/oauth2/v2.0/token")
    assert b"grant_type=client_credentials" in token.body
    assert f"scope={graph.url}/.default".replace(":", "%3A").replace("/", "%2F").encode() in (
        token.body
    )
    [probe] = graph.calls("GET", "/v1.0/users/00000000-0000-4000-8000-000000000001/onlineMeetings")
    assert probe.query["$filter"].startswith("JoinWebUrl eq ")


@pytest.mark.parametrize(
    ("supports", "learnt"), [(("sha1", "sha256"), "sha256"), (("sha1",), "sha1")]
)
def test_bigbluebutton_connects_and_its_test_finds_the_checksum(
    network: Network, bbb: BigBlueButtonFake, supports: tuple[str, ...], learnt: str
) -> None:
    bbb.algorithms = supports
    connection = connect(network, BBB, bbb_values(bbb))
    assert connection.check_status == Connection.Check.WORKS
    assert connection.check_detail == "BigBlueButton 2.7.3"
    assert connection.options["checksum"] == learnt
    # Pasted with or without `api/`, it is the same server.
    assert platforms.bigbluebutton.api_root(bbb.api + "api/") == f"{bbb.api}api/"


@pytest.mark.parametrize(
    ("platform", "wrong", "said"),
    [
        (ZOOM, {"client_secret": "not-it"}, "Invalid client_id or client_secret"),
        (ZOOM, {"account_id": "someone-else"}, "Invalid account_id"),
        (TEAMS, {"client_secret": "not-it"}, "AADSTS7000215: Invalid client secret provided."),
        (TEAMS, {"tenant_id": "00000000-0000-4000-8000-00000000dead"}, "AADSTS90002"),
        (TEAMS, {"client_id": "00000000-0000-4000-8000-00000000beef"}, "AADSTS700016"),
        (BBB, {"shared_secret": "not-it"}, "checksumError: Checksums do not match"),
    ],
)
def test_a_wrong_id_or_secret_is_said_to_be_the_credentials(
    network: Network,
    request: pytest.FixtureRequest,
    platform: str,
    wrong: dict[str, str],
    said: str,
) -> None:
    fake, values = {
        ZOOM: ("zoom", zoom_values),
        TEAMS: ("graph", graph_values),
        BBB: ("bbb", bbb_values),
    }[platform]
    connection = connect(network, platform, values(request.getfixturevalue(fake), **wrong))
    assert connection.check_status == Connection.Check.FAILED
    assert connection.check_problem == "credentials"
    assert said in connection.check_detail
    page = client_for(network.hub_admin).get(
        reverse("video:connection", args=[network.hub.slug, connection.pk])
    )
    assert str(PROBLEMS["credentials"]) in page.text
    assert said.split(":")[0] in page.text


# --- What else a test tells -----------------------------------------------------


def test_zoom_a_missing_scope_and_an_unknown_host_are_told_apart(
    network: Network, zoom: ZoomFake
) -> None:
    unknown = connect(network, ZOOM, zoom_values(zoom, host="nobody@example.org"))
    assert (unknown.check_problem, unknown.check_detail) == (
        "not_found",
        "User does not exist: nobody@example.org.",
    )
    zoom.missing_scope = True
    services.test(unknown, by=network.hub_admin)
    unknown.refresh_from_db()
    assert unknown.check_problem == "permission"
    assert "does not contain scopes" in unknown.check_detail


def test_teams_names_the_missing_permissions_and_the_missing_policy(
    network: Network, graph: GraphFake
) -> None:
    graph.roles = ["User.Read.All"]
    connection = connect(network, TEAMS, graph_values(graph))
    assert connection.check_problem == "permission"
    assert connection.check_detail == (
        "Missing application permissions: OnlineMeetings.ReadWrite.All, "
        "OnlineMeetingArtifact.Read.All"
    )
    assert not graph.calls("GET", "/v1.0/users/")  # nothing asked that would fail anyway
    graph.roles += ["OnlineMeetings.ReadWrite.All", "OnlineMeetingArtifact.Read.All"]
    graph.policy = False
    services.test(connection, by=network.hub_admin)
    connection.refresh_from_db()
    assert connection.check_problem == "permission"
    assert "No Application Access Policy found for this app" in connection.check_detail
    graph.organizer = "someone-else@example.org"
    services.test(connection, by=network.hub_admin)
    connection.refresh_from_db()
    assert connection.check_problem == "not_found"


def test_bigbluebutton_an_address_that_is_not_one_is_told(
    network: Network, bbb: BigBlueButtonFake, zoom: ZoomFake
) -> None:
    # Something answers there, but not as BigBlueButton (here: Zoom's fake, a 404 page).
    elsewhere = connect(network, BBB, bbb_values(bbb, url=f"{zoom.url}/bigbluebutton/"))
    assert elsewhere.check_problem == "refused"
    # Nothing answers there at all.
    bbb_port = bbb.url.rsplit(":", 1)[1]
    closed = services.connect(
        network.hub,
        BBB,
        "Closed",
        bbb_values(bbb, url=bbb.api.replace(bbb_port, "9")),
        by=network.hub_admin,
    )
    closed.refresh_from_db()
    assert closed.check_problem == "unreachable"


@pytest.mark.parametrize(
    "url",
    ["http://bbb.example.org/bigbluebutton/", "https://127.0.0.1/bigbluebutton/",
     "https://169.254.169.254/latest/", "https://10.0.0.8/bigbluebutton/"],
)  # fmt: skip
def test_bigbluebutton_on_a_private_or_plain_address_is_refused(network: Network, url: str) -> None:
    with pytest.raises(ValidationError) as refused:
        services.connect(
            network.hub, BBB, "Inside", {"url": url, "shared_secret": "x"}, by=network.hub_admin
        )
    assert "url" in refused.value.message_dict
    assert not Connection.objects.exists()


# --- Tokens and waits -------------------------------------------------------------


@pytest.mark.parametrize("platform", [ZOOM, TEAMS])
def test_a_token_is_kept_and_renewed_when_it_expires_mid_run(
    network: Network, request: pytest.FixtureRequest, platform: str
) -> None:
    fake, values = (
        (request.getfixturevalue("zoom"), zoom_values)
        if platform == ZOOM
        else (request.getfixturevalue("graph"), graph_values)
    )
    connection = connect(network, platform, values(fake))
    services.test(connection, by=network.hub_admin)
    assert fake.tokens.issued == 1  # the second test used the kept token
    fake.tokens.expire_all()  # revoked, or expired early: the next call is a 401
    services.test(connection, by=network.hub_admin)
    connection.refresh_from_db()
    assert connection.check_status == Connection.Check.WORKS
    assert fake.tokens.issued == 2


def test_a_short_wait_asked_for_is_waited_and_a_long_one_left_to_the_worker(
    network: Network, zoom: ZoomFake
) -> None:
    connection = connect(network, ZOOM, zoom_values(zoom))
    busy = fixture_json("zoom/error_rate_limit.json")
    zoom.script("GET", "/v2/users/", as_json(429, busy, {"Retry-After": "1"}))
    services.test(connection, by=network.hub_admin)
    connection.refresh_from_db()
    assert connection.check_status == Connection.Check.WORKS
    assert len(zoom.calls("GET", "/v2/users/")) == 3  # the first test, then 429, then 200
    # Zoom's daily limit gives a moment, not seconds (SOURCES.md): far off, not waited.
    zoom.script("GET", "/v2/users/", as_json(429, busy, {"Retry-After": "2099-05-31T00:00:00Z"}))
    services.test(connection, by=network.hub_admin)
    connection.refresh_from_db()
    assert (connection.check_status, connection.check_problem) == ("failed", "busy")
    assert "maximum per-second rate limit" in connection.check_detail


def test_a_server_error_is_tried_again_then_reported(
    network: Network, bbb: BigBlueButtonFake
) -> None:
    connection = connect(network, BBB, bbb_values(bbb))
    error = (500, {"Content-Type": "text/html"}, b"<html>Internal Server Error</html>")
    bbb.script("GET", "/bigbluebutton/api/getMeetings", error)
    services.test(connection, by=network.hub_admin)
    connection.refresh_from_db()
    assert connection.check_status == Connection.Check.WORKS
    bbb.script("GET", "/bigbluebutton/api/getMeetings", error, error, error)
    services.test(connection, by=network.hub_admin)
    connection.refresh_from_db()
    assert (connection.check_status, connection.check_problem) == ("failed", "server")


# --- Secrets ---------------------------------------------------------------------


def test_secrets_are_sealed_and_never_in_a_page_or_a_log(
    network: Network, zoom: ZoomFake, graph: GraphFake, bbb: BigBlueButtonFake, caplog: Any
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, urllib3's requests included
    secrets = [
        zoom.client_secret,
        "FAKE_webhook_secret_token",
        graph.client_secret,
        bbb.shared_secret,
    ]
    admin = client_for(network.hub_admin)
    pages = []
    for platform, values in [
        (ZOOM, zoom_values(zoom)),
        (TEAMS, graph_values(graph)),
        (BBB, bbb_values(bbb)),
    ]:
        answer = admin.post(
            reverse("video:connect", args=[network.hub.slug, platform]),
            {"name": f"{platform} account", **values},
            follow=True,
        )
        assert answer.status_code == 200
        pages.append(answer.text)
    connections = list(Connection.objects.order_by("pk"))
    assert [c.check_status for c in connections] == ["works"] * 3
    for connection in connections:
        for name in ("video:connection", "video:delete"):
            pages.append(admin.get(reverse(name, args=[network.hub.slug, connection.pk])).text)
        # Saved again with the secrets left blank: they are kept, and still never shown.
        answer = admin.post(
            reverse("video:connection", args=[network.hub.slug, connection.pk]),
            {"name": connection.name, **connection.options},
            follow=True,
        )
        pages.append(answer.text)
        connection.refresh_from_db()
        assert connection.check_status == "works"
    pages.append(admin.get(reverse("video:connections", args=[network.hub.slug])).text)
    stored = json.dumps(list(Connection.objects.values()), default=str)
    for secret in secrets:
        assert secret not in stored
        assert not any(secret in page for page in pages)
        assert secret not in caplog.text
    assert services.secrets_of(connections[2]) == {"shared_secret": bbb.shared_secret}
    # What the vendors received: the secrets went where they belong only.
    assert zoom.client_secret not in zoom.everything_received()  # (in Basic, encoded)
    assert bbb.shared_secret not in bbb.everything_received()  # (a checksum, not itself)


def test_a_new_secret_replaces_the_old_and_a_changed_server_is_learnt_again(
    network: Network, bbb: BigBlueButtonFake
) -> None:
    connection = connect(network, BBB, bbb_values(bbb))
    assert connection.options["checksum"] == "sha256"
    bbb.shared_secret = "FAKE-a-new-secret"
    bbb.algorithms = ("sha1",)
    services.change(
        connection,
        "BBB",
        {"url": bbb.api, "shared_secret": "FAKE-a-new-secret"},
        by=network.hub_admin,
    )
    connection.refresh_from_db()
    assert connection.check_status == "works"
    assert connection.options["checksum"] == "sha1"
    assert services.secrets_of(connection) == {"shared_secret": "FAKE-a-new-secret"}


def test_keys_rotate_with_reseal(network: Network, bbb: BigBlueButtonFake, settings: Any) -> None:
    old, new = sealing.new_key(), sealing.new_key()
    settings.SECRETS_KEYS = [old]
    connection = connect(network, BBB, bbb_values(bbb))
    settings.SECRETS_KEYS = [new, old]
    call_command("reseal", stdout=None)
    settings.SECRETS_KEYS = [new]
    connection.refresh_from_db()
    assert services.secrets_of(connection) == {"shared_secret": bbb.shared_secret}
    settings.SECRETS_KEYS = [old]
    with pytest.raises(sealing.Unsealable):
        services.secrets_of(connection)
    # A key dropped too early: the test says so, and a platform's notification is refused.
    services.test(connection, by=network.hub_admin)
    connection.refresh_from_db()
    assert connection.check_problem == "credentials"
    assert "SECRETS_KEYS" in connection.check_detail


def test_without_secrets_keys_the_deploy_check_warns(settings: Any) -> None:
    settings.SECRETS_KEYS = []
    assert [m.id for m in sealing.check_secrets_keys()] == ["echohub.W001"]
    settings.SECRETS_KEYS = [sealing.new_key()]
    assert sealing.check_secrets_keys() == []


# --- Whose pages ------------------------------------------------------------------


def test_another_hubs_staff_never_see_a_connection(
    network: Network, bbb: BigBlueButtonFake
) -> None:
    connection = connect(network, BBB, bbb_values(bbb))
    kwargs = {"slug": network.hub.slug, "pk": connection.pk}
    for person in (network.other_admin, network.other_coordinator, network.coordinator):
        client = client_for(person)
        for name in ("video:connection", "video:delete"):
            assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
        assert client.post(reverse("video:test", kwargs=kwargs)).status_code == 404
        # Nor through their own hub's address.
        other = {"slug": network.other_hub.slug, "pk": connection.pk}
        if person is network.other_admin:
            assert client.get(reverse("video:connection", kwargs=other)).status_code == 404
    assert Connection.objects.get().check_status == "works"


def test_a_form_refuses_with_a_message_and_keeps_nothing(network: Network) -> None:
    admin = client_for(network.hub_admin)
    answer = admin.post(
        reverse("video:connect", args=[network.hub.slug, "teams"]),
        {"name": "Teams", "tenant_id": "", "client_id": "x", "client_secret": "", "organizer": ""},
    )
    assert answer.status_code == 200
    assert answer.text.count("This field is required.") == 3
    assert not Connection.objects.exists()
    assert admin.get(reverse("video:connect", args=[network.hub.slug, "skype"])).status_code == 404


def test_deleting_a_connection_names_the_programs_that_use_it(
    network: Network, bbb: BigBlueButtonFake
) -> None:
    connection = connect(network, BBB, bbb_values(bbb))
    services.use(network.program, connection, by=network.coordinator)
    page = client_for(network.hub_admin).get(
        reverse("video:delete", args=[network.hub.slug, connection.pk])
    )
    assert "These programs make their meetings on it" in page.text
    assert "PSW Series" in page.text
    client_for(network.hub_admin).post(
        reverse("video:delete", args=[network.hub.slug, connection.pk])
    )
    assert not Connection.objects.exists()
    network.program.refresh_from_db()
    assert not hasattr(network.program, "video")


def test_an_answer_with_entities_is_refused_not_expanded(
    network: Network, bbb: BigBlueButtonFake
) -> None:
    connection = connect(network, BBB, bbb_values(bbb))
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><response>&b;</response>'
    )
    bbb.script("GET", "/bigbluebutton/api/getMeetings", (200, {"Content-Type": "text/xml"}, bomb))
    services.test(connection, by=network.hub_admin)
    connection.refresh_from_db()
    assert (connection.check_status, connection.check_problem) == ("failed", "refused")
    assert connection.check_detail == "HTTP 200: not a BigBlueButton answer"


def test_a_callback_is_never_checked_against_an_empty_secret() -> None:
    """Secrets that cannot be opened read as empty: then every token is refused."""
    import jwt

    from echohub.video.platforms import bigbluebutton

    claims = {"exp": 4102444800, "meeting_id": "m", "record_id": "r"}
    token = jwt.encode(claims, "an attacker's own key, long enough for HS512 " * 2, "HS512")
    assert bigbluebutton.analytics(f"Bearer {token}", b'{"meeting_id": "m"}', "") is None
    assert bigbluebutton.recording_ready(token, "") is None
