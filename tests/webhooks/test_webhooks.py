"""Webhooks against a real receiver on loopback: signed, retried after a 500 and a
timeout, one object's deliveries in order, never a case's text, logged, sent again
on request, and each hub's own."""

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from echohub.api.models import Scope
from echohub.attendance.models import Attendance
from echohub.evaluations import services as evaluation_services
from echohub.evaluations.models import Completion
from echohub.programs import services as program_services
from echohub.programs.models import Program, Session
from echohub.registration import services as registration_services
from echohub.registration.models import Registration
from echohub.webhooks import services, signing
from echohub.webhooks.models import Delivery, Event, Subscription
from tests.api.conftest import api_client
from tests.cases.conftest import submitted_case
from tests.certificates.test_certificates import accredit, held, physician
from tests.conftest import Network, client_for
from tests.factories import SessionFactory, UserFactory
from tests.webhooks.conftest import Receiver


def hook(network: Network, receiver: Receiver, *events: str) -> Subscription:
    return services.subscribe(
        network.hub,
        name="LMS",
        url=receiver.url,
        events=list(events or Event.values),
        by=network.hub_admin,
    )


def due_now() -> None:
    """Time passes: every planned retry is due."""
    Delivery.objects.filter(status=Delivery.Status.RETRYING).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )


def test_a_registration_is_delivered_signed(
    network: Network, receiver: Receiver, make_token: Any, committed: Any
) -> None:
    subscription = hook(network, receiver, Event.REGISTRATION_CREATED)
    UserFactory(name="Juliette Nadeau", email="juliette@example.org")
    secret = make_token(network.hub, [Scope.WRITE_REGISTRATIONS])
    with committed():
        api_client(secret).post(
            f"/api/v1/sessions/{network.session.pk}/registrations/",
            {"email": "juliette@example.org"},
            content_type="application/json",
        )
    [got] = receiver.received
    assert got.headers["EchoHub-Event"] == "registration.created"
    assert got.headers["Content-Type"] == "application/json"
    assert signing.verify(
        subscription.secret,
        got.headers["EchoHub-Timestamp"],
        got.headers["EchoHub-Signature"],
        got.body,
    )
    assert not signing.verify("whsec_another", got.headers["EchoHub-Timestamp"],
                              got.headers["EchoHub-Signature"], got.body)  # fmt: skip
    assert got.json["event"] == "registration.created"
    assert got.json["data"]["person"]["email"] == "juliette@example.org"
    assert got.json["data"]["session"] == network.session.pk
    delivery = Delivery.objects.get()
    assert got.headers["EchoHub-Delivery"] == str(delivery.uid) == got.json["id"]
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    assert delivery.response_body == '{"ok": true}'


def test_a_500_then_a_timeout_are_tried_again_with_growing_waits(
    network: Network, receiver: Receiver, committed: Any, settings: Any
) -> None:
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    hook(network, receiver, Event.REGISTRATION_CREATED)
    receiver.answers = [(500, 0.0), (200, 1.5)]
    with committed():
        registration_services.register(UserFactory(), network.session)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("retrying", 1, 500)
    assert delivery.response_body == "receiver down for maintenance"
    wait = delivery.next_attempt_at - delivery.last_attempt_at  # type: ignore[operator]
    assert wait == dt.timedelta(minutes=1)
    assert services.send_all_due() == 0  # not due yet: nothing is sent
    due_now()
    services.send_all_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("retrying", 2, None)
    assert delivery.error == "No answer within 0.5 seconds."
    wait = delivery.next_attempt_at - delivery.last_attempt_at  # type: ignore[operator]
    assert wait == dt.timedelta(minutes=5)
    due_now()
    assert services.send_all_due() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 3, 200)
    assert len(receiver.received) == 3
    assert len({r.headers["EchoHub-Delivery"] for r in receiver.received}) == 1


def test_given_up_after_the_last_wait(network: Network, receiver: Receiver, committed: Any) -> None:
    hook(network, receiver, Event.REGISTRATION_CREATED)
    receiver.answers = [(503, 0.0)] * 8
    with committed():
        registration_services.register(UserFactory(), network.session)
    for _attempt in range(7):
        due_now()
        services.send_all_due()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 8)
    assert delivery.next_attempt_at is None
    # Sent again by the admin, it has the whole schedule of retries once more.
    receiver.answers = [(503, 0.0)]
    with committed():
        services.resend(delivery, by=network.hub_admin)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("retrying", 1)


def test_one_objects_deliveries_leave_in_order(
    network: Network, receiver: Receiver, committed: Any
) -> None:
    hook(network, receiver, Event.REGISTRATION_CREATED, Event.REGISTRATION_CANCELLED)
    receiver.answers = [(500, 0.0)]
    other = UserFactory()
    with committed():
        registration = registration_services.register(UserFactory(), network.session)
    with committed():
        registration_services.cancel(registration)
    # The cancellation waits behind its registration's failed delivery…
    assert receiver.events == ["registration.created"]
    with committed():
        registration_services.register(other, network.session)
    # …while another object's delivery is not held up by it.
    assert receiver.events == ["registration.created", "registration.created"]
    due_now()
    services.send_all_due()
    assert receiver.events[2:] == ["registration.created", "registration.cancelled"]
    about = {r.json["data"]["person"]["email"] for r in receiver.received[2:]}
    assert len(about) == 1
    assert not Delivery.objects.exclude(status="delivered").exists()


