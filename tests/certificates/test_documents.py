"""The transcript PDF's table headers are set whole, in English and in French."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from echohub.certificates import services
from tests.certificates.test_certificates import accredit, attend, held
from tests.conftest import Network, client_for
from tests.factories import UserFactory

HEADERS = {
    "en": ["Date", "Activity", "Minutes attended", "Credits", "Year", "Credit type"],
    "fr": ["Date", "Activité", "Minutes de participation", "Crédits", "Année", "Type de crédit"],
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_transcript_pdf_headers_are_whole_words(network: Network, lang: str) -> None:
    accredit(network.program)
    person = UserFactory(profession_id="family-physician", preferred_language=lang)
    for days in (3, 10):
        session = held(network.program, days)
        attend(session, person, 60)
        services.issue_for_session(session, by=network.coordinator)
    with translation.override(lang):
        url = reverse("certificates:transcript") + "?format=pdf"
    pdf = client_for(person).get(url, HTTP_ACCEPT_LANGUAGE=lang)
    words = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split()
    for header in HEADERS[lang]:
        for word in header.split():
            assert word in words, (word, words[:40])
