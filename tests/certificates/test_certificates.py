"""CPD credit from minutes attended, certificates, their public check, and transcripts."""

import datetime as dt
import io
import re
from decimal import Decimal

from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from echohub.accounts.models import User
from echohub.attendance.models import Attendance
from echohub.certificates import credits, services
from echohub.certificates.models import Accreditation, Certificate
from echohub.programs.models import Program, Session
from tests.conftest import Network, client_for
from tests.factories import SessionFactory, UserFactory
from tests.programs.test_public_views import text

STATEMENT = (
    "This one-credit-per-hour Group Learning program meets the certification criteria of the "
    "College of Family Physicians of Canada and has been certified by the Ontario Chapter for "
    "up to 8 Mainpro+ credits."
)


def accredit(program: Program, **fields: object) -> Accreditation:
    """Mainpro+ credit, for family physicians, unless told otherwise."""
    professions = fields.pop("professions", ["family-physician"])
    values: dict[str, object] = {
        "body": "College of Family Physicians of Canada",
        "credit_type": Accreditation.CreditType.MAINPRO_GROUP,
        "credits_per_hour": Decimal("1"),
        "rounding": Accreditation.Rounding.QUARTER,
        "minimum_percent": 50,
        "number": "MP-2026-0042",
        "statement_en": STATEMENT,
        "statement_fr": "Ce programme d’apprentissage en groupe est certifié.",
        "valid_from": dt.date(2020, 1, 1),
        "valid_to": dt.date(2030, 12, 31),
        **fields,
    }
    accreditation = Accreditation.objects.create(program=program, **values)
    accreditation.professions.set(professions)  # type: ignore[arg-type]
    return accreditation


def physician(**fields: object) -> User:
    return UserFactory(profession_id="family-physician", **fields)


def held(program: Program, days_ago: int, minutes: int = 60) -> Session:
    return SessionFactory(
        program=program,
        starts_at=timezone.now() - dt.timedelta(days=days_ago),
        duration_minutes=minutes,
    )


def attend(session: Session, person: object, minutes: int) -> Attendance:
    return Attendance.objects.create(
        session=session, person=person, minutes=minutes, source="report"
    )


def test_credit_follows_minutes_rounded_down_by_the_rule(db: None) -> None:
    program = SessionFactory().program
    quarter = accredit(program)
    assert credits.for_minutes(quarter, 45) == Decimal("0.75")
    assert credits.for_minutes(quarter, 44) == Decimal("0.50")
    section3 = accredit(program, credits_per_hour=Decimal("3"), rounding="half")
    assert credits.for_minutes(section3, 50) == Decimal("2.50")
    day = dt.date(2026, 3, 5)
    assert credits.counting([quarter], minutes=29, duration=60, day=day) == []  # < 50 %
    assert credits.counting([quarter], minutes=30, duration=60, day=day) == [quarter]
    assert credits.for_minutes(quarter, 30) == Decimal("0.50")
    late = dt.date(2031, 1, 1)
    assert credits.counting([quarter], minutes=60, duration=60, day=late) == []
    assert credits.meets_completion(6, 10, 60)
    assert not credits.meets_completion(5, 10, 60)


def test_issue_for_a_session_is_idempotent_and_emails_a_link(
    network: Network, django_capture_on_commit_callbacks
) -> None:
    session = held(network.program, 3)
    accredit(network.program)
    doctor = physician(name="Amélie Tremblay", licence_number="RN-12345")
    attend(session, doctor, 45)
    attend(session, UserFactory(), 20)  # under half the session: no credit
    with django_capture_on_commit_callbacks(execute=True):
        [certificate] = services.issue_for_session(session, by=network.coordinator)
    assert services.issue_for_session(session, by=network.coordinator) == []
    assert certificate.credits[0]["amount"] == "0.75"
    assert certificate.licence_number == "RN-12345"
    assert len(certificate.code) == 19
    [email] = mail.outbox
    assert email.to == [doctor.email]
    assert certificate.code in email.body