def test_session_events_follow_the_program(
    network: Network, receiver: Receiver, committed: Any
) -> None:
    hook(network, receiver, Event.SESSION_PUBLISHED, Event.SESSION_CHANGED, Event.SESSION_CANCELLED)
    draft = network.draft
    SessionFactory(program=draft, title_en="Draft session")
    with committed():
        program_services.publish_program(draft, by=network.coordinator)
    assert receiver.events == ["session.published"]
    session = Session.objects.get(program=draft)
    session.title_en = "Mouth care at the end of life"
    with committed():
        program_services.save_session(session, by=network.coordinator)
    assert receiver.received[-1].json["data"]["title"]["en"] == "Mouth care at the end of life"
    with committed():
        program_services.cancel_session(session, by=network.coordinator)
    assert receiver.events == ["session.published", "session.changed", "session.cancelled"]
    assert receiver.received[-1].json["data"]["status"] == "cancelled"
    # A draft's sessions are nobody's business yet.
    other_draft = Program.objects.create(hub=network.hub, slug="quiet", title_en="Quiet")
    with committed():
        SessionFactory(program=other_draft).save()
    assert len(receiver.received) == 3


def test_no_delivery_ever_carries_a_case(
    network: Network, receiver: Receiver, committed: Any
) -> None:
    hook(network, receiver)
    presenter = UserFactory(name="Nora Nurse")
    Registration.objects.create(session=network.session, person=presenter, status="confirmed")
    marker = "Gabapentin titration for the fisherman from Twillingate"
    submitted_case(network, presenter, diagnosis=marker, question=marker)
    session = held(network.program, 2)
    accredit(network.program)
    doctor = physician()
    with committed():
        registration_services.register(UserFactory(), network.session)
        session.title_en = "Changed"
        program_services.save_session(session, by=network.coordinator)
        Attendance.objects.create(session=session, person=doctor, minutes=60, source="report")
        from echohub.attendance.services import _announce
        from echohub.certificates.services import issue_for_session

        _announce(session)
        issue_for_session(session, by=network.coordinator)
    assert set(receiver.events) >= {
        "registration.created",
        "session.changed",
        "attendance.saved",
        "certificate.issued",
    }
    for got in receiver.received:
        assert marker.encode() not in got.body
        assert b"Twillingate" not in got.body


def test_the_page_sends_again_and_shows_the_log(
    network: Network, receiver: Receiver, committed: Any
) -> None:
    subscription = hook(network, receiver, Event.REGISTRATION_CREATED)
    with committed():
        registration_services.register(UserFactory(), network.session)
    delivery = Delivery.objects.get()
    client = client_for(network.hub_admin)
    page = reverse("webhooks:hook", kwargs={"slug": "ontario", "pk": subscription.pk})
    html = client.get(page).content.decode()
    assert "registration.created" in html and "Delivered" in html  # noqa: PT018
    assert subscription.secret not in html
    again = reverse(
        "webhooks:resend",
        kwargs={"slug": "ontario", "pk": subscription.pk, "delivery": delivery.pk},
    )
    with committed():
        client.post(again)
    assert len(receiver.received) == 2
    assert receiver.received[1].headers["EchoHub-Delivery"] == str(delivery.uid)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)  # counted afresh
    # Another hub's admin finds nothing there.
    assert client_for(network.other_admin).get(page).status_code == 404


def test_a_paused_webhook_keeps_its_events_for_later(
    network: Network, receiver: Receiver, committed: Any
) -> None:
    subscription = hook(network, receiver, Event.REGISTRATION_CREATED)
    services.set_active(subscription, False, by=network.hub_admin)
    with committed():
        registration_services.register(UserFactory(), network.session)
    assert receiver.received == []
    toggle = reverse("webhooks:toggle", kwargs={"slug": "ontario", "pk": subscription.pk})
    client_for(network.hub_admin).post(toggle)
    assert receiver.events == ["registration.created"]


def test_subscribing_shows_the_secret_once(network: Network, settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    client = client_for(network.hub_admin)
    page = reverse("webhooks:hooks", kwargs={"slug": "ontario"})
    html = client.post(
        page, {"name": "LMS", "url": "http://127.0.0.1:9/x", "events": ["certificate.issued"]}
    ).content.decode()
    secret = Subscription.objects.get().secret
    assert secret.startswith("whsec_") and secret in html  # noqa: PT018
    assert "Copy its signing secret now" in html
    assert secret not in client.get(page).content.decode()


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://lms.example.org/hook", "The address must start with https://."),
        ("https://127.0.0.1/hook", "127.0.0.1 is a private address"),
        ("https://10.1.2.3/hook", "10.1.2.3 is a private address"),
        ("https://169.254.169.254/latest", "169.254.169.254 is a private address"),
        ("https://[::1]/hook", "::1 is a private address"),
    ],
)
def test_only_public_https_addresses(network: Network, url: str, error: str) -> None:
    page = reverse("webhooks:hooks", kwargs={"slug": "ontario"})
    html = (
        client_for(network.hub_admin)
        .post(page, {"name": "LMS", "url": url, "events": ["certificate.issued"]})
        .content.decode()
    )
    assert error in html
    assert not Subscription.objects.exists()


def test_an_evaluation_completed_says_who_never_what(
    network: Network, receiver: Receiver, committed: Any
) -> None:
    hook(network, receiver, Event.EVALUATION_COMPLETED)
    now = timezone.now()
    completion = Completion.objects.create(
        person=UserFactory(email="answered@example.org"),
        program=network.program,
        session=network.session,
        phase="session",
        opens_at=now,
        closes_at=now + dt.timedelta(days=7),
    )
    with committed():
        evaluation_services.waive(completion, reason="Attended by phone", by=network.coordinator)
    [got] = receiver.received
    data = got.json["data"]
    assert (data["program"], data["session"], data["status"]) == (
        "psw-series",
        network.session.pk,
        "waived",
    )
    assert data["person"]["email"] == "answered@example.org"
    assert data["completed_at"] is None or data["completed_at"].startswith(str(now.year))
    assert "Attended by phone" not in got.body.decode()
