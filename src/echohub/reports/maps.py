"""A map of Canada shaded by a number per province or territory, drawn on the server as SVG.

The outlines come from Natural Earth (public domain), projected and simplified once by
`shapes/build.py` into `shapes/canada.json`. The map has no script and no style attribute
(the CSP forbids both): each province is a `<path>` whose class (`map-shade-0` …
`map-shade-5`, `map-shade-hidden`) echohub.css colours, and whose `<title>` names it with
its figure, for a pointer's tooltip and for screen readers. Hidden figures are filled with
a hatching pattern the SVG defines itself (its colours classes too), named by a `fill`
presentation attribute because its id is the map's own.

Shading: 0 (no one) has its own class; a positive value `v` falls in class
ceil(5 × v / max), so the largest figure is always in the darkest class and each class
covers a fifth of the range. A value of None is a figure kept back because it is too small
to show ("fewer than 5") and is hatched. A province missing from the values counts as 0.

`map_legend(values)` gives the same classes with their ranges, for a template to draw:

    <ul class="map-legend">{% for class, label in legend %}
      <li><span class="map-swatch {{ class }}"></span> {{ label }}</li>{% endfor %}</ul>
"""

import hashlib
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

SHAPES = Path(__file__).with_name("shapes") / "canada.json"
LEVELS = 5
HIDDEN = "map-shade-hidden"


@cache
def shapes() -> tuple[str, dict[str, str]]:
    """The drawing's viewBox and the SVG path data of each province, by postal code."""
    data = json.loads(SHAPES.read_text(encoding="utf-8"))
    return data["viewBox"], data["paths"]


def codes() -> list[str]:
    return sorted(shapes()[1])


def figure(value: int) -> str:
    return str(number_format(value, force_grouping=True))


def top_value(values: Mapping[str, int | None]) -> int:
    return max((value for value in values.values() if value is not None), default=0)


def shade(value: int | None, top: int) -> str:
    """The class of one value on a map whose largest value is `top`."""
    if value is None:
        return HIDDEN
    if value <= 0 or top <= 0:
        return "map-shade-0"
    return f"map-shade-{min(LEVELS, -(-LEVELS * value // top))}"


def map_legend(values: Mapping[str, int | None]) -> list[tuple[str, str]]:
    """(class, label) for 0, each class that can hold a value ("1–250"), then hidden if used."""
    top = top_value(values)
    legend = [("map-shade-0", figure(0))]
    for level in range(1, LEVELS + 1):
        # The integers v with ceil(5v / top) == level.
        low, high = (level - 1) * top // LEVELS + 1, level * top // LEVELS
        if low > high:
            continue
        label = figure(low) if low == high else f"{figure(low)}–{figure(high)}"
        legend.append((f"map-shade-{level}", label))
    if any(value is None for value in values.values()):
        legend.append((HIDDEN, _("fewer than 5")))
    return legend


def canada_map(
    values: Mapping[str, int | None],
    *,
    names: Mapping[str, str],
    title: str,
    summary_id: str | None = None,
) -> SafeString:
    """An inline <svg> of the 13 provinces and territories, each shaded by its value.

    `names` gives each code's name in the reader's language; `title` labels the image;
    `summary_id`, when given, is the id of the element with the same figures as text (a
    table), which the image is then described by. The map's own ids (its title's, its
    hatching's) start with it, or else with a digest of the title: two maps on one page need
    two summary ids or two titles.
    """
    view_box, paths = shapes()
    top = top_value(values)
    base = summary_id or "canada-map-" + hashlib.sha256(title.encode()).hexdigest()[:8]
    title_id, hatch_id = f"{base}-title", f"{base}-hatch"
    provinces = []
    for code in codes():
        value = values.get(code, 0)
        figure_text = _("fewer than 5") if value is None else figure(value)
        # Translators: a province's name and its figure on the map, "Ontario: 1,234".
        label = _("%(name)s: %(value)s") % {"name": names.get(code, code), "value": figure_text}
        # Hidden figures are hatched by this map's own pattern (grey where patterns fail);
        # a presentation attribute, since the stylesheet cannot know each map's id.
        fill = format_html(' fill="url(#{}) #c9ced4"', hatch_id) if value is None else ""
        provinces.append(
            format_html(
                '<path class="{}" data-province="{}"{} d="{}"><title>{}</title></path>',
                shade(value, top),
                code,
                fill,
                paths[code],
                label,
            )
        )
    hatch = ""
    if any(value is None for value in values.values()):
        hatch = format_html(
            '<defs><pattern id="{}" width="8" height="8" patternUnits="userSpaceOnUse" '
            'patternTransform="rotate(45)"><rect width="8" height="8" class="map-hatch-ground">'
            '</rect><line x1="0" y1="0" x2="0" y2="8" class="map-hatch-line"></line>'
            "</pattern></defs>",
            hatch_id,
        )
    described = format_html(' aria-describedby="{}"', summary_id) if summary_id else ""
    return format_html(
        '<svg class="canada-map" viewBox="{}" width="100%" role="img" aria-labelledby="{}"{} '
        'focusable="false"><title id="{}">{}</title>{}{}</svg>',
        view_box,
        title_id,
        described,
        title_id,
        title,
        hatch,
        SafeString("".join(provinces)),
    )
