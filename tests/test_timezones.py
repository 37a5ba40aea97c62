from django.test import Client
from django.urls import reverse

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
