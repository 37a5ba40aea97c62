"""Every operation × token (none, each scope of the own hub, another hub's with every
scope, the network's): the exact status, and nothing of another hub in any body."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from echohub.api.models import Scope
from echohub.attendance import services as attendance_services
from tests.api.conftest import ALL_SCOPES, People, api_client
from tests.conftest import Network

# The operations that need a scope, and which.
SCOPED = {
    "/api/v1/registrations/": Scope.READ_REGISTRATIONS,
    "/api/v1/attendance/": Scope.READ_ATTENDANCE,
    "/api/v1/certificates/": Scope.READ_CERTIFICATES,
}


def public_paths(n: Network, cert_code: str) -> dict[str, int]:
    """Each public operation, and what an anonymous caller gets."""
    return {
        "/api/v1/hubs/": 200,
        f"/api/v1/hubs/{n.hub.slug}/": 200,
        "/api/v1/programs/": 200,
        f"/api/v1/programs/{n.program.slug}/": 200,
        f"/api/v1/programs/{n.draft.slug}/": 404,
        "/api/v1/sessions/": 200,
        f"/api/v1/sessions/{n.session.pk}/": 200,
        "/api/v1/library/": 200,
        "/api/v1/updates/": 200,
        f"/api/v1/certificates/verify/{cert_code}/": 200,
    }


TOKENS: dict[str, Callable[[Network], tuple[Any, list[str]]]] = {
    "none": lambda n: (None, []),
    **{f"own:{scope}": (lambda n, s=scope: (n.hub, [s])) for scope in ALL_SCOPES},
    "own:no-scope": lambda n: (n.hub, []),
    "other:all": lambda n: (n.other_hub, list(ALL_SCOPES)),
    "network:all": lambda n: (None, list(ALL_SCOPES)),
}


def expected_scoped(kind: str, scope: str) -> int:
    if kind == "none":
        return 401
    if kind.startswith("own:"):
        return 200 if kind == f"own:{scope}" else 403
    return 200  # another hub's token reads its own hub (an empty list of ours), the network all


def secret_for(kind: str, network: Network, make_token: Any) -> str | None:
    if kind == "none":
        return None
    hub, scopes = TOKENS[kind](network)
    if kind.startswith("network"):
        hub = None
    return make_token(hub, scopes)


@pytest.mark.parametrize("kind", sorted(TOKENS))
@pytest.mark.parametrize("path", sorted(SCOPED))
def test_scoped_operations(
    network: Network, people: People, make_token: Any, kind: str, path: str
) -> None:
    response = api_client(secret_for(kind, network, make_token)).get(path)
    assert response.status_code == expected_scoped(kind, SCOPED[path]), (kind, path)
    body = response.content.decode()
    if response.status_code != 200:
        assert response["Content-Type"] == "application/problem+json"
        assert people.ours.email not in body
        assert people.theirs.email not in body
        return
    emails = {row.get("email") or row["person"]["email"] for row in response.json()["results"]}
    if kind.startswith("own:"):
        assert emails == {people.ours.email}
    elif kind.startswith("other:"):
        assert emails == {people.theirs.email}
        assert people.ours.email not in body
        assert network.program.slug not in body
    else:
        assert emails == {people.ours.email, people.theirs.email}


@pytest.mark.parametrize("kind", sorted(TOKENS))
def test_public_operations(network: Network, people: People, make_token: Any, kind: str) -> None:
    code = network.session.certificates.get().code
    secret = secret_for(kind, network, make_token)
    for path, anonymous in public_paths(network, code).items():
        response = api_client(secret).get(path)
        expected = anonymous
        if path.endswith(f"/{network.draft.slug}/") and kind.startswith(("own", "network")):
            expected = 200  # the hub's staff see its drafts
        assert response.status_code == expected, (kind, path)
        # A public answer never carries a person's address or another hub's draft.
        body = response.content.decode()
        assert people.ours.email not in body
        assert people.theirs.email not in body
        if not kind.startswith(("own", "network")):
            assert network.draft.slug not in body or expected == 404


@pytest.mark.parametrize("kind", ["own:no-scope", "other:all", "network:all"])
def test_another_hubs_draft_is_a_404(network: Network, make_token: Any, kind: str) -> None:
    other_draft = network.other_program
    other_draft.status = "draft"
    other_draft.save()
    response = api_client(secret_for(kind, network, make_token)).get(
        f"/api/v1/programs/{other_draft.slug}/"
    )
    assert response.status_code == (404 if kind == "own:no-scope" else 200)
    listed = api_client(secret_for(kind, network, make_token)).get("/api/v1/programs/").json()
    slugs = {row["slug"] for row in listed["results"]}
    assert (other_draft.slug in slugs) is (kind != "own:no-scope")
    assert (network.draft.slug in slugs) is (kind != "other:all")


def test_the_token_operation_says_whose_it_is(network: Network, make_token: Any) -> None:
    secret = make_token(network.hub, [Scope.READ_ATTENDANCE], name="Provincial LMS")
    body = api_client(secret).get("/api/v1/token/").json()
    assert body["name"] == "Provincial LMS"
    assert body["hub"] == {
        "slug": "ontario",
        "name": {"en": "Ontario Hub", "fr": "Carrefour de l'Ontario"},
    }
    assert body["scopes"] == ["attendance:read"]
    assert secret.startswith(body["prefix"])
    assert len(body["prefix"]) == 10
    assert api_client().get("/api/v1/token/").status_code == 401


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Bearer eh_not-a-token", "This token is not valid."),
        ("Bearer two words", "Send one token after “Bearer”."),
    ],
)
def test_a_bad_token_is_refused_even_where_none_is_needed(
    network: Network, header: str, detail: str
) -> None:
    response = api_client(HTTP_AUTHORIZATION=header).get("/api/v1/programs/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["detail"] == detail


def test_expired_and_revoked_tokens_are_refused(network: Network, make_token: Any) -> None:
    from echohub.api import services
    from echohub.api.models import ApiToken

    secret = make_token(network.hub, ALL_SCOPES)
    token = ApiToken.objects.get()
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = api_client(secret).get("/api/v1/registrations/")
    assert (response.status_code, response.json()["detail"]) == (401, "This token has expired.")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    assert api_client(secret).get("/api/v1/registrations/").status_code == 200
    services.revoke_token(token, by=network.hub_admin)
    response = api_client(secret).get("/api/v1/registrations/")
    assert (response.status_code, response.json()["detail"]) == (401, "This token was revoked.")


REPORT = (
    "Name (Original Name),User Email,Total Duration (Minutes)\n"
    "Olive Ours,olive.ours@example.org,60\n"
)


def _report() -> Any:
    return SimpleUploadedFile("report.csv", REPORT.encode(), "text/csv")


def _import(network: Network) -> int:
    upload = attendance_services.receive_report(
        network.session,
        REPORT.encode(),
        filename="report.csv",
        by=network.coordinator,
        report_zone="America/Toronto",
    )
    return upload.pk


# Every operation that needs a scope beyond the lists above: its method, address, body,
# scope, and what the own hub's token with that scope gets (the network's gets the same).
OPERATIONS: dict[str, tuple[str, Callable[[Network], str], Any, str, int]] = {
    "register": (
        "post",
        lambda n: f"/api/v1/sessions/{n.session.pk}/registrations/",
        lambda n: {"email": n.participant.email},
        Scope.WRITE_REGISTRATIONS,
        201,
    ),
    "cancel": (
        "post",
        lambda n: f"/api/v1/sessions/{n.session.pk}/cancellations/",
        lambda n: {"email": "olive.ours@example.org"},
        Scope.WRITE_REGISTRATIONS,
        200,
    ),
    "issue": (
        "post",
        lambda n: f"/api/v1/sessions/{n.session.pk}/certificates/",
        lambda n: None,
        Scope.WRITE_CERTIFICATES,
        409,  # the program has no accreditation: the page's own refusal
    ),
    "send_report": (
        "post",
        lambda n: f"/api/v1/sessions/{n.session.pk}/attendance-imports/",
        lambda n: {"report": _report()},
        Scope.WRITE_ATTENDANCE,
        202,
    ),
    "attendance_import": (
        "get",
        lambda n: f"/api/v1/attendance-imports/{_import(n)}/",
        lambda n: None,
        Scope.WRITE_ATTENDANCE,
        200,
    ),
    "apply_import": (
        "post",
        lambda n: f"/api/v1/attendance-imports/{_import(n)}/apply/",
        lambda n: None,
        Scope.WRITE_ATTENDANCE,
        200,
    ),
    "reach": (
        "get",
        lambda n: f"/api/v1/programs/{n.program.slug}/reach/",
        lambda n: None,
        Scope.READ_REPORTS,
        200,
    ),
    "evaluation": (
        "get",
        lambda n: f"/api/v1/programs/{n.program.slug}/evaluation/",
        lambda n: None,
        Scope.READ_EVALUATIONS,
        200,
    ),
}


def expected_operation(kind: str, scope: str, success: int) -> int:
    if kind == "none":
        return 401
    if kind == "other:all":
        return 404  # our hub's session or program, as if it did not exist
    if kind.startswith("own:") and kind != f"own:{scope}":
        return 403
    return success


@pytest.mark.parametrize("kind", sorted(TOKENS))
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_every_operation_by_token(
    network: Network, people: People, make_token: Any, kind: str, operation: str
) -> None:
    method, path, body, scope, success = OPERATIONS[operation]
    client = api_client(secret_for(kind, network, make_token))
    data = body(network)
    if method == "get":
        response = client.get(path(network))
    elif data and "report" in data:
        response = client.post(path(network), data)
    else:
        response = client.post(path(network), data or {}, content_type="application/json")
    assert response.status_code == expected_operation(kind, scope, success), (kind, operation)
    text = response.content.decode()
    assert people.theirs.email not in text  # never the other hub's people
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
