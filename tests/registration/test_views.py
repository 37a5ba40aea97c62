import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from echohub.programs.models import Program
from echohub.registration import services
from echohub.registration.links import cancel_url
from echohub.registration.models import Enrolment, Registration
from tests.conftest import Network, client_for
from tests.factories import ProgramFactory, SessionFactory, UserFactory
from tests.programs.test_public_views import text


def test_register_in_one_click_and_see_the_join_link(network: Network) -> None:
    client = client_for(network.participant)
    session_url = network.session.get_absolute_url()
    assert network.session.join_url not in client.get(session_url).content.decode()
    response = client.post(
        reverse("registration:register", kwargs={"pk": network.session.pk}), follow=True
    )
    page = response.content.decode()
    assert "You are registered." in text(response)
    # A day ahead the room is not open yet: it says when, the link waits.
    assert "The room opens at" in text(response)
    assert network.session.join_url not in page
    assert Registration.objects.get(person=network.participant).status == "confirmed"
    network.session.starts_at = timezone.now() + dt.timedelta(minutes=5)
    network.session.save()
    page = client.get(session_url).content.decode()
    assert f'<a class="button" href="{network.session.join_url}"' in page


def test_a_full_session_offers_the_waiting_list_and_shows_the_position(db: None) -> None:
    session = SessionFactory(capacity=1)
    services.register(UserFactory(), session)
    person = UserFactory()
    client = client_for(person)
    page = text(client.get(session.get_absolute_url()))
    assert "This session is full; registering puts you on the waiting list." in page
    assert "Join the waiting list" in page
    after = client.post(reverse("registration:register", kwargs={"pk": session.pk}), follow=True)
    assert "You are on the waiting list (position 1)." in text(after)
    assert session.join_url not in after.content.decode()


def test_a_visitor_who_registers_on_the_way_lands_back_registered(network: Network) -> None:
    register = reverse("registration:register", kwargs={"pk": network.session.pk})
    visitor = Client()
    page = visitor.get(network.session.get_absolute_url()).content.decode()
    assert f'<form method="get" action="{register}"' in page  # no token: the page is kept
    assert "Create an account and register" in page
    to_login = visitor.get(register, {"then": "login"})
    assert to_login["Location"] == f"/en/accounts/login/?next={register}"
    assert visitor.get(register, {"then": "signup"})["Location"] == (
        f"/en/accounts/signup/?next={register}"
    )
    assert (
        visitor.post(register)["Location"] == f"/en/accounts/login/?next={register}"
    )  # older page
    assert not Registration.objects.exists()
    visitor.force_login(network.participant)  # the session (and the intent) survives login
    back = visitor.get(register, follow=True)
    assert "You are registered." in text(back)
    assert back.redirect_chain[-1][0] == network.session.get_absolute_url()
    assert Registration.objects.get(person=network.participant).status == "confirmed"


def test_a_get_alone_never_registers(network: Network) -> None:
    register = reverse("registration:register", kwargs={"pk": network.session.pk})
    assert Client().get(register)["Location"] == f"/en/accounts/login/?next={register}"
    # A link followed later, or an intent for another session: one click to confirm.
    client = client_for(network.participant)
    other = SessionFactory(program=network.session.program)
    session = client.session
    session["echohub.register_after_login"] = other.pk
    session.save()
    confirm = client.get(register)
    assert confirm.status_code == 200
    # The signed-out button's address, followed when signed in, asks too.
    assert client.get(register, {"then": "login"}).status_code == 200
    assert "Register" in text(confirm)
    assert not Registration.objects.exists()


def test_refusals_get_a_clear_page_and_change_nothing(network: Network) -> None:
    past = SessionFactory(program=network.program, starts_at=timezone.now() - dt.timedelta(days=1))
    response = client_for(network.participant).post(
        reverse("registration:register", kwargs={"pk": past.pk})
    )
    assert response.status_code == 409
    assert "This session has already started or taken place." in text(response)
    draft_session = SessionFactory(program=network.draft)
    hidden = client_for(network.participant).post(
        reverse("registration:register", kwargs={"pk": draft_session.pk})
    )
    assert hidden.status_code == 404
    assert not Registration.objects.exists()


