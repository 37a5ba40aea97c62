"""Races on real threads and committed transactions: never more confirmed than seats.

Each thread has its own database connection, so the locks in
`echohub.registration.services` are what keeps the counts right. All threads
wait at a barrier and start together; a small pool of threads serves many
people (one connection each: PostgreSQL allows 100 in all, shared by both
xdist workers), taking the next person as soon as they finish the last.

On SQLite the test database is a file (see settings.py), where writers wait
for the lock rather than fail with "database is locked".
"""

import datetime as dt
import itertools
import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from echohub.accounts.models import User
from echohub.programs.models import Program, Session
from echohub.registration import services
from echohub.registration.models import Registration
from tests.factories import ProgramFactory, SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)

Status = Registration.Status

_people = itertools.count()


def pool_size(wanted: int) -> int:
    """Threads for a race: SQLite serialises every writer, so a few are enough there."""
    return wanted if connection.vendor == "postgresql" else min(wanted, 8)


@dataclass
class Race:
    results: list[Any]
    errors: list[tuple[int, BaseException]]
    most_confirmed_seen: int = 0
    confirmed_seen: list[int] = field(default_factory=list)


def race(tasks: Sequence[Callable[[], Any]], *, threads: int, watch: Session | None = None) -> Race:
    """Run every task on a pool of `threads` threads that start together.

    With `watch`, each thread counts the session's confirmed registrations
    after each task, and a watcher thread counts them over and over until
    the race ends: `most_confirmed_seen` is the most any count saw.
    """
    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(tasks)):
        todo.put(index)
    threads = min(threads, len(tasks))
    results: list[Any] = [None] * len(tasks)
    errors: list[tuple[int, BaseException]] = []
    seen: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads + (1 if watch else 0))
    finished = threading.Event()

    def confirmed() -> int:
        assert watch is not None
        return Registration.objects.filter(session=watch, status=Status.CONFIRMED).count()

    def work() -> None:
        try:
            barrier.wait()
            while True:
                try:
                    index = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    results[index] = tasks[index]()
                    if watch is not None:
                        count = confirmed()
                        with lock:
                            seen.append(count)
                except Exception as error:  # recorded, and the test fails on it
                    with lock:
                        errors.append((index, error))
        finally:
            connection.close()

    def watcher() -> None:
        try:
            barrier.wait()
            while not finished.is_set():
                count = confirmed()
                with lock:
                    seen.append(count)
                time.sleep(0.002)
        except Exception as error:
            with lock:
                errors.append((-1, error))
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(threads)]
    if watch is not None:
        workers.append(threading.Thread(target=watcher))
    for thread in workers:
        thread.start()
    for thread in workers[:threads]:
        thread.join(timeout=120)
    finished.set()
    for thread in workers[threads:]:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in workers), "a thread is stuck"
    return Race(
        results=results,
        errors=errors,
        most_confirmed_seen=max(seen, default=0),
        confirmed_seen=seen,
    )


def people(count: int) -> list[User]:
    """`count` new people, fast: no factories and no password hashing."""
    numbers = [next(_people) for _ in range(count)]
    User.objects.bulk_create(
        [User(email=f"racer{n}@example.org", name=f"Racer {n}") for n in numbers]
    )
    return list(
        User.objects.filter(email__in=[f"racer{n}@example.org" for n in numbers]).order_by("pk")
    )


def open_session(capacity: int, program: Program | None = None) -> Session:
    program = program or ProgramFactory(status=Program.Status.PUBLISHED)
    return SessionFactory(program=program, capacity=capacity)


def seat(session: Session, persons: Sequence[User], status: str, start: dt.datetime) -> None:
    """Registrations made before the race, queued one second apart from `start`."""
    Registration.objects.bulk_create(
        [
            Registration(
                session=session,
                person=person,
                status=status,
                queued_at=start + dt.timedelta(seconds=i),
            )
            for i, person in enumerate(persons)
        ]
    )


def by_status(session: Session) -> dict[str, int]:
    """How many of the session's registrations are in each status."""
    found = counts()
    for status in session.registrations.values_list("status", flat=True):
        found[status] += 1
    return found


def counts(**by: int) -> dict[str, int]:
    return {**dict.fromkeys(Status.values, 0), **by}


def described(errors: list[tuple[int, BaseException]]) -> str:
    return "\n".join(f"task {index}: {error!r}" for index, error in errors[:10])


