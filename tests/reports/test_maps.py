"""The map of Canada: its shapes, its shading, its legend, and what it may not contain."""

import json
import re
from pathlib import Path

import pytest
from django.utils import translation

from echohub.reference.lists import PROVINCES
from echohub.reference.models import Province
from echohub.reports import maps
from echohub.reports.maps import canada_map, map_legend

CODES = ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"]
NAMES_EN = {code: en for code, en, _fr in PROVINCES}
NAMES_FR = {code: fr for code, _en, fr in PROVINCES}
SHAPES = Path(maps.__file__).with_name("shapes") / "canada.json"


def classes(svg: str) -> dict[str, str]:
    """Each province's class, by its code."""
    found = re.findall(r'<path class="([^"]+)" data-province="([A-Z]{2})"', svg)
    return {code: shade for shade, code in found}


def titles(svg: str) -> dict[str, str]:
    return dict(re.findall(r'data-province="([A-Z]{2})"[^>]*><title>([^<]*)</title>', svg))


def test_the_shapes_have_the_13_provinces_and_territories_and_stay_small() -> None:
    data = json.loads(SHAPES.read_text(encoding="utf-8"))
    assert sorted(data["paths"]) == CODES
    assert data["viewBox"] == "0 0 1000 863"
    assert all(re.fullmatch(r"(M\d+ \d+l[-\d ]+z)+", path) for path in data["paths"].values())
    assert SHAPES.stat().st_size < 80_000


@pytest.mark.django_db
def test_the_map_knows_every_province_of_the_reference_list() -> None:
    assert sorted(Province.objects.values_list("code", flat=True)) == maps.codes() == CODES


def test_every_province_is_drawn_once_with_its_name_and_figure() -> None:
    values = {"ON": 1234, "QC": 617, "PE": 3, "NU": 0, "YT": None}
    with translation.override("en"):
        svg = str(canada_map(values, names=NAMES_EN, title="Participants by province"))
    assert svg.count("<path ") == 13
    assert sorted(classes(svg)) == CODES
    assert titles(svg) == {
        "AB": "Alberta: 0",
        "BC": "British Columbia: 0",
        "MB": "Manitoba: 0",
        "NB": "New Brunswick: 0",
        "NL": "Newfoundland and Labrador: 0",
        "NS": "Nova Scotia: 0",
        "NT": "Northwest Territories: 0",
        "NU": "Nunavut: 0",
        "ON": "Ontario: 1,234",
        "PE": "Prince Edward Island: 3",
        "QC": "Quebec: 617",
        "SK": "Saskatchewan: 0",
        "YT": "Yukon: fewer than 5",
    }


def test_shading_follows_the_values() -> None:
    values = {"ON": 1000, "QC": 801, "BC": 800, "AB": 401, "SK": 200, "MB": 1, "NB": 0}
    values |= {"NS": None, "PE": 600}
    svg = str(canada_map(values, names=NAMES_EN, title="Reach"))
    assert classes(svg) == {
        "ON": "map-shade-5",  # the largest value takes the darkest class
        "QC": "map-shade-5",
        "BC": "map-shade-4",  # 800 is exactly four fifths of 1,000
        "PE": "map-shade-3",
        "AB": "map-shade-3",
        "SK": "map-shade-1",
        "MB": "map-shade-1",
        "NB": "map-shade-0",
        "NS": "map-shade-hidden",
        # not in the values: no one there
        "NL": "map-shade-0",
        "NT": "map-shade-0",
        "NU": "map-shade-0",
        "YT": "map-shade-0",
    }


def test_a_lone_value_is_at_the_top_and_no_values_leave_the_map_blank() -> None:
    assert set(classes(str(canada_map({"PE": 7}, names=NAMES_EN, title="t"))).values()) == {
        "map-shade-0",
        "map-shade-5",
    }
    blank = str(canada_map({}, names=NAMES_EN, title="t"))
    assert set(classes(blank).values()) == {"map-shade-0"}
    assert map_legend({}) == [("map-shade-0", "0")]


def test_the_legend_gives_each_class_its_range() -> None:
    values = {"ON": 1234, "QC": 5, "NU": None}
    with translation.override("en"):
        assert map_legend(values) == [
            ("map-shade-0", "0"),
            ("map-shade-1", "1–246"),
            ("map-shade-2", "247–493"),
            ("map-shade-3", "494–740"),
            ("map-shade-4", "741–987"),
            ("map-shade-5", "988–1,234"),
            ("map-shade-hidden", "fewer than 5"),
        ]
    # With a small top value some classes can hold no whole number: they are left out.
    assert map_legend({"ON": 3, "QC": 1}) == [
        ("map-shade-0", "0"),
        ("map-shade-2", "1"),
        ("map-shade-4", "2"),
        ("map-shade-5", "3"),
    ]


