"""Shared fixtures: a network of two hubs with staff in each role (alice, bob, …)."""

import importlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db.backends.signals import connection_created
from django.test import Client
from django.utils import translation

from echohub.accounts.models import User
from echohub.network.models import Hub, StaffRole
from echohub.programs.models import Program, Session
from tests.factories import (
    HubFactory,
    ProgramFactory,
    SessionFactory,
    StaffRoleFactory,
    UserFactory,
)

# The SMTP server on loopback (`smtp_sink`), for any test that reads mail as a client does.
pytest_plugins = ["tests.outreach.smtp"]


def open_audit_purge(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Test databases are emptied between tests, the audit trail with the rest: the door
    the triggers leave for a purge is open on test connections
    (tests/cases/test_case_access.py closes it to prove the triggers hold)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("echohub_audit_purge", 0, lambda: 1)
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET echohub.audit_purge = 'on'")


connection_created.connect(open_audit_purge, dispatch_uid="tests.open_audit_purge")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is slow on purpose; tests hash dozens of passwords each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Staff need a second factor (tests/accounts/test_second_factor.py proves it); the
    # other tests are about other things, and their staff sign in with a password.
    settings.REQUIRE_SECOND_FACTOR = False
    # No test asks the internet; tests/accounts/test_passwords_and_sessions.py serves
    # the breached-password check from loopback.
    settings.PWNED_PASSWORDS_URL = ""
    # Tasks (emails) run at once in tests, inside the test's process.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _private_files_in_tmp(settings: Any, tmp_path: Path) -> None:
    """Library uploads a test makes go to its own temporary folder, never to var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]],
) -> Callable[[], AbstractContextManager[Any]]:
    """`with committed(): …` runs what waits for the commit (emails) as the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _no_kept_lists() -> None:
    """Each test reads the short lists afresh: the page-cache generation they were kept
    under goes back with a rolled-back test, and a change made without signals
    (`QuerySet.update`) would otherwise outlive its test."""
    from echohub.pagecache.kept import forget_kept_rows

    forget_kept_rows()


@pytest.fixture(autouse=True)
def _english_unless_told(settings: Any) -> Iterator[None]:
    """Each test starts in English: a request's LocaleMiddleware leaves its language active."""
    with translation.override("en"):
        yield


# Invented people, one per role in the Ontario hub.
STAFF_NAMES = {
    StaffRole.Role.ADMIN: "Amélie Tremblay",
    StaffRole.Role.COORDINATOR: "Chidi Okafor",
    StaffRole.Role.FACILITATOR: "Fatima Haddad",
    StaffRole.Role.EXPERT: "Erik Larsen",
}


@pytest.fixture
def reference_lists(transactional_db: None) -> None:
    """Provinces, professions, settings and topics for a test on committed transactions.

    Such a test empties every table when it ends, the rows the data migration
    loaded included, so they are loaded again with that migration's own code.
    """
    for migration in ("0002_load_lists", "0004_load_topics"):
        importlib.import_module(f"echohub.reference.migrations.{migration}").load(apps, None)


@dataclass
class Network:
    hub: Hub
    other_hub: Hub
    program: Program
    draft: Program
    session: Session
    other_program: Program
    other_session: Session
    hub_admin: User
    coordinator: User
    facilitator: User
    expert: User
    participant: User
    other_coordinator: User
    other_admin: User
    national_admin: User
    # For the access matrix: another hub's facilitator, and a participant who owns nothing.
    other_facilitator: User
    second_participant: User


@pytest.fixture
def network(db: None) -> Network:
    hub = HubFactory(slug="ontario", name_en="Ontario Hub", name_fr="Carrefour de l'Ontario")
    other = HubFactory(slug="west", name_en="Western Hub", name_fr="Carrefour de l'Ouest")
    people = {
        role: StaffRoleFactory(hub=hub, role=role, person__name=name).person
        for role, name in STAFF_NAMES.items()
    }
    other_coordinator = StaffRoleFactory(hub=other, role=StaffRole.Role.COORDINATOR).person
    other_admin = StaffRoleFactory(hub=other, role=StaffRole.Role.ADMIN).person
    other_facilitator = StaffRoleFactory(hub=other, role=StaffRole.Role.FACILITATOR).person
    program = ProgramFactory(hub=hub, slug="psw-series", title_en="PSW Series")
    other_program = ProgramFactory(hub=other, slug="west-series", title_en="West Series")
    return Network(
        hub=hub,
        other_hub=other,
        program=program,
        draft=ProgramFactory(hub=hub, slug="draft-series", status=Program.Status.DRAFT),
        session=SessionFactory(program=program),
        other_program=other_program,
        other_session=SessionFactory(program=other_program),
        hub_admin=people["admin"],
        coordinator=people["coordinator"],
        facilitator=people["facilitator"],
        expert=people["expert"],
        participant=UserFactory(name="Nadia Participant"),
        other_coordinator=other_coordinator,
        other_admin=other_admin,
        national_admin=UserFactory(is_national_admin=True, name="National Admin"),
        other_facilitator=other_facilitator,
        second_participant=UserFactory(name="Second Participant"),
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