def test_200_people_race_for_100_seats_ten_times_over() -> None:
    racers = people(200)
    program = ProgramFactory(status=Program.Status.PUBLISHED)
    threads = pool_size(20)
    for round_ in range(10):
        session = open_session(100, program)
        tasks = [lambda p=person, s=session: services.register(p, s) for person in racers]

        outcome = race(tasks, threads=threads)

        assert not outcome.errors, f"round {round_}:\n{described(outcome.errors)}"
        returned = [r.status for r in outcome.results]
        assert returned.count(Status.CONFIRMED) == 100, f"round {round_}"
        assert returned.count(Status.WAITLISTED) == 100, f"round {round_}"
        assert by_status(session) == counts(confirmed=100, waitlisted=100), f"round {round_}"
        waiting = session.registrations.filter(status=Status.WAITLISTED).select_related("session")
        positions = sorted(services.waitlist_position(r) for r in waiting)
        assert positions == list(range(1, 101)), f"round {round_}"
        # Whoever got a seat registered before anyone who was queued.
        confirmed = session.registrations.filter(status=Status.CONFIRMED)
        last_seated = max(r.queued_at for r in confirmed)
        assert all(r.queued_at >= last_seated for r in waiting), f"round {round_}"


def test_one_person_submitting_twenty_times_at_once_gets_one_registration() -> None:
    person = people(1)[0]
    session = open_session(100)
    tasks = [lambda: services.register(person, session)] * 20

    outcome = race(tasks, threads=pool_size(20))

    assert not outcome.errors, described(outcome.errors)
    registration = Registration.objects.get(session=session, person=person)
    assert registration.status == Status.CONFIRMED
    assert {r.pk for r in outcome.results} == {registration.pk}
    assert all(r.status == Status.CONFIRMED for r in outcome.results)
    assert Registration.objects.filter(session=session).count() == 1


def test_cancellations_racing_registrations_keep_the_session_full_in_queue_order() -> None:
    session = open_session(50)
    seated, queued, newcomers = people(50), people(30), people(50)
    start = timezone.now() - dt.timedelta(hours=1)
    seat(session, seated, Status.CONFIRMED, start)
    seat(session, queued, Status.WAITLISTED, start + dt.timedelta(minutes=5))
    to_cancel = list(
        session.registrations.filter(status=Status.CONFIRMED).select_related("session")
    )
    cancels = [lambda r=registration: services.cancel(r) for registration in to_cancel]
    registers = [lambda p=person: services.register(p, session) for person in newcomers]
    # Interleaved, so cancellations and registrations run side by side from the start.
    tasks = [task for pair in zip(cancels, registers, strict=True) for task in pair]

    outcome = race(tasks, threads=pool_size(20), watch=session)

    assert not outcome.errors, described(outcome.errors)
    assert outcome.most_confirmed_seen <= 50, outcome.confirmed_seen
    assert len(outcome.confirmed_seen) >= len(tasks)
    assert by_status(session) == counts(confirmed=50, waitlisted=30, cancelled=50)
    # Everyone queued before the race got a seat.
    assert set(
        session.registrations.filter(person__in=queued).values_list("status", flat=True)
    ) == {Status.CONFIRMED}
    # Seats went to the waiting list in queue order: promoted first, queued first.
    promoted_pks = [r.pk for promoted in outcome.results[0::2] for r in promoted]
    assert len(promoted_pks) == len(set(promoted_pks))
    promoted = list(Registration.objects.filter(pk__in=promoted_pks))
    assert len(promoted) >= 30
    in_queue_order = sorted(promoted, key=lambda r: (r.queued_at, r.pk))
    in_promotion_order = sorted(promoted, key=lambda r: (r.updated_at, r.queued_at, r.pk))
    assert [r.pk for r in in_promotion_order] == [r.pk for r in in_queue_order]
    assert {r.person_id for r in in_queue_order[:30]} == {p.pk for p in queued}
    # And whoever still waits was queued after everyone who got a seat.
    waiting = session.registrations.filter(status=Status.WAITLISTED)
    last_seated = max(r.queued_at for r in session.registrations.filter(status=Status.CONFIRMED))
    assert all(r.queued_at >= last_seated for r in waiting)
    positions = sorted(services.waitlist_position(r) for r in waiting.select_related("session"))
    assert positions == list(range(1, 31))


@pytest.mark.parametrize("round_", range(3))
def test_capacity_raised_while_registrations_race(round_: int) -> None:
    session = open_session(10)
    coordinator, racers = people(1)[0], people(20)
    tasks: list[Callable[[], Any]] = [
        lambda p=person: services.register(p, session) for person in racers
    ]
    # The change of capacity comes in the first, second or last wave of the race.
    tasks.insert(round_ * 10, lambda: services.set_capacity(session, 15, by=coordinator))

    outcome = race(tasks, threads=pool_size(10), watch=session)

    assert not outcome.errors, described(outcome.errors)
    assert outcome.most_confirmed_seen <= 15, outcome.confirmed_seen
    session.refresh_from_db()
    assert session.capacity == 15
    assert by_status(session) == counts(confirmed=15, waitlisted=5)
    # The first 15 to register hold the seats; the last 5 wait, in order.
    in_queue_order = list(session.registrations.order_by("queued_at", "pk"))
    assert [r.status for r in in_queue_order] == [Status.CONFIRMED] * 15 + [Status.WAITLISTED] * 5
    assert [services.waitlist_position(r) for r in in_queue_order[15:]] == [1, 2, 3, 4, 5]
