"""`{% bar_chart item "id" %}` and `{% trend_chart results "id" %}`: the SVG charts of results."""

from django import template
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import date_format, get_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from echohub.evaluations import charts
from echohub.evaluations.results import ItemResult, ProgramResults
from echohub.templatetags.bilingual import bi

register = template.Library()


@register.simple_tag
def bar_chart(item: ItemResult, cid: str) -> SafeString:
    """The item's distribution, labelled by the caption whose id is `<cid>-cap`."""
    return charts.bars(item.points, f"{cid}-cap")


@register.simple_tag
def trend_chart(results: ProgramResults, cid: str) -> SafeString:
    """The satisfaction mean of each session in date order (gaps where hidden)."""
    return charts.line(
        [
            (date_format(localtime(row.session.starts_at), "SHORT_DATE_FORMAT"), row.satisfaction)
            for row in results.trends
        ],
        f"{cid}-cap",
    )


@register.simple_tag
def trend_rows(results: ProgramResults) -> SafeString:
    """The trend table's rows, one per session: written here rather than in the template,
    since a program can have hundreds of sessions and this is several times faster."""
    if not results.trends:
        return format_html(
            '<tr><td colspan="{}">{}</td></tr>',
            len(results.trend_specs) + 4,
            _("No session has taken place yet."),
        )
    fewer = _("fewer than 5")
    # Looked up once, not per session: the address around a session's id, the date format.
    marker = 987654321
    before, after = reverse("evaluations:session_results", kwargs={"pk": marker}).split(str(marker))
    short_date = get_format("SHORT_DATE_FORMAT")
    rows = []
    for row in results.trends:
        session = row.session
        head = format_html(
            '<tr><th scope="row"><a href="{}{}{}">{}</a> <span class="meta">{}</span></th>',
            before,
            session.pk,
            after,
            dateformat.format(localtime(session.starts_at), short_date),
            bi(session.title),
        )
        if row.hidden:
            cells = format_html(
                '<td>{}</td><td colspan="{}"></td>', fewer, len(results.trend_specs) + 2
            )
        else:
            figures = [
                str(row.responses),
                percent(row.rate),
                one_decimal(row.satisfaction),
                *(one_decimal(mean) for mean in row.means),
            ]
            cells = SafeString("".join(f"<td>{escape(figure)}</td>" for figure in figures))
        rows.append(head + cells + SafeString("</tr>"))
    return SafeString("\n".join(rows))


@register.filter
def percent(share: float | None) -> str:
    return "" if share is None else charts.percent(share)


@register.filter
def one_decimal(value: float | None) -> str:
    return "" if value is None else charts.decimal(value)
