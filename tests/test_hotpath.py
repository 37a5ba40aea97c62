"""The hot path (`echohub.hotpath`) reads exactly what the ORM reads, on both engines:
the same values of the same Python types, the same rows, the same counts."""

import datetime as dt
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session as LoginSession
from django.db import connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from echohub import hotpath
from echohub.programs.models import Program, Session
from echohub.programs.permissions import public_session
from echohub.registration.models import Registration
from tests.factories import ProgramFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def fields_of(instance: object) -> dict[str, object]:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_an_instance_is_the_one_the_orm_reads() -> None:
    program = ProgramFactory(reminder_minutes=[1440, 60], requires_approval=True)
    session = SessionFactory(program=program, capacity=None, registration_open=False)
    for model, pk in ((Session, session.pk), (Program, program.pk)):
        fast, orm = hotpath.get(model, pk=pk), model.objects.get(pk=pk)
        assert fast is not None
        assert fields_of(fast) == fields_of(orm)
        # Types too: SQLite sends text, integers and JSON text; the converters apply.
        assert {k: type(v) for k, v in fields_of(fast).items()} == {
            k: type(v) for k, v in fields_of(orm).items()
        }
        assert not fast._state.adding
        assert fast._state.db == "default"
    fast_session = hotpath.get(Session, pk=session.pk)
    assert fast_session is not None
    assert timezone.is_aware(fast_session.starts_at)
    assert fast_session.registration_open is False
    assert fast_session.capacity is None


def test_fields_conditions_and_missing_rows() -> None:
    session = SessionFactory()
    person = UserFactory()
    registration = Registration.objects.create(session=session, person=person, status="waitlisted")
    by_object = hotpath.first(Registration, ("pk", "status"), session=session, person=person)
    by_id = hotpath.first(Registration, ("pk", "status"), session=session.pk, person=person.pk)
    assert by_object == by_id == {"pk": registration.pk, "status": "waitlisted"}
    assert hotpath.first(Registration, ("pk",), session=session, person=UserFactory()) is None
    assert hotpath.get(Session, pk=session.pk + 1000) is None


def test_count_is_the_orm_count() -> None:
    session, other = SessionFactory(), SessionFactory()
    for status in ("confirmed", "confirmed", "waitlisted", "cancelled"):
        Registration.objects.create(session=session, person=UserFactory(), status=status)
    Registration.objects.create(session=other, person=UserFactory(), status="confirmed")
    for status in ("confirmed", "waitlisted", "pending"):
        orm = Registration.objects.filter(session=session, status=status).count()
        assert hotpath.count(Registration, session=session, status=status) == orm
    assert hotpath.count(Registration, session=session, status="confirmed") == 2


def test_lock_asks_for_the_row_lock_where_the_database_has_one() -> None:
    session = SessionFactory()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        found = hotpath.first(Session, ("capacity",), lock=True, pk=session.pk)
    assert found == {"capacity": 100}
    (sql,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT")]
    assert sql.endswith("FOR UPDATE") == connection.features.has_select_for_update


def test_public_session_answers_404_for_a_program_not_public() -> None:
    session = SessionFactory()
    with CaptureQueriesContext(connection) as queries:
        found = public_session(session.pk, AnonymousUser())
    assert len(queries) == 2
    assert found == session
    assert found.program == session.program
    with CaptureQueriesContext(connection) as queries:
        assert found.program.hub_id == session.program.hub_id  # no lazy load
    assert len(queries) == 0
    draft = SessionFactory(program=ProgramFactory(status=Program.Status.DRAFT))
    for pk in (draft.pk, draft.pk + 1000):
        with pytest.raises(Http404):
            public_session(pk, AnonymousUser())


def test_the_session_store_reads_what_django_wrote_and_ignores_expired_rows() -> None:
    ours = import_module(settings.SESSION_ENGINE).SessionStore
    written = DjangoStore()
    written["who"] = "a nurse"
    written.save()
    assert ours(written.session_key)["who"] == "a nurse"
    # and the other way round: the same table, the same signing salt
    mine = ours()
    mine["lang"] = "fr"
    mine.save()
    assert DjangoStore(mine.session_key)["lang"] == "fr"

    LoginSession.objects.filter(session_key=written.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = ours(written.session_key)
    assert "who" not in expired
    assert expired.session_key is None  # a new key on save, as Django's store does
    assert "x" not in ours("no-such-session-key-0123456789")
