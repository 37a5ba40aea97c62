import datetime as dt
import re
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from echohub.programs.models import Program, Session
from echohub.programs.series import WallClock, wall_clock
from tests.conftest import Network, client_for
from tests.factories import SessionFactory


def errors(response: Any) -> dict[str, list[str]]:
    """The form's errors by field, as the page shows them."""
    form = response.context["form"]
    return {field: [str(e) for e in errs] for field, errs in form.errors.items()}


def program_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title_en": "Dyspnea in Long-Term Care",
        "title_fr": "La dyspnée en soins de longue durée",
        "description_en": "Eight sessions on breathlessness.",
        "description_fr": "Huit séances sur l'essoufflement.",
        "audience_professions": ["psw", "registered-nurse"],
        "audience_settings": ["long-term-care"],
        "scope": "national",
        "languages": "both",
        "timezone": "America/Toronto",
        "enrolment": "cohort",
        "access": "public",
    }
    data.update(overrides)
    return data


def in_days(days: int) -> dt.date:
    return (timezone.now() + dt.timedelta(days=days)).date()


def test_coordinator_creates_a_draft_program_in_their_hub(network: Network) -> None:
    client = client_for(network.coordinator)
    response = client.post(
        reverse("programs:program_create"), program_data(hub=network.hub.pk), follow=True
    )
    program = Program.objects.get(title_en="Dyspnea in Long-Term Care")
    assert program.hub == network.hub
    assert program.slug == "dyspnea-in-long-term-care"
    assert program.status == Program.Status.DRAFT
    assert program.enrolment == "cohort"
    assert sorted(program.audience_professions.values_list("code", flat=True)) == [
        "psw",
        "registered-nurse",
    ]
    assert "Program created as a draft" in response.content.decode()


def test_a_coordinator_cannot_create_a_program_in_another_hub(network: Network) -> None:
    client = client_for(network.coordinator)
    response = client.post(
        reverse("programs:program_create"), program_data(hub=network.other_hub.pk)
    )
    assert "hub" in errors(response)
    assert not Program.objects.filter(title_en="Dyspnea in Long-Term Care").exists()


def test_bad_program_input_names_each_field_and_saves_nothing(network: Network) -> None:
    client = client_for(network.coordinator)
    response = client.post(
        reverse("programs:program_create"),
        program_data(
            hub=network.hub.pk,
            title_en="<script>alert(1)</script>",
            title_fr="",
            scope="provincial",
            timezone="Mars/Olympus",
        ),
    )
    found = errors(response)
    assert found["title_en"] == ["Use plain text here: HTML tags such as <script> are not allowed."]
    assert found["provinces"] == ["Tick the provinces or territories this program serves."]
    assert found["timezone"][0].startswith("Select a valid choice.")
    assert Program.objects.filter(hub=network.hub).count() == 2


def test_a_program_needs_a_title_in_one_language(network: Network) -> None:
    client = client_for(network.coordinator)
    response = client.post(
        reverse("programs:program_create"),
        program_data(hub=network.hub.pk, title_en="", title_fr=""),
    )
    assert errors(response)["title_en"] == ["Give the title in English, in French or in both."]


def test_editing_a_program_keeps_its_hub_and_saves_changes(network: Network) -> None:
    client = client_for(network.hub_admin)
    url = reverse("programs:program_edit", kwargs={"slug": network.program.slug})
    client.post(url, program_data(title_en="PSW Series, second edition", hub=network.other_hub.pk))
    network.program.refresh_from_db()
    assert network.program.title_en == "PSW Series, second edition"
    assert network.program.hub == network.hub


def test_publish_puts_the_program_in_the_catalogue(network: Network) -> None:
    client = client_for(network.coordinator)
    catalogue = reverse("programs:catalogue")
    network.draft.title_en = "Newly published"
    network.draft.save()
    assert "Newly published" not in Client().get(catalogue).content.decode()
    client.post(reverse("programs:program_publish", kwargs={"slug": network.draft.slug}))
    network.draft.refresh_from_db()
    assert network.draft.status == Program.Status.PUBLISHED
    assert "Newly published" in Client().get(catalogue).content.decode()