def test_the_pdf_states_everything_and_the_check_page_confirms_it(network: Network) -> None:
    session = held(network.program, 3)
    accredit(network.program)
    doctor = physician(name="Amélie Tremblay", licence_number="RN-12345")
    attend(session, doctor, 45)
    [certificate] = services.issue_for_session(session, by=network.coordinator)
    response = client_for(doctor).get(
        reverse("certificates:pdf", kwargs={"code": certificate.code})
    )
    assert response["Content-Type"] == "application/pdf"
    pdf_text = " ".join(
        " ".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        ).split()
    )
    for words in (
        "Certificate of attendance",
        "Amélie Tremblay",
        "RN-12345",
        "0.75",
        "MP-2026-0042",
        certificate.code,
        STATEMENT,
    ):
        assert words in pdf_text
    # Anyone checks it; a revoked one says so.
    verify = reverse("certificates:verify", kwargs={"code": certificate.code})
    assert "Valid" in text(client_for(None).get(verify))
    services.revoke(certificate, reason="Attendance corrected", by=network.coordinator)
    assert "Revoked" in text(client_for(None).get(verify))
    revoked_pdf = client_for(doctor).get(
        reverse("certificates:pdf", kwargs={"code": certificate.code})
    )
    assert "REVOKED" in PdfReader(io.BytesIO(revoked_pdf.content)).pages[0].extract_text()
    assert (
        client_for(None)
        .get(reverse("certificates:verify", kwargs={"code": "ABCD-EFGH-JKLM-NPQR"}))
        .status_code
        == 404
    )


def test_reissue_keeps_the_history(network: Network) -> None:
    session = held(network.program, 3)
    accredit(network.program)
    person = physician()
    record = attend(session, person, 40)
    [first] = services.issue_for_session(session, by=network.coordinator)
    record.minutes = 60
    record.save()
    second = services.reissue(first, reason="Minutes corrected", by=network.coordinator)
    first.refresh_from_db()
    assert first.is_revoked
    assert second.replaces == first
    assert second.credits[0]["amount"] == "1.00"
    page = text(client_for(None).get(first.get_absolute_url()))
    assert "See the certificate that replaces it" in page


def test_a_cycle_certificate_needs_the_completion_rule(network: Network) -> None:
    program = network.program
    program.certificates, program.completion_percent = Program.Certificates.CYCLE, 60
    program.save()
    accredit(program)
    sessions = [held(program, days) for days in (30, 23, 16, 9, 2)]
    keen, casual = physician(), physician()
    for session in sessions[:3]:
        attend(session, keen, 60)
    attend(sessions[0], casual, 60)
    attend(sessions[1], casual, 60)
    [certificate] = services.issue_for_cycle(program, by=network.coordinator)
    assert certificate.person == keen
    assert certificate.session is None
    assert certificate.minutes == 180
    assert certificate.credits[0]["amount"] == "3.00"
    assert len(certificate.days) == 3


def test_bulk_issue_runs_as_a_task_and_shows_progress(
    network: Network, django_capture_on_commit_callbacks
) -> None:
    session = held(network.program, 3)
    accredit(network.program)
    for _ in range(3):
        attend(session, UserFactory(), 60)
    client = client_for(network.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("certificates:issue", kwargs={"slug": network.program.slug}),
            {"session": session.pk},
        )
    page = text(client.get(reverse("certificates:manage", kwargs={"slug": network.program.slug})))
    assert "3 certificates issued" in page
    assert Certificate.objects.count() == 3


def test_no_accreditation_no_certificates_with_a_clear_message(network: Network) -> None:
    client = client_for(network.coordinator)
    page = client.post(
        reverse("certificates:issue", kwargs={"slug": network.program.slug}), follow=True
    )
    assert "Add the program&#x27;s accreditation before issuing certificates." in text(page)


