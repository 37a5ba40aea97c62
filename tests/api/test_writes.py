"""The API's writes go through the pages' services, with the pages' rules and messages:
registering and cancelling (seats, waiting list, approval, emails), idempotent with an
Idempotency-Key; a report sent, previewed and applied; a session's certificates issued."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from echohub.api.models import IdempotentRequest, Scope
from echohub.attendance.models import Attendance, AttendanceImport
from echohub.certificates.models import Certificate
from echohub.programs.models import Session
from echohub.registration.models import Registration
from tests.api.conftest import api_client
from tests.certificates.test_certificates import accredit, held, physician
from tests.conftest import Network
from tests.factories import UserFactory

WRITE = [Scope.WRITE_REGISTRATIONS]


def register(secret: str, session: Session, email: str, **headers: str) -> Any:
    return api_client(secret).post(
        f"/api/v1/sessions/{session.pk}/registrations/",
        {"email": email},
        content_type="application/json",
        **headers,
    )


def test_register_as_on_the_page_then_again(network: Network, make_token: Any) -> None:
    secret = make_token(network.hub, WRITE)
    nurse = UserFactory(email="nurse@example.org")
    first = register(secret, network.session, "Nurse@Example.org")
    assert first.status_code == 201
    assert first.json()["status"] == "confirmed"
    assert first.json()["person"]["email"] == "nurse@example.org"
    assert first.json()["waitlist_position"] is None
    again = register(secret, network.session, "nurse@example.org")
    assert again.status_code == 200
    assert Registration.objects.filter(person=nurse).count() == 1


def test_a_full_session_puts_people_on_its_waiting_list(network: Network, make_token: Any) -> None:
    secret = make_token(network.hub, WRITE)
    network.session.capacity = 1
    network.session.save()
    UserFactory(email="first@example.org")
    UserFactory(email="second@example.org")
    assert register(secret, network.session, "first@example.org").json()["status"] == "confirmed"
    second = register(secret, network.session, "second@example.org").json()
    assert (second["status"], second["waitlist_position"]) == ("waitlisted", 1)


@pytest.mark.parametrize(
    ("change", "status", "detail"),
    [
        ({"status": "cancelled"}, 409, "This session is cancelled."),
        ({"registration_open": False}, 409, "Registration for this session is closed."),
    ],
)
def test_a_refusal_is_the_pages_own(
    network: Network, make_token: Any, change: dict[str, Any], status: int, detail: str
) -> None:
    Session.objects.filter(pk=network.session.pk).update(**change)
    UserFactory(email="late@example.org")
    answer = register(make_token(network.hub, WRITE), network.session, "late@example.org")
    assert (answer.status_code, answer.json()["detail"]) == (status, detail)
    assert not Registration.objects.exists()


def test_who_and_where_must_be_known_and_the_hubs(network: Network, make_token: Any) -> None:
    secret = make_token(network.hub, WRITE)
    unknown = register(secret, network.session, "nobody@example.org")
    assert unknown.status_code == 404
    assert unknown.json()["detail"].startswith("No one has an EchoHub account with this address")
    bad = register(secret, network.session, "not an address")
    assert bad.status_code == 400
    assert list(bad.json()["errors"]) == ["email"]
    UserFactory(email="west@example.org")
    theirs = register(secret, network.other_session, "west@example.org")
    assert theirs.status_code == 404  # another hub's session, as if it did not exist
    reader = make_token(network.hub, [Scope.READ_REGISTRATIONS])
    assert register(reader, network.session, "west@example.org").status_code == 403
    assert not Registration.objects.exists()


def test_an_idempotency_key_answers_once(network: Network, make_token: Any) -> None:
    secret = make_token(network.hub, WRITE)
    UserFactory(email="a@example.org")
    UserFactory(email="b@example.org")
    key = {"HTTP_IDEMPOTENCY_KEY": "lms-7f3a"}
    first = register(secret, network.session, "a@example.org", **key)
    Registration.objects.update(status="cancelled")  # whatever happens meanwhile…
    replay = register(secret, network.session, "a@example.org", **key)
    assert replay.status_code == 201
    assert replay.json() == first.json()  # …the key's answer is the first one
    assert replay["Idempotent-Replayed"] == "true"
    assert Registration.objects.get().status == "cancelled"  # and nothing was done again
    other = register(secret, network.session, "b@example.org", **key)
    assert other.status_code == 422
    assert other.json()["detail"] == "This Idempotency-Key was already used for another request."
    # Another token's key of the same name is its own.
    fresh = register(make_token(network.hub, WRITE), network.session, "b@example.org", **key)
    assert fresh.status_code == 201
    assert IdempotentRequest.objects.count() == 2
    # A day later every key is gone with the next keyed write, whoever made it.
    IdempotentRequest.objects.update(created_at=timezone.now() - dt.timedelta(days=1, seconds=1))
    UserFactory(email="d@example.org")
    register(secret, network.session, "d@example.org", HTTP_IDEMPOTENCY_KEY="another")
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["another"]


def test_a_refused_call_may_try_again_with_its_key(network: Network, make_token: Any) -> None:
    secret = make_token(network.hub, WRITE)
    UserFactory(email="c@example.org")
    key = {"HTTP_IDEMPOTENCY_KEY": "retry-me"}
    Session.objects.filter(pk=network.session.pk).update(registration_open=False)
    assert register(secret, network.session, "c@example.org", **key).status_code == 409
    Session.objects.filter(pk=network.session.pk).update(registration_open=True)
    assert register(secret, network.session, "c@example.org", **key).status_code == 201


def test_cancelling_frees_the_seat_for_the_first_waiting(
    network: Network, make_token: Any, committed: Any
) -> None:
    secret = make_token(network.hub, WRITE)
    network.session.capacity = 1
    network.session.save()
    UserFactory(email="seated@example.org")
    waiting = UserFactory(email="waiting@example.org")
    register(secret, network.session, "seated@example.org")
    register(secret, network.session, "waiting@example.org")
    mail.outbox.clear()
    url = f"/api/v1/sessions/{network.session.pk}/cancellations/"
    with committed():
        answer = api_client(secret).post(
            url, {"email": "seated@example.org"}, content_type="application/json"
        )
    assert (answer.status_code, answer.json()["status"]) == (200, "cancelled")
    assert Registration.objects.get(person=waiting).status == "confirmed"
    assert sorted(m.to[0] for m in mail.outbox) == ["seated@example.org", "waiting@example.org"]
    again = api_client(secret).post(
        url, {"email": "seated@example.org"}, content_type="application/json"
    )
    assert (again.status_code, again.json()["status"]) == (200, "cancelled")
    UserFactory(email="never@example.org")
    never = api_client(secret).post(
        url, {"email": "never@example.org"}, content_type="application/json"
    )
    assert never.status_code == 404
    assert never.json()["detail"] == "This person is not registered for this session."


ZOOM = (
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
    "{name},{email},{day} 12:00:00 PM,{day} 01:00:00 PM,60\n"
    "Walk In Visitor,,{day} 12:00:00 PM,{day} 12:30:00 PM,30\n"
    "Stranger Person,stranger@example.org,{day} 12:00:00 PM,{day} 12:45:00 PM,45\n"
)


def send(secret: str, session: Session, text: str, **headers: str) -> Any:
    report = ("report.csv", text.encode(), "text/csv")
    return api_client(secret).post(
        f"/api/v1/sessions/{session.pk}/attendance-imports/",
        {"report": SimpleUploadedFile(*report), "zone": "America/Toronto"},
        **headers,
    )


def test_a_report_previewed_then_applied(network: Network, make_token: Any) -> None:
    secret = make_token(network.hub, [Scope.WRITE_ATTENDANCE])
    session = held(network.program, 2)
    nurse = UserFactory(name="Nadia Nurse", email="nadia@example.org")
    Registration.objects.create(session=session, person=nurse, status="confirmed")
    local = session.starts_at.astimezone(session.program.zone)
    session.starts_at = local.replace(hour=12, minute=0, second=0, microsecond=0)
    session.save()
    day = local.strftime("%m/%d/%Y")
    text = ZOOM.format(name="Nadia Nurse", email="nadia@example.org", day=day)
    sent = send(secret, session, text)
    assert sent.status_code == 202
    body = sent.json()
    assert (body["status"], body["lines_total"], body["undecided"]) == ("preview", 3, 1)
    first, walk_in, stranger = body["lines"]
    assert first["person"] == {"name": "Nadia Nurse", "email": "nadia@example.org"}
    assert (first["match"], first["decision"]) == ("matched", "nadia@example.org")
    assert walk_in["decision"] == "walk_in"  # no email: the preview's own suggestion
    assert stranger["decision"] is None  # an address of no one: the caller decides
    read = api_client(secret).get(f"/api/v1/attendance-imports/{body['id']}/").json()
    assert read["lines"] == body["lines"]

    apply = f"/api/v1/attendance-imports/{body['id']}/apply/"
    undecided = api_client(secret).post(apply, {}, content_type="application/json")
    assert undecided.status_code == 409
    assert "Stranger Person" in undecided.json()["detail"]
    assert not Attendance.objects.exists()
    elsewhere = api_client(secret).post(
        apply, {"decisions": {"2": "other@example.org"}}, content_type="application/json"
    )
    assert elsewhere.status_code == 400
    assert list(elsewhere.json()["errors"]["decisions"]) == ["2"]
    done = api_client(secret).post(
        apply, {"decisions": {"2": "ignore"}}, content_type="application/json"
    )
    assert done.status_code == 200
    assert done.json()["changed"] == 2
    assert done.json()["attendance_import"]["status"] == "applied"
    assert Attendance.objects.get(person=nurse).minutes == 60
    assert Attendance.objects.get(person=None).walk_in_name == "Walk In Visitor"
    twice = api_client(secret).post(apply, {}, content_type="application/json")
    assert (twice.status_code, twice.json()["detail"]) == (
        409,
        "This report was already applied or discarded.",
    )


def test_an_unreadable_report_is_refused_and_kept_nowhere(
    network: Network, make_token: Any
) -> None:
    secret = make_token(network.hub, [Scope.WRITE_ATTENDANCE])
    answer = send(secret, network.session, "just some words\nnot a report\n")
    assert answer.status_code == 400
    assert list(answer.json()["errors"]) == ["report"]
    assert not AttendanceImport.objects.exists()
    other = make_token(network.other_hub, [Scope.WRITE_ATTENDANCE])
    assert send(other, network.session, "x").status_code == 404


def test_a_sessions_certificates_issued_once(
    network: Network, make_token: Any, committed: Any
) -> None:
    secret = make_token(network.hub, [Scope.WRITE_CERTIFICATES])
    session = held(network.program, 3)
    accredit(network.program)
    doctor = physician(name="Amélie Tremblay")
    Attendance.objects.create(session=session, person=doctor, minutes=45, source="report")
    url = f"/api/v1/sessions/{session.pk}/certificates/"
    with committed():
        first = api_client(secret).post(url)
    assert first.status_code == 200
    [issued] = first.json()["issued"]
    assert (issued["person_name"], issued["email"]) == ("Amélie Tremblay", doctor.email)
    assert issued["credits"][0]["amount"] == "0.75"
    assert Certificate.objects.get().issued_by == network.hub_admin  # the token's maker
    assert api_client(secret).post(url).json() == {"issued": []}
    reader = make_token(network.hub, [Scope.READ_CERTIFICATES])
    assert api_client(reader).post(url).status_code == 403
