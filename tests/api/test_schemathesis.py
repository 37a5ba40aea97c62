"""Property-based fuzzing of every operation of the OpenAPI document (schemathesis), over
HTTP against a live server on loopback, with no token and with a token of each scope:
no answer may be a server error or break the document (status, content type, body,
headers), and every check schemathesis has must pass."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from echohub.api.models import Scope
from tests.api.conftest import ALL_SCOPES, People, certificate
from tests.conftest import Network

# The operations are walked here rather than by schemathesis's pytest plugin, which reads a
# pytest attribute (`Node._nodeid`) that pytest 9 no longer has.
EXAMPLES = 25


@pytest.fixture
def api_schema(
    reference_lists: None, live_server: Any, network: Network, people: People, settings: Any
) -> Iterator[Any]:
    # The fuzzer calls far more often than a partner may: limits are tested on their own.
    settings.API_TOKEN_RATE_LIMIT = settings.API_ANONYMOUS_RATE_LIMIT = 10**6
    certificate(network.participant, network.session)
    return schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")


@pytest.fixture
def token_headers(network: Network, make_token: Any) -> list[dict[str, str]]:
    """No token, a token of each scope of the hub, another hub's with every scope, the
    network's with every scope."""
    secrets = [make_token(network.hub, [scope]) for scope in Scope.values]
    secrets += [make_token(network.other_hub, ALL_SCOPES), make_token(None, ALL_SCOPES)]
    return [{}] + [{"Authorization": f"Bearer {secret}"} for secret in secrets]


def excluded(case: Any) -> list[Any]:
    """A report's bytes are any bytes to the schema, and most are no report: refusing them
    (400, naming the field) is right, where schemathesis would have a schema-valid body
    accepted. Every other check stands for that operation, and every check for the rest."""
    if case.operation.path.endswith("/attendance-imports/") and case.method == "POST":
        return [positive_data_acceptance]
    return []


def test_every_operation(api_schema: Any, token_headers: list[dict[str, str]]) -> None:
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 23
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case: Any) -> None:
            for headers in token_headers:
                case.call_and_validate(headers=headers, excluded_checks=excluded(case))

        fuzz()
