"""What an operator's load balancer and logs read: readiness, and one timed line per request."""

import logging

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_ready_when_the_database_and_both_caches_answer() -> None:
    response = Client().get(reverse("readyz"))
    assert response.status_code == 200
    assert response.content == b"ready"
    assert response["Content-Type"] == "text/plain"


def test_not_ready_names_what_failed_and_nothing_more(monkeypatch, caplog) -> None:
    pages = caches["pages"]

    def broken(*args, **kwargs):
        raise ConnectionError("redis://secret-host:6379 refused")

    monkeypatch.setattr(pages, "set", broken)
    response = Client().get(reverse("readyz"))
    assert response.status_code == 503
    assert response.content == b"not ready: page cache"
    assert "readiness check failed" in caplog.text


def test_each_request_is_logged_with_its_pattern_status_and_time_never_its_address(
    network, caplog
) -> None:
    caplog.set_level(logging.INFO, logger="echohub.requests")
    token = "a-personal-feed-token-that-must-not-be-logged"
    Client().get(reverse("calendars:personal_feed", kwargs={"token": token}))
    Client().get(reverse("programs:catalogue") + "?q=morphine+overdose")
    Client().get(reverse("programs:catalogue") + "?q=morphine+overdose")
    lines = [r.getMessage() for r in caplog.records if r.name == "echohub.requests"]
    assert len(lines) == 3
    assert not any(token in line or "morphine" in line for line in lines)
    assert lines[1].startswith("GET en/programs/ 200 ")
    assert lines[1].endswith("cache=miss")
    assert lines[2].endswith("cache=hit")
    assert lines[0].split()[2] == "404"
