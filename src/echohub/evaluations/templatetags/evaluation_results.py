"""`{% bar_chart item "id" %}` and `{% trend_chart results "id" %}`: the SVG charts of results."""

from django import template
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.timezone import localtime

from echohub.evaluations import charts
from echohub.evaluations.results import ItemResult, ProgramResults

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


@register.filter
def percent(share: float | None) -> str:
    return "" if share is None else charts.percent(share)


@register.filter
def one_decimal(value: float | None) -> str:
    return "" if value is None else charts.decimal(value)
