"""A bulk issue whose worker died: the page says so, and the batch resumes where it stopped."""

import datetime as dt

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from echohub.certificates import services
from echohub.certificates.models import Certificate, CertificateBatch
from tests.certificates.test_manage import ELIGIBLE, ISSUED, REVOKED, three_hundred
from tests.conftest import Network, client_for
from tests.programs.test_public_views import text


def test_a_batch_killed_midway_says_so_then_resumes_issuing_each_person_once(
    network: Network,
) -> None:
    session, people = three_hundred(network)
    # The worker issued 40 of the 150 due, then died: its batch stays "running".
    batch = services.start_batch(network.program, session, by=network.coordinator)
    first = {people[i].pk for i in ELIGIBLE[:40]}
    for certificate in services.issue_for_session(session, by=network.coordinator, people=first):
        assert certificate.pk
    quiet_since = timezone.now() - CertificateBatch.SILENT_AFTER - dt.timedelta(minutes=1)
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status="running", total=300, done=120, issued=40, beat_at=quiet_since
    )
    url = reverse("certificates:manage", kwargs={"slug": network.program.slug})
    response = client_for(network.coordinator).get(url, {"session": session.pk})
    words = text(response)
    assert "the background worker seems to have stopped" in words
    assert "120 of 300 people looked at, 40 certificates issued so far" in words
    assert b'http-equiv="refresh"' not in response.content  # no refreshing for good

    # The task runs again (echohub.workers put it back): the other 110 get theirs.
    batch = services.run_batch(batch.pk)
    assert (batch.status, batch.total, batch.done, batch.issued) == ("done", 300, 300, 150)
    per_person = (
        Certificate.objects.filter(session=session).values("person").annotate(n=Count("pk"))
    )
    assert {row["n"] for row in per_person} == {1}
    assert len(per_person) == len(ELIGIBLE) + len(ISSUED) + len(REVOKED)
    # Run once more (a second worker took the same task): nothing new.
    assert services.run_batch(batch.pk).issued == 150
    assert Certificate.objects.filter(session=session).count() == 220
    words = text(client_for(network.coordinator).get(url, {"session": session.pk}))
    assert "150 certificates issued" in words
    assert "seems to have stopped" not in words


def test_a_batch_at_work_refreshes_its_page_and_shows_its_count(network: Network) -> None:
    session, _people = three_hundred(network)
    batch = services.start_batch(network.program, session, by=network.coordinator)
    CertificateBatch.objects.filter(pk=batch.pk).update(
        status="running", total=300, done=25, issued=10, beat_at=timezone.now()
    )
    url = reverse("certificates:manage", kwargs={"slug": network.program.slug})
    response = client_for(network.coordinator).get(url, {"session": session.pk})
    assert b'http-equiv="refresh"' in response.content
    words = text(response)
    assert "25 of 300 people looked at, 10 certificates issued so far" in words
    assert "seems to have stopped" not in words