def test_a_cancelled_program_cannot_be_published_again(network: Network) -> None:
    client = client_for(network.coordinator)
    client.post(reverse("programs:program_cancel", kwargs={"slug": network.program.slug}))
    response = client.post(
        reverse("programs:program_publish", kwargs={"slug": network.program.slug}), follow=True
    )
    assert "A cancelled program cannot be published again." in response.content.decode()
    network.program.refresh_from_db()
    assert network.program.status == Program.Status.CANCELLED


def series_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title_en": "Session {n}",
        "title_fr": "Séance {n}",
        "first_date": in_days(10).isoformat(),
        "start_time": "12:00",
        "end_time": "13:00",
        "frequency": "biweekly",
        "count": "8",
        "until": "",
        "capacity": "150",
        "join_url": "https://video.example.org/j/42",
    }
    data.update(overrides)
    return data


def test_series_preview_lists_the_dates_without_saving(network: Network) -> None:
    client = client_for(network.coordinator)
    url = reverse("programs:series_create", kwargs={"slug": network.program.slug})
    response = client.post(url, {**series_data(), "preview": "1"})
    assert len(response.context["preview"]) == 8
    assert response.content.decode().count('<li><span class="when">') == 8
    assert network.program.sessions.count() == 1


def test_series_creates_each_session_on_the_programs_wall_clock(network: Network) -> None:
    client = client_for(network.coordinator)
    url = reverse("programs:series_create", kwargs={"slug": network.program.slug})
    response = client.post(url, series_data(), follow=True)
    assert "8 sessions added to the program." in response.content.decode()
    created = network.program.sessions.exclude(pk=network.session.pk).order_by("starts_at")
    assert created.count() == 8
    first_date = in_days(10)
    assert [s.starts_at.astimezone(network.program.zone).date() for s in created][:2] == [
        first_date,
        first_date + dt.timedelta(days=14),
    ]
    assert {s.starts_at.astimezone(network.program.zone).hour for s in created} == {12}
    assert {s.capacity for s in created} == {150}


def test_series_bad_input_gets_clear_messages(network: Network) -> None:
    client = client_for(network.coordinator)
    url = reverse("programs:series_create", kwargs={"slug": network.program.slug})
    cases = {
        "end_time": (series_data(end_time="11:00"), "A session must end after it starts."),
        "first_date": (
            series_data(first_date=in_days(-20).isoformat()),
            "The first session would start in the past.",
        ),
        "until": (
            series_data(count="", until=in_days(3).isoformat()),
            "The last date is before the first session.",
        ),
        "count": (series_data(count=""), "Give a number of sessions or a last date."),
        "capacity": (
            series_data(capacity="-5"),
            "Capacity must be at least 1, or empty for no limit.",
        ),
        "join_url": (
            series_data(join_url="http://video.example.org/j/1"),
            "Give a secure link that starts with https://.",
        ),
        "title_en": (
            series_data(title_en="<b>Bold</b>"),
            "Use plain text here: HTML tags such as <b> are not allowed.",
        ),
    }
    for field, (data, message) in cases.items():
        response = client.post(url, data)
        assert errors(response).get(field) == [message], field
    assert network.program.sessions.count() == 1


def session_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title_en": "Pain at the end of life",
        "title_fr": "La douleur en fin de vie",
        "description_en": "",
        "description_fr": "",
        "date": in_days(20).isoformat(),
        "start_time": "12:00",
        "end_time": "13:30",
        "capacity": "100",
        "join_url": "https://video.example.org/j/77",
        "speakers-TOTAL_FORMS": "1",
        "speakers-INITIAL_FORMS": "0",
        "speakers-0-name": "Dr. Leila Haddad",
        "speakers-0-affiliation": "Hôpital de Sainte-Anne",
        "speakers-0-bio_en": "Palliative care physician.",
        "speakers-0-bio_fr": "Médecin en soins palliatifs.",
    }
    data.update(overrides)
    return data


