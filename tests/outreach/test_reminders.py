import datetime as dt
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from echohub.outreach.models import OutboxMessage
from echohub.programs import services as program_services
from echohub.programs.models import Session
from echohub.registration import services
from echohub.registration.notifications import send_due_reminders
from echohub.registration.tasks import send_due_reminders as send_due_reminders_task
from tests.conftest import Network, client_for
from tests.factories import SessionFactory, UserFactory

JOIN = "https://video.example.org/j/123456"


@pytest.fixture
def soon(db: None, committed) -> Session:
    """A session 30 minutes away with two confirmed registrants (their emails cleared)."""
    session = SessionFactory(starts_at=timezone.now() + dt.timedelta(minutes=30), join_url=JOIN)
    with committed():
        services.register(UserFactory(), session)
        services.register(UserFactory(), session)
    mail.outbox.clear()
    return session


def reminders() -> list[str]:
    return [m.subject for m in mail.outbox if m.subject.startswith("Reminder")]


def test_the_reminder_job_run_twice_sends_one_email_per_registration(soon, committed) -> None:
    with committed():
        assert send_due_reminders() == 2
    with committed():
        assert send_due_reminders() == 0

    assert len(reminders()) == 2
    assert all(JOIN in m.body for m in mail.outbox)
    keys = OutboxMessage.objects.filter(kind="session.reminder").values_list("reason_key")
    assert all(key.startswith("reminder:") and ":60:" in key for (key,) in keys)


def test_an_hour_before_only_the_hour_reminder_goes(soon, committed) -> None:
    with committed():
        send_due_reminders()
    assert len(reminders()) == 2  # not the day-before one as well


def test_a_day_then_an_hour_before(db, committed) -> None:
    now = timezone.now()
    session = SessionFactory(starts_at=now + dt.timedelta(hours=23))
    with committed():
        services.register(UserFactory(), session)
    mail.outbox.clear()

    with committed():
        assert send_due_reminders(now) == 1
        assert send_due_reminders(now + dt.timedelta(hours=1)) == 0
        assert send_due_reminders(now + dt.timedelta(hours=22, minutes=30)) == 1

    assert len(reminders()) == 2
    assert "tomorrow" in mail.outbox[0].body
    assert "soon" in mail.outbox[1].body


def test_moving_a_session_rearms_its_reminders(soon, committed) -> None:
    with committed():
        send_due_reminders()
    soon.starts_at += dt.timedelta(minutes=10)
    program_services.save_session(soon, by=UserFactory())

    with committed():
        assert send_due_reminders() == 2

    assert len(reminders()) == 4


def test_no_reminder_for_waitlisted_cancelled_or_far_sessions(db, committed) -> None:
    now = timezone.now()
    full = SessionFactory(starts_at=now + dt.timedelta(minutes=30), capacity=1)
    called_off = SessionFactory(starts_at=now + dt.timedelta(minutes=30))
    far = SessionFactory(starts_at=now + dt.timedelta(days=3))
    with committed():
        services.register(UserFactory(), full)
        services.register(UserFactory(), full)  # waitlisted
        services.register(UserFactory(), called_off)
        services.register(UserFactory(), far)
    called_off.status = Session.Status.CANCELLED
    called_off.save()

    with committed():
        assert send_due_reminders() == 1  # the one confirmed seat of `full`


def test_the_command_and_the_task_queue_the_same_reminders(soon, committed, capsys) -> None:
    with committed():
        call_command("send_reminders")
        send_due_reminders_task.enqueue()
    assert capsys.readouterr().out.strip() == "2 reminder(s) queued"
    assert len(reminders()) == 2


def test_each_program_chooses_its_reminders(db, committed) -> None:
    now = timezone.now()
    weekly = SessionFactory(starts_at=now + dt.timedelta(days=6, hours=12))
    weekly.program.reminder_minutes = [10080, 180]
    weekly.program.save()
    quiet = SessionFactory(starts_at=now + dt.timedelta(minutes=30))
    quiet.program.reminder_minutes = []
    quiet.program.save()
    with committed():
        services.register(UserFactory(), weekly)
        services.register(UserFactory(), quiet)
    mail.outbox.clear()

    with committed():
        assert send_due_reminders(now) == 1  # a week before; the quiet program sends none
        assert send_due_reminders(now + dt.timedelta(days=1)) == 0  # no day-before reminder
        assert send_due_reminders(now + dt.timedelta(days=6, hours=9, minutes=5)) == 1  # 3 h

    assert [m.body.splitlines()[2] for m in mail.outbox] == [
        "A reminder: this session starts in 6 days.",
        "A reminder: this session starts in 3 hours.",
    ]


def test_a_coordinator_sets_reminders_and_approval_on_the_program_form(network: Network) -> None:
    program = network.session.program
    client = client_for(network.coordinator)
    edit = reverse("programs:program_edit", kwargs={"slug": program.slug})
    page = client.get(edit).content.decode()
    assert re.search(r'value="1440"[^>]* checked', page)
    assert not re.search(r'value="10080"[^>]* checked', page)
    assert "A week before" in page
    form = {
        "title_en": program.title_en,
        "scope": "national",
        "languages": "en",
        "timezone": "America/Toronto",
        "enrolment": "open",
        "access": "public",
        "requires_approval": "on",
        "reminder_minutes": ["60", "2880", "60"],
    }
    assert client.post(edit, form).status_code == 302
    program.refresh_from_db()
    assert program.reminder_minutes == [2880, 60]
    assert program.requires_approval
    form["reminder_minutes"] = ["99"]
    assert client.post(edit, form).status_code == 200  # not a choice: refused, nothing saved
    program.refresh_from_db()
    assert program.reminder_minutes == [2880, 60]
