"""Digests matched to interests, in the reader's language and zone, once per period."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail

from echohub.library.models import Resource
from echohub.outreach.models import MailAddress, OutboxMessage
from echohub.outreach.services import send_batch
from echohub.programs.models import Program
from echohub.reference.models import Profession, Province
from echohub.updates.digests import period_of, send_digests
from echohub.updates.models import Consent, Subscriber
from echohub.updates.services import Choices, _subscribe
from tests.factories import HubFactory, ProgramFactory, SessionFactory

pytestmark = pytest.mark.django_db

# A Monday morning in Toronto; the week's sessions are Tuesday to Sunday.
NOW = dt.datetime(2026, 12, 7, 13, 0, tzinfo=dt.UTC)


def subscriber(email: str, *, language: str = "en", zone: str = "America/Toronto", **kinds):
    consent = Consent.objects.create(
        email=email, via="import", wording="test", language=language, asked_by="t",
        given_at=NOW, confirmed_at=NOW,
    )  # fmt: skip
    return _subscribe(
        email, consent=consent, language=language, zone=zone,
        choices=Choices(frequency="weekly", **kinds), lift=False,
    )  # fmt: skip


@pytest.fixture
def sessions(db):
    quebec_hub = HubFactory(slug="quebec", name_en="Quebec Hub", name_fr="Carrefour du Québec")
    psw = Profession.objects.get(code="psw")
    nurse = Profession.objects.get(code="registered-nurse")
    for_psw_in_qc = ProgramFactory(
        hub=quebec_hub, slug="psw-qc", title_en="PSW in Quebec", title_fr="PAB au Québec",
        scope=Program.Scope.PROVINCIAL,
    )  # fmt: skip
    for_psw_in_qc.audience_professions.set([psw])
    for_psw_in_qc.provinces.set([Province.objects.get(code="QC")])
    for_nurses = ProgramFactory(hub=quebec_hub, slug="nurses", scope=Program.Scope.NATIONAL)
    for_nurses.audience_professions.set([nurse])
    in_ontario = ProgramFactory(slug="ontario-only", scope=Program.Scope.PROVINCIAL)
    in_ontario.provinces.set([Province.objects.get(code="ON")])
    open_to_all = ProgramFactory(slug="everyone", scope=Program.Scope.NATIONAL)
    wednesday = dt.datetime(2026, 12, 9, 17, 0, tzinfo=dt.UTC)  # 12:00 Toronto, 09:00 Vancouver
    return {
        "psw_qc": SessionFactory(
            program=for_psw_in_qc,
            starts_at=wednesday,
            title_en="Mouth care",
            title_fr="Soins de bouche",
        ),
        "nurses": SessionFactory(program=for_nurses, starts_at=wednesday),
        "ontario": SessionFactory(program=in_ontario, starts_at=wednesday),
        "all": SessionFactory(
            program=open_to_all, starts_at=wednesday, title_en="Grief", title_fr="Le deuil"
        ),
        "next_week": SessionFactory(program=open_to_all, starts_at=wednesday + dt.timedelta(7)),
        "earlier_today": SessionFactory(program=open_to_all, starts_at=NOW - dt.timedelta(hours=1)),
    }


def test_the_week_runs_monday_to_sunday_on_the_networks_clock() -> None:
    period = period_of("weekly", NOW)
    toronto = zoneinfo.ZoneInfo("America/Toronto")
    assert period.key == "2026-W50"
    assert period.start == dt.datetime(2026, 12, 7, tzinfo=toronto)
    assert period.end == dt.datetime(2026, 12, 14, tzinfo=toronto)
    assert period.previous_start == dt.datetime(2026, 11, 30, tzinfo=toronto)
    month = period_of("monthly", NOW)
    assert (month.key, month.start.day, month.end.month) == ("2026-12", 1, 1)


def test_a_digest_lists_only_what_matches_in_the_readers_language_and_zone(
    settings, sessions, committed
) -> None:
    settings.TIME_ZONE = "America/Toronto"
    french = subscriber(
        "pab@example.org", language="fr", zone="America/Vancouver",
        provinces=("QC",), professions=("psw",),
    )  # fmt: skip
    with committed():
        assert send_digests("weekly", now=NOW) == 1
        send_batch()
    message = OutboxMessage.objects.get(to_email="pab@example.org")
    assert message.reason_key == f"digest:2026-W50:{french.pk}"
    assert not message.transactional
    assert message.bulk
    body = message.body_text
    assert "Soins de bouche" in body
    assert "Le deuil" in body  # national and open to every profession
    for other in ("nurses", "ontario", "next_week", "earlier_today"):
        assert str(sessions[other].title_fr) not in body
    # 12:00 in Toronto is 09:00 in Vancouver, written the French way.
    assert "9 décembre 2026, 09:00 HNP" in body or "9 décembre 2026, 9 h 00" in body, body
    # One-click registration links, in French.
    assert f"/fr/seances/{sessions['psw_qc'].pk}/inscription/" in body, body
    assert message.subject == "EchoHub\u00a0: les séances et nouvelles de la semaine"
    assert len(mail.outbox) == 1


def test_a_second_run_queues_nothing(sessions, committed) -> None:
    subscriber("a@example.org")
    subscriber("b@example.org", provinces=("ON",))
    with committed():
        assert send_digests("weekly", now=NOW) == 2
        assert send_digests("weekly", now=NOW + dt.timedelta(hours=5)) == 0
        send_batch()
        send_batch()
    assert OutboxMessage.objects.filter(kind="updates.digest").count() == 2
    assert len(mail.outbox) == 2


def test_nothing_matching_sends_nothing(sessions, committed) -> None:
    # The Quebec hub has nothing for pharmacists (an open national program elsewhere would be).
    subscriber("far@example.org", hubs=("quebec",), professions=("pharmacist",))
    with committed():
        assert send_digests("weekly", now=NOW) == 0
    assert not OutboxMessage.objects.exists()


def test_new_programs_and_library_items_of_last_week_are_listed(sessions, committed) -> None:
    last_week = NOW - dt.timedelta(days=4)
    program = ProgramFactory(slug="new-one", title_en="Brand new series")
    Program.objects.filter(pk=program.pk).update(published_at=last_week)
    resource = Resource.objects.create(
        hub=program.hub, kind="tool", title_en="Opioid conversion chart",
        url="https://example.org/chart", visibility="public",
    )  # fmt: skip
    Resource.objects.filter(pk=resource.pk).update(created_at=last_week)
    subscriber("reader@example.org", hubs=(program.hub.slug,))
    with committed():
        send_digests("weekly", now=NOW)
    body = OutboxMessage.objects.get().body_text
    assert "Brand new series" in body
    assert "Opioid conversion chart" in body


def test_suppressed_and_unconfirmed_addresses_get_no_digest(sessions, committed) -> None:
    gone = subscriber("gone@example.org")
    MailAddress.objects.filter(pk=gone.address_id).update(suppressed="unsubscribed")
    bounced = subscriber("bounced@example.org")
    MailAddress.objects.filter(pk=bounced.address_id).update(suppressed="bounced")
    # Asked, never confirmed: a consent without a subscriber.
    Consent.objects.create(
        email="waiting@example.org", via="form", wording="w", language="en", asked_by="t",
        given_at=NOW,
    )  # fmt: skip
    with committed():
        assert send_digests("weekly", now=NOW) == 0
    assert not OutboxMessage.objects.exists()
    assert Subscriber.objects.count() == 2


def test_a_long_week_lists_the_soonest_twelve_and_links_to_the_rest(sessions, committed) -> None:
    program = sessions["all"].program
    start = dt.datetime(2026, 12, 10, 14, 0, tzinfo=dt.UTC)
    for n in range(14):
        SessionFactory(program=program, starts_at=start + dt.timedelta(hours=n),
                       title_en=f"Extra {n:02d}")  # fmt: skip
    subscriber("busy@example.org", hubs=(program.hub.slug,))
    with committed():
        send_digests("weekly", now=NOW)
    body = OutboxMessage.objects.get().body_text
    # "Grief" (Wednesday) and the eleven soonest extras; three more are counted, not listed.
    assert "Grief" in body
    assert "Extra 10" in body
    assert "Extra 11" not in body
    assert "And 3 more sessions: http://127.0.0.1:8000/en/programs/" in body