def test_the_legend_agrees_with_the_shading() -> None:
    for top in (1, 2, 5, 6, 7, 13, 100, 1234):
        values = {"ON": top}
        for value in range(top + 1):
            shade = maps.shade(value, top)
            ranges = dict(map_legend(values))
            low, _dash, high = ranges[shade].partition("–")
            assert int(low.replace(",", "")) <= value <= int((high or low).replace(",", ""))


def test_the_svg_is_labelled_and_described() -> None:
    svg = str(canada_map({"ON": 5}, names=NAMES_EN, title="Reach", summary_id="reach-table"))
    assert svg.startswith(
        '<svg class="canada-map" viewBox="0 0 1000 863" width="100%" role="img" '
        'aria-labelledby="reach-table-title" aria-describedby="reach-table" focusable="false">'
        '<title id="reach-table-title">Reach</title>'
    )
    untitled = str(canada_map({"ON": 5}, names=NAMES_EN, title="Reach"))
    label = re.search(r'aria-labelledby="([^"]+)"', untitled)
    assert label is not None
    assert f'<title id="{label[1]}">Reach</title>' in untitled
    assert "aria-describedby" not in untitled


def test_no_style_attribute_and_nothing_from_elsewhere() -> None:
    svg = str(canada_map({"ON": 5, "PE": None}, names=NAMES_EN, title="Reach", summary_id="r"))
    assert "style" not in svg
    assert "http" not in svg
    assert "href" not in svg
    assert "src=" not in svg
    assert "<script" not in svg
    # Its one reference is to the hatching pattern it defines itself, for the hidden figure.
    assert re.findall(r'id="([^"]+)"', svg) == ["r-title", "r-hatch"]
    assert re.findall(r"url\([^)]*\)", svg) == ["url(#r-hatch)"]
    hidden = '<path class="map-shade-hidden" data-province="PE" fill="url(#r-hatch) #c9ced4" d='
    assert hidden in svg


def test_a_map_without_hidden_figures_has_no_hatching() -> None:
    svg = str(canada_map({"ON": 5}, names=NAMES_EN, title="Reach", summary_id="r"))
    assert "<defs>" not in svg
    assert "fill=" not in svg
    assert re.findall(r'id="([^"]+)"', svg) == ["r-title"]


def test_two_maps_on_a_page_have_ids_of_their_own() -> None:
    first = str(canada_map({"ON": None}, names=NAMES_EN, title="Registrants"))
    second = str(canada_map({"ON": None}, names=NAMES_EN, title="Attendees"))
    ids = re.findall(r'id="([^"]+)"', first + second)
    assert len(ids) == 4
    assert len(set(ids)) == 4


def test_names_and_titles_are_escaped() -> None:
    names = NAMES_EN | {"ON": "Ontario <b>&</b>"}
    svg = str(canada_map({"ON": 12}, names=names, title='"Reach" <script>', summary_id="a"))
    assert "<title>Ontario &lt;b&gt;&amp;&lt;/b&gt;: 12</title>" in svg
    assert '<title id="a-title">&quot;Reach&quot; &lt;script&gt;</title>' in svg
    assert "<b>" not in svg
    assert "<script>" not in svg


def test_french_figures_and_typography() -> None:
    values = {"QC": 12345, "NB": None}
    with translation.override("fr"):
        svg = str(canada_map(values, names=NAMES_FR, title="Portée"))
        legend = map_legend(values)
    found = titles(svg)
    assert found["QC"] == "Québec\u00a0: 12\u00a0345"
    assert found["NB"] == "Nouveau-Brunswick\u00a0: moins de 5"
    assert found["PE"] == "Île-du-Prince-Édouard\u00a0: 0"
    assert legend[-2:] == [
        ("map-shade-5", "9\u00a0877–12\u00a0345"),
        ("map-shade-hidden", "moins de 5"),
    ]


def test_the_stylesheet_colours_every_class() -> None:
    css_path = Path(maps.__file__).parent.parent / "static" / "echohub" / "echohub.css"
    css = css_path.read_text(encoding="utf-8")
    assert css.count("{") == css.count("}")
    section = css.split("/* Reports: map of Canada")[1]
    for shade in [f"map-shade-{level}" for level in range(6)]:
        assert re.search(rf"\.{shade} \{{ fill: #[0-9a-f]{{6}}; background-color: #", section)
    assert ".map-shade-hidden { background: repeating-linear-gradient(" in section
    assert ".map-hatch-ground { fill: #" in section