def test_coordinator_adds_a_session_with_a_speaker(network: Network) -> None:
    client = client_for(network.coordinator)
    url = reverse("programs:session_create", kwargs={"slug": network.program.slug})
    client.post(url, session_data())
    session = Session.objects.get(title_en="Pain at the end of life")
    local = session.starts_at.astimezone(network.program.zone)
    assert (local.date(), local.hour, local.minute) == (in_days(20), 12, 0)
    assert session.duration_minutes == 90
    assert [s.name for s in session.speakers.all()] == ["Dr. Leila Haddad"]


def test_session_bad_input_gets_clear_messages_and_nothing_is_saved(network: Network) -> None:
    client = client_for(network.coordinator)
    url = reverse("programs:session_create", kwargs={"slug": network.program.slug})
    cases = {
        "end_time": (session_data(end_time="11:00"), "The session must end after it starts."),
        "date": (session_data(date=in_days(-2).isoformat()), "This date and time are in the past."),
        "capacity": (
            session_data(capacity="-1"),
            "Capacity must be at least 1, or empty for no limit.",
        ),
        "join_url": (
            session_data(join_url="ftp://x.example.org"),
            "Give a secure link that starts with https://.",
        ),
        "title_en": (
            session_data(title_en="", title_fr=""),
            "Give the title in English, in French or in both.",
        ),
    }
    for field, (data, message) in cases.items():
        response = client.post(url, data)
        assert errors(response).get(field) == [message], field
    impossible = client.post(url, session_data(date="2027-02-30"))
    assert errors(impossible)["date"] == ["Enter a valid date."]
    html_speaker = client.post(url, session_data(**{"speakers-0-name": "<img src=x>"}))
    assert "HTML tags such as &lt;img src=x&gt; are not allowed" in html_speaker.content.decode()
    assert not Session.objects.filter(title_en="Pain at the end of life").exists()


def test_editing_a_past_session_does_not_require_moving_it(network: Network) -> None:
    # Noon in Toronto a week ago: an hour-long session that ends the same day, whatever
    # the time the suite runs (at 04:00 UTC it would start at 23:00 and end past midnight).
    past = SessionFactory(
        program=network.program,
        starts_at=(timezone.now() - dt.timedelta(days=7)).replace(
            hour=17, minute=0, second=0, microsecond=0
        ),
    )
    client = client_for(network.coordinator)
    url = reverse("programs:session_edit", kwargs={"pk": past.pk})
    form = client.get(url).context["form"]
    data = session_data(
        title_en="Renamed afterwards",
        date=form.initial["date"].isoformat(),
        start_time=form.initial["start_time"].strftime("%H:%M"),
        end_time=form.initial["end_time"].strftime("%H:%M"),
        **{"speakers-TOTAL_FORMS": "0"},
    )
    client.post(url, data)
    past.refresh_from_db()
    assert past.title_en == "Renamed afterwards"


def test_cancel_session_shows_on_the_public_page(network: Network) -> None:
    client = client_for(network.coordinator)
    client.post(reverse("programs:session_cancel", kwargs={"pk": network.session.pk}))
    page = Client().get(network.session.get_absolute_url()).content.decode()
    assert "This session is cancelled." in page


def test_panel_add_and_remove(network: Network) -> None:
    client = client_for(network.coordinator)
    url = reverse("programs:panel_add", kwargs={"slug": network.program.slug})
    client.post(url, {"person": network.expert.pk, "role": "expert"})
    manage = reverse("programs:manage_program", kwargs={"slug": network.program.slug})
    page = client.get(manage).content.decode()
    assert re.search(r"Erik Larsen — Hub expert", page)
    member = network.program.team.get()
    client.post(
        reverse(
            "programs:panel_remove", kwargs={"slug": network.program.slug, "member_id": member.pk}
        )
    )
    assert not network.program.team.exists()


