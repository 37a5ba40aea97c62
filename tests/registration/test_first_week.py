"""Issue 12, a nurse's and a coordinator's first week: enrolling from a cohort session,
cancelling with a confirmation and a calendar cancellation, joining when the room opens,
a host link for the panel only, and past sessions that say they have ended."""

import datetime as dt
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from icalendar import Calendar, Event

from echohub.accounts.models import User
from echohub.programs import services as program_services
from echohub.programs.models import Program, ProgramStaff, Session
from echohub.registration import services
from echohub.registration.models import Enrolment, Registration
from tests.conftest import Network, client_for
from tests.factories import ProgramFactory, SessionFactory, UserFactory
from tests.programs.test_manage_views import session_data
from tests.programs.test_public_views import text

Committed = Callable[[], AbstractContextManager[Any]]
HOST = "https://video.example.org/s/host-secret"
PASSWORD = "Palliative-care-2026!"


def attached_calendar(email: mail.EmailMessage) -> Calendar:
    [part] = [a for a in email.attachments if not isinstance(a, tuple)]
    assert part.get_content_type() == "text/calendar"
    return Calendar.from_ical(part.get_payload(decode=True))


def only_event(calendar: Calendar) -> Event:
    [event] = calendar.events
    return event


def cohort_program() -> Program:
    return ProgramFactory(enrolment=Program.Enrolment.COHORT, title_en="Grief circle")


# 1. A cohort session offers enrolment, and the way back from signing up ends enrolled.


def test_a_cohort_session_offers_enrolment_to_visitors_and_the_signed_in(db: None) -> None:
    session = SessionFactory(program=cohort_program())
    enrol = reverse("registration:enrol", kwargs={"slug": session.program.slug})
    visitor = text(Client().get(session.get_absolute_url()))
    assert "Create an account and enrol" in visitor
    assert "Create an account and register" not in visitor
    assert "You come back to this page enrolled." in visitor
    signed_in = client_for(UserFactory()).get(session.get_absolute_url())
    assert "Enrol in the program" in text(signed_in)
    assert f'action="{enrol}"' in signed_in.content.decode()
    assert "Registration not possible" not in text(signed_in)


def test_a_visitor_signs_up_from_a_cohort_session_and_lands_back_enrolled(db: None) -> None:
    program = cohort_program()
    sessions = [SessionFactory(program=program) for _ in range(2)]
    session_url = sessions[0].get_absolute_url()
    enrol = reverse("registration:enrol", kwargs={"slug": program.slug})
    visitor = Client()
    to_signup = visitor.get(enrol, {"then": "signup", "next": session_url})
    assert to_signup["Location"] == f"/en/accounts/signup/?next={enrol}"
    visitor.post(
        f"/en/accounts/signup/?next={enrol}",
        {
            "email": "nadia@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "name": "Nadia Tremblay",
            "privacy_consent": "on",
            "privacy_notice_version": "1",
            "next": enrol,
        },
    )
    person = User.objects.get(email="nadia@example.org")
    assert not Enrolment.objects.exists()  # not before the address is confirmed
    [confirmation] = mail.outbox
    link = re.search(r"https?://testserver(/\S+)", confirmation.body)
    assert link
    back = visitor.post(link.group(1), follow=True)
    assert back.redirect_chain[-1][0] == session_url
    page = text(back)
    assert "You are enrolled: you are registered for every session." in page
    assert "You are registered through your enrolment in the program." in page
    assert Enrolment.objects.get(person=person).status == Enrolment.Status.ACTIVE
    assert person.registrations.filter(status="confirmed").count() == 2


def test_an_old_register_link_of_a_cohort_session_leads_to_enrolment_in_one_click(
    db: None,
) -> None:
    session = SessionFactory(program=cohort_program())
    person = UserFactory()
    client = client_for(person)
    ask = client.post(reverse("registration:register", kwargs={"pk": session.pk}), follow=True)
    assert "Enrol in the program" in text(ask)
    assert "Registration not possible" not in text(ask)
    assert not Enrolment.objects.exists()
    enrol = reverse("registration:enrol", kwargs={"slug": session.program.slug})
    done = client.post(enrol, {"next": session.get_absolute_url()}, follow=True)
    assert done.redirect_chain[-1][0] == session.get_absolute_url()
    assert Enrolment.objects.get(person=person).status == Enrolment.Status.ACTIVE


def test_enrol_never_follows_a_next_to_another_site(db: None) -> None:
    program = cohort_program()
    enrol = reverse("registration:enrol", kwargs={"slug": program.slug})
    done = client_for(UserFactory()).post(enrol, {"next": "https://evil.example.com/"})
    assert done["Location"] == program.get_absolute_url()


# 2. Cancelling asks first, and the email withdraws the calendar entry.


