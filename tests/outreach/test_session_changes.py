"""Moving or cancelling a session through the staff pages tells its registrants."""

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from echohub.registration import services
from tests.conftest import Network, client_for
from tests.factories import UserFactory


def test_moving_a_session_emails_its_registrants_once(
    network: Network, django_capture_on_commit_callbacks
) -> None:
    people = [UserFactory(), UserFactory()]
    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            services.register(person, network.session)
    mail.outbox.clear()
    new_day = (timezone.now() + dt.timedelta(days=20)).date()
    client = client_for(network.coordinator)
    data = {
        "title_en": network.session.title_en,
        "title_fr": network.session.title_fr,
        "date": new_day.isoformat(),
        "start_time": "13:00",
        "end_time": "14:00",
        "capacity": "100",
        "join_url": network.session.join_url,
        "speakers-TOTAL_FORMS": "0",
        "speakers-INITIAL_FORMS": "0",
    }
    url = reverse("programs:session_edit", kwargs={"pk": network.session.pk})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, "title_en": "Renamed only"})
    assert len(mail.outbox) == 2  # a new title is no move: nobody is emailed again


def test_cancelling_a_session_emails_its_registrants(
    network: Network, django_capture_on_commit_callbacks
) -> None:
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.register(person, network.session)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(network.coordinator).post(
            reverse("programs:session_cancel", kwargs={"pk": network.session.pk})
        )
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert network.session.title_en in mail.outbox[0].subject
