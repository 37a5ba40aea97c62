import datetime as dt

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from echohub.timezones import TZ_COOKIE, zone_choices
from tests.conftest import Network, client_for


def test_choosing_a_zone_sets_the_cookie_and_the_profile(network: Network) -> None:
    client = client_for(network.participant)
    response = client.post(
        reverse("set_timezone"), {"timezone": "America/Winnipeg", "next": "/en/programs/"}
    )
    assert response["Location"] == "/en/programs/"
    assert response.cookies[TZ_COOKIE].value == "America/Winnipeg"
    network.participant.refresh_from_db()
    assert network.participant.timezone == "America/Winnipeg"


def test_an_unknown_zone_is_refused(db: None) -> None:
    response = Client().post(reverse("set_timezone"), {"timezone": "Nowhere/Land"})
    assert response.status_code == 400
    assert response.content.decode() == "Unknown time zone."


def test_next_must_stay_on_this_site(db: None) -> None:
    response = Client().post(
        reverse("set_timezone"),
        {"timezone": "America/Regina", "next": "https://elsewhere.example.com/"},
    )
    assert response["Location"] == "/"


def test_the_profile_zone_wins_over_the_browser_cookie(network: Network) -> None:
    network.participant.timezone = "America/Halifax"
    network.participant.save()
    client = client_for(network.participant)
    client.cookies[TZ_COOKIE] = "America/Vancouver"
    response = client.get(reverse("programs:home"))
    assert response.context["reader_zone"] == "America/Halifax"
    assert response.content.decode().count('data-tz="America/Halifax" data-tz-known="1"') == 1


def test_without_a_cookie_the_default_zone_is_used_and_marked_unknown(db: None) -> None:
    page = Client().get(reverse("programs:home")).content.decode()
    assert 'data-tz="America/Toronto" data-tz-known="0"' in page


def test_a_visitor_abroad_sees_their_own_zone_in_the_list() -> None:
    values = [value for value, _label in zone_choices("Europe/Paris")]
    assert values[0] == "America/St_Johns"
    assert values[-1] == "Europe/Paris"


def test_utc_is_offered_once_whatever_name_the_browser_gives_it(db: None) -> None:
    for current in (None, "UTC", "Etc/UTC", "Etc/Universal", "America/Toronto"):
        assert [value for value, _label in zone_choices(current)].count("UTC") == 1, current
        assert "Etc/UTC" not in dict(zone_choices(current))
    client = Client()
    client.cookies[TZ_COOKIE] = "Etc/UTC"
    page = client.get(reverse("programs:home")).content.decode()
    footer = page[page.index('id="tz-select"') :]
    footer = footer[: footer.index("</select>")]
    assert footer.count("(UTC)") == 1
    assert '<option value="UTC" selected>' in footer


def test_the_report_zone_list_offers_utc_once(network: Network) -> None:
    url = reverse("attendance:session", kwargs={"pk": network.session.pk})
    page = client_for(network.coordinator).get(url).content.decode()
    select = page[page.index('name="zone"') :]
    select = select[: select.index("</select>")]
    assert select.count('value="UTC"') == 1


# What includes/when.html was, word for word, before `{% when %}` replaced it.
WHEN_AS_A_TEMPLATE = (
    '{% load i18n tz zones %}<span class="when"><time datetime="{{ at|utc|date:\'c\' }}">'
    '{{ at|date:"DATE_FORMAT" }}, {{ at|time:"TIME_FORMAT" }} {{ at|zone_abbr }}</time></span>'
)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("zone", ["America/Toronto", "America/St_Johns", "UTC"])
@pytest.mark.parametrize("month", [1, 7])  # standard time and daylight time
def test_the_when_tag_writes_what_the_include_wrote(lang: str, zone: str, month: int) -> None:
    at = dt.datetime(2026, month, 14, 17, 5, tzinfo=dt.UTC)
    context = Context({"at": at})
    with translation.override(lang), timezone.override(zone):
        expected = Template(WHEN_AS_A_TEMPLATE).render(context)
        assert Template("{% load zones %}{% when at %}").render(context) == expected
        # and inside a {% timezone %} block, as the series preview writes it
        block = "{%% load tz zones %%}{%% timezone 'America/Vancouver' %%}%s{%% endtimezone %%}"
        inner = WHEN_AS_A_TEMPLATE.replace("{% load i18n tz zones %}", "")
        assert Template(block % "{% when at %}").render(context) == Template(block % inner).render(
            context
        )
    assert "<time datetime=" in expected


def test_the_when_tag_writes_nothing_for_no_moment() -> None:
    assert Template("{% load zones %}[{% when at %}]").render(Context({"at": None})) == "[]"
