"""The quarterly funder report as a PDF: the hub's name, the period, the reach figures, the
outcomes, and charts with their figures, in English or French (reportlab, DejaVu Sans).

Small groups are always hidden here ("fewer than 5"): the report leaves the hub.
"""

import io
import re
from collections.abc import Sequence
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Path, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from echohub.bilingual import active_lang
from echohub.certificates.documents import BOLD, REGULAR
from echohub.evaluations.charts import percent
from echohub.evaluations.moore import moore_summary
from echohub.reports import exports, figures, maps
from echohub.reports.figures import Breakdown, Scope

INK = colors.HexColor("#16324a")
ACCENT = colors.HexColor("#2a6f97")
PALE = colors.HexColor("#e8f0f6")
CHARTED = ("provinces", "professions", "settings", "rurality")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=13, textColor=INK)
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=18, leading=22),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=BOLD, fontSize=12.5, leading=16, spaceBefore=8, spaceAfter=4
        ),
        "meta": ParagraphStyle("meta", parent=base, fontSize=8, leading=10.5, textColor=ACCENT),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
    }


def _n(value: float | int, places: int = 0) -> str:
    return str(number_format(value, decimal_pos=places, force_grouping=True))


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], widths: Sequence[float]) -> Table:
    style = _styles()["cell"]
    data = [[Paragraph(f"<b>{h}</b>", style) for h in header]]
    data += [
        [Paragraph(str(cell if cell is not None else "—"), style) for cell in row] for row in rows
    ]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), PALE),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#b7c9d6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _bars(breakdown: Breakdown, width: float) -> Drawing | None:
    cells = [c for c in breakdown.cells if c.counts.participations and not c.hidden][:14]
    if not cells:
        return None
    height = 16 * len(cells) + 20
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 150, 10
    chart.width, chart.height = width - 200, height - 20
    chart.data = [[c.counts.participations for c in reversed(cells)]]
    chart.categoryAxis.categoryNames = [c.label[:32] for c in reversed(cells)]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7.5
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = lambda v: _n(v)
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 12
    drawing.add(chart)
    drawing.add(String(0, height - 8, "", fontName=REGULAR, fontSize=1))
    return drawing


def _rows(breakdown: Breakdown) -> list[list[Any]]:
    whole = sum(c.counts.participations for c in breakdown.cells)
    rows = []
    for cell in breakdown.cells:
        if cell.hidden:
            rows.append([cell.label, _("fewer than 5"), _("fewer than 5"), "", ""])
            continue
        c = cell.counts
        rows.append(
            [
                cell.label,
                _n(c.participations),
                _n(c.people),
                percent(c.participations / whole) if whole else "—",
                _n(c.hours, 1),
            ]
        )
    return rows


def funder_report(scope: Scope, names: Sequence[str], *, lang: str | None = None) -> bytes:
    with translation.override(lang or active_lang()):
        return _report(scope, names)


def _report(scope: Scope, names: Sequence[str]) -> bytes:
    s = _styles()
    buffer = io.BytesIO()
    who = scope.program or scope.hub
    name = str(who) if who else _("The network")
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=_("Reach report: %(name)s") % {"name": name},
        author="EchoHub",
        invariant=1,
    )
    width = LETTER[0] - 36 * mm
    story: list[Any] = [
        Paragraph(_("Reach report"), s["title"]),
        Paragraph(f"<b>{name}</b>", s["body"]),
        Paragraph(scope.period.label, s["body"]),
    ]
    filters = [str(x) for x in (scope.profession, scope.province) if x]
    if filters:
        story.append(Paragraph(_("Only: %(filters)s") % {"filters": ", ".join(filters)}, s["meta"]))
    story.append(
        Paragraph(
            _("Prepared on %(date)s. Groups of fewer than 5 people are shown as “fewer than 5”.")
            % {"date": date_format(timezone.localdate(), "DATE_FORMAT")},
            s["meta"],
        )
    )
    story.append(Spacer(1, 6))
    _title, header, rows = exports.summary(scope, outcomes=False)
    story += [
        Paragraph(_("Reach"), s["h2"]),
        _table(
            header,
            [[label, _n(v, 1) if isinstance(v, float) else v] for label, v in rows],
            [width * 0.7, width * 0.3],
        ),
    ]
    moore = moore_summary(scope.programs(), scope.period.start, scope.period.last_day)
    story += [Paragraph(_("Outcomes (Moore’s levels)"), s["h2"]), _moore_table(moore, width)]
    over_time = figures.series(scope, suppress=True)
    if over_time:
        series = Breakdown(
            "over-time",
            _("Participations over time"),
            [figures.Cell(p.key, p.label, p.counts) for p in over_time],
        )
        story += _section(series, width, chart=True)
    shown = {name: figures.breakdown(scope, name, suppress=True) for name in names}
    for breakdown_name, found in shown.items():
        story += _section(found, width, chart=breakdown_name in CHARTED)
    province = shown["provinces"]
    values = {c.key: (None if c.hidden else c.counts.people) for c in province.cells if c.key}
    story.append(
        KeepTogether(
            [
                Paragraph(_("Participants by province and territory"), s["h2"]),
                _map(values, width * 0.8),
                Paragraph(
                    " · ".join(f"{label}" for _css, label in maps.map_legend(values)),
                    s["meta"],
                ),
            ]
        )
    )
    document.build(story)
    return buffer.getvalue()