def test_panel_refuses_a_participant(network: Network) -> None:
    client = client_for(network.coordinator)
    url = reverse("programs:panel_add", kwargs={"slug": network.program.slug})
    response = client.post(url, {"person": network.participant.pk, "role": "expert"}, follow=True)
    assert "Choose a person and a role." in response.content.decode()
    assert not network.program.team.exists()


def test_dashboard_lists_only_the_persons_hubs_programs(network: Network) -> None:
    page = client_for(network.coordinator).get(reverse("programs:manage")).content.decode()
    assert network.program.title_en in page
    assert network.other_program.title_en not in page
    national = client_for(network.national_admin).get(reverse("programs:manage")).content.decode()
    assert network.program.title_en in national
    assert network.other_program.title_en in national


def test_a_new_program_starts_in_eastern_time(network: Network) -> None:
    form = client_for(network.coordinator).get(reverse("programs:program_create")).context["form"]
    assert form["timezone"].value() == "America/Toronto"


def next_day_where(zone: str, time: dt.time, kind: WallClock) -> dt.date:
    """The next date (a week away at least) on which `time` is skipped or repeated."""
    day = in_days(7)
    while wall_clock(dt.datetime.combine(day, time), zone) is not kind:
        day += dt.timedelta(days=1)
    return day


def test_a_time_the_clocks_skip_is_refused_not_moved(network: Network) -> None:
    client = client_for(network.coordinator)
    url = reverse("programs:session_create", kwargs={"slug": network.program.slug})
    day = next_day_where("America/Toronto", dt.time(2, 30), WallClock.SKIPPED)
    response = client.post(url, session_data(date=day.isoformat(), start_time="02:30"))
    [message] = errors(response)["start_time"]
    assert message.startswith("There is no 2:30 a.m. on ")
    assert message.endswith(
        "in Eastern (Toronto, Ottawa, Montréal): the clocks go forward an hour that night. "
        "Choose another time."
    )
    assert not Session.objects.filter(title_en="Pain at the end of life").exists()


def test_a_time_that_comes_twice_asks_which_one(network: Network) -> None:
    client = client_for(network.coordinator)
    url = reverse("programs:session_create", kwargs={"slug": network.program.slug})
    day = next_day_where("America/Toronto", dt.time(1, 30), WallClock.REPEATED)
    data = session_data(date=day.isoformat(), start_time="01:30", end_time="02:30")
    asked = client.post(url, data)
    [message] = errors(asked)["which_time"]
    assert "1:30 a.m. comes twice on" in message
    assert "choose which one you mean" in message
    page = asked.content.decode()
    assert 'type="radio" name="which_time" value="1"' in page
    assert "The second 1:30 a.m. (UTC\u22125), after the clocks go back" in page
    assert "The first 1:30 a.m. (UTC\u22124)" in page
    assert not Session.objects.filter(title_en="Pain at the end of life").exists()

    client.post(url, {**data, "which_time": "1"})
    session = Session.objects.get(title_en="Pain at the end of life")
    assert session.starts_at == dt.datetime.combine(day, dt.time(6, 30), tzinfo=dt.UTC)


def test_a_series_over_a_skipped_time_is_refused_naming_the_date(network: Network) -> None:
    client = client_for(network.coordinator)
    url = reverse("programs:series_create", kwargs={"slug": network.program.slug})
    day = next_day_where("America/Toronto", dt.time(2, 30), WallClock.SKIPPED)
    first = day - dt.timedelta(days=7)
    data = series_data(
        first_date=first.isoformat(), start_time="02:30", end_time="03:30", frequency="weekly"
    )
    response = client.post(url, data)
    [message] = errors(response)["start_time"]
    assert message.startswith("There is no 2:30 a.m. on ")
    assert str(day.year) in message
    assert network.program.sessions.count() == 1
