"""Charts drawn on the server as SVG: no script, no style attribute (the CSP forbids both).

Shapes are placed with SVG presentation attributes (x, y, width, fill) and
coloured with classes of echohub.css, so they print as they show. Every chart
is an image labelled by its caption, and the page follows it with the same
figures as a table, for screen readers and for anyone who prefers numbers.
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from echohub.bilingual import active_lang
from echohub.evaluations.results import Point

WIDTH = 360  # the chart's own units: about one to one on a 390 px phone
ROW = 44  # a bar's label line and the bar under it
BAR = 18
LABEL_CHARS = 46


def rounded(value: float, places: int) -> Decimal:
    """Rounded half up (Django's number_format would cut the digits off, not round them)."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent(share: float) -> str:
    space = "\u00a0" if active_lang() == "fr" else ""  # French sets a no-break space before %
    return f"{number_format(rounded(share * 100, 0), decimal_pos=0)}{space}%"


def decimal(value: float) -> str:
    return str(number_format(rounded(value, 1), decimal_pos=1))


def bars(points: Sequence[Point], caption_id: str) -> SafeString:
    """A horizontal bar per point, its length the point's share of the answers."""
    height = ROW * len(points) + 4
    room = WIDTH - 80  # leaves space after the longest bar for its figure
    rows = []
    for index, point in enumerate(points):
        top = index * ROW
        label = Truncator(point.label).chars(LABEL_CHARS)
        if point.hidden:
            rows.append(
                format_html(
                    '<text x="0" y="{}" class="chart-label">{}</text>'
                    '<text x="0" y="{}" class="chart-value">{}</text>',
                    top + 14,
                    label,
                    top + 34,
                    _("fewer than 5"),
                )
            )
            continue
        width = round(room * point.share, 1)
        rows.append(
            format_html(
                '<text x="0" y="{}" class="chart-label">{}</text>'
                '<rect x="0" y="{}" width="{}" height="{}" class="chart-bar"></rect>'
                '<text x="{}" y="{}" class="chart-value">{}</text>',
                top + 14,
                label,
                top + 20,
                max(width, 1),
                BAR,
                width + 6,
                top + 34,
                f"{point.count} ({percent(point.share)})",
            )
        )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="{}" '
        'focusable="false">{}</svg>',
        WIDTH,
        height,
        caption_id,
        SafeString("".join(rows)),
    )


def line(
    points: Sequence[tuple[str, float | None]], caption_id: str, low: int = 1, high: int = 5
) -> SafeString:
    """A line over sessions in date order: a mean between `low` and `high`, or a gap (None)."""
    height, left, right, top, bottom = 220, 34, 12, 12, 40
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    count = len(points)

    def x(index: int) -> float:
        return round(left + (plot_w * index / (count - 1) if count > 1 else plot_w / 2), 1)

    def y(value: float) -> float:
        return round(top + plot_h * (high - value) / (high - low), 1)

    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="chart-grid"></line>'
        '<text x="{}" y="{}" class="chart-axis" text-anchor="end">{}</text>',
        ((left, WIDTH - right, y(v), y(v), left - 6, y(v) + 5, v) for v in range(low, high + 1)),
    )
    # Runs of consecutive shown points make one polyline each; a hidden session breaks the line.
    runs: list[list[str]] = [[]]
    dots = []
    for index, (_label, value) in enumerate(points):
        if value is None:
            runs.append([])
            continue
        runs[-1].append(f"{x(index)},{y(value)}")
        dots.append(
            format_html(
                '<circle cx="{}" cy="{}" r="{}" class="chart-dot"></circle>',
                x(index),
                y(value),
                4 if count <= 40 else 2,
            )
        )
    lines = format_html_join(
        "",
        '<polyline points="{}" class="chart-line" fill="none"></polyline>',
        ((" ".join(run),) for run in runs if len(run) > 1),
    )
    ends = ""
    if points:
        ends = format_html(
            '<text x="{}" y="{}" class="chart-axis">{}</text>'
            '<text x="{}" y="{}" class="chart-axis" text-anchor="end">{}</text>',
            left,
            height - 14,
            points[0][0],
            WIDTH - right,
            height - 14,
            points[-1][0] if count > 1 else "",
        )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-labelledby="{}" '
        'focusable="false">{}{}{}{}</svg>',
        WIDTH,
        height,
        caption_id,
        grid,
        lines,
        SafeString("".join(dots)),
        ends,
    )