def _section(breakdown: Breakdown, width: float, *, chart: bool) -> list[Any]:
    s = _styles()
    parts: list[Any] = [Paragraph(breakdown.title, s["h2"])]
    if chart:
        drawing = _bars(breakdown, width)
        if drawing is not None:
            parts.append(drawing)
    header = [
        breakdown.title,
        _("Participations"),
        _("Unique participants"),
        _("Share"),
        _("Hours of learning"),
    ]
    parts.append(
        _table(
            header,
            _rows(breakdown) or [[_("No participation in this period."), "", "", "", ""]],
            [width * 0.36, width * 0.16, width * 0.16, width * 0.14, width * 0.18],
        )
    )
    return [KeepTogether(parts[:2]), *parts[2:]] if len(parts) > 2 else parts


# The map's classes in print: the stylesheet's colours (echohub.css, "map of Canada").
SHADES = {
    "map-shade-0": "#f7f8f9",
    "map-shade-1": "#94d1df",
    "map-shade-2": "#54a8c1",
    "map-shade-3": "#2583a4",
    "map-shade-4": "#186080",
    "map-shade-5": "#0b405c",
    maps.HIDDEN: "#c9ced4",
}
_COMMAND = re.compile(r"([Mlz])([^Mlz]*)")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _map(values: dict[str, int | None], width: float) -> Drawing:
    """The web page's map, drawn again in PDF: the same shapes and shades (the shapes'
    path data uses only M, l and z)."""
    view_box, paths = maps.shapes()
    _x, _y, box_width, box_height = (float(n) for n in view_box.split())
    scale = width / box_width
    drawing = Drawing(width, box_height * scale)
    top = maps.top_value(values)
    for code in maps.codes():
        colour = colors.HexColor(SHADES[maps.shade(values.get(code, 0), top)])
        shape = Path(fillColor=colour, strokeColor=colors.HexColor("#39434f"), strokeWidth=0.3)
        x = y = 0.0
        for command, numbers in _COMMAND.findall(paths[code]):
            found = [float(n) for n in _NUMBER.findall(numbers)]
            if command == "z":
                shape.closePath()
                continue
            pairs = list(zip(found[::2], found[1::2], strict=True))
            for index, (dx, dy) in enumerate(pairs):
                if command == "M" and index == 0:
                    x, y = dx, dy
                    shape.moveTo(x * scale, (box_height - y) * scale)
                else:  # "l", and the implicit lines after an "M"'s first pair
                    x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
                    shape.lineTo(x * scale, (box_height - y) * scale)
        drawing.add(shape)
    return drawing


def _moore_table(moore: Any, width: float) -> Table:
    fewer = _("fewer than 5")

    def share(value: float | None, n: int) -> str:
        if value is not None:
            return f"{percent(value)} ({_n(n)})"
        return fewer if n else "—"

    def change(summary: Any) -> str:
        if summary is None:
            return "—"
        if summary.hidden:
            return fewer
        return _("%(before)s before, %(after)s after; %(share)s improved (%(n)s pairs)") % {
            "before": _n(summary.before, 1),
            "after": _n(summary.after, 1),
            "share": percent(summary.improved),
            "n": _n(summary.pairs),
        }

    rows = [
        [_("Level 2: satisfaction"), share(moore.satisfied, moore.satisfaction_responses)],
        [_("Level 3: knowledge"), change(moore.knowledge)],
        [_("Level 4: competence"), change(moore.competence)],
        [_("Level 5: performance"), share(moore.practice_change, moore.follow_up_responses)],
    ]
    return _table([_("Level"), _("Result")], rows, [width * 0.4, width * 0.6])
