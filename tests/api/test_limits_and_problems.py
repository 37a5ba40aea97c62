"""Rate limits per token and per address, with their headers; every error a problem
(RFC 9457); the OpenAPI document generated from the code, valid, every error documented."""

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command

from echohub.api.models import Scope
from tests.api.conftest import api_client
from tests.conftest import Network


@pytest.fixture(autouse=True)
def _fresh_counters(db: None) -> None:
    cache.clear()


def test_a_token_is_limited_on_its_own_and_told_when_to_come_back(
    network: Network, make_token: Any, settings: Any
) -> None:
    settings.API_TOKEN_RATE_LIMIT = 3
    busy, calm = make_token(network.hub), make_token(network.hub)
    answers = [api_client(busy).get("/api/v1/hubs/") for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert all(a["RateLimit-Limit"] == "3" for a in answers)
    refused = answers[-1]
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Retry-After"] == refused["RateLimit-Reset"]
    assert refused.json()["title"] == "Too many requests"
    # Another token of the same hub has its own count.
    assert api_client(calm).get("/api/v1/hubs/").status_code == 200


def test_calls_without_a_token_are_limited_by_address(network: Network, settings: Any) -> None:
    settings.API_ANONYMOUS_RATE_LIMIT = 2
    first = api_client(REMOTE_ADDR="203.0.113.5")
    other = api_client(REMOTE_ADDR="203.0.113.6")
    assert [first.get("/api/v1/hubs/").status_code for _ in range(3)] == [200, 200, 429]
    assert other.get("/api/v1/hubs/").status_code == 200


@pytest.mark.parametrize(
    ("path", "status", "title"),
    [
        ("/api/v1/nothing-here/", 404, "Not found"),
        ("/api/v1/sessions/0/", 404, "Not found"),
        ("/api/v1/sessions/?cursor=bogus", 404, "Not found"),
        ("/api/v1/registrations/", 401, "Not authenticated"),
    ],
)
def test_errors_are_problem_details(network: Network, path: str, status: int, title: str) -> None:
    response = api_client().get(path)
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert body["title"] == title
    assert body["detail"]


def test_problems_speak_the_callers_language(network: Network) -> None:
    body = api_client().get("/api/v1/registrations/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert body["title"] == "Non authentifié"
    assert body["detail"] == "Cette opération demande un jeton."


def test_a_method_the_operation_does_not_take(network: Network, make_token: Any) -> None:
    response = api_client(make_token(network.hub, [Scope.READ_REGISTRATIONS])).delete(
        "/api/v1/registrations/"
    )
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"


def test_the_openapi_document_is_generated_valid_and_documents_every_error(
    tmp_path: Any,
) -> None:
    out = tmp_path / "openapi.json"
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--format",
        "openapi-json",
        "--file",
        str(out),
    )
    document = json.loads(out.read_text())
    operations = [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) == 23
    for path, method, operation in operations:
        responses = operation["responses"]
        assert {"400", "401", "403", "404", "429"} <= set(responses), (path, method)
        problem = responses["404"]["content"]["application/problem+json"]["schema"]
        assert problem == {"$ref": "#/components/schemas/Problem"}
        success = next(answer for status, answer in responses.items() if status.startswith("2"))
        assert "RateLimit-Remaining" in success["headers"]
        if method == "post":
            assert {"409", "415", "422"} <= set(responses), path
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    served = api_client().get("/api/v1/openapi.json").json()
    assert served["paths"].keys() == document["paths"].keys()


def test_the_reference_page_is_served_from_here(network: Network) -> None:
    html = api_client().get("/api/v1/docs/").content.decode()
    assert '<html lang="en">' in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<style>" not in html
    assert "<script>" not in html
    script = api_client().get("/api/v1/docs/?script=").content.decode()
    assert "/api/v1/openapi.json" in script


def test_a_forged_forwarded_address_does_not_reset_the_count(
    network: Network, settings: Any
) -> None:
    settings.API_ANONYMOUS_RATE_LIMIT = 1
    client = api_client(REMOTE_ADDR="203.0.113.7")
    assert client.get("/api/v1/hubs/").status_code == 200
    forged = client.get("/api/v1/hubs/", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert forged.status_code == 429
