"""A coordinator writes to a session's registrants: each reads it in their language."""

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from echohub.outreach.models import OutboxMessage
from echohub.registration import notifications, services
from echohub.registration.models import Registration, SessionMessage
from tests.conftest import Network, client_for
from tests.factories import UserFactory
from tests.programs.test_public_views import text

JOIN = "https://video.example.org/j/555"
FORM = {
    "audience": "active",
    "subject_en": "Slides for Thursday",
    "body_en": "Please read the case before we meet.\nBring questions.",
    "subject_fr": "Diapositives pour jeudi",
    "body_fr": "Veuillez lire le cas avant la rencontre.",
}


@pytest.fixture
def registrants(network: Network, committed) -> dict[str, Registration]:
    """Two registered (one reads French, in Vancouver), one waiting, one who cancelled."""
    session = network.session
    session.capacity, session.join_url = 2, JOIN
    session.save()
    people = {
        "en": UserFactory(email="en@example.org"),
        "fr": UserFactory(
            email="fr@example.org", preferred_language="fr", timezone="America/Vancouver"
        ),
        "waiting": UserFactory(email="waiting@example.org"),
        "gone": UserFactory(email="gone@example.org"),
    }
    with committed():
        rows = {key: services.register(person, session) for key, person in people.items()}
        services.cancel(rows["gone"], by=people["gone"])  # frees nothing: it was waitlisted
    mail.outbox.clear()
    return rows


def send(network: Network, committed, form: dict[str, str]) -> Any:
    url = reverse("registration:message", kwargs={"pk": network.session.pk})
    with committed():
        return client_for(network.coordinator).post(url, form, follow=True)


def test_each_registrant_reads_it_in_their_language(network, registrants, committed) -> None:
    page = send(network, committed, FORM)
    assert "Your message is on its way to 3 people." in text(page)
    by_address = {email.to[0]: email for email in mail.outbox}
    assert sorted(by_address) == ["en@example.org", "fr@example.org", "waiting@example.org"]

    english, french = by_address["en@example.org"], by_address["fr@example.org"]
    assert english.subject == "Slides for Thursday"
    assert "Please read the case before we meet.\nBring questions." in english.body
    assert JOIN in english.body
    assert french.subject == "Diapositives pour jeudi"
    assert "Veuillez lire le cas avant la rencontre." in french.body
    assert "Please read" not in french.body
    assert "HNP" in french.body  # the session's time in her zone, written the French way
    html = french.alternatives[0].content
    assert "<p>Veuillez lire le cas avant la rencontre.</p>" in html
    # Not registered (waiting): no join link; everyone still active gets a cancel link.
    waiting = by_address["waiting@example.org"]
    assert JOIN not in waiting.body
    assert "/cancel/" in waiting.body
    # The page shows how far it got: nothing when it answered, all of it now.
    assert "0 of 3 sent" in text(page)
    url = reverse("registration:message", kwargs={"pk": network.session.pk})
    assert "3 of 3 sent" in text(client_for(network.coordinator).get(url))
    message = SessionMessage.objects.get()
    assert message.author == network.coordinator
    assert message.recipients == 3


def test_the_audience_narrows_it_and_a_rerun_sends_nothing_twice(
    network, registrants, committed
) -> None:
    send(network, committed, {**FORM, "audience": "waitlisted"})
    assert [email.to for email in mail.outbox] == [["waiting@example.org"]]
    message = SessionMessage.objects.get()
    with committed():
        assert notifications.session_message(message.pk) == 0  # the task retried
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.filter(kind="session.message").count() == 1


def test_one_language_reaches_everyone_in_it(network, registrants, committed) -> None:
    send(network, committed, {"audience": "confirmed", "subject_en": "Room", "body_en": "Hi."})
    french = next(email for email in mail.outbox if email.to == ["fr@example.org"])
    assert french.subject == "Room"
    assert "Hi." in french.body
    assert 'lang="en"' in french.alternatives[0].content


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"audience": "active"}, "Give the subject in English, in French or in both."),
        ({**FORM, "body_fr": ""}, "Write the message in this language too."),
        ({**FORM, "subject_en": ""}, "Give the subject in this language too."),
        ({**FORM, "body_en": "Read <a href='x'>this</a>"}, "HTML"),
        ({**FORM, "audience": "everyone"}, "Select a valid choice."),
    ],
)
def test_bad_input_sends_nothing(network, registrants, committed, form, error) -> None:
    page = send(network, committed, form)
    assert error in text(page)
    assert not SessionMessage.objects.exists()
    assert mail.outbox == []
