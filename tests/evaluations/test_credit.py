"""Credit tied to the evaluation: certificates wait for it, are issued when it is answered or
waived (never before), and the coordinator's waiving page shows who, never what."""

import datetime as dt
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from echohub.attendance import services as attendance
from echohub.certificates import roster
from echohub.certificates import services as certificates
from echohub.certificates.models import Accreditation, Certificate
from echohub.evaluations import credit, services
from echohub.evaluations.models import Completion, Phase
from echohub.programs.models import Program
from tests.certificates.test_certificates import accredit
from tests.conftest import client_for
from tests.evaluations.conftest import SESSION_ANSWERS, Evaluated, attend, open_completion
from tests.factories import SessionFactory, UserFactory
from tests.programs.test_public_views import text

Committed = Callable[[], AbstractContextManager[Any]]


def automatic(ev: Evaluated, *, requires: bool = True) -> Accreditation:
    program = ev.network.program
    program.certificates_automatic = True
    program.save()
    return accredit(program, requires_evaluation=requires)


def answer(completion: Completion, ev: Evaluated, answers: dict[str, Any] | None = None) -> None:
    services.submit(
        completion, services.current_version(ev.session_q), answers or dict(SESSION_ANSWERS)
    )


def mark_present(ev: Evaluated) -> None:
    attendance.mark(
        ev.session,
        ev.network.participant,
        present=True,
        minutes=None,
        reason="Joined by phone",
        by=ev.network.coordinator,
    )


def test_attendance_alone_issues_nothing_and_answering_issues_the_certificate(
    evaluated: Evaluated, committed: Committed
) -> None:
    ev, nadia = evaluated, evaluated.network.participant
    automatic(ev)
    with committed():
        mark_present(ev)
        completion = open_completion(nadia, ev)  # asked, not answered: still nothing
    assert Certificate.objects.count() == 0
    assert credit.done_people(ev.network.program, ev.session) == set()
    with committed():
        answer(completion, ev)
    [certificate] = Certificate.objects.all()
    assert (certificate.person, certificate.session) == (nadia, ev.session)
    assert certificate.issued_by is None
    with committed():  # attendance saved again later: still one
        mark_present(ev)
    assert Certificate.objects.count() == 1


def test_an_evaluation_answered_without_the_commit_issues_nothing(
    evaluated: Evaluated, committed: Committed
) -> None:
    """The certificate follows the committed answer, not the attempt."""
    ev = evaluated
    automatic(ev)
    completion = open_completion(ev.network.participant, ev)
    answer(completion, ev)  # its transaction never commits in this test
    assert Certificate.objects.count() == 0


def test_a_waiver_issues_the_certificate_and_shows_as_waived_with_the_reason(
    evaluated: Evaluated, committed: Committed
) -> None:
    ev, nadia = evaluated, evaluated.network.participant
    automatic(ev)
    completion = open_completion(nadia, ev)
    coordinator = client_for(ev.network.coordinator)
    with committed():
        response = coordinator.post(
            reverse("evaluations:waive", kwargs={"pk": completion.pk}),
            {"reason": "Completed on paper"},
        )
    assert response.status_code == 302
    assert Certificate.objects.get().person == nadia
    completion.refresh_from_db()
    assert (completion.status, completion.waived_by) == ("waived", ev.network.coordinator)
    page = text(coordinator.get(response["Location"]))
    assert "Waived: Completed on paper" in page
    assert "by Chidi Okafor" in page
    assert "Evaluation of" in page  # the message that says it was done


def test_a_waiver_needs_a_reason_and_never_replaces_an_answer(
    evaluated: Evaluated, committed: Committed
) -> None:
    ev = evaluated
    completion = open_completion(ev.network.participant, ev)
    url = reverse("evaluations:waive", kwargs={"pk": completion.pk})
    coordinator = client_for(ev.network.coordinator)
    page = text(coordinator.post(url, {"reason": "  "}, follow=True))
    assert "Say why the evaluation is waived." in page
    completion.refresh_from_db()
    assert completion.status == Completion.Status.PENDING
    answer(completion, ev)
    page = text(coordinator.post(url, {"reason": "Paper"}, follow=True))
    assert "This person has already answered the evaluation." in page
    completion.refresh_from_db()
    assert completion.status == Completion.Status.SUBMITTED
    assert coordinator.get(url).status_code == 405


