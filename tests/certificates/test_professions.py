"""Credit goes to the professions an accreditation names; everyone else gets attendance."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from echohub.certificates import services
from echohub.certificates.forms import AccreditationForm
from echohub.certificates.models import Accreditation
from echohub.programs.models import Program
from tests.certificates.test_certificates import accredit, attend, held
from tests.conftest import Network, client_for
from tests.factories import UserFactory

NURSES = ["registered-nurse", "practical-nurse", "nurse-practitioner"]
NURSING_STATEMENT = "This activity provides 1 nursing continuing education hour per hour."


def accredit_nursing(program: Program) -> Accreditation:
    return accredit(
        program,
        body="Canadian Nurses Association",
        credit_type=Accreditation.CreditType.NURSING,
        number="CNA-77",
        statement_en=NURSING_STATEMENT,
        statement_fr="Cette activité donne une heure de formation continue par heure.",
        professions=NURSES,
    )


def pdf_words(person: object, code: str) -> str:
    response = client_for(person).get(reverse("certificates:pdf", kwargs={"code": code}))  # type: ignore[arg-type]
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_a_nurse_and_a_physician_at_one_session_each_get_their_own_credit(
    network: Network,
) -> None:
    session = held(network.program, 3)
    accredit(network.program, professions=["family-physician"])
    accredit_nursing(network.program)
    physician = UserFactory(name="Jean Roy", profession_id="family-physician")
    nurse = UserFactory(
        name="Amélie Tremblay", profession_id="registered-nurse", licence_number="RN-12345"
    )
    for person in (physician, nurse):
        attend(session, person, 60)
    issued = {c.person_id: c for c in services.issue_for_session(session, by=network.coordinator)}
    assert [line["type"] for line in issued[physician.pk].credits] == ["mainpro_group"]
    assert [line["type"] for line in issued[nurse.pk].credits] == ["nursing_ce"]
    assert issued[nurse.pk].credits[0]["amount"] == "1.00"

    nurse_pdf = pdf_words(nurse, issued[nurse.pk].code)
    assert "Mainpro" not in nurse_pdf
    assert "College of Family Physicians" not in nurse_pdf
    assert "Nursing continuing education hours" in nurse_pdf
    assert NURSING_STATEMENT in nurse_pdf
    assert "Licence number: RN-12345" in nurse_pdf
    physician_pdf = pdf_words(physician, issued[physician.pk].code)
    assert "Mainpro+" in physician_pdf
    assert "Nursing" not in physician_pdf
    assert "Licence number" not in physician_pdf  # none given, none printed
    # The public check page never shows the licence number.
    verify = client_for(None).get(issued[nurse.pk].get_absolute_url()).content.decode()
    assert "RN-12345" not in verify


def test_others_and_people_without_a_profession_get_a_certificate_of_attendance(
    network: Network,
) -> None:
    session = held(network.program, 3)
    accredit(network.program, professions=["family-physician"])
    psw = UserFactory(name="Lucie Bergeron", profession_id="psw")
    nobody = UserFactory(name="Sam Doe")
    attend(session, psw, 50)
    attend(session, nobody, 45)
    attend(session, UserFactory(profession_id="psw"), 10)  # too short: nothing
    issued = {c.person_id: c for c in services.issue_for_session(session, by=network.coordinator)}
    assert set(issued) == {psw.pk, nobody.pk}
    assert issued[psw.pk].credits == []
    assert (issued[nobody.pk].credits, issued[nobody.pk].minutes) == ([], 45)
    words = pdf_words(nobody, issued[nobody.pk].code)
    assert "Certificate of attendance" in words
    assert "Minutes attended: 45" in words
    assert "Credits" not in words


def test_hours_of_learning_naming_no_profession_are_for_everyone(network: Network) -> None:
    session = held(network.program, 3)
    accredit(network.program, professions=["family-physician"])
    accredit(
        network.program,
        body="Ontario Hub",
        credit_type=Accreditation.CreditType.HOURS,
        number="",
        professions=[],
    )
    physician = UserFactory(profession_id="family-physician")
    nobody = UserFactory()
    for person in (physician, nobody):
        attend(session, person, 45)
    issued = {c.person_id: c for c in services.issue_for_session(session, by=network.coordinator)}
    assert [line["type"] for line in issued[physician.pk].credits] == ["mainpro_group", "hours"]
    assert [(line["type"], line["amount"]) for line in issued[nobody.pk].credits] == [
        ("hours", "0.75")
    ]


def test_a_cycle_certificate_follows_the_same_rule(network: Network) -> None:
    program = network.program
    program.certificates, program.completion_percent = Program.Certificates.CYCLE, 50
    program.save()
    accredit(program, professions=["family-physician"])
    accredit_nursing(program)
    sessions = [held(program, days) for days in (9, 2)]
    nurse = UserFactory(profession_id="nurse-practitioner")
    for session in sessions:
        attend(session, nurse, 60)
    [certificate] = services.issue_for_cycle(program, by=network.coordinator)
    assert [(line["type"], line["amount"]) for line in certificate.credits] == [
        ("nursing_ce", "2.00")
    ]


@pytest.mark.parametrize("credit_type", ["mainpro_group", "rcpsc_s1", "nursing_ce", "other"])
def test_a_profession_credit_must_name_its_professions(db: None, credit_type: str) -> None:
    form = AccreditationForm(
        {
            "body": "A college",
            "credit_type": credit_type,
            "other_type_en": "Pharmacy CEU",
            "credits_per_hour": "1",
            "rounding": "quarter",
            "minimum_percent": "50",
            "statement_en": "Certified.",
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31",
        }
    )
    assert not form.is_valid()
    assert "Name the professions" in str(form.errors["professions"])
    hours = AccreditationForm({**form.data, "credit_type": "hours"})
    assert hours.is_valid(), hours.errors