def test_cancelling_from_the_session_page_asks_first(network: Network) -> None:
    services.register(network.participant, network.session)
    client = client_for(network.participant)
    cancel = reverse("registration:cancel", kwargs={"pk": network.session.pk})
    page = client.get(network.session.get_absolute_url()).content.decode()
    assert f'href="{cancel}"' in page  # a link to the confirmation, not a form that cancels
    assert f'action="{cancel}"' not in page
    ask = client.get(cancel)
    assert "Yes, cancel my registration" in text(ask)
    assert Registration.objects.get(person=network.participant).status == "confirmed"
    done = client.post(cancel, follow=True)
    assert "Your registration is cancelled." in text(done)
    assert done.redirect_chain[-1][0] == network.session.get_absolute_url()
    assert Registration.objects.get(person=network.participant).status == "cancelled"


def test_someone_elses_or_another_hubs_cancel_page_is_not_found(network: Network) -> None:
    services.register(network.participant, network.other_session)
    cancel = reverse("registration:cancel", kwargs={"pk": network.other_session.pk})
    assert client_for(network.coordinator).get(cancel).status_code == 404
    assert client_for(network.other_coordinator).get(cancel).status_code == 404


def test_cancelling_sends_a_calendar_cancellation_of_the_confirmed_event(
    network: Network, committed: Committed
) -> None:
    with committed():
        registration = services.register(network.participant, network.session)
    confirmed = only_event(attached_calendar(mail.outbox[-1]))
    mail.outbox.clear()
    with committed():
        services.cancel(registration, by=network.participant)
    [email] = mail.outbox
    calendar = attached_calendar(email)
    assert calendar["METHOD"] == "CANCEL"
    withdrawn = only_event(calendar)
    assert withdrawn["UID"] == confirmed["UID"]
    assert withdrawn["STATUS"] == "CANCELLED"
    assert int(withdrawn["SEQUENCE"]) > int(confirmed["SEQUENCE"])
    assert network.session.join_url not in calendar.to_ical().decode()
    [part] = email.attachments
    assert part.get_param("method") == "CANCEL"


def test_a_cancelled_session_sends_a_calendar_cancellation(
    network: Network, committed: Committed
) -> None:
    with committed():
        services.register(network.participant, network.session)
    confirmed = only_event(attached_calendar(mail.outbox[-1]))
    mail.outbox.clear()
    with committed():
        program_services.cancel_session(network.session, by=network.coordinator)
    [email] = [m for m in mail.outbox if m.to == [network.participant.email]]
    calendar = attached_calendar(email)
    assert calendar["METHOD"] == "CANCEL"
    withdrawn = only_event(calendar)
    assert (withdrawn["UID"], withdrawn["STATUS"]) == (confirmed["UID"], "CANCELLED")
    assert int(withdrawn["SEQUENCE"]) > int(confirmed["SEQUENCE"])


def test_leaving_a_cohort_withdraws_each_session_in_one_email(
    db: None, committed: Committed
) -> None:
    program = cohort_program()
    for week in (1, 2):
        SessionFactory(program=program, starts_at=timezone.now() + dt.timedelta(weeks=week))
    person = UserFactory()
    with committed():
        enrolment = services.enrol(person, program)
    enrolled = attached_calendar(mail.outbox[-1])
    mail.outbox.clear()
    with committed():
        services.leave(enrolment, by=person)
    [email] = mail.outbox
    assert email.subject == "You have left: Grief circle"
    calendar = attached_calendar(email)
    assert calendar["METHOD"] == "CANCEL"
    sequences = {str(e["UID"]): int(e["SEQUENCE"]) for e in enrolled.events}
    assert {str(e["UID"]) for e in calendar.events} == set(sequences)
    for event in calendar.events:
        assert event["STATUS"] == "CANCELLED"
        assert int(event["SEQUENCE"]) > sequences[str(event["UID"])]


# 3. Join when the room opens; the host link for the panel and staff only.


def soon(minutes: int, **fields: Any) -> Session:
    return SessionFactory(starts_at=timezone.now() + dt.timedelta(minutes=minutes), **fields)


def test_the_join_button_appears_when_the_room_opens(db: None) -> None:
    later = soon(60)
    person = UserFactory()
    services.register(person, later)
    client = client_for(person)
    page = client.get(later.get_absolute_url())
    opens = timezone.localtime(later.starts_at - dt.timedelta(minutes=15))
    assert f"The room opens at {time_format(opens, 'TIME_FORMAT')}" in text(page)
    assert later.join_url not in page.content.decode()
    now = soon(10)
    services.register(person, now)
    page = client.get(now.get_absolute_url()).content.decode()
    assert re.search(rf'<a class="button" href="{re.escape(now.join_url)}"[^>]*>Join</a>', page)


