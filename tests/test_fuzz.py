"""Odd input never makes a server error: every URL, with odd path segments and query values.

Each named pattern is reversed with a placeholder for each of its arguments,
which is then replaced by odd segments (a NUL, a slash, a quote, markup, a
very long word, non-Latin letters…), and fetched by a visitor and by a
national admin (who may reach every page); a query of odd values is added to
every address too. Any answer is fine but a 5xx.
"""

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import translation

from tests.conftest import Network, client_for
from tests.test_access import _walk

PLACEHOLDER = "ZZPLACEHOLDERZZ"
NUMBER = 987654
ODD_SEGMENTS = [
    "%00",
    "a%2Fb",
    "..",
    "%27%22%3Cscript%3E",
    "x" * 300,
    quote("Ωμέγα-écrit-中文"),
    "-1",
    "%C0%AF",  # an invalid UTF-8 sequence
]
ODD_QUERY = "?code=a/b&page=%00&q=%00&hub=%27&program=%3C&kind=bogus&fmt=exe&table=..%2F"


def addresses() -> list[str]:
    found = set()
    for name, _module in _walk(get_resolver().url_patterns):
        if name.startswith("admin:") or name.startswith("account_") or ":" not in name:
            continue
        pattern = _pattern(name)
        if pattern is None:
            continue
        converters = pattern.pattern.converters
        kwargs = {
            key: NUMBER if type(conv).__name__ == "IntConverter" else PLACEHOLDER
            for key, conv in converters.items()
        }
        with translation.override("en"):
            path = reverse(name, kwargs=kwargs or None)
        if PLACEHOLDER in path:
            found.update(path.replace(PLACEHOLDER, odd) for odd in ODD_SEGMENTS)
        found.add(path + ODD_QUERY)
    return sorted(found)


def _pattern(name: str) -> URLPattern | None:
    namespace, _, short = name.partition(":")
    for resolver in get_resolver().url_patterns:
        for candidate in getattr(resolver, "url_patterns", []):
            if getattr(candidate, "namespace", None) != namespace:
                continue
            for pattern in candidate.url_patterns:
                if getattr(pattern, "name", None) == short:
                    return pattern
    return None


@pytest.mark.parametrize("who", ["anonymous", "national_admin"])
def test_no_address_answers_a_server_error(network: Network, who: str) -> None:
    client = Client() if who == "anonymous" else client_for(network.national_admin)
    client.raise_request_exception = False
    paths = addresses()
    assert len(paths) > 400  # every pattern was reached
    errors = []
    for path in paths:
        status = client.get(path).status_code
        if status >= 500:
            errors.append(f"{status} {path[:120]}")
    assert errors == []


def test_forms_with_odd_values_answer_without_a_server_error(network: Network) -> None:
    client = client_for(network.coordinator)
    client.raise_request_exception = False
    odd = {"email": "a\x00b@example.org", "title_en": "\x00", "q": "\x00", "code": "a/b"}
    for path in ("/en/stay-informed/", "/en/manage/updates/new/", "/en/verify/", "/en/library/"):
        assert client.post(path, odd).status_code < 500, path
        assert client.get(path, {"q": "\x00", "code": "\x00"}).status_code < 500, path
