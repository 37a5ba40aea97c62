from django.test import Client
from django.urls import reverse
from django.utils import translation

from echohub.network.models import Hub, Spoke, StaffRole
from echohub.programs.models import Program
from tests.conftest import Network, client_for
from tests.factories import ProgramFactory


def test_hub_list_and_hub_page(network: Network) -> None:
    network.hub.provinces.set(["ON"])
    network.hub.scope = "provincial"
    network.hub.save()
    ProgramFactory(hub=network.hub, title_en="Hidden draft", status=Program.Status.DRAFT)
    listing = Client().get(reverse("programs:hub_list")).content.decode()
    assert "Ontario Hub" in listing
    assert "Western Hub" in listing
    page = Client().get(reverse("programs:hub", kwargs={"slug": "ontario"})).content.decode()
    assert "Provinces or territories: Ontario" in page
    assert "PSW Series" in page
    assert "Hidden draft" not in page
    assert "West Series" not in page


def test_hub_admin_grants_and_removes_a_role(network: Network) -> None:
    client = client_for(network.hub_admin)
    url = reverse("network:hub_staff", kwargs={"slug": "ontario"})
    response = client.post(url, {"email": network.participant.email, "role": "coordinator"})
    assert response.status_code == 302
    role = StaffRole.objects.get(hub=network.hub, person=network.participant)
    assert role.role == "coordinator"
    assert "Nadia Participant" in client.get(url).content.decode()
    client.post(reverse("network:hub_staff_remove", kwargs={"slug": "ontario", "role_id": role.pk}))
    assert not StaffRole.objects.filter(pk=role.pk).exists()


def test_granting_to_an_unknown_address_explains_what_to_do(network: Network) -> None:
    client = client_for(network.hub_admin)
    url = reverse("network:hub_staff", kwargs={"slug": "ontario"})
    response = client.post(url, {"email": "stranger@example.org", "role": "expert"})
    assert response.context["form"].errors["email"] == [
        "No one has an EchoHub account with this address yet; ask them to sign up first."
    ]


def test_the_last_admin_is_kept_with_a_message(network: Network) -> None:
    client = client_for(network.national_admin)
    admin_role = network.hub.staff_roles.get(role="admin")
    response = client.post(
        reverse("network:hub_staff_remove", kwargs={"slug": "ontario", "role_id": admin_role.pk}),
        follow=True,
    )
    assert "A hub keeps at least one hub admin" in response.content.decode()
    assert StaffRole.objects.filter(pk=admin_role.pk).exists()


def test_a_role_of_another_hub_cannot_be_removed_through_this_hub(network: Network) -> None:
    client = client_for(network.hub_admin)
    other_role = network.other_hub.staff_roles.first()
    response = client.post(
        reverse("network:hub_staff_remove", kwargs={"slug": "ontario", "role_id": other_role.pk})
    )
    assert response.status_code == 404
    assert StaffRole.objects.filter(pk=other_role.pk).exists()


def test_national_admin_creates_a_sector_hub(network: Network) -> None:
    client = client_for(network.national_admin)
    response = client.post(
        reverse("network:hub_create"),
        {
            "name_en": "Paramedicine Hub",
            "name_fr": "Carrefour des paramédics",
            "scope": "sector",
            "sector": "paramedicine",
            "provinces": ["ON"],
        },
    )
    hub = Hub.objects.get(name_en="Paramedicine Hub")
    assert response["Location"] == reverse("programs:hub", kwargs={"slug": "paramedicine-hub"})
    assert hub.sector_id == "paramedicine"
    assert hub.provinces.count() == 0  # provinces only count for a provincial hub


def test_hub_form_says_what_a_scope_needs(network: Network) -> None:
    client = client_for(network.national_admin)
    response = client.post(
        reverse("network:hub_create"), {"name_en": "No Scope Detail", "scope": "provincial"}
    )
    assert response.context["form"].errors == {
        "provinces": ["Tick the provinces or territories this hub serves."]
    }
    response = client.post(reverse("network:hub_create"), {"name_fr": "", "scope": "sector"})
    assert response.context["form"].errors == {
        "name_en": ["Give the name in English, in French or in both."],
        "sector": ["Choose the sector this hub serves."],
    }
    assert not Hub.objects.filter(name_en="No Scope Detail").exists()


def test_hub_admin_edits_their_hub(network: Network) -> None:
    client = client_for(network.hub_admin)
    client.post(
        reverse("network:hub_edit", kwargs={"slug": "ontario"}),
        {"name_en": "Ontario Palliative Hub", "name_fr": "", "scope": "national"},
    )
    network.hub.refresh_from_db()
    assert (network.hub.name_en, network.hub.name_fr) == ("Ontario Palliative Hub", "")
    with translation.override("fr"):
        page = Client().get(reverse("programs:hub", kwargs={"slug": "ontario"})).content.decode()
    assert '<span lang="en">Ontario Palliative Hub</span>' in page


def test_coordinator_adds_a_spoke_and_participants_can_choose_it(network: Network) -> None:
    client = client_for(network.coordinator)
    client.post(
        reverse("network:spoke_list"),
        {
            "name": "Moose Factory Community Health",
            "setting": "indigenous-community",
            "province": "ON",
            "place": "Moose Factory",
            "rurality": "remote",
        },
    )
    spoke = Spoke.objects.get(name="Moose Factory Community Health")
    assert spoke.rurality == "remote"
    profile = client_for(network.participant).get(reverse("accounts:profile")).content.decode()
    assert "Moose Factory Community Health (Moose Factory, ON)" in profile
    bad = client.post(reverse("network:spoke_list"), {"name": "<b>x</b>", "rurality": "suburb"})
    assert set(bad.context["form"].errors) == {"name", "setting", "province", "place", "rurality"}
