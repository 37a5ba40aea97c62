import pytest
from django.core.exceptions import ValidationError

from echohub.network import services
from echohub.network.models import StaffRole
from tests.conftest import Network


def test_grant_role_finds_the_person_by_email_in_any_case(network: Network) -> None:
    email = network.participant.email.upper()
    role = services.grant_role(network.hub, email, "expert", by=network.hub_admin)
    assert role.person == network.participant
    assert network.hub.staff_roles.filter(person=network.participant, role="expert").exists()


def test_grant_role_to_an_unknown_address_says_so(network: Network) -> None:
    with pytest.raises(ValidationError) as error:
        services.grant_role(network.hub, "nobody@example.org", "expert", by=network.hub_admin)
    assert "ask them to sign up first" in error.value.message_dict["email"][0]


def test_grant_role_twice_is_refused(network: Network) -> None:
    with pytest.raises(ValidationError):
        services.grant_role(network.hub, network.expert.email, "expert", by=network.hub_admin)


def test_the_last_hub_admin_cannot_be_removed(network: Network) -> None:
    only_admin = network.hub.staff_roles.get(role=StaffRole.Role.ADMIN)
    with pytest.raises(ValidationError):
        services.revoke_role(only_admin, by=network.national_admin)
    assert StaffRole.objects.filter(pk=only_admin.pk).exists()


def test_revoking_a_panel_role_takes_the_person_off_the_hubs_panels(network: Network) -> None:
    network.program.team.create(person=network.expert, role="expert")
    role = network.hub.staff_roles.get(person=network.expert, role="expert")
    services.revoke_role(role, by=network.hub_admin)
    assert not network.program.team.filter(person=network.expert).exists()