def test_cancel_from_the_page_frees_the_seat_for_the_waiting_list(db: None) -> None:
    session = SessionFactory(capacity=1)
    first, second = UserFactory(), UserFactory()
    services.register(first, session)
    services.register(second, session)
    client_for(first).post(reverse("registration:cancel", kwargs={"pk": session.pk}))
    assert Registration.objects.get(person=first).status == "cancelled"
    assert Registration.objects.get(person=second).status == "confirmed"


def test_cancel_link_works_without_logging_in(db: None) -> None:
    session = SessionFactory(capacity=1)
    registration = services.register(UserFactory(), session)
    waiting = services.register(UserFactory(), session)
    url = cancel_url(registration)
    ask = Client().get(url)
    assert "Yes, cancel my registration" in text(ask)
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"
    done = Client().post(url)
    assert "Registration cancelled" in text(done)
    assert Registration.objects.get(pk=registration.pk).status == "cancelled"
    assert Registration.objects.get(pk=waiting.pk).status == "confirmed"
    again = Client().get(url)
    assert "This registration is already cancelled." in text(again)


def test_tampered_or_late_cancel_links_change_nothing(db: None) -> None:
    session = SessionFactory()
    registration = services.register(UserFactory(), session)
    url = cancel_url(registration)
    tampered = Client().post(url.replace(f"/{registration.pk}:", "/999:"))
    assert tampered.status_code == 400
    assert "The link is incomplete, changed or too old." in text(tampered)
    forged = Client().post(url[:-3] + "abc/")
    assert forged.status_code == 400
    session.starts_at = timezone.now() - dt.timedelta(minutes=5)
    session.save()
    late = Client().post(url)
    assert late.status_code == 410
    assert "can no longer be cancelled" in text(late)
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"


def test_enrol_in_a_cohort_from_the_program_page(db: None) -> None:
    program = ProgramFactory(enrolment=Program.Enrolment.COHORT)
    sessions = [SessionFactory(program=program) for _ in range(3)]
    person = UserFactory()
    client = client_for(person)
    page = text(client.get(program.get_absolute_url()))
    assert "Enrol in the program" in page
    response = client.post(
        reverse("registration:enrol", kwargs={"slug": program.slug}), follow=True
    )
    assert "You are enrolled: you are registered for every session." in text(response)
    assert person.registrations.filter(status="confirmed").count() == len(sessions)
    session_page = text(client.get(sessions[0].get_absolute_url()))
    assert "You are registered through your enrolment in the program." in session_page
    client.post(reverse("registration:leave", kwargs={"slug": program.slug}))
    assert Enrolment.objects.get(person=person).status == "cancelled"
    assert person.registrations.filter(status="confirmed").count() == 0


def test_a_cohort_session_offers_the_unenrolled_enrolment(db: None) -> None:
    program = ProgramFactory(enrolment=Program.Enrolment.COHORT)
    session = SessionFactory(program=program)
    page = text(client_for(UserFactory()).get(session.get_absolute_url()))
    assert "enrol in the program to be registered for every session" in page
    assert "Enrol in the program" in page


def test_my_sessions_lists_what_is_to_come_and_the_private_feed(network: Network) -> None:
    services.register(network.participant, network.session)
    past = SessionFactory(program=network.program, starts_at=timezone.now() - dt.timedelta(days=2))
    Registration.objects.create(session=past, person=network.participant, status="confirmed")
    client = client_for(network.participant)
    response = client.get(reverse("registration:mine"))
    page = text(response)
    upcoming = page[: page.index("Past sessions")]
    assert network.session.title_en in upcoming
    assert past.title_en not in upcoming
    assert past.title_en in page[page.index("Past sessions") :]
    old_feed = response.context["feed_url"]
    assert old_feed.startswith("http://127.0.0.1:8000/en/feeds/")
    client.post(reverse("registration:reset_feed"))
    new_feed = client.get(reverse("registration:mine")).context["feed_url"]
    assert new_feed != old_feed
    assert Client().get(old_feed.removeprefix("http://127.0.0.1:8000")).status_code == 404
    assert Client().get(new_feed.removeprefix("http://127.0.0.1:8000")).status_code == 200
