"""Discussion space benchmark: a space with 2,000 threads, and a thread with 1,000 replies.

Builds, in a database of its own, one program with 300 registered members, a
space of 2,000 threads (each with its opening post and a few replies) and one
thread of 1,000 replies, then times through Django's test client, in process
and signed in as a member (the whole request: middleware, permissions, gate,
templates):

- the thread page: its first and its last page of replies;
- the space's list of threads: its first page and a page deep in it;
- posting a reply (the de-identification gate, the write, the followers' and
  the search index's tasks queued), by members in turn so that no one meets
  the rate limit;

and `/healthz` on the same client, the machine's own baseline. It also counts
the queries of the thread page for a thread of 10 replies and for the one of
1,000: the two must be equal.

    .venv/bin/python bench/community.py [--requests 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/community.py

Without DATABASE_URL it uses a fresh SQLite file in a temporary directory; with a
PostgreSQL URL it creates `echohub_bench_community` on that server and drops it
at the end. Progress goes to stderr; the last line on stdout is one JSON object:
thread_p95_ms, list_p95_ms, post_p95_ms, queries (the thread page's, with 1,000
replies), queries_10_replies, healthz_ms, index_thread_ms (the worker indexing
the long thread again for search, as after each reply: median of 5), engine, load.
"""

import argparse
import datetime as dt
import json
import os
import signal
import sys
import time

from common import log, own_database, percentile

BENCH_DB = "echohub_bench_community"
THREADS = 2_000
LONG_THREAD = 1_000
MEMBERS = 300


def seed() -> dict[str, int]:
    from django.utils import timezone

    from echohub.accounts.models import User
    from echohub.community.models import Post, Thread
    from echohub.community.permissions import space_for
    from echohub.network.models import Hub
    from echohub.programs.models import Program, Session
    from echohub.registration.models import Registration

    hub = Hub.objects.create(slug="bench", name_en="Bench Hub", name_fr="Carrefour du banc")
    program = Program.objects.create(
        hub=hub, slug="psw-series", title_en="PSW Series", status=Program.Status.PUBLISHED
    )
    session = Session.objects.create(
        program=program, title_en="Session 1", starts_at=timezone.now() + dt.timedelta(days=7)
    )
    members = User.objects.bulk_create(
        [User(email=f"m{n}@example.org", name=f"Member {n}") for n in range(MEMBERS)]
    )
    Registration.objects.bulk_create(
        [Registration(session=session, person=m, status="confirmed") for m in members]
    )
    space = space_for(program)
    start = timezone.now() - dt.timedelta(days=60)
    # Seeded with bulk_create (clean made-up texts): the gate runs on the posts timed below.
    threads = Thread.objects.bulk_create(
        [
            Thread(
                space=space,
                author=members[n % MEMBERS],
                title=f"Question {n} about mouth care and dyspnea",
                language="en" if n % 3 else "fr",
                last_post_at=start + dt.timedelta(minutes=n),
                replies=3,
            )
            for n in range(THREADS)
        ],
        batch_size=500,
    )
    posts = []
    for n, thread in enumerate(threads):
        for k in range(4):
            posts.append(
                Post(
                    thread=thread,
                    author=members[(n + k) % MEMBERS],
                    body="We use a saliva substitute and swabs every two hours. " * 3,
                    language=thread.language,
                    opening=k == 0,
                )
            )
    Post.objects.bulk_create(posts, batch_size=1000)
    long, short = threads[-1], threads[-2]
    Post.objects.bulk_create(
        [
            Post(
                thread=long,
                author=members[k % MEMBERS],
                body=f"Reply {k}: titrate slowly and reassess pain within the hour.",
                language="en",
            )
            for k in range(LONG_THREAD - 3)
        ],
        batch_size=1000,
    )
    Thread.objects.filter(pk=long.pk).update(replies=LONG_THREAD)
    Post.objects.bulk_create(
        [
            Post(thread=short, author=members[k], body=f"Short reply {k}.", language="en")
            for k in range(10 - 3)
        ]
    )
    Thread.objects.filter(pk=short.pk).update(replies=10)
    # Written weeks ago (auto_now_add dated them now): nobody is near the rate limit.
    Post.objects.update(created_at=start)
    return {"program": program.pk, "long": long.pk, "short": short.pk, "members": MEMBERS}


def timed(client: object, method: str, path: str, data: dict | None = None) -> float:
    started = time.perf_counter()
    response = getattr(client, method)(path, data or {})
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code not in (200, 302):
        sys.exit(f"{method.upper()} {path}: {response.status_code}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="per page and for posting")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up as on Ctrl-C
    load = os.getloadavg()[0]
    with own_database(BENCH_DB, "echohub-communitybench-"):
        import logging

        # A log line per request and per post on stderr would time the terminal.
        logging.getLogger("echohub").setLevel(logging.WARNING)
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext
        from django.urls import reverse

        from echohub.accounts.models import User

        started = time.perf_counter()
        ids = seed()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        log(f"Seeded in {time.perf_counter() - started:.1f} s")
        members = list(User.objects.order_by("pk")[: ids["members"]])
        client = Client()
        client.force_login(members[0])
        long = reverse("community:thread", kwargs={"pk": ids["long"]})
        short = reverse("community:thread", kwargs={"pk": ids["short"]})
        space = reverse("community:space", kwargs={"slug": "psw-series"})
        counts = {}
        for name, path in (("short", short), ("long", f"{long}?page=last")):
            client.get(path)  # warm
            with CaptureQueriesContext(connection) as captured:
                client.get(path)
            counts[name] = len(captured.captured_queries)
        log(f"Queries of the thread page: 10 replies {counts['short']}, 1,000 {counts['long']}")
        for _ in range(20):  # warm up every path
            client.get(long)
            client.get(space)
            client.get("/healthz")
        thread_ms = [
            timed(client, "get", f"{long}?page=last" if n % 2 else long)
            for n in range(args.requests)
        ]
        list_ms = [
            timed(client, "get", f"{space}?page=40" if n % 2 else space)
            for n in range(args.requests)
        ]
        post_ms = []
        for n in range(args.requests):
            poster = Client()
            poster.force_login(members[1 + n % (len(members) - 1)])
            post_ms.append(
                timed(
                    poster,
                    "post",
                    long,
                    {
                        "body": f"Agreed, and we add a note to the care plan ({n}).",
                        "language": "en",
                    },
                )
            )
        healthz = [timed(client, "get", "/healthz") for _ in range(args.requests)]
        # What the worker does after each reply: the long thread indexed again for search.
        from echohub.community.search import index_thread

        indexing = []
        for _ in range(5):
            begun = time.perf_counter()
            index_thread(ids["long"])
            indexing.append((time.perf_counter() - begun) * 1000)
        result = {
            "thread_p95_ms": round(percentile(thread_ms, 95), 2),
            "list_p95_ms": round(percentile(list_ms, 95), 2),
            "post_p95_ms": round(percentile(post_ms, 95), 2),
            "queries": counts["long"],
            "queries_10_replies": counts["short"],
            "healthz_ms": round(percentile(healthz, 50), 2),
            "index_thread_ms": round(percentile(indexing, 50), 1),
            "engine": connection.vendor,
            "threads": THREADS,
            "replies": LONG_THREAD,
            "load": round(load, 2),
        }
        for name, values in (("thread", thread_ms), ("list", list_ms), ("post", post_ms)):
            p50, p95 = percentile(values, 50), percentile(values, 95)
            log(f"  {name:7} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
