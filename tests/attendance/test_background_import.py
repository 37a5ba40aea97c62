"""A report is read in the background: its page shows how far it got, a failure or a
stopped worker says so, and a long report's choices are checked without a set per line."""

import datetime as dt
import io
import tracemalloc
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from echohub.accounts.models import User
from echohub.attendance import services
from echohub.attendance.models import Attendance, AttendanceImport
from echohub.programs.models import Session
from echohub.registration.models import Registration
from tests.attendance.test_import import ROWS, report
from tests.conftest import Network, client_for
from tests.programs.test_public_views import text

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def upload(network: Network, session: Session, content: bytes) -> Any:
    data = io.BytesIO(content)
    data.name = "zoom.csv"
    url = reverse("attendance:upload", kwargs={"pk": session.pk})
    return client_for(network.coordinator).post(url, {"report": data, "zone": "America/Toronto"})


@pytest.mark.django_db(transaction=True)
def test_an_upload_is_read_by_the_worker_while_its_page_shows_progress(
    network: Network,
    session: Session,
    settings: Any,
) -> None:
    settings.TASKS = DATABASE_TASKS
    answer = upload(network, session, report(session, *ROWS))
    received = AttendanceImport.objects.get()
    assert answer["Location"] == reverse("attendance:preview", kwargs={"pk": received.pk})
    assert received.status == "reading"
    assert bytes(received.report).startswith(b"Name (Original Name)")
    coordinator = client_for(network.coordinator)
    waiting = coordinator.get(answer["Location"])
    assert b'http-equiv="refresh"' in waiting.content
    assert "The file is waiting to be read." in text(waiting)
    # Half-way through a long one, the page counts.
    AttendanceImport.objects.filter(pk=received.pk).update(lines_total=2000, lines_done=500)
    assert "500 of 2000 people matched so far." in text(coordinator.get(answer["Location"]))
    session_page = text(coordinator.get(reverse("attendance:session", args=[session.pk])))
    assert "Being read" in session_page
    assert "See how far it got" in session_page

    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    received.refresh_from_db()
    assert (received.status, received.lines_total, received.lines_done) == ("preview", 3, 3)
    assert bytes(received.report) == b""  # the file is not kept once read
    assert "Check the report" in text(coordinator.get(answer["Location"]))
    assert not Attendance.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_report_the_worker_cannot_read_says_why_on_its_page(
    network: Network,
    session: Session,
    settings: Any,
) -> None:
    settings.TASKS = DATABASE_TASKS
    answer = upload(network, session, b"colour,size\nred,1\n")
    call_command("worker", "--batch", "--no-startup-delay", verbosity=0)
    failed = AttendanceImport.objects.get()
    assert failed.status == "failed"
    page = text(client_for(network.coordinator).get(answer["Location"], follow=True))
    assert "does not recognize this layout" in page
    assert "Could not be read" in page  # on the session's list of reports, with why
    assert not Attendance.objects.exists()


def test_a_reading_whose_worker_stopped_says_so(network: Network, session: Session) -> None:
    received = services.receive_report(
        session, b"", filename="zoom.csv", by=network.coordinator, report_zone="UTC"
    )
    AttendanceImport.objects.filter(pk=received.pk).update(
        status="reading",
        lines_total=40000,
        lines_done=1500,
        beat_at=timezone.now() - AttendanceImport.SILENT_AFTER - dt.timedelta(minutes=1),
    )
    page = client_for(network.coordinator).get(
        reverse("attendance:preview", kwargs={"pk": received.pk})
    )
    assert "the background worker seems to have stopped" in text(page)
    assert b'http-equiv="refresh"' not in page.content


def test_checking_15000_lines_takes_megabytes_not_gigabytes(
    network: Network,
    session: Session,
) -> None:
    """Whom each line may go to was a set of every registrant per line: 15,000 people
    and lines took 8 GB and 28 s to save. Here 3,000 of each stay under 20 MB."""
    people = User.objects.bulk_create(
        User(email=f"p{i}@example.org", name=f"Person {i}") for i in range(3000)
    )
    Registration.objects.bulk_create(
        Registration(session=session, person=p, status="confirmed") for p in people
    )
    rows = [f"Person {i},p{i}@example.org,DAY 01:00:00 PM,DAY 01:50:00 PM,50" for i in range(3000)]
    read = services.preview_import(
        session,
        report(session, *rows),
        filename="zoom.csv",
        by=network.coordinator,
        report_zone="America/Toronto",
    )
    decisions = services.suggested_decisions(read)
    assert len(decisions) == 3000
    tracemalloc.start()
    try:
        changed = services.apply_import(read, decisions, by=network.coordinator)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert changed == 3000
    assert peak < 20 * 1024 * 1024, f"{peak / 1e6:.0f} MB"