def test_the_room_opens_as_the_program_says(db: None) -> None:
    session = soon(25, program=ProgramFactory(room_opens_minutes=30))
    assert session.room_is_open()
    assert not soon(25).room_is_open()  # the default: 15 minutes before


def test_the_host_link_is_for_the_panel_and_staff_never_participants(
    network: Network, committed: Committed
) -> None:
    session = network.session
    session.host_url = HOST
    session.save()
    ProgramStaff.objects.create(
        program=network.program, person=UserFactory(), role=ProgramStaff.Role.EXPERT
    )
    panelist = network.program.team.get().person
    with committed():
        services.register(network.participant, session)
    assert HOST in client_for(panelist).get(session.get_absolute_url()).content.decode()
    assert HOST in client_for(network.coordinator).get(session.get_absolute_url()).content.decode()
    assert HOST in client_for(network.facilitator).get(session.get_absolute_url()).content.decode()
    page = client_for(network.participant).get(session.get_absolute_url()).content.decode()
    assert HOST not in page
    assert (
        HOST
        not in client_for(network.other_coordinator)
        .get(session.get_absolute_url())
        .content.decode()
    )
    assert mail.outbox
    for email in mail.outbox:
        assert HOST not in email.body
        assert all(HOST not in str(a) for a in email.alternatives)
        assert all(HOST not in a.get_payload(decode=True).decode() for a in email.attachments)


def test_staff_enter_the_host_link_on_the_session_form(network: Network) -> None:
    url = reverse("programs:session_create", kwargs={"slug": network.program.slug})
    client_for(network.coordinator).post(url, session_data(host_url=HOST))
    assert Session.objects.get(title_en="Pain at the end of life").host_url == HOST
    refused = client_for(network.coordinator).post(
        url, session_data(title_en="Bad", host_url="http://video.example.org/s/1")
    )
    assert "Give a secure link that starts with https://." in text(refused)


def test_the_join_link_is_the_location_of_confirmed_registrants_events_only(
    network: Network, committed: Committed
) -> None:
    with committed():
        services.register(network.participant, network.session)
    event = only_event(attached_calendar(mail.outbox[-1]))
    assert event["LOCATION"] == network.session.join_url
    assert network.session.join_url in str(event["DESCRIPTION"])
    feed = Calendar.from_ical(
        Client()
        .get(reverse("calendars:program_feed", kwargs={"slug": network.program.slug}))
        .content
    )
    assert all("LOCATION" not in e for e in feed.events)
    assert network.session.join_url not in feed.to_ical().decode()


def test_my_sessions_lists_join_calendar_cancel_and_past_sessions(network: Network) -> None:
    person = network.participant
    now_on = soon(5, program=network.program, title_en="Now on")
    later = soon(60 * 24, program=network.program, title_en="Tomorrow")
    held = SessionFactory(
        program=network.program,
        title_en="Last week",
        starts_at=timezone.now() - dt.timedelta(days=7),
    )
    services.register(person, now_on)
    services.register(person, later)
    Registration.objects.create(session=held, person=person, status="confirmed")
    response = client_for(person).get(reverse("registration:mine"))
    page = response.content.decode()
    upcoming = page[page.index('id="my-sessions"') : page.index('id="my-past-sessions"')]
    past = page[page.index('id="my-past-sessions"') :]
    assert "Now on" in upcoming
    assert "Tomorrow" in upcoming
    assert "Last week" not in upcoming
    assert "Last week" in past
    assert upcoming.count(">Join</a>") == 1  # only the session whose room is open
    assert reverse("calendars:session_ics", kwargs={"pk": later.pk}) in upcoming
    cancel = reverse("registration:cancel", kwargs={"pk": later.pk})
    assert f"{cancel}?next=" in upcoming
    assert "Ended" in past


# 4. A session whose end is past says so.


def test_past_sessions_say_ended_not_scheduled(network: Network) -> None:
    held = SessionFactory(program=network.program, starts_at=timezone.now() - dt.timedelta(days=2))
    assert held.display_status == "Ended"
    assert network.session.display_status == "Scheduled"
    manage = text(
        client_for(network.coordinator).get(
            reverse("programs:manage_program", kwargs={"slug": network.program.slug})
        )
    )
    assert "Ended" in manage
    session_page = text(Client().get(held.get_absolute_url()))
    assert "Ended" in session_page
    assert "Scheduled" not in session_page
    program_page = text(Client().get(network.program.get_absolute_url()))
    assert "Ended" in program_page


def test_the_french_label_of_a_past_session(db: None) -> None:
    from django.utils import translation

    held = SessionFactory(starts_at=timezone.now() - dt.timedelta(days=2))
    with translation.override("fr"):
        assert held.display_status == "Terminée"