def test_without_the_requirement_attendance_issues_as_before(
    evaluated: Evaluated, committed: Committed
) -> None:
    ev = evaluated
    automatic(ev, requires=False)
    with committed():
        mark_present(ev)
    assert Certificate.objects.count() == 1
    with committed():
        answer(open_completion(ev.network.participant, ev), ev)
    assert Certificate.objects.count() == 1


def test_a_revoked_certificate_does_not_come_back_when_the_evaluation_is_answered(
    evaluated: Evaluated, committed: Committed
) -> None:
    ev, nadia = evaluated, evaluated.network.participant
    automatic(ev)
    first = open_completion(nadia, ev)
    services.waive(first, reason="Paper", by=ev.network.coordinator)
    [certificate] = certificates.issue_for_session(ev.session, by=ev.network.coordinator)
    certificates.revoke(certificate, reason="Wrong person", by=ev.network.coordinator)
    assert certificates.issue_after_evaluation(first.pk) == []
    assert Certificate.objects.count() == 1


def test_issuing_by_hand_skips_those_awaiting_the_evaluation_and_says_why(
    evaluated: Evaluated,
) -> None:
    ev, nadia = evaluated, evaluated.network.participant
    accredit(ev.network.program, requires_evaluation=True)
    done = UserFactory(name="Omar Said")
    attend(ev.session, done)
    services.waive(open_completion(done, ev), reason="Paper", by=ev.network.coordinator)
    open_completion(nadia, ev)
    coordinator = client_for(ev.network.coordinator)
    slug = ev.network.program.slug
    manage = reverse("certificates:manage", kwargs={"slug": slug})
    page = text(coordinator.get(manage, {"session": ev.session.pk}))
    assert "Awaiting the evaluation (1)" in page
    assert "Eligible (1)" in page
    assert "1 person is awaiting the evaluation." in page
    page = text(
        coordinator.post(
            reverse("certificates:issue", kwargs={"slug": slug}),
            {"session": ev.session.pk, "issue": "selected", "person": [nadia.pk, done.pk]},
            follow=True,
        )
    )
    assert [c.person for c in Certificate.objects.all()] == [done]
    assert "1 certificate issued." in page
    assert "1 person ticked has not completed the evaluation yet" in page
    awaiting = roster.matching(
        roster.for_session(ev.session, list(ev.network.program.accreditations.all())),
        status=roster.AWAITING,
        query="",
    )
    assert [s.person for s in awaiting] == [nadia]
    # The roster links to the waiving page, filtered to her.
    waive_link = reverse("evaluations:completions", kwargs={"slug": slug})
    listed = text(coordinator.get(waive_link, {"person": nadia.pk}))
    assert "Omar Said" not in listed
    assert nadia.name in listed


def test_issuing_everyone_skips_those_awaiting(evaluated: Evaluated) -> None:
    ev = evaluated
    accredit(ev.network.program, requires_evaluation=True)
    open_completion(ev.network.participant, ev)
    batch = certificates.start_batch(ev.network.program, ev.session, by=ev.network.coordinator)
    batch = certificates.run_batch(batch.pk)
    assert (batch.status, batch.issued) == ("done", 0)
    assert Certificate.objects.count() == 0


def cycle(ev: Evaluated, *, pre_post: bool) -> Program:
    program = ev.network.program
    program.certificates = Program.Certificates.CYCLE
    program.completion_percent = 50
    program.certificates_automatic = True
    program.save()
    if not pre_post:
        ev.plan.pre_post_questionnaire = None
        services.save_plan(ev.plan, by=ev.network.coordinator)
    accredit(program, requires_evaluation=True)
    return program


