"""The public check reads a code however it is typed; revoking asks first."""

import pytest
from django.urls import reverse
from django.utils import translation

from echohub.certificates import services
from echohub.certificates.models import Certificate, normalise_code
from tests.certificates.test_certificates import accredit, attend, held
from tests.conftest import Network, client_for
from tests.factories import UserFactory
from tests.programs.test_public_views import text


def issued(network: Network, name: str = "Amélie Tremblay") -> Certificate:
    session = held(network.program, 3)
    accredit(network.program)
    attend(session, UserFactory(name=name, profession_id="family-physician"), 60)
    [certificate] = services.issue_for_session(session, by=network.coordinator)
    return certificate


def typed_ways(code: str) -> list[str]:
    raw = code.replace("-", "")
    return [
        f" {raw[:4].lower()} {raw[4:8].lower()}-{raw[8:12].lower()} {raw[12:].lower()} ",
        raw.lower(),
        raw,
        " ".join(raw),
        f"{raw[:8]}--{raw[8:]}",
        code.lower(),
    ]


def test_normalise_code_reads_any_spacing_dashes_and_case() -> None:
    assert normalise_code(" abcd efgh-jklm npqr ") == "ABCD-EFGH-JKLM-NPQR"
    assert normalise_code("abcdefghjklmnpqr") == "ABCD-EFGH-JKLM-NPQR"
    assert normalise_code("ABCD\u2011EFGH\u00a0JKLM_NPQR") == "ABCD-EFGH-JKLM-NPQR"
    assert normalise_code("too short") == "TOOSHORT"


def test_the_check_form_accepts_a_code_typed_any_way(network: Network) -> None:
    certificate = issued(network)
    client = client_for(None)
    for typed in typed_ways(certificate.code):
        response = client.get(reverse("certificates:verify_form"), {"code": typed}, follow=True)
        assert response.redirect_chain[-1][0] == certificate.get_absolute_url(), typed
        assert "Amélie Tremblay" in text(response), typed


def test_the_check_address_accepts_a_code_typed_any_way(network: Network) -> None:
    certificate = issued(network)
    client = client_for(None)
    for typed in typed_ways(certificate.code):
        with translation.override("en"):
            url = reverse("certificates:verify", kwargs={"code": typed})
        response = client.get(url, follow=True)
        assert response.status_code == 200, typed
        assert "Amélie Tremblay" in text(response), typed


def test_an_unknown_code_is_still_not_found(network: Network) -> None:
    response = client_for(None).get(
        reverse("certificates:verify", kwargs={"code": "abcd efgh jklm npqr"}), follow=True
    )
    assert response.status_code == 404
    assert "No certificate has this code" in text(response)


def test_revoking_asks_for_confirmation_first(network: Network) -> None:
    certificate = issued(network)
    client = client_for(network.coordinator)
    url = reverse("certificates:revoke", kwargs={"pk": certificate.pk})
    # The manage page's old one-click form: a reason, no confirmation.
    page = client.post(url, {"reason": "Attendance corrected"})
    certificate.refresh_from_db()
    assert not certificate.is_revoked
    words = text(page)
    assert "Revoke the certificate of Amélie Tremblay for" in words
    assert "This cannot be undone" in words
    assert 'value="Attendance corrected"' in page.content.decode()
    # Without JavaScript: the page comes from a plain link too.
    assert "Revoke the certificate of Amélie Tremblay" in text(client.get(url))
    client.post(url, {"reason": "Attendance corrected", "confirm": "yes"})
    certificate.refresh_from_db()
    assert certificate.is_revoked
    assert certificate.revoked_reason == "Attendance corrected"


def test_revoking_still_needs_a_reason(network: Network) -> None:
    certificate = issued(network)
    client = client_for(network.coordinator)
    url = reverse("certificates:revoke", kwargs={"pk": certificate.pk})
    page = client.post(url, {"reason": " ", "confirm": "yes"})
    certificate.refresh_from_db()
    assert not certificate.is_revoked
    assert "This field is required" in text(page)


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_hubs_coordinator_cannot_see_the_revoke_page(network: Network, method: str) -> None:
    certificate = issued(network)
    client = client_for(network.other_coordinator)
    url = reverse("certificates:revoke", kwargs={"pk": certificate.pk})
    response = getattr(client, method)(url, {"reason": "x", "confirm": "yes"})
    assert response.status_code == 404
    certificate.refresh_from_db()
    assert not certificate.is_revoked
