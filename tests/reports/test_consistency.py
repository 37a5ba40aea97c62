"""Every page that shows attendance figures agrees with the others and with itself.

The session and program attendance pages compute them live, the dashboards from the
aggregates; both use the same parts (`reports.classify`)."""

import re

import pytest
from django.urls import reverse

from tests.conftest import client_for
from tests.reports.conftest import HandMade

PARTS = ("registered", "registered_attended", "no_shows", "unregistered", "walk_ins", "staff")


def figures_of(page: str) -> dict[str, int]:
    """Each `data-figure` on the page, the first of each name (the page's headline)."""
    found: dict[str, int] = {}
    for name, value in re.findall(r'data-figure="(\w+)">\s*([\d,]+)', page):
        found.setdefault(name, int(value.replace(",", "")))
    return found


def test_every_page_adds_up_and_agrees(hand_made: HandMade) -> None:
    n = hand_made.network
    coordinator = client_for(n.coordinator)
    national = client_for(n.national_admin)

    def get(client, name: str, query: dict | None = None, **kwargs: object) -> dict[str, int]:  # type: ignore[no-untyped-def, type-arg]
        response = client.get(reverse(name, kwargs=kwargs or None), query or {})
        assert response.status_code == 200
        return figures_of(response.content.decode())

    pages = {
        "session A1": get(coordinator, "attendance:session", pk=hand_made.a1.pk),
        "program A1's month": get(coordinator, "reports:program", {"period": "2025-05"}, slug="p1"),
        "program page": get(coordinator, "attendance:program", slug="p1"),
        "program report": get(coordinator, "reports:program", slug="p1"),
        "hub, program P1": get(coordinator, "reports:hub", {"program": "p1"}, slug=n.hub.slug),
        "hub": get(coordinator, "reports:hub", slug=n.hub.slug),
        "network": get(national, "reports:national"),
        "network, Ontario hub": get(national, "reports:national", {"hub": n.hub.slug}),
    }
    for name, shown in pages.items():
        assert set(PARTS) | {"participations"} <= shown.keys(), name
        parts = shown["registered_attended"] + shown["unregistered"] + shown["walk_ins"]
        assert parts + shown["staff"] == shown["participations"], name
        assert (
            shown["registered"] + shown["unregistered"] + shown["walk_ins"] + shown["staff"]
            >= shown["participations"]
        ), name
        assert shown["registered_attended"] + shown["no_shows"] == shown["registered"], name

    def same(*names: str) -> None:
        first = {part: pages[names[0]][part] for part in (*PARTS, "participations")}
        for other in names[1:]:
            assert {part: pages[other][part] for part in first} == first, (names[0], other)

    same("session A1", "program A1's month")
    same("program page", "program report", "hub, program P1", "hub", "network, Ontario hub")
    assert pages["session A1"]["participations"] == 3
    assert pages["hub"]["participations"] == 6
    assert pages["network"]["participations"] == 7


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_dashboards_read_in_both_languages(hand_made: HandMade, lang: str) -> None:
    from django.utils import translation

    with translation.override(lang):
        url = reverse("reports:hub", kwargs={"slug": hand_made.network.hub.slug})
    page = client_for(hand_made.network.coordinator).get(url).content.decode()
    assert figures_of(page)["participations"] == 6
    assert ("Portée du carrefour" in page) == (lang == "fr")