def test_a_cycle_with_a_before_and_after_survey_needs_the_after_one(
    evaluated: Evaluated, committed: Committed
) -> None:
    ev, nadia = evaluated, evaluated.network.participant
    program = cycle(ev, pre_post=True)
    with committed():
        answer(open_completion(nadia, ev), ev)  # her session evaluation is not enough
    assert Certificate.objects.count() == 0
    assert credit.done_people(program, None) == set()
    post = open_completion(nadia, ev, Phase.POST)
    link = credit.pending_link(nadia, program, None)
    assert link is not None
    assert services.completion_from_token(link.rstrip("/").rsplit("/", 1)[-1]) == post
    with committed():
        services.submit(post, services.current_version(ev.pre_post_q), {})
    [certificate] = Certificate.objects.all()
    assert (certificate.person, certificate.session) == (nadia, None)


def test_a_cycle_without_one_needs_every_attended_session_evaluated(
    evaluated: Evaluated, committed: Committed
) -> None:
    ev, nadia = evaluated, evaluated.network.participant
    program = cycle(ev, pre_post=False)
    second = SessionFactory(program=program, starts_at=timezone.now() - dt.timedelta(days=8))
    attend(second, nadia)
    skipped = SessionFactory(program=program, starts_at=timezone.now() - dt.timedelta(days=15))
    open_completion(UserFactory(), ev, session=skipped)  # someone else's: not hers to answer
    with committed():
        answer(open_completion(nadia, ev), ev)
    assert Certificate.objects.count() == 0  # the second session's evaluation was not sent yet
    assert credit.standing(nadia, program, None).state == credit.NOT_YET
    later = open_completion(nadia, ev, session=second)
    assert credit.pending_link(nadia, program, None) is not None
    with committed():
        answer(later, ev)
    assert credit.done_people(program, None) == {nadia.pk}
    [certificate] = Certificate.objects.all()
    assert certificate.session is None


def test_done_people_costs_the_same_for_many_people(
    evaluated: Evaluated, django_assert_num_queries: Any
) -> None:
    ev = evaluated
    program = cycle(ev, pre_post=False)
    for _n in range(5):
        person = UserFactory()
        attend(ev.session, person)
        services.waive(open_completion(person, ev), reason="Paper", by=ev.network.coordinator)
    with django_assert_num_queries(3):
        assert len(credit.done_people(program, None)) == 5


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_participant_sees_her_link_until_she_answers(
    evaluated: Evaluated, committed: Committed, lang: str
) -> None:
    ev, nadia = evaluated, evaluated.network.participant
    program = ev.network.program
    accredit(program, requires_evaluation=True)
    completion = open_completion(nadia, ev)
    link = credit.pending_link(nadia, program, ev.session)
    assert link is not None
    assert services.completion_from_token(link.rstrip("/").rsplit("/", 1)[-1]) == completion
    with translation.override(lang):
        mine = reverse("certificates:transcript")
    response = client_for(nadia).get(mine)
    page = text(response)
    expected = {
        "en": "Complete the evaluation to receive your certificate.",
        "fr": "Remplissez l’évaluation pour recevoir votre attestation.",
    }[lang]
    assert expected in page
    [token] = re.findall(r'href="/[a-z]{2}/evaluation/([^/"]+)/"', response.content.decode())
    assert services.completion_from_token(token) == completion
    answer(completion, ev)
    assert credit.pending_link(nadia, program, ev.session) is None
    assert expected not in text(client_for(nadia).get(mine))


def test_when_the_evaluation_closed_unanswered_she_is_told_who_can_help(
    evaluated: Evaluated,
) -> None:
    ev, nadia = evaluated, evaluated.network.participant
    ev.network.hub.contact_email = "echo@ontario.example"
    ev.network.hub.save()
    accredit(ev.network.program, requires_evaluation=True)
    completion = open_completion(nadia, ev)
    Completion.objects.filter(pk=completion.pk).update(closes_at=timezone.now())
    assert credit.pending_link(nadia, ev.network.program, ev.session) is None
    page = text(client_for(nadia).get(reverse("certificates:transcript")))
    assert "The evaluation closed before you answered it" in page
    assert "echo@ontario.example" in page
    assert "Complete the evaluation to receive" not in page
    listed = text(
        client_for(ev.network.coordinator).get(
            reverse("evaluations:completions", kwargs={"slug": ev.network.program.slug}),
            {"status": "closed"},
        )
    )
    assert "Closed without an answer" in listed
    assert nadia.name in listed


