"""Search benchmark: 1,000 mixed queries over a 100,000-document library.

Builds, in a database of its own, a library of 100,000 documents: about 2,000
resources (guides, tools, protocols, articles, slides and recordings, with
English and French titles and descriptions from palliative care vocabulary,
topics, public, signed-in and members-only) and, for the rest, transcript
lines of the recordings (English and French speech). It indexes them with the
bulk path (`index_resources`), then runs 1,000 queries through
`echohub.library.search.query.search`, the whole service (permissions, ranking,
highlighting): one and two words, English and French, accented and not, a
fifth with a filter (kind, topic, language, program), half as an anonymous
reader and half as a member of two programs. Beside them it times a
primary-key lookup on the same connection: the machine's own baseline.

    .venv/bin/python bench/search.py [--documents 100000] [--queries 1000] [--seed 7]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/search.py

Without DATABASE_URL it uses a fresh SQLite file in a temporary directory. With a
PostgreSQL URL it never touches the database named there: it creates
`echohub_bench_search` on that server (dropping one left by an interrupted run),
and drops it at the end (--keep leaves either database, to look into plans).
Progress goes to stderr; the last line on stdout is one JSON object: documents,
engine, p50_ms and p95_ms of the 1,000 queries, build_s (the indexing alone),
baseline_ms (the primary-key lookup) and p50_ratio (p50 over that baseline).
"""

import argparse
import datetime as dt
import json
import random
import signal
import statistics
import sys
import time
from itertools import accumulate
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from common import log, own_database

BENCH_DB = "echohub_bench_search"
RESOURCES_SHARE = 0.02  # the rest are transcript lines
WARM_UP = 50
TERM_SHARE = 0.15  # of the words said: the rest is "so we started her on…"
ZIPF: dict[int, list[float]] = {}

_EN_TERMS = """
    pain breakthrough opioid morphine hydromorphone methadone fentanyl dyspnea breathlessness
    delirium agitation nausea vomiting constipation bowel obstruction fatigue appetite cachexia
    anxiety depression grief bereavement caregiver family dementia cancer heart failure kidney
    lung COPD sedation hydration hypodermoclysis subcutaneous infusion dose titration rotation
    naloxone haloperidol midazolam lorazepam dexamethasone goals values prognosis planning
    advance directive substitute decision maker hospice home community nurse physician
    paramedic spiritual cultural Indigenous elder wound pressure injury mouth care secretions
    terminal last days hours comfort symptom assessment scale ESAS PPS edmonton conversation
    serious illness pediatric palliative approach referral team
"""
_FR_TERMS = """
    douleur douleurs paroxystique opioïde opioïdes morphine hydromorphone méthadone fentanyl
    dyspnée dyspnées essoufflement délirium agitation nausées vomissements constipation
    occlusion intestinale fatigue appétit cachexie anxiété dépression deuil proches aidants
    famille démence cancer insuffisance cardiaque rénale respiratoire sédation hydratation
    hypodermoclyse sous-cutanée perfusion dose titration rotation naloxone halopéridol
    midazolam lorazépam dexaméthasone objectifs valeurs pronostic planification préalable
    directives mandataire maison soins domicile communauté infirmière médecin paramédic
    spirituel culturel autochtone aîné plaie lésion pression bouche sécrétions terminale
    derniers jours heures confort symptôme évaluation échelle conversation maladie grave
    pédiatrique palliatifs approche orientation équipe
"""
_EN_FILLER = """
    the a and so we then for with this that patient was is in at on of to it he she they had
    started gave tried noticed asked felt said really think maybe about because when after
    before night day week morning team family
"""
_FR_FILLER = """
    le la les et donc nous puis pour avec ce cette patient patiente était est dans à sur de il
    elle ils avait commencé donné essayé remarqué demandé senti dit vraiment pense peut-être
    parce quand après avant nuit jour semaine matin équipe famille
"""
EN_TERMS, FR_TERMS = _EN_TERMS.split(), _FR_TERMS.split()
EN_FILLER, FR_FILLER = _EN_FILLER.split(), _FR_FILLER.split()
EN_TITLES = ("Managing", "Assessing", "Practical guide to", "Update on", "Rounds:", "Approach to")
FR_TITLES = ("Prise en charge de", "Évaluer", "Guide pratique :", "Le point sur", "Approche de")
KINDS = ("guide", "tool", "protocol", "article", "slides", "link")
TOPICS = ("pain", "dyspnea", "delirium", "nausea-vomiting", "grief-bereavement", "dementia")
VISIBILITIES = ("public",) * 5 + ("signed_in",) * 3 + ("members",) * 2