def test_transcript_lists_activities_and_totals_by_year_and_type(network: Network) -> None:
    accredit(network.program)
    person = physician()
    for days in (3, 10):
        session = held(network.program, days)
        attend(session, person, 60)
        services.issue_for_session(session, by=network.coordinator)
    client = client_for(person)
    page = text(client.get(reverse("certificates:transcript")))
    year = timezone.now().year
    assert re.search(rf"{year - 1}|{year}", page)
    assert "Family medicine: Mainpro+ certified group learning" in page
    csv_text = client.get(reverse("certificates:transcript") + "?format=csv").content.decode(
        "utf-8-sig"
    )
    assert csv_text.count("\n") == 3  # header and two sessions
    pdf = client.get(reverse("certificates:transcript") + "?format=pdf")
    assert "Transcript" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()


def test_french_certificate_in_french(network: Network) -> None:
    session = held(network.program, 3)
    accredit(network.program)
    person = physician(preferred_language="fr", name="Léa Gagnon")
    attend(session, person, 45)
    [certificate] = services.issue_for_session(session, by=network.coordinator)
    assert certificate.language == "fr"
    response = client_for(person).get(
        reverse("certificates:pdf", kwargs={"code": certificate.code})
    )
    words = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "Attestation de participation" in words
    assert "0,75" in words


def test_a_program_can_issue_certificates_by_itself_when_attendance_is_saved(
    network: Network, django_capture_on_commit_callbacks
) -> None:
    from echohub.attendance import services as attendance

    program = network.program
    program.certificates_automatic = True
    program.save()
    accredit(program)
    session = held(program, 2)
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        attendance.mark(
            session, person, present=True, minutes=None, reason="Phone", by=network.coordinator
        )
    [certificate] = Certificate.objects.all()
    assert certificate.person == person
    assert certificate.issued_by is None


def test_a_bilingual_program_gives_a_french_reader_both_languages(network: Network) -> None:
    program = network.program
    program.languages = Program.Languages.BOTH
    program.save()
    session = held(program, 3)
    accredit(program)
    person = physician(preferred_language="fr", name="Zoë Ødegård")
    attend(session, person, 60)
    [certificate] = services.issue_for_session(session, by=network.coordinator)
    assert certificate.language == "both"
    response = client_for(person).get(
        reverse("certificates:pdf", kwargs={"code": certificate.code})
    )
    reader = PdfReader(io.BytesIO(response.content))
    words = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Certificate of attendance" in words
    assert "Attestation de participation" in words
    assert "Zoë Ødegård" in words
    assert "Ce programme d’apprentissage en groupe est certifié." in words


def test_the_check_page_writes_credits_the_french_way_in_french(network: Network) -> None:
    session = held(network.program, 3)
    accredit(network.program)
    attend(session, physician(), 45)
    [certificate] = services.issue_for_session(session, by=network.coordinator)
    with translation.override("fr"):
        verify = reverse("certificates:verify", kwargs={"code": certificate.code})
    page = text(client_for(None).get(verify))
    assert "0,75 Médecine familiale : apprentissage en groupe certifié Mainpro+" in page
    with translation.override("en"):
        english = text(client_for(None).get(certificate.get_absolute_url()))
    assert "0.75 Family medicine: Mainpro+ certified group learning" in english


def test_the_transcript_csv_never_starts_a_cell_with_a_formula(network: Network) -> None:
    network.program.title_en = '=HYPERLINK("http://example.org","x")'
    network.program.save()
    accredit(network.program)
    person = physician()
    session = held(network.program, 3)
    attend(session, person, 60)
    services.issue_for_session(session, by=network.coordinator)
    csv_text = (
        client_for(person)
        .get(reverse("certificates:transcript") + "?format=csv")
        .content.decode("utf-8-sig")
    )
    assert "'=HYPERLINK" in csv_text
    assert ",=HYPERLINK" not in csv_text
    assert ',"=HYPERLINK' not in csv_text
