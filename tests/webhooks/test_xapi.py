"""A program's learning record store gets each attendance and certificate as an xAPI
1.0.3 statement: PUT under a stable id, with the store's credentials and the version
header, retried like a webhook; a fake store on loopback checks what arrives."""

import base64
import uuid
from typing import Any

from django.urls import reverse

from echohub.attendance.models import Attendance
from echohub.attendance.services import _announce
from echohub.certificates.services import issue_for_session
from echohub.programs.models import Program
from echohub.webhooks import services
from echohub.webhooks.models import Delivery, Subscription
from tests.certificates.test_certificates import accredit, held, physician
from tests.conftest import Network, client_for
from tests.factories import UserFactory
from tests.webhooks.conftest import Receiver


def connect(network: Network, receiver: Receiver, *events: str) -> Subscription:
    return services.save_store(
        network.program,
        url=receiver.url + "/xapi/",
        key="echohub-ontario",
        secret="s3cret-of-the-store",
        events=list(events or ("attendance.saved", "certificate.issued")),
        by=network.hub_admin,
    )


def test_attendance_and_a_certificate_become_statements(
    network: Network, receiver: Receiver, committed: Any
) -> None:
    connect(network, receiver)
    session = held(network.program, 2)
    session.title_fr = "Les soins de la bouche"
    session.save()
    accredit(network.program)
    doctor = physician(name="Amélie Tremblay", email="amelie@example.org")
    row = Attendance.objects.create(session=session, person=doctor, minutes=45, source="report")
    Attendance.objects.create(
        session=session, walk_in_name="Visitor", walk_in_email="", minutes=30, source="report"
    )  # no address: no statement
    with committed():
        _announce(session)
    with committed():
        issue_for_session(session, by=network.coordinator)
    attended, earned = receiver.received
    for got in receiver.received:
        assert got.method == "PUT"
        assert got.headers["X-Experience-API-Version"] == "1.0.3"
        expected = base64.b64encode(b"echohub-ontario:s3cret-of-the-store").decode()
        assert got.headers["Authorization"] == f"Basic {expected}"
        assert got.path == f"/echohub/xapi/statements?statementId={got.json['id']}"
        uuid.UUID(got.json["id"])
    statement = attended.json
    assert statement["actor"] == {
        "objectType": "Agent",
        "name": "Amélie Tremblay",
        "mbox": "mailto:amelie@example.org",
    }
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/attended"
    assert statement["object"]["id"] == f"http://127.0.0.1:8000/en/sessions/{session.pk}/"
    assert (
        statement["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/meeting"
    )
    assert statement["object"]["definition"]["name"]["fr-CA"] == "Les soins de la bouche"
    assert statement["result"] == {"completion": True, "duration": "PT45M"}
    parent = statement["context"]["contextActivities"]["parent"][0]
    assert parent["id"] == "http://127.0.0.1:8000/en/programs/psw-series/"
    assert earned.json["verb"]["id"] == "http://id.tincanapi.com/verb/earned"
    extensions = earned.json["result"]["extensions"]
    [credit] = next(value for key, value in extensions.items() if key.endswith("/credits"))
    assert (credit["amount"], credit["type"]) == ("0.75", "mainpro_group")
    # Sent again, a statement keeps its id: the store holds it once.
    again = Delivery.objects.get(about=f"attendance:{row.pk}")
    with committed():
        services.resend(again, by=network.hub_admin)
    assert receiver.received[-1].json["id"] == statement["id"]


def test_a_store_already_holding_the_statement_counts_as_sent(
    network: Network, receiver: Receiver, committed: Any
) -> None:
    connect(network, receiver, "attendance.saved")
    receiver.answers = [(409, 0.0)]
    session = held(network.program, 2)
    Attendance.objects.create(session=session, person=UserFactory(), minutes=60, source="report")
    with committed():
        _announce(session)
    assert Delivery.objects.get().status == "delivered"


def test_only_the_programs_own_records_and_chosen_kinds(
    network: Network, receiver: Receiver, committed: Any
) -> None:
    connect(network, receiver, "certificate.issued")
    session = held(network.program, 2)
    other = held(network.other_program, 2)
    for where in (session, other):
        Attendance.objects.create(session=where, person=UserFactory(), minutes=60, source="report")
        with committed():
            _announce(where)
    assert receiver.received == []  # attendance was not chosen, and the other is not ours


def test_the_page_connects_keeps_the_secret_and_is_a_hub_admins(
    network: Network, settings: Any
) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE = True
    page = reverse("webhooks:store", kwargs={"slug": network.program.slug})
    client = client_for(network.hub_admin)
    form = {"url": "http://127.0.0.1:9/xapi/", "key": "k", "events": ["certificate.issued"]}
    refused = client.post(page, form).content.decode()
    assert "Give the store&#x27;s secret." in refused
    assert not Subscription.objects.exists()
    client.post(page, {**form, "secret": "first-secret"})
    store = Subscription.objects.get()
    assert (store.kind, store.program, store.lrs_secret) == (
        "xapi",
        network.program,
        "first-secret",
    )
    html = client.get(page).content.decode()
    assert "first-secret" not in html
    assert "Connected to http://127.0.0.1:9/xapi/." in html
    client.post(page, {**form, "key": "k2"})  # no secret given: the saved one stays
    store.refresh_from_db()
    assert (store.lrs_key, store.lrs_secret) == ("k2", "first-secret")
    assert client_for(network.coordinator).get(page).status_code == 404
    assert client_for(network.other_admin).get(page).status_code == 404
    Program.objects.filter(pk=network.program.pk).delete()
    assert not Subscription.objects.exists()  # the store goes with its program
