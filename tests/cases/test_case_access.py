"""Who sees which case, and the audit trail every look by staff leaves."""

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from echohub.cases import recommending, services
from echohub.cases.models import AuditRecord, audit_digest
from echohub.programs.models import ProgramStaff
from echohub.registration.models import Registration
from tests.cases.conftest import submitted_case
from tests.conftest import client_for
from tests.factories import StaffRoleFactory, UserFactory


def _status(person, case) -> int:
    return client_for(person).get(case.get_absolute_url()).status_code


def test_a_submitted_case_is_seen_by_its_presenter_and_the_hubs_case_staff_only(
    network, nurse
) -> None:
    case = submitted_case(network, nurse)
    other_participant = UserFactory()
    Registration.objects.create(
        session=network.session, person=other_participant, status="confirmed"
    )
    seen = {
        "presenter": _status(nurse, case),
        "coordinator": _status(network.coordinator, case),
        "hub_admin": _status(network.hub_admin, case),
        "hub facilitator": _status(network.facilitator, case),
        "national_admin": _status(network.national_admin, case),
        "other hub's coordinator": _status(network.other_coordinator, case),
        "other hub's admin": _status(network.other_admin, case),
        "registrant before scheduling": _status(other_participant, case),
        "hub expert before scheduling": _status(network.expert, case),
    }
    assert seen == {
        "presenter": 200,
        "coordinator": 200,
        "hub_admin": 200,
        "hub facilitator": 200,
        "national_admin": 200,
        "other hub's coordinator": 404,
        "other hub's admin": 404,
        "registrant before scheduling": 404,
        "hub expert before scheduling": 404,
    }


def test_a_draft_is_the_presenters_alone(network, nurse) -> None:
    case = services.save_case(
        None, program=network.program, presenter=nurse, title="Draft", answers={}
    )
    assert _status(nurse, case) == 200
    assert _status(network.coordinator, case) == 404


def test_a_scheduled_case_is_seen_by_the_panel_and_the_sessions_registrants_until_it_ends(
    network, nurse
) -> None:
    case = submitted_case(network, nurse)
    services.review(case, "accepted", by=network.coordinator)
    services.schedule(case, network.session, by=network.coordinator)
    registrant, elsewhere = UserFactory(), UserFactory()
    Registration.objects.create(session=network.session, person=registrant, status="confirmed")
    panel_expert = UserFactory()
    ProgramStaff.objects.create(program=network.program, person=panel_expert, role="expert")

    assert _status(registrant, case) == 200
    assert _status(panel_expert, case) == 200
    assert _status(network.expert, case) == 200  # the hub's experts
    assert _status(elsewhere, case) == 404
    session_page = client_for(registrant).get(network.session.get_absolute_url()).content.decode()
    assert "Cases of this session" in session_page
    assert "Pain crisis at home" in session_page
    assert "Cases of this session" not in (
        client_for(elsewhere).get(network.session.get_absolute_url()).content.decode()
    )

    network.session.starts_at = timezone.now() - dt.timedelta(days=1)
    network.session.save()
    assert _status(registrant, case) == 404  # the session is over: not until the library
    assert _status(panel_expert, case) == 200  # the panel writes recommendations
    recommending.write(case, "Start a CSCI.", follow_up_on=None, by=network.facilitator)
    recommending.send(case, by=network.facilitator)
    assert _status(registrant, case) == 200  # now in the case library
    assert _status(network.other_coordinator, case) == 404


def test_every_staff_look_is_audited_with_who_what_and_where(network, nurse) -> None:
    case = submitted_case(network, nurse)
    client_for(nurse).get(case.get_absolute_url())  # the presenter's own look is not audited
    client_for(network.coordinator).get(case.get_absolute_url(), REMOTE_ADDR="203.0.113.7")
    export = client_for(network.coordinator).get(
        reverse("cases:export", kwargs={"public_id": case.public_id})
    )
    assert "Metastatic pancreatic cancer" in export.content.decode()
    records = list(AuditRecord.objects.order_by("pk"))
    assert [(r.action, r.actor_id, r.case_id) for r in records] == [
        ("view", network.coordinator.pk, case.pk),
        ("export", network.coordinator.pk, case.pk),
    ]
    assert records[0].ip == "203.0.113.7"
    assert records[0].actor_name == network.coordinator.name


def test_audit_records_cannot_be_changed_or_deleted(network, nurse) -> None:
    case = submitted_case(network, nurse)
    client_for(network.coordinator).get(case.get_absolute_url())
    record = AuditRecord.objects.get()
    record.action = "edit"
    with pytest.raises(PermissionDenied):
        record.save()
    with pytest.raises(PermissionDenied):
        record.delete()
    with pytest.raises(PermissionDenied):
        AuditRecord.objects.all().delete()
    with pytest.raises(PermissionDenied):
        AuditRecord.objects.update(action="edit")
    # Below the code, the database itself refuses: a change, a delete, a truncate, even
    # through the model's base manager.
    statements = ["UPDATE cases_auditrecord SET action = 'edit'", "DELETE FROM cases_auditrecord"]
    if connection.vendor == "postgresql":
        statements.append("TRUNCATE cases_auditrecord")
    with purge_door_closed():
        for statement in statements:
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement)
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditRecord._base_manager.all()._raw_delete(connection.alias)
    assert AuditRecord.objects.get().action == "view"


