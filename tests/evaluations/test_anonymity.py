"""Nobody learns who answered what: over every page, export, email, log line and admin table.

Seven people with unmistakable names answer the program's evaluations with
unmistakable free text. Then every GET page of the role matrix
(tests/test_access.py), in every role, each export in CSV and XLSX, every
admin list and change page, a dump of every table the admin reaches, every
email and every log line are searched: none may hold a seeded answer together
with any respondent's name or email. The results pages must show the texts
(else this test would prove nothing), and no admin table may hold them at all.
"""

import datetime as dt
import io
import json
import logging
import zipfile
from typing import Any

import pytest
from django.contrib import admin
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from echohub.evaluations import services
from echohub.evaluations.models import Completion, Phase
from echohub.outreach.models import OutboxMessage
from tests.conftest import Network, client_for
from tests.evaluations.conftest import SESSION_ANSWERS, attend
from tests.factories import SessionFactory, UserFactory
from tests.test_access import ACCESS, ROLES

RESPONDENTS = 7


def seed(n: int) -> str:
    return f"qxzseed{n} offer a small fan first"


def improve(n: int) -> str:
    return f"qxzimprove{n} longer case discussion"


def names_of(people: list[Any]) -> list[str]:
    return [p.name for p in people] + [p.email for p in people]


def page_text(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # XLSX: every string of every sheet
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return " ".join(
                book.read(name).decode("utf-8", "replace")
                for name in book.namelist()
                if name.endswith(".xml")
            )
    return content.decode("utf-8", "replace")


@pytest.fixture
def answered(network: Network) -> list[Any]:
    """A session of the program ended two hours ago; seven people answered its evaluation and
    the series' before and after; one more was waived."""
    by = network.coordinator
    plan = services.plan_for(network.program)
    plan.session_questionnaire = services.create_questionnaire(network.hub, "session", by=by)
    plan.pre_post_questionnaire = services.create_questionnaire(network.hub, "pre_post", by=by)
    plan.follow_up_questionnaire = services.create_questionnaire(network.hub, "follow_up", by=by)
    services.save_plan(plan, by=by)
    ended = SessionFactory(
        program=network.program, starts_at=timezone.now() - dt.timedelta(hours=2)
    )
    now = timezone.now()
    people = [network.participant] + [
        UserFactory(name=f"Ottoline Vreeswijk{n}", email=f"ottoline{n}@anon.example.org")
        for n in range(1, RESPONDENTS)
    ]
    session_version = services.current_version(plan.session_questionnaire)
    pair_version = services.current_version(plan.pre_post_questionnaire)
    for n, person in enumerate(people):
        attend(ended, person)
        window = {"opens_at": now - dt.timedelta(hours=1), "closes_at": now + dt.timedelta(days=9)}
        completion, _ = services.ask(
            person, network.program, Phase.SESSION, session=ended, **window
        )
        services.submit(
            completion,
            session_version,
            {**SESSION_ANSWERS, "will_do": seed(n), "improve": improve(n)},
        )
        for phase, level in ((Phase.PRE, 2), (Phase.POST, 4)):
            completion, _ = services.ask(person, network.program, phase, **window)
            services.submit(
                completion, pair_version, {i.key: level for i in pair_version.items.all()}
            )
    late = UserFactory(name="Wendeline Paper", email="wendeline@anon.example.org")
    attend(ended, late)
    waived, _ = services.ask(
        late,
        network.program,
        Phase.SESSION,
        session=ended,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=9),
    )
    services.waive(waived, reason="Completed on paper", by=by)
    return [*people, late]


def check(text: str, people: list[Any], where: str) -> bool:
    """No seeded answer beside anyone's name; True when the text holds a seeded answer."""
    seeds = [s for n in range(RESPONDENTS) for s in (seed(n), improve(n)) if s in text]
    if seeds:
        beside = [name for name in names_of(people) if name in text]
        assert not beside, f"{where}: answers {seeds[:2]} beside {beside[:2]}"
    return bool(seeds)


def test_no_page_or_export_puts_a_person_beside_their_answers(
    network: Network, answered: list[Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    shown = []
    coordinator = client_for(network.coordinator)
    for name, rule in sorted(ACCESS.items()):
        if rule.method != "get":
            continue
        # Each URL's objects are made afresh and rolled back: rules' objects may clash.
        with transaction.atomic():
            kwargs = rule.kwargs(network)
            with translation.override("en"):
                url = reverse(name, kwargs=kwargs)
            for role in ROLES:
                response = client_for(None if role == "anonymous" else getattr(network, role)).get(
                    url
                )
                if response.status_code == 200 and check(page_text(response), answered, url):
                    shown.append(name)
            # Downloads, as someone who may read them (the coordinator, where they may).
            readers = [role for role, expected in rule.expect.items() if expected == 200]
            reader = coordinator
            if readers and "coordinator" not in readers:
                reader = client_for(getattr(network, readers[0]))
            for fmt in ("csv", "xlsx") if "fmt" in kwargs else ():
                export = reverse(name, kwargs={**kwargs, "fmt": fmt})
                response = reader.get(export)
                assert response.status_code == 200, export
                check(page_text(response), answered, export)
            transaction.set_rollback(True)
    # The ended session's own results and exports.
    ended = Completion.objects.filter(session__isnull=False).first().session
    for name in ("evaluations:session_results", "evaluations:session_export"):
        for kwargs in (
            {"pk": ended.pk},
            {"pk": ended.pk, "fmt": "csv"},
            {"pk": ended.pk, "fmt": "xlsx"},
        ):
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            response = coordinator.get(url)
            assert response.status_code == 200, url
            if check(page_text(response), answered, url):
                shown.append(name)
    # Each person's own link, once answered: thanks, never their answers.
    for completion in Completion.objects.filter(person__in=answered):
        url = reverse("evaluations:answer", kwargs={"token": services.link_token(completion)})
        assert not check(client_for(None).get(url).content.decode(), [], url)
    assert shown, "no page showed the free-text answers: this test would prove nothing"
    assert {"evaluations:program_results", "evaluations:session_results"} <= set(shown)
    for message in [*mail.outbox, *OutboxMessage.objects.all()]:
        body = getattr(message, "body", "") or getattr(message, "body_text", "")
        assert not check(body + getattr(message, "body_html", ""), answered, "an email")
        assert not any(seed(n) in body for n in range(RESPONDENTS))
    for record in caplog.records:
        assert not any(seed(n) in record.getMessage() for n in range(RESPONDENTS))


def test_nothing_the_admin_reaches_holds_an_answer(network: Network, answered: list[Any]) -> None:
    network.national_admin.is_staff = network.national_admin.is_superuser = True
    network.national_admin.save()
    client = client_for(network.national_admin)
    labels = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        labels.append(f"{meta.app_label}.{meta.model_name}")
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        response = client.get(changelist)
        assert response.status_code == 200, changelist
        check(response.content.decode(), answered, changelist)
        assert not any(seed(n) in response.content.decode() for n in range(RESPONDENTS))
        for obj in model_admin.get_queryset(response.wsgi_request)[:3]:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            text = client.get(change).content.decode()
            assert not any(seed(n) in text for n in range(RESPONDENTS)), change
    assert "evaluations.completion" in labels
    assert "evaluations.response" not in labels
    out = io.StringIO()
    call_command("dumpdata", *labels, stdout=out)
    dump = out.getvalue()
    json.loads(dump)
    assert not any(seed(n) in dump or improve(n) in dump for n in range(RESPONDENTS))
