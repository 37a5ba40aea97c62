"""A case from draft to the library: submit, review, schedule, recommendations, withdraw, purge."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from echohub.cases import design, recommending, services
from echohub.cases.models import AuditRecord, Case, Recommendations
from echohub.programs.models import ProgramStaff
from echohub.registration.models import Registration
from tests.cases.conftest import CLEAN_ANSWERS, submitted_case
from tests.conftest import client_for
from tests.factories import SessionFactory, UserFactory


def test_a_draft_is_saved_without_required_answers_and_submitted_later(network, nurse) -> None:
    client = client_for(nurse)
    url = reverse("cases:new", kwargs={"slug": network.program.slug})
    response = client.post(url, {"title": "Dyspnea in COPD", "q_symptoms": "SOB at rest"})
    case = Case.objects.get()
    assert response["Location"] == case.get_absolute_url()
    assert (case.status, case.number, case.answers) == ("draft", 1, {"symptoms": "SOB at rest"})

    edit = reverse("cases:edit", kwargs={"public_id": case.public_id})
    page = client.get(edit).content.decode()
    assert "SOB at rest" in page
    refused = client.post(edit, {"title": "Dyspnea in COPD", "submit": "1"})
    assert refused.status_code == 200
    assert "This question needs an answer before you submit." in refused.content.decode()
    assert "This field is required." in refused.content.decode()  # the attestation

    data = {"title": "Dyspnea in COPD", "attest": "on", "submit": "1"}
    data.update({f"q_{k}": v for k, v in CLEAN_ANSWERS.items()})
    assert client.post(edit, data).status_code == 302
    case.refresh_from_db()
    assert case.status == "submitted"
    assert case.attested_at is not None


def test_only_members_or_invited_people_present(network, nurse, committed) -> None:
    stranger = UserFactory(email="stranger@example.org")
    url = reverse("cases:new", kwargs={"slug": network.program.slug})
    response = client_for(stranger).get(url)
    assert response.status_code == 403
    assert "Register for a session" in response.content.decode()

    with committed():
        invitation = services.invite(
            network.program, stranger, session=None, by=network.coordinator
        )
    [sent] = mail.outbox
    assert sent.to == ["stranger@example.org"]
    assert f"?invitation={invitation.token}" in sent.body
    assert client_for(stranger).get(f"{url}?invitation={invitation.token}").status_code == 200


def test_review_emails_the_presenter_in_their_language(network, nurse, committed) -> None:
    nurse.preferred_language = "fr"
    nurse.save()
    case = submitted_case(network, nurse)
    with pytest.raises(services.CaseError, match="Say what the presenter should change"):
        services.review(case, "returned", by=network.coordinator)
    with committed():
        services.review(case, "returned", comment="Add the goals of care.", by=network.coordinator)
    [sent] = mail.outbox
    assert sent.subject == "Cas 1\u00a0: le carrefour demande des changements"
    assert f"/fr/cas/{case.public_id}/" in sent.body
    assert "Add the goals of care." not in sent.body  # the comment is read on the page
    case.refresh_from_db()
    assert case.status == "returned"
    # Returned: the presenter can change and submit again.
    services.save_case(
        case,
        program=network.program,
        presenter=nurse,
        title=case.title,
        answers={**case.answers, "goals_of_care": "Comfort at home"},
        submit=True,
        attested=True,
    )
    assert Case.objects.get().status == "submitted"


def test_scheduling_fills_the_sessions_case_slots(network, nurse, committed) -> None:
    design.settings_for(network.program).__class__.objects.filter(program=network.program).update(
        slots_per_session=2
    )
    cases = [submitted_case(network, nurse) for _ in range(3)]
    for case in cases:
        services.review(case, "accepted", by=network.coordinator)
    with committed():
        services.schedule(cases[0], network.session, by=network.coordinator)
    services.schedule(cases[1], network.session, by=network.coordinator)
    with pytest.raises(services.CaseError, match="Every case slot of that session is taken"):
        services.schedule(cases[2], network.session, by=network.coordinator)
    assert [c.slot for c in Case.objects.filter(session=network.session).order_by("slot")] == [1, 2]
    assert any(m.subject.startswith("Case 1 will be presented at") for m in mail.outbox)
    past = SessionFactory(program=network.program, starts_at=timezone.now() - dt.timedelta(days=1))
    with pytest.raises(services.CaseError, match="has not started yet"):
        services.schedule(cases[2], past, by=network.coordinator)


def _presented(network, nurse) -> Case:
    case = submitted_case(network, nurse)
    services.review(case, "accepted", by=network.coordinator)
    services.schedule(case, network.session, by=network.coordinator)
    return case


def test_recommendations_drafted_reviewed_and_sent(network, nurse, committed) -> None:
    case = _presented(network, nurse)
    design.settings_for(network.program)
    network.program.case_settings.second_review = True
    network.program.case_settings.share_with_participants = True
    network.program.case_settings.save()
    ProgramStaff.objects.create(program=network.program, person=network.expert, role="expert")
    listener = UserFactory(email="listener@example.org", preferred_language="fr")
    Registration.objects.create(session=network.session, person=listener, status="confirmed")

    recommending.draft_part(case, "Consider methotrimeprazine for nausea.", by=network.expert)
    follow_up = timezone.localdate() + dt.timedelta(days=28)
    recommending.write(
        case,
        "Rotate to hydromorphone; start a CSCI.",
        follow_up_on=follow_up,
        ask_review=True,
        by=network.facilitator,
    )
    with pytest.raises(
        services.CaseError, match="a second person reviews recommendations before they are sent"
    ):
        recommending.send(case, by=network.facilitator)
    with pytest.raises(services.CaseError, match="not their writer"):
        recommending.approve(case, by=network.facilitator)
    recommending.approve(case, by=network.coordinator)
    with committed():
        recommending.send(case, by=network.facilitator)

    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {"nora@example.org", "listener@example.org"}
    to_nurse = by_person["nora@example.org"]
    assert to_nurse.subject == "Recommendations for Case 1"
    assert f"/en/cases/{case.public_id}/" in to_nurse.body
    assert follow_up.strftime("%B") in to_nurse.body
    assert "hydromorphone" not in to_nurse.body  # a link, never the text
    assert by_person["listener@example.org"].subject.startswith("Recommandations pour Cas 1")
    page = client_for(nurse).get(case.get_absolute_url()).content.decode()
    assert "Rotate to hydromorphone; start a CSCI." in page
    assert Recommendations.objects.get().status == "sent"


def test_library_lists_sent_cases_for_members_and_finds_words(network, nurse) -> None:
    case = _presented(network, nurse)
    recommending.write(
        case, "Start a CSCI of hydromorphone.", follow_up_on=None, by=network.facilitator
    )
    url = reverse("cases:library", kwargs={"slug": network.program.slug})
    other_member = UserFactory()
    Registration.objects.create(session=network.session, person=other_member, status="confirmed")
    assert "Pain crisis at home" not in client_for(other_member).get(url).content.decode()

    recommending.send(case, by=network.facilitator)
    client = client_for(other_member)
    assert "Pain crisis at home" in client.get(url).content.decode()
    assert "Pain crisis at home" in client.get(url, {"q": "hydromorphone"}).content.decode()
    assert "Pain crisis at home" in client.get(url, {"q": "pancreatic"}).content.decode()
    assert "No case matches" in client.get(url, {"q": "delirium"}).content.decode()
    assert client_for(UserFactory()).get(url).status_code == 404


def test_withdrawing_erases_the_text_and_purging_keeps_the_audit(network, nurse) -> None:
    case = submitted_case(network, nurse)
    client_for(network.coordinator).get(case.get_absolute_url())
    response = client_for(nurse).post(
        reverse("cases:withdraw", kwargs={"public_id": case.public_id})
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.answers, case.title) == ("withdrawn", {}, "")
    assert services.purge_expired() == 1
    assert not Case.objects.exists()
    assert list(AuditRecord.objects.order_by("at", "pk").values_list("action", flat=True)) == [
        "view",
        "withdraw",
        "purge",
    ]


def test_cases_are_purged_after_the_programs_retention_period(network, nurse) -> None:
    case = _presented(network, nurse)
    keep = design.settings_for(network.program).retention_days
    later = network.session.starts_at + dt.timedelta(days=keep - 1)
    assert services.purge_expired(later) == 0
    assert services.purge_expired(later + dt.timedelta(days=2)) == 1
    assert not Case.objects.filter(pk=case.pk).exists()


def test_a_presented_case_keeps_its_decision_and_its_session(network, nurse) -> None:
    case = _presented(network, nurse)
    network.session.starts_at = timezone.now() - dt.timedelta(hours=1)
    network.session.save()
    case.refresh_from_db()
    for attempt in (
        lambda: services.review(case, "declined", by=network.coordinator),
        lambda: services.unschedule(case, by=network.coordinator),
    ):
        with pytest.raises(services.CaseError, match="its decision stands"):
            attempt()
    page = client_for(network.coordinator).get(case.get_absolute_url()).content.decode()
    assert "Save the decision" not in page
    assert (Case.objects.get().status, Case.objects.get().slot) == ("accepted", 1)


def test_an_invitation_links_to_the_form_in_the_invited_persons_language(network, committed):
    french = UserFactory(email="amelie@example.org", preferred_language="fr")
    with committed():
        invitation = services.invite(network.program, french, session=None, by=network.coordinator)
    [sent] = mail.outbox
    with translation.override("fr"):
        form = reverse("cases:new", kwargs={"slug": network.program.slug})
    assert form.startswith("/fr/")
    assert f"{form}?invitation={invitation.token}" in sent.body
