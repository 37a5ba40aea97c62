"""A small network whose every figure is counted by hand in the tests (see `hand_made`)."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from echohub.accounts.models import User
from echohub.attendance import services as attendance
from echohub.programs.models import Program, Session
from echohub.registration.models import Registration
from tests.conftest import Network
from tests.factories import ProgramFactory, SessionFactory, UserFactory

TORONTO = ZoneInfo("America/Toronto")


def at(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), tzinfo=TORONTO)


def walk_in_report(session: Session, name: str, minutes: int) -> bytes:
    day = session.starts_at.astimezone(TORONTO).strftime("%m/%d/%Y")
    return (
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n"
        f"{name},,{day} 12:00:00 PM,{day} 12:{minutes:02d}:00 PM,{minutes}\n"
    ).encode()


def add_walk_in(session: Session, name: str, minutes: int, by: User) -> None:
    upload = attendance.preview_import(
        session,
        walk_in_report(session, name, minutes),
        filename="zoom.csv",
        by=by,
        report_zone="America/Toronto",
    )
    attendance.apply_import(upload, {0: "walk_in"}, by=by)


def present(session: Session, person: User, minutes: int, by: User) -> None:
    attendance.mark(session, person, present=True, minutes=minutes, reason="Zoom", by=by)


@dataclass
class HandMade:
    network: Network
    p1: Program
    p2: Program
    a1: Session
    a2: Session
    a3: Session
    b1: Session
    nurse_on: User
    nurse_on2: User
    physician_qc: User


@pytest.fixture
def hand_made(network: Network, committed) -> HandMade:  # type: ignore[no-untyped-def]
    """Two hubs. The Ontario hub's program P1 (completion rule 50 %) has sessions A1
    (10 May 2025), A2 (12 July 2025) and A3 (15 January 2026); the western hub's P2
    (rule 80 %) has B1 (20 May 2025). Every session is 60 minutes.

    - nurse_on (nurse, Ontario, rural postal code, French): registered for A1 and came
      (60 min), came to A2 without registering (45), registered for B1 and came (50).
    - nurse_on2 (nurse, Ontario, urban postal code, English): registered for A1 and did
      not come; registered for A2 and came (60).
    - physician_qc (physician, Quebec, no postal code, French): came to A3 unregistered (60).
    - the Ontario hub's facilitator came to A1 unregistered (60): hub staff.
    - a walk-in without an account came to A1 (30).
    """
    n = network
    p1 = ProgramFactory(hub=n.hub, slug="p1", title_en="Pain at home", completion_percent=50)
    p2 = ProgramFactory(hub=n.other_hub, slug="p2", title_en="West rounds", completion_percent=80)
    a1 = SessionFactory(program=p1, starts_at=at("2025-05-10"))
    a2 = SessionFactory(program=p1, starts_at=at("2025-07-12"))
    a3 = SessionFactory(program=p1, starts_at=at("2026-01-15"))
    b1 = SessionFactory(program=p2, starts_at=at("2025-05-20"))
    nurse_on = UserFactory(
        name="Rose Nurse",
        profession_id="registered-nurse",
        province_id="ON",
        practice_postal_code="P0A 1A0",
        preferred_language="fr",
    )
    nurse_on2 = UserFactory(
        name="Lily Nurse",
        profession_id="registered-nurse",
        province_id="ON",
        practice_postal_code="K1A 0B1",
        preferred_language="en",
    )
    physician_qc = UserFactory(
        name="Paul Physician",
        profession_id="family-physician",
        province_id="QC",
        preferred_language="fr",
    )
    for session, person in ((a1, nurse_on), (a1, nurse_on2), (a2, nurse_on2), (b1, nurse_on)):
        Registration.objects.create(session=session, person=person, status="confirmed")
    with committed():
        present(a1, nurse_on, 60, n.coordinator)
        present(a1, n.facilitator, 60, n.coordinator)
        add_walk_in(a1, "Walk Person", 30, n.coordinator)
        present(a2, nurse_on, 45, n.coordinator)
        present(a2, nurse_on2, 60, n.coordinator)
        present(a3, physician_qc, 60, n.coordinator)
        present(b1, nurse_on, 50, n.other_coordinator)
    return HandMade(n, p1, p2, a1, a2, a3, b1, nurse_on, nurse_on2, physician_qc)
