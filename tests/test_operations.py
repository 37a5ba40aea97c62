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


def test_metrics_are_off_without_a_token_and_refused_without_the_right_one(settings) -> None:
    assert Client().get("/metrics").status_code == 404
    settings.METRICS_TOKEN = "scrape-token-for-the-test"
    refused = Client().get("/metrics", headers={"Authorization": "Bearer guessed"})
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert Client().get("/metrics").status_code == 401


def test_metrics_count_requests_by_pattern_and_the_page_cache_by_result(network, settings) -> None:
    settings.METRICS_TOKEN = "scrape-token-for-the-test"
    scraper = {"Authorization": "Bearer scrape-token-for-the-test"}

    def figure(text: str, name: str, **labels: str) -> float:
        wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
        for line in text.splitlines():
            if (
                line.startswith(f"{name}{{")
                and ",".join(sorted(line[len(name) + 1 : line.index("}")].split(","))) == wanted
            ):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    before = Client().get("/metrics", headers=scraper).content.decode()
    url = reverse("programs:catalogue")
    Client().get(url + "?q=morphine")
    Client().get(url + "?q=morphine")
    Client().post(url, {"q": "x"})
    after = Client().get("/metrics", headers=scraper)
    assert after.status_code == 200
    assert after["Content-Type"].startswith("text/plain; version=")
    assert "no-cache" in after["Cache-Control"]
    text = after.content.decode()
    count = "echohub_request_duration_seconds_count"
    get = {"method": "GET", "route": "en/programs/", "status": "200"}
    assert figure(text, count, **get) - figure(before, count, **get) == 2
    post = {"method": "POST", "route": "en/programs/", "status": "200"}
    assert figure(text, count, **post) - figure(before, count, **post) == 1
    hits = "echohub_page_cache_requests_total"
    assert figure(text, hits, result="hit") - figure(before, hits, result="hit") == 1
    assert figure(text, hits, result="miss") - figure(before, hits, result="miss") == 1
    assert "morphine" not in text  # patterns, never addresses or what was searched
