"""Evaluations benchmark: a program's results page and the answer POST, at a big program's size.

One program with 300 held sessions, 20,000 answered session evaluations (and
4,000 asked who did not answer), and 2,000 people who answered before and
after the series (2,000 pre/post pairs). It times, in process through the
whole middleware stack with DEBUG off:

- GET of the program's results page (`evaluations:program_results`) as its
  coordinator, `--pages` times;
- POST of a complete session evaluation to a person's own link
  (`evaluations:answer`), `--submits` times, each a different person;
- GET of /healthz as often: the framework's floor, measured in the same run,
  so the figures can be read as ratios on a noisy machine.

    DATABASE_URL=postgres://… .venv/bin/python bench/evaluations.py
        [--sessions 300] [--responses 20000] [--pairs 2000] [--pages 40] [--submits 200]

PostgreSQL only. Its rows (slugs and emails starting "evalbench-") are deleted
before and after; prefer a dedicated database. Progress goes to stderr; the
last line on stdout is one JSON object:
{"responses": …, "results_p95_ms": …, "submit_p95_ms": …, …}.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections.abc import Callable

from common import log, percentile

PREFIX = "evalbench-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=300)
    parser.add_argument("--responses", type=int, default=20000)
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--submits", type=int, default=200)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/evaluations.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    os.environ.update(DJANGO_SETTINGS_MODULE="echohub.settings", DEBUG="")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.http.response import HttpResponseBase
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from echohub.accounts.models import User
    from echohub.evaluations import services
    from echohub.evaluations.models import Completion, Phase, Response
    from echohub.network.models import Hub, StaffRole
    from echohub.programs.models import Program, Session

    settings.ALLOWED_HOSTS = ["testserver"]

    def clean() -> None:
        Response.objects.filter(program__slug__startswith=PREFIX).delete()
        Completion.objects.filter(program__slug__startswith=PREFIX).delete()
        Program.objects.filter(slug__startswith=PREFIX).delete()
        Hub.objects.filter(slug__startswith=PREFIX).delete()
        User.objects.filter(email__startswith=PREFIX).delete()

    rng = random.Random(13)  # noqa: S311  # invented answers
    result: dict[str, object] = {}
    try:
        call_command("migrate", verbosity=0)
        clean()
        started = time.perf_counter()
        hub = Hub.objects.create(
            slug=f"{PREFIX}hub", name_en="Bench Hub", scope="national", contact_email="e@x.invalid"
        )
        coordinator = User.objects.create_user(f"{PREFIX}coordinator@example.invalid", None)
        StaffRole.objects.create(hub=hub, person=coordinator, role=StaffRole.Role.COORDINATOR)
        program = Program.objects.create(
            hub=hub, slug=f"{PREFIX}program", title_en="Palliative care", status="published"
        )
        session_q = services.create_questionnaire(hub, "session", by=coordinator)
        pre_post_q = services.create_questionnaire(hub, "pre_post", by=coordinator)
        plan = services.plan_for(program)
        plan.session_questionnaire, plan.pre_post_questionnaire = session_q, pre_post_q
        services.save_plan(plan, by=coordinator)
        session_version = services.current_version(session_q)
        pair_version = services.current_version(pre_post_q)
        pair_keys = list(pair_version.items.values_list("key", flat=True))
        now = timezone.now()
        first = now - dt.timedelta(days=7 * args.sessions)
        sessions = Session.objects.bulk_create(
            Session(
                program=program,
                title_en=f"Session {n + 1}",
                starts_at=first + dt.timedelta(days=7 * n),
                duration_minutes=60,
            )
            for n in range(args.sessions)
        )
        asked = args.responses + args.responses // 5
        people = User.objects.bulk_create(
            User(
                email=f"{PREFIX}{n:06d}@example.invalid", name=f"P{n}", password=make_password(None)
            )
            for n in range(max(asked // args.sessions * 2, args.pairs, args.submits + 1))
        )
        log(f"{len(sessions)} sessions, {len(people)} people")
        completions, responses = [], []
        for n in range(asked):
            session = sessions[n % len(sessions)]
            person = people[(n // len(sessions)) % len(people)]
            answered = n < args.responses
            completions.append(
                Completion(
                    person=person,
                    program=program,
                    session=session,
                    phase=Phase.SESSION,
                    status="submitted" if answered else "pending",
                    opens_at=session.starts_at,
                    closes_at=session.starts_at + dt.timedelta(days=14),
                )
            )
            if answered:
                responses.append(
                    Response(
                        program=program,
                        session=session,
                        phase=Phase.SESSION,
                        version=session_version,
                        answers={
                            "relevance": rng.randint(2, 5),
                            "teaching": rng.randint(2, 5),
                            "case_discussion": rng.randint(1, 5),
                            "learned": rng.randint(2, 5),
                            "intend_change": rng.choice(["yes", "already", "no", "unsure"]),
                            "will_do": rng.choice(["Ask earlier.", "Use the ESAS.", ""]),
                            "free_of_bias": "yes",
                        },
                    )
                )
        for person in people[: args.pairs]:
            before = {key: rng.randint(1, 3) for key in pair_keys}
            key = services.pair_key(program, person)
            for phase, answers in (
                (Phase.PRE, before),
                (Phase.POST, {k: min(5, v + rng.randint(0, 2)) for k, v in before.items()}),
            ):
                responses.append(
                    Response(
                        program=program,
                        phase=phase,
                        version=pair_version,
                        answers=answers,
                        pair_key=key,
                    )
                )
        Completion.objects.bulk_create(completions, batch_size=5000)
        Response.objects.bulk_create(responses, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        log(f"{len(responses)} responses written in {time.perf_counter() - started:.1f} s")

        staff = Client()
        staff.force_login(coordinator)
        results_url = reverse("evaluations:program_results", kwargs={"slug": program.slug})

        def timed(call: Callable[[], HttpResponseBase]) -> float:
            began = time.perf_counter()
            response = call()
            elapsed = (time.perf_counter() - began) * 1000
            if response.status_code not in (200, 302):
                sys.exit(f"unexpected status {response.status_code}")
            return elapsed

        for _warm in range(3):
            timed(lambda: staff.get(results_url))
        pages = [timed(lambda: staff.get(results_url)) for _ in range(args.pages)]
        floor = [timed(lambda: staff.get("/healthz")) for _ in range(args.pages)]
        log(
            f"results page: p50 {percentile(pages, 50):.0f} ms, p95 {percentile(pages, 95):.0f} ms"
            f" (/healthz p95 {percentile(floor, 95):.1f} ms)"
        )

        # Each POST answers a different person's open evaluation of the latest session.
        latest = sessions[-1]
        Session.objects.filter(pk=latest.pk).update(starts_at=now - dt.timedelta(hours=2))
        fresh = Completion.objects.bulk_create(
            Completion(
                person=person,
                program=program,
                session=latest,
                phase=Phase.SESSION,
                opens_at=now - dt.timedelta(hours=1),
                closes_at=now + dt.timedelta(days=14),
            )
            for person in people[-args.submits :]
            if not Completion.objects.filter(person=person, session=latest).exists()
        )
        answer = {
            "q_relevance": "5",
            "q_teaching": "4",
            "q_case_discussion": "4",
            "q_learned": "5",
            "q_intend_change": "yes",
            "q_will_do": "Ask about breathlessness at every visit.",
            "q_free_of_bias": "yes",
        }
        visitor = Client()
        submits = []
        for completion in fresh:
            url = reverse("evaluations:answer", kwargs={"token": services.link_token(completion)})
            submits.append(timed(lambda url=url: visitor.post(url, answer)))
        saved = Completion.objects.filter(pk__in=[c.pk for c in fresh], status="submitted").count()
        if saved != len(fresh):
            sys.exit(f"only {saved} of {len(fresh)} answers were saved")
        log(f"submit: p50 {percentile(submits, 50):.0f} ms, p95 {percentile(submits, 95):.0f} ms")
        total = Response.objects.filter(program=program).count()
        result = {
            "responses": total,
            "results_p95_ms": round(percentile(pages, 95), 1),
            "submit_p95_ms": round(percentile(submits, 95), 1),
            "results_p50_ms": round(percentile(pages, 50), 1),
            "submit_p50_ms": round(percentile(submits, 50), 1),
            "healthz_p95_ms": round(percentile(floor, 95), 2),
            "sessions": len(sessions),
            "pairs": args.pairs,
            "engine": connection.vendor,
        }
    finally:
        if "clean" in locals():
            clean()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
