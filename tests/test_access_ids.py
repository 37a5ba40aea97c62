"""An id in an address or a form body that belongs to another session, program or hub
is refused (404, as for one that does not exist), and nothing changes.

The page itself is the caller's own (their session, their program, their hub), so
the matrix in test_access.py lets them in; these check the object they name.
(Attendance lines given to someone out of reach: tests/attendance/test_import.py;
certificates issued for another program's session: tests/certificates/test_manage.py.)
"""

from django.urls import reverse

from echohub.cases.models import Case
from echohub.network.models import StaffRole
from echohub.programs.models import ProgramStaff
from echohub.registration.models import Registration
from tests.conftest import Network, client_for
from tests.test_access import scheduled_case


def test_a_registration_of_another_hubs_session_cannot_be_removed_or_decided(
    network: Network,
) -> None:
    theirs = Registration.objects.create(
        session=network.other_session, person=network.participant, status="pending"
    )
    client = client_for(network.coordinator)
    for name, body in (("registration:remove", {}), ("registration:decide", {"approve": "1"})):
        url = reverse(name, kwargs={"pk": network.session.pk, "registration_id": theirs.pk})
        assert client.post(url, body).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "pending"


def test_a_panel_member_of_another_program_cannot_be_removed(network: Network) -> None:
    theirs = ProgramStaff.objects.create(
        program=network.other_program, person=network.expert, role="expert"
    )
    url = reverse(
        "programs:panel_remove", kwargs={"slug": network.program.slug, "member_id": theirs.pk}
    )
    assert client_for(network.coordinator).post(url).status_code == 404
    assert ProgramStaff.objects.filter(pk=theirs.pk).exists()


def test_another_hubs_staff_cannot_be_removed_through_ones_own_hub(network: Network) -> None:
    theirs = StaffRole.objects.get(person=network.other_coordinator)
    url = reverse(
        "network:hub_staff_remove", kwargs={"slug": network.hub.slug, "role_id": theirs.pk}
    )
    assert client_for(network.hub_admin).post(url).status_code == 404
    assert StaffRole.objects.filter(pk=theirs.pk).exists()


def test_a_case_cannot_be_scheduled_into_another_programs_session(network: Network) -> None:
    public_id = scheduled_case(network)["public_id"]
    url = reverse("cases:schedule", kwargs={"public_id": public_id})
    answer = client_for(network.coordinator).post(url, {"session": network.other_session.pk})
    assert answer.status_code == 404
    assert Case.objects.get(public_id=public_id).session == network.session
