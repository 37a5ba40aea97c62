"""The coordinator's certificate page at 300 participants: filters, pages, bulk actions."""

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from echohub.accounts.models import User
from echohub.attendance.models import Attendance
from echohub.certificates import services
from echohub.certificates.models import Certificate
from echohub.programs.models import Program, Session
from tests.certificates.test_certificates import accredit, held
from tests.conftest import Network, client_for
from tests.factories import UserFactory
from tests.programs.test_public_views import text

# Who is who among the 300: by the number in their name.
ELIGIBLE = range(0, 150)  # 50 of 60 minutes, no certificate yet
TOO_SHORT = range(150, 230)  # 10 minutes
ISSUED = range(240, 300)
REVOKED = range(230, 240)


def three_hundred(network: Network) -> tuple[Session, dict[int, User]]:
    session = held(network.program, 3)
    accredit(network.program)
    people = User.objects.bulk_create(
        User(
            email=f"att{i:03d}@example.org",
            name=f"Participant {i:03d}",
            profession_id="family-physician" if i % 2 else "registered-nurse",
        )
        for i in range(300)
    )
    by_number = {int(p.name.split()[-1]): p for p in User.objects.filter(email__startswith="att")}
    Attendance.objects.bulk_create(
        Attendance(
            session=session,
            person=person,
            minutes=10 if int(person.name.split()[-1]) in TOO_SHORT else 50,
            source="report",
        )
        for person in people
    )
    chosen = {by_number[i].pk for i in (*ISSUED, *REVOKED)}
    services.issue_for_session(session, by=network.coordinator, people=chosen)
    for certificate in Certificate.objects.filter(person__in=[by_number[i] for i in REVOKED]):
        services.revoke(certificate, reason="Wrong person", by=network.coordinator)
    return session, by_number


def page(network: Network, **params: Any) -> str:
    url = reverse("certificates:manage", kwargs={"slug": network.program.slug})
    return text(client_for(network.coordinator).get(url, params))


def names(words: str, numbers: range | list[int]) -> list[bool]:
    return [f"Participant {i:03d}" in words for i in numbers]


def test_the_page_shows_where_each_of_300_stands_in_a_fixed_number_of_queries(
    network: Network,
) -> None:
    session, _people = three_hundred(network)
    client = client_for(network.coordinator)
    url = reverse("certificates:manage", kwargs={"slug": network.program.slug})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"session": session.pk})
    assert len(queries) <= 12, [q["sql"] for q in queries.captured_queries]
    words = text(response)
    for label in (
        "Eligible (150)",
        "Issued (60)",
        "Not eligible (80)",
        "Revoked (10)",
        "All (300)",
    ):
        assert label in words
    # One page of 50, not one long form of 300.
    assert sum(names(words, range(300))) == 50
    assert "Page 1 of 6" in words


def test_filters_return_the_right_people(network: Network) -> None:
    session, _people = three_hundred(network)
    eligible = page(network, session=session.pk, status="eligible")
    assert all(names(eligible, range(0, 50)))
    assert not any(names(eligible, [*TOO_SHORT, *ISSUED, *REVOKED]))
    assert "Page 1 of 3" in eligible
    third = page(network, session=session.pk, status="eligible", page=3)
    assert all(names(third, range(100, 150)))
    assert not any(names(third, range(0, 100)))
    issued = page(network, session=session.pk, status="issued")
    assert all(names(issued, range(240, 290)))  # the first page of 60
    assert not any(names(issued, [*ELIGIBLE, *REVOKED]))
    short = page(network, session=session.pk, status="not_eligible")
    assert all(names(short, range(150, 200)))
    assert not any(names(short, [*ELIGIBLE, *ISSUED]))
    revoked = page(network, session=session.pk, status="revoked")
    assert all(names(revoked, REVOKED))
    assert not any(names(revoked, [*ELIGIBLE, *ISSUED]))
    found = page(network, session=session.pk, q="participant 12")
    assert all(names(found, range(120, 130)))
    assert sum(names(found, range(300))) == 10
    # Search ignores accents and case: "amelie" finds Amélie.
    User.objects.filter(email="att007@example.org").update(name="Amélie Participant 007")
    assert "Amélie Participant 007" in page(network, session=session.pk, q="AMELIE")


def test_issue_selected_issues_only_those_ticked(network: Network) -> None:
    session, people = three_hundred(network)
    ticked = [people[i].pk for i in (3, 4, 151)]  # 151 attended too little
    client_for(network.coordinator).post(
        reverse("certificates:issue", kwargs={"slug": network.program.slug}),
        {"session": session.pk, "person": ticked, "issue": "selected"},
    )
    new = Certificate.objects.filter(person_id__in=ticked, revoked_at__isnull=True)
    assert sorted(c.person.name for c in new) == ["Participant 003", "Participant 004"]
    assert Certificate.objects.filter(revoked_at__isnull=True).count() == 62


def test_issue_all_eligible_leaves_the_revoked_alone(
    network: Network, django_capture_on_commit_callbacks: Any
) -> None:
    session, people = three_hundred(network)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(network.coordinator).post(
            reverse("certificates:issue", kwargs={"slug": network.program.slug}),
            {"session": session.pk, "issue": "all"},
        )
    valid = Certificate.objects.filter(revoked_at__isnull=True)
    assert valid.count() == 150 + 60
    assert not valid.filter(person__in=[people[i] for i in REVOKED]).exists()
    assert "Eligible (0)" in page(network, session=session.pk)


def test_another_hubs_session_is_not_listed(network: Network) -> None:
    response = client_for(network.coordinator).get(
        reverse("certificates:manage", kwargs={"slug": network.program.slug}),
        {"session": network.other_session.pk},
    )
    assert response.status_code == 404


def test_a_cycle_program_lists_people_by_completion(network: Network) -> None:
    program = network.program
    program.certificates, program.completion_percent = Program.Certificates.CYCLE, 60
    program.save()
    accredit(program)
    sessions = [held(program, days) for days in (16, 9, 2)]
    keen = UserFactory(name="Keen Keeley", profession_id="registered-nurse")
    casual = UserFactory(name="Casual Carter")
    for session in sessions[:2]:
        Attendance.objects.create(session=session, person=keen, minutes=60, source="report")
    Attendance.objects.create(session=sessions[0], person=casual, minutes=60, source="report")
    eligible = page(network, status="eligible")
    assert "Keen Keeley" in eligible
    assert "2 sessions" in eligible
    assert "Casual Carter" not in eligible
    assert "Casual Carter" in page(network, status="not_eligible")
    [certificate] = services.issue_for_cycle(program, by=network.coordinator)
    assert certificate.credits == []  # Mainpro+ is for family physicians, not nurses
    assert "Keen Keeley" in page(network, status="issued")