def zipf_pick(rng: random.Random, words: list[str]) -> str:
    """Zipf's law: the n-th most common word comes 1/n as often as the first ("pain")."""
    weights = ZIPF.setdefault(len(words), list(accumulate(1 / n for n in range(1, len(words) + 1))))
    return rng.choices(words, cum_weights=weights)[0]


def sentence(rng: random.Random, french: bool, words: int) -> str:
    terms, filler = (FR_TERMS, FR_FILLER) if french else (EN_TERMS, EN_FILLER)
    picked = [
        zipf_pick(rng, terms) if rng.random() < TERM_SHARE else rng.choice(filler)
        for _ in range(words)
    ]
    return " ".join(picked).capitalize() + "."


def seed(rng: random.Random, documents: int) -> tuple[Any, list[Any]]:
    """The hubs, programs, people, resources and transcripts; returns (member, programs)."""
    from echohub.accounts.models import User
    from echohub.library.models import Resource, TranscriptSegment
    from echohub.network.models import Hub
    from echohub.programs.models import Program
    from echohub.registration.models import Enrolment

    resources = max(1, int(documents * RESOURCES_SHARE))
    recordings = max(1, resources * 2 // 5)
    segments = documents - resources
    now = timezone.now()
    with transaction.atomic():
        hubs = Hub.objects.bulk_create(
            Hub(slug=f"hub-{h}", name_en=f"Hub {h}", name_fr=f"Carrefour {h}", scope="national")
            for h in range(3)
        )
        programs = Program.objects.bulk_create(
            Program(
                hub=hubs[p % 3],
                slug=f"series-{p}",
                title_en=f"Series {p}",
                title_fr=f"Série {p}",
                status=Program.Status.PUBLISHED,
            )
            for p in range(6)
        )
        member = User.objects.create(email="member@example.invalid", name="Bench Member")
        Enrolment.objects.bulk_create(
            Enrolment(program=program, person=member, status="active") for program in programs[:2]
        )
        rows = []
        for i in range(resources):
            french = rng.random() < 0.35
            both = rng.random() < 0.3
            program = rng.choice(programs) if rng.random() < 0.7 else None
            subject = " ".join(zipf_pick(rng, EN_TERMS) for _ in range(rng.randint(1, 3)))
            sujet = " ".join(zipf_pick(rng, FR_TERMS) for _ in range(rng.randint(1, 3)))
            rows.append(
                Resource(
                    hub=program.hub if program else hubs[i % 3],
                    program=program,
                    kind="recording" if i < recordings else KINDS[i % len(KINDS)],
                    title_en=f"{rng.choice(EN_TITLES)} {subject}" if both or not french else "",
                    title_fr=f"{rng.choice(FR_TITLES)} {sujet}" if both or french else "",
                    description_en=sentence(rng, False, 30) if both or not french else "",
                    description_fr=sentence(rng, True, 30) if both or french else "",
                    language="both" if both else ("fr" if french else "en"),
                    visibility=rng.choice(VISIBILITIES) if program else "public",
                    text=" ".join(sentence(rng, french, 20) for _ in range(8))
                    if i % len(KINDS) == 2 and i >= recordings
                    else "",
                )
            )
        made = Resource.objects.bulk_create(rows, batch_size=1000)
        for resource in made:  # spread over three years
            resource.created_at = now - dt.timedelta(days=rng.randint(0, 3 * 365))
        Resource.objects.bulk_update(made, ["created_at"], batch_size=1000)
        through = Resource.topics.through
        through.objects.bulk_create(
            through(resource_id=r.pk, topic_id=code)
            for r in made
            for code in rng.sample(TOPICS, rng.randint(0, 2))
        )
        per_recording = segments // recordings
        lines = []
        for n in range(segments):
            index = min(n // per_recording, recordings - 1)
            recording, position = made[index], n - index * per_recording
            lines.append(
                TranscriptSegment(
                    resource=recording,
                    position=position,
                    start_ms=position * 6000,
                    end_ms=position * 6000 + 5500,
                    speaker="Speaker",
                    text=sentence(rng, recording.language == "fr", rng.randint(8, 25)),
                )
            )
        TranscriptSegment.objects.bulk_create(lines, batch_size=2000)
    return member, programs


def queries(rng: random.Random, count: int, programs: list[Any]) -> list[tuple[str, dict, bool]]:
    """(text, filters, as member) for each query: a realistic mix."""
    from echohub.library.search.text import normalize

    plan = []
    for _ in range(count):
        french = rng.random() < 0.4
        terms = FR_TERMS if french else EN_TERMS
        words = [zipf_pick(rng, terms) if rng.random() < 0.5 else rng.choice(terms)]
        if rng.random() < 0.3:
            words.append(rng.choice(terms))
        text = " ".join(words)
        if french and rng.random() < 0.3:
            text = normalize(text)  # typed without accents
        filters: dict[str, Any] = {}
        if rng.random() < 0.2:
            name = rng.choice(("kind", "topic", "language", "program"))
            filters[name] = {
                "kind": rng.choice(("recording", "guide", "tool")),
                "topic": rng.choice(TOPICS),
                "language": rng.choice(("en", "fr")),
                "program": rng.choice(programs).slug,
            }[name]
        plan.append((text, filters, rng.random() < 0.5))
    return plan


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(rng: random.Random, args: argparse.Namespace) -> dict[str, Any]:
    from django.contrib.auth.models import AnonymousUser

    from echohub.library.models import Resource
    from echohub.library.search.entry import SearchEntry
    from echohub.library.search.index import index_resources
    from echohub.library.search.query import Filters, search

    started = time.perf_counter()
    member, programs = seed(rng, args.documents)
    seeded = time.perf_counter() - started
    log(f"Seeded {args.documents} documents in {seeded:.1f} s")
    started = time.perf_counter()
    written = index_resources(Resource.objects.order_by("pk").iterator(chunk_size=200))
    built = time.perf_counter() - started
    log(f"Indexed {written} entries in {built:.1f} s ({written / built:.0f} per second)")
    assert written == SearchEntry.objects.count() == args.documents
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would, before people search

    plan = queries(rng, args.queries, programs)
    anonymous = AnonymousUser()
    for text, filters, as_member in plan[:WARM_UP]:
        search(member if as_member else anonymous, text, Filters(**filters))
    timings: dict[str, list[float]] = {"all": [], "anonymous": [], "member": [], "filtered": []}
    found = 0
    for text, filters, as_member in plan:
        began = time.perf_counter()
        page = search(member if as_member else anonymous, text, Filters(**filters))
        took = (time.perf_counter() - began) * 1000
        found += bool(page.total)
        timings["all"].append(took)
        timings["member" if as_member else "anonymous"].append(took)
        if filters:
            timings["filtered"].append(took)
    ids = list(SearchEntry.objects.values_list("pk", flat=True)[:1000])
    baseline = []
    for pk in ids:
        began = time.perf_counter()
        SearchEntry.objects.filter(pk=pk).values("key").first()
        baseline.append((time.perf_counter() - began) * 1000)
    for name, values in timings.items():
        log(
            f"  {name:<10} {len(values):5d} queries: p50 {percentile(values, 0.5):6.2f} ms, "
            f"p95 {percentile(values, 0.95):6.2f} ms, max {max(values):7.2f} ms"
        )
    base = statistics.median(baseline)
    log(f"  {found} of {len(plan)} queries found something; primary-key lookup p50 {base:.3f} ms")
    p50, p95 = percentile(timings["all"], 0.5), percentile(timings["all"], 0.95)
    return {
        "documents": args.documents,
        "engine": connection.vendor,
        "p50_ms": round(p50, 2),
        "p95_ms": round(p95, 2),
        "build_s": round(built, 1),
        "queries": len(plan),
        "baseline_ms": round(base, 3),
        "p50_ratio": round(p50 / base, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database to inspect it")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up as on Ctrl-C
    with own_database(BENCH_DB, "echohub-searchbench-", keep=args.keep):
        result = run(random.Random(args.seed), args)  # noqa: S311 — made-up data, no secret
    print(json.dumps(result))


if __name__ == "__main__":
    main()
