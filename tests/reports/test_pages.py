"""The dashboards: who may read them, what they show, their downloads."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from echohub.reports.models import Participation
from tests.conftest import client_for
from tests.reports.conftest import HandMade


def test_who_reads_which_dashboard(hand_made: HandMade) -> None:
    n = hand_made.network
    national = reverse("reports:national")
    ontario = reverse("reports:hub", kwargs={"slug": n.hub.slug})
    p1 = reverse("reports:program", kwargs={"slug": hand_made.p1.slug})
    records = reverse("reports:records", kwargs={"slug": n.hub.slug})
    assert client_for(n.national_admin).get(national).status_code == 200
    assert client_for(n.hub_admin).get(national).status_code == 404
    assert client_for(n.participant).get(national).status_code == 404
    assert client_for(None).get(national).status_code == 302  # to the login page
    for user in (n.hub_admin, n.coordinator, n.national_admin):
        assert client_for(user).get(ontario).status_code == 200
        assert client_for(user).get(p1).status_code == 200
        assert client_for(user).get(records).status_code == 200
    for user in (n.other_coordinator, n.other_admin, n.participant, n.facilitator):
        assert client_for(user).get(ontario).status_code == 404
        assert client_for(user).get(p1).status_code == 404
        assert client_for(user).get(records).status_code == 404
    assert (
        client_for(n.national_admin)
        .get(reverse("reports:hub", kwargs={"slug": "no-such-hub"}))
        .status_code
        == 404
    )


def figure(page: str, name: str) -> str:
    start = page.index(f'data-figure="{name}">') + len(f'data-figure="{name}">')
    return page[start : page.index("<", start)].strip()


def test_the_hub_dashboard_shows_its_figures(hand_made: HandMade) -> None:
    n = hand_made.network
    page = (
        client_for(n.coordinator)
        .get(reverse("reports:hub", kwargs={"slug": n.hub.slug}))
        .content.decode()
    )
    assert [figure(page, f) for f in ("participations", "people", "registered", "no_shows")] == [
        "6",
        "5",
        "3",
        "1",
    ]
    # The hub's own staff read exact small counts; no "fewer than 5".
    assert 'colspan="4">fewer than 5' not in page
    assert '<path class="map-shade' in page


def test_outside_the_hub_small_groups_are_hidden(hand_made: HandMade) -> None:
    n = hand_made.network
    page = client_for(n.national_admin).get(reverse("reports:national")).content.decode()
    assert figure(page, "participations") == "7"
    assert 'colspan="4">fewer than 5' in page
    found = client_for(n.national_admin).get(
        reverse("reports:national_table", kwargs={"table": "provinces", "fmt": "csv"})
    )
    rows = list(csv.reader(io.StringIO(found.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Provinces and territories"
    assert {row[0]: row[1] for row in rows[1:]} == {
        "Ontario": "fewer than 5",
        "Quebec": "fewer than 5",
        "Not given": "fewer than 5",
    }


def test_filters_narrow_every_figure(hand_made: HandMade) -> None:
    n = hand_made.network
    page = (
        client_for(n.national_admin)
        .get(
            reverse("reports:national"),
            {"period": "2025q2", "profession": "registered-nurse", "province": "ON"},
        )
        .content.decode()
    )
    # A2: nurse_on (unregistered) and nurse_on2 (registered).
    assert [figure(page, f) for f in ("participations", "people", "new", "returning")] == [
        "2",
        "2",
        "1",
        "1",
    ]
    bad = client_for(n.national_admin).get(reverse("reports:national"), {"period": "2025q9"})
    assert "Choose a period from the list." in bad.content.decode()


def test_exports_are_formula_safe(hand_made: HandMade) -> None:
    n = hand_made.network
    hand_made.p1.title_en = '=HYPERLINK("http://example.org")'
    hand_made.p1.save()
    found = client_for(n.coordinator).get(
        reverse("reports:hub_table", kwargs={"slug": n.hub.slug, "table": "programs", "fmt": "csv"})
    )
    rows = list(csv.reader(io.StringIO(found.content.decode("utf-8-sig"))))
    assert rows[1][0] == '\'=HYPERLINK("http://example.org")'
    assert rows[1][1:3] == ["6", "5"]
    found = client_for(n.coordinator).get(
        reverse(
            "reports:hub_table", kwargs={"slug": n.hub.slug, "table": "programs", "fmt": "xlsx"}
        )
    )
    sheet = load_workbook(io.BytesIO(found.content)).active
    assert sheet is not None
    assert sheet["A2"].value == '\'=HYPERLINK("http://example.org")'
    assert sheet["B2"].value == 6


def test_the_funder_report_in_both_languages(hand_made: HandMade) -> None:
    n = hand_made.network
    url = reverse("reports:hub_pdf", kwargs={"slug": n.hub.slug})
    for lang, words in (("en", "Reach report"), ("fr", "Rapport de portée")):
        found = client_for(n.coordinator).get(url, {"period": "fy2025", "lang": lang})
        assert found["Content-Type"] == "application/pdf"
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(found.content)).pages)
        assert words in text
        assert n.hub.name_en in text or n.hub.name_fr in text
        assert "fewer than 5" in text or "moins de 5" in text


def test_the_hubs_records(hand_made: HandMade) -> None:
    n = hand_made.network
    found = client_for(n.coordinator).get(reverse("reports:records", kwargs={"slug": n.hub.slug}))
    book = load_workbook(io.BytesIO(found.content))
    assert book.sheetnames == ["Sessions", "Participants", "Attendance"]
    people = {row[1]: row for row in book["Participants"].iter_rows(min_row=2, values_only=True)}
    assert people[hand_made.nurse_on2.email][-3:] == (2, 1, "Attended")
    assert people[hand_made.nurse_on.email][2] == "Registered nurse"
    attendance = list(book["Attendance"].iter_rows(min_row=2, values_only=True))
    assert (
        len(attendance) == Participation.objects.filter(hub=n.hub).exclude(kind="no_show").count()
    )
    # Another hub's participation (B1) is not in Ontario's records.
    assert all(row[0] != hand_made.b1.pk for row in attendance)


def test_dashboard_queries_do_not_grow_with_the_data(
    hand_made: HandMade, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    n = hand_made.network
    client = client_for(n.national_admin)
    client.get(reverse("reports:national"))  # warm the session and caches
    with django_assert_max_num_queries(40) as before:
        client.get(reverse("reports:national"))
    from tests.factories import SessionFactory, UserFactory
    from tests.reports.conftest import at, present

    extra = SessionFactory(program=hand_made.p2, starts_at=at("2025-09-09"))
    for _ in range(6):
        present(extra, UserFactory(profession_id="psw", province_id="BC"), 30, n.other_coordinator)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(reverse("reports:national"))


def test_a_download_with_a_filter_the_page_would_refuse_is_not_found(hand_made: HandMade) -> None:
    n = hand_made.network
    url = reverse("reports:national_table", kwargs={"table": "provinces", "fmt": "csv"})
    assert client_for(n.national_admin).get(url, {"period": "2025q9"}).status_code == 404
    assert client_for(n.national_admin).get(url, {"province": "XX"}).status_code == 404
    assert client_for(n.national_admin).get(url, {"period": "2025q2"}).status_code == 200


def test_the_records_link_shows_to_those_the_records_serve(hand_made: HandMade) -> None:
    n = hand_made.network
    records = reverse("reports:records", kwargs={"slug": n.hub.slug})
    hub_page = reverse("reports:hub", kwargs={"slug": n.hub.slug})
    for user in (n.coordinator, n.hub_admin, n.national_admin):
        assert records in client_for(user).get(hub_page).content.decode()
    program_page = reverse("reports:program", kwargs={"slug": "p1"})
    assert records not in client_for(n.coordinator).get(program_page).content.decode()