@contextmanager
def purge_door_closed() -> Iterator[None]:
    """As in production: the test connection's door for emptying the table, closed."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("echohub_audit_purge", 0, lambda: 0)
        try:
            yield
        finally:
            connection.connection.create_function("echohub_audit_purge", 0, lambda: 1)
        return
    with connection.cursor() as cursor:
        cursor.execute("SET echohub.audit_purge = 'off'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET echohub.audit_purge = 'on'")


def test_the_chain_of_digests_shows_a_record_changed_or_removed(network, nurse) -> None:
    case = submitted_case(network, nurse)
    for _ in range(3):
        client_for(network.coordinator).get(case.get_absolute_url())
    out = StringIO()
    call_command("verify_audit_trail", stdout=out)
    assert "3 audit record(s), the chain holds" in out.getvalue()
    first, second, _third = AuditRecord.objects.order_by("pk")
    assert second.digest == audit_digest(second, first.digest)
    # Someone with the database's keys removes the middle record (the door open).
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_auditrecord WHERE id = %s", [second.pk])
    with pytest.raises(CommandError, match="broken in 1 place"):
        call_command("verify_audit_trail", stdout=StringIO(), stderr=StringIO())


def test_the_hub_admin_reads_the_hubs_audit_trail(network, nurse) -> None:
    case = submitted_case(network, nurse)
    client_for(network.coordinator).get(case.get_absolute_url())
    url = reverse("cases:audit", kwargs={"slug": network.hub.slug})
    page = client_for(network.hub_admin).get(url).content.decode()
    assert network.coordinator.name in page
    assert f"{network.program.slug} #{case.number}" in page
    assert client_for(network.coordinator).get(url).status_code == 404
    assert client_for(network.other_admin).get(url).status_code == 404
    other_hub_admin_page = client_for(network.other_admin).get(
        reverse("cases:audit", kwargs={"slug": network.other_hub.slug})
    )
    assert network.coordinator.name not in other_hub_admin_page.content.decode()


def test_staff_of_another_hub_cannot_review_schedule_or_export(network, nurse) -> None:
    case = submitted_case(network, nurse)
    other = client_for(network.other_coordinator)
    kwargs = {"public_id": case.public_id}
    assert (
        other.post(reverse("cases:review", kwargs=kwargs), {"decision": "accepted"}).status_code
        == 404
    )
    assert (
        other.post(
            reverse("cases:schedule", kwargs=kwargs), {"session": network.session.pk}
        ).status_code
        == 404
    )
    assert other.get(reverse("cases:export", kwargs=kwargs)).status_code == 404
    case.refresh_from_db()
    assert case.status == "submitted"
    assert not AuditRecord.objects.exists()


def test_an_expert_drafts_a_part_but_only_facilitators_send(network, nurse) -> None:
    case = submitted_case(network, nurse)
    services.review(case, "accepted", by=network.coordinator)
    services.schedule(case, network.session, by=network.coordinator)
    expert = StaffRoleFactory(hub=network.hub, role="expert").person
    url = reverse("cases:recommendations", kwargs={"public_id": case.public_id})
    client = client_for(expert)
    assert (
        client.post(url, {"action": "part", "part-text": "Try haloperidol 0.5 mg."}).status_code
        == 302
    )
    assert client.post(url, {"action": "send", "text": "Done."}).status_code == 403
    assert case.recommendations.parts.get().text == "Try haloperidol 0.5 mg."
    assert case.recommendations.status == "draft"


@pytest.mark.parametrize(
    ("lang", "written"),
    [
        ("en", r"[A-Z][a-z]{2} \d{1,2}, 20\d\d, \d{1,2}:\d\d [ap]\.m\."),
        (
            "fr",
            r"\d{1,2} [a-zéû]+\.? 20\d\d, \d{1,2} h \d\d",
        ),
    ],
)
def test_the_audit_trail_writes_dates_the_readers_way(network, nurse, lang, written) -> None:
    """Not 12/04/2026, which readers of the other language read as another day."""
    case = submitted_case(network, nurse)
    client_for(network.coordinator).get(case.get_absolute_url())
    with translation.override(lang):
        url = reverse("cases:audit", kwargs={"slug": network.hub.slug})
    page = client_for(network.hub_admin).get(url).content.decode()
    cells = re.findall(r'<td><time datetime="[^"]+">([^<]*)</time></td>', page)
    assert len(cells) == 1
    assert re.fullmatch(written, cells[0]), cells[0]
