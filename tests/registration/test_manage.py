import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from echohub.registration import services
from echohub.registration.models import Registration
from tests.conftest import Network, client_for
from tests.factories import SpokeFactory, UserFactory
from tests.programs.test_public_views import text


def fill(network: Network) -> list[Registration]:
    """Three confirmed and one waitlisted on a 3-seat session."""
    network.session.capacity = 3
    network.session.save()
    spoke = SpokeFactory(name="Timmins Family Health Team")
    people = [
        UserFactory(name="=HYPERLINK(1)", profession_id="psw", province_id="ON", spoke=spoke),
        UserFactory(name="Émilie Côté", profession_id="registered-nurse", province_id="QC"),
        UserFactory(name="Sam Ward", profession_id="paramedic", province_id="NS"),
        UserFactory(name="Ravi Patel", profession_id="psw", province_id="ON"),
    ]
    return [services.register(p, network.session) for p in people]


def registrants_url(network: Network) -> str:
    return reverse("registration:registrants", kwargs={"pk": network.session.pk})


def names(response: object) -> list[str]:
    return [r.person.name for r in response.context["rows"]]  # type: ignore[attr-defined]


def test_list_filters_and_counts(network: Network) -> None:
    fill(network)
    client = client_for(network.coordinator)
    response = client.get(registrants_url(network))
    assert "3 registered, 1 waiting, 0 awaiting approval" in text(response)
    assert names(response) == ["=HYPERLINK(1)", "Émilie Côté", "Sam Ward", "Ravi Patel"]
    assert names(client.get(registrants_url(network), {"profession": "psw"})) == [
        "=HYPERLINK(1)",
        "Ravi Patel",
    ]
    assert names(client.get(registrants_url(network), {"status": "waitlisted"})) == ["Ravi Patel"]
    spoke = network.session.registrations.first().person.spoke  # type: ignore[union-attr]
    assert names(client.get(registrants_url(network), {"spoke": spoke.pk})) == ["=HYPERLINK(1)"]


def test_csv_export_is_excel_friendly_and_formula_safe(network: Network) -> None:
    fill(network)
    response = client_for(network.coordinator).get(
        registrants_url(network), {"province": "ON", "export": "csv"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="registrants-')
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["Name", "Email", "Status"]
    assert [row[0] for row in rows[1:]] == ["'=HYPERLINK(1)", "Ravi Patel"]
    assert [row[2] for row in rows[1:]] == ["Registered", "On the waiting list"]
    assert rows[1][6] == "Timmins Family Health Team"


def test_xlsx_export(network: Network) -> None:
    fill(network)
    response = client_for(network.coordinator).get(registrants_url(network), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Name"
    assert [row[0] for row in values[1:]] == [
        "'=HYPERLINK(1)",
        "Émilie Côté",
        "Sam Ward",
        "Ravi Patel",
    ]


def test_remove_promotes_and_capacity_raise_promotes(network: Network) -> None:
    regs = fill(network)
    extra = services.register(UserFactory(name="Late Comer"), network.session)
    client = client_for(network.coordinator)
    response = client.post(
        reverse(
            "registration:remove",
            kwargs={"pk": network.session.pk, "registration_id": regs[0].pk},
        ),
        follow=True,
    )
    assert "Promoted from the waiting list: Ravi Patel." in text(response)
    client.post(
        reverse("registration:capacity", kwargs={"pk": network.session.pk}), {"capacity": "4"}
    )
    extra.refresh_from_db()
    assert extra.status == "confirmed"
    bad = client.post(
        reverse("registration:capacity", kwargs={"pk": network.session.pk}),
        {"capacity": "-3"},
        follow=True,
    )
    assert "Capacity must be at least 1, or empty for no limit." in text(bad)
    network.session.refresh_from_db()
    assert network.session.capacity == 4


def test_add_someone_and_close_registration(network: Network) -> None:
    client = client_for(network.coordinator)
    add = reverse("registration:add", kwargs={"pk": network.session.pk})
    response = client.post(add, {"email": network.participant.email.upper()}, follow=True)
    assert "Nadia Participant added: Registered." in text(response)
    again = client.post(add, {"email": network.participant.email}, follow=True)
    assert "This person is already registered." in text(again)
    unknown = client.post(add, {"email": "nobody@example.org"}, follow=True)
    assert "ask them to sign up first" in text(unknown)
    client.post(reverse("registration:toggle", kwargs={"pk": network.session.pk}))
    person = UserFactory()
    page = text(client_for(person).get(network.session.get_absolute_url()))
    assert "Registration for this session is closed." in page
    refused = client_for(person).post(
        reverse("registration:register", kwargs={"pk": network.session.pk})
    )
    assert refused.status_code == 409
    client.post(reverse("registration:toggle", kwargs={"pk": network.session.pk}))
    assert services.register(person, network.session).status == "confirmed"


def test_approve_and_decline(network: Network) -> None:
    network.program.requires_approval = True
    network.program.save()
    first = services.register(UserFactory(), network.session)
    second = services.register(UserFactory(), network.session)
    client = client_for(network.coordinator)

    def decide(registration: Registration, approve: str) -> None:
        client.post(
            reverse(
                "registration:decide",
                kwargs={"pk": network.session.pk, "registration_id": registration.pk},
            ),
            {"approve": approve},
        )

    decide(first, "1")
    decide(second, "0")
    assert Registration.objects.get(pk=first.pk).status == "confirmed"
    assert Registration.objects.get(pk=second.pk).status == "declined"


def test_another_hubs_coordinator_cannot_see_the_list(network: Network) -> None:
    fill(network)
    response = client_for(network.other_coordinator).get(
        registrants_url(network), {"export": "csv"}
    )
    assert response.status_code == 404
