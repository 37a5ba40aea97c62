"""The hub's logo, signature and signatory on its certificates."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from echohub.certificates import services
from echohub.network import services as network_services
from tests.certificates.test_certificates import accredit, attend, held
from tests.conftest import Network, client_for
from tests.factories import UserFactory
from tests.network.test_branding import jpeg, png


def pdf_of(network: Network, person: object, code: str) -> bytes:
    response = client_for(person).get(reverse("certificates:pdf", kwargs={"code": code}))  # type: ignore[arg-type]
    assert response["Content-Type"] == "application/pdf"
    return response.content


def image_xobjects(pdf: bytes) -> list[str]:
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        xobjects = page["/Resources"].get("/XObject", {})
        for name, ref in xobjects.items():
            if ref.get_object()["/Subtype"] == "/Image":
                found.append(name)
    return found


def test_the_certificate_carries_the_hubs_logo_signature_and_signatory(network: Network) -> None:
    session = held(network.program, 3)
    accredit(network.program)
    nurse = UserFactory(name="Amélie Tremblay")
    attend(session, nurse, 60)
    [certificate] = services.issue_for_session(session, by=network.coordinator)
    plain = pdf_of(network, nurse, certificate.code)
    assert image_xobjects(plain) == []

    hub = network.hub
    hub.signatory_name = "Dr Sarah Nguyen"
    hub.signatory_title_en = "Medical director, Ontario Hub"
    hub.signatory_title_fr = "Directrice médicale, Carrefour de l’Ontario"
    network_services.save_hub(
        hub,
        by=network.hub_admin,
        logo=SimpleUploadedFile("logo.png", png(300, 100)),
        signature=SimpleUploadedFile("signature.jpg", jpeg()),
    )
    branded = pdf_of(network, nurse, certificate.code)
    words = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(branded)).pages).split()
    )
    assert "Dr Sarah Nguyen" in words
    assert "Medical director, Ontario Hub" in words
    assert len(image_xobjects(branded)) == 2  # the logo and the signature
    # Still reproducible byte for byte.
    assert pdf_of(network, nurse, certificate.code) == branded


def test_a_french_certificate_gives_the_signatorys_french_title(network: Network) -> None:
    network.program.languages = "fr"
    network.program.save()
    session = held(network.program, 3)
    accredit(network.program)
    reader = UserFactory(name="Luc Gagnon", preferred_language="fr")
    attend(session, reader, 60)
    hub = network.hub
    hub.signatory_name = "Dr Sarah Nguyen"
    hub.signatory_title_en = "Medical director"
    hub.signatory_title_fr = "Directrice médicale"
    network_services.save_hub(hub, by=network.hub_admin)
    [certificate] = services.issue_for_session(session, by=network.coordinator)
    pdf = pdf_of(network, reader, certificate.code)
    words = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert "Dr Sarah Nguyen Directrice médicale" in words
    assert "Medical director" not in words


def test_a_logo_lost_from_storage_does_not_keep_anyone_from_their_certificate(
    network: Network,
) -> None:
    session = held(network.program, 3)
    accredit(network.program)
    nurse = UserFactory(name="Amélie Tremblay")
    attend(session, nurse, 60)
    [certificate] = services.issue_for_session(session, by=network.coordinator)
    hub = network.hub
    network_services.save_hub(hub, by=network.hub_admin, logo=SimpleUploadedFile("l.png", png()))
    hub.logo.storage.delete(hub.logo.name)
    pdf = pdf_of(network, nurse, certificate.code)
    assert "Amélie Tremblay" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert image_xobjects(pdf) == []
    assert client_for(None).get(hub.logo_url()).status_code == 404