def test_without_the_requirement_nothing_waits_on_her_page(evaluated: Evaluated) -> None:
    ev, nadia = evaluated, evaluated.network.participant
    accredit(ev.network.program)
    open_completion(nadia, ev)
    page = text(client_for(nadia).get(reverse("certificates:transcript")))
    assert "waiting for your evaluation" not in page


def test_the_completions_page_lists_who_answered_never_what(evaluated: Evaluated) -> None:
    ev, nadia = evaluated, evaluated.network.participant
    secret = "Ask about breathlessness at every visit."
    answer(open_completion(nadia, ev), ev, {**SESSION_ANSWERS, "will_do": secret})
    other = UserFactory(name="Paul Roy")
    attend(ev.session, other)
    open_completion(other, ev)
    url = reverse("evaluations:completions", kwargs={"slug": ev.network.program.slug})
    coordinator = client_for(ev.network.coordinator)
    response = coordinator.get(url)
    body = response.content.decode()
    assert secret not in body
    assert "breathlessness" not in body
    page = text(response)
    assert nadia.name in page
    assert "Answered" in page
    assert "Paul Roy" in page
    assert "Not answered yet" in page
    assert body.count('action="/en/manage/evaluation/completions/') == 1  # only Paul's waivable
    answered = text(coordinator.get(url, {"status": "submitted"}))
    assert nadia.name in answered
    assert "Paul Roy" not in answered
    with translation.override("fr"):
        url_fr = reverse("evaluations:completions", kwargs={"slug": ev.network.program.slug})
    french = text(coordinator.get(url_fr))
    assert "Pas encore répondu" in french or "Sans réponse pour l’instant" in french
    assert secret not in coordinator.get(url_fr).content.decode()


def test_another_hubs_coordinator_gets_404(evaluated: Evaluated) -> None:
    ev = evaluated
    completion = open_completion(ev.network.participant, ev)
    west = client_for(ev.network.other_coordinator)
    page = reverse("evaluations:completions", kwargs={"slug": ev.network.program.slug})
    assert west.get(page).status_code == 404
    waive = reverse("evaluations:waive", kwargs={"pk": completion.pk})
    assert west.post(waive, {"reason": "Paper"}).status_code == 404
    completion.refresh_from_db()
    assert completion.status == Completion.Status.PENDING
    national = client_for(ev.network.national_admin)
    assert national.post(waive, {"reason": "Paper"}).status_code == 302


def test_the_certificates_page_warns_when_no_evaluation_is_planned(evaluated: Evaluated) -> None:
    ev = evaluated
    accredit(ev.network.program, requires_evaluation=True)
    url = reverse("certificates:manage", kwargs={"slug": ev.network.program.slug})
    coordinator = client_for(ev.network.coordinator)
    warning = "This program asks no evaluation that this credit could wait for"
    assert warning not in text(coordinator.get(url))
    ev.plan.session_questionnaire = None
    services.save_plan(ev.plan, by=ev.network.coordinator)
    assert warning in text(coordinator.get(url))


def test_the_completions_page_costs_the_same_for_more_people(evaluated: Evaluated) -> None:
    ev = evaluated
    url = reverse("evaluations:completions", kwargs={"slug": ev.network.program.slug})
    coordinator = client_for(ev.network.coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert coordinator.get(url).status_code == 200
        return len(captured)

    open_completion(ev.network.participant, ev)
    few = queries()
    for _n in range(6):
        person = UserFactory()
        attend(ev.session, person)
        services.waive(open_completion(person, ev), reason="Paper", by=ev.network.coordinator)
    assert queries() == few
