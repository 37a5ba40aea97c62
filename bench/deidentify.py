"""De-identification benchmark: recall, false alarms and speed of the case-text gate.

It runs `echohub.deidentify.scan` on every text of the synthetic corpus
(tests/cases/corpus/deidentify.jsonl, made by tests/cases/corpus.py: about 540
texts with seeded identifiers and 220 clean ones, half English, half French)
and measures:

- recall per category (health cards, other structured identifiers, names): a
  seeded identifier counts as found when one finding covers its whole span, or,
  for a name, at least 80% of it (a name found without its particle or middle
  initial still keeps the case from being stored);
- false_positive_rate: the share of clean texts with any finding at all;
- ms_per_10kb: the time to scan the whole corpus (best of 5 runs), scaled to
  10 KB of text, beside the machine's own baseline (one regex pass over the same
  text) so that noisy machines can be compared by ratio.

    .venv/bin/python bench/deidentify.py

No database and no Django settings are needed. Human-readable lines (recall per
kind, up to 20 misses, up to 20 false alarms) go to stderr; the last line on
stdout is one JSON object.
"""

import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from common import log

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "cases" / "corpus" / "deidentify.jsonl"
REPETITIONS = 5
NAME_COVERAGE = 0.8


def covered(seed: dict, findings: list) -> bool:
    """Whole span for structured ids and health cards; 80% of it for names."""
    start, end = seed["start"], seed["end"]
    for found in findings:
        overlap = min(end, found.end) - max(start, found.start)
        if found.start <= start and found.end >= end:
            return True
        if seed["category"] == "name" and overlap >= NAME_COVERAGE * (end - start):
            return True
    return False


def best_of(repetitions: int, work: "callable[[], object]") -> float:  # type: ignore[valid-type]
    times = []
    for _ in range(repetitions):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from echohub.deidentify import scan

    records = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    texts = [record["text"] for record in records]
    results = {record["id"]: scan(record["text"]) for record in records}

    found: Counter[str] = Counter()
    seeded: Counter[str] = Counter()
    labelled: Counter[str] = Counter()
    by_kind_found: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    misses: list[str] = []
    stray = 0
    for record in records:
        findings = results[record["id"]]
        for seed in record["identifiers"]:
            seeded[seed["category"]] += 1
            by_kind[seed["kind"]] += 1
            if covered(seed, findings):
                found[seed["category"]] += 1
                by_kind_found[seed["kind"]] += 1
                if any(
                    f.kind == seed["kind"] and f.start <= seed["start"] < f.end for f in findings
                ):
                    labelled[seed["kind"]] += 1
            else:
                misses.append(f"{record['id']} {seed['kind']}: {seed['text']!r}")
        spans = [(s["start"], s["end"]) for s in record["identifiers"]]
        stray += sum(
            1 for f in findings if not any(f.start < end and start < f.end for start, end in spans)
        )

    clean = [record for record in records if not record["identifiers"]]
    alarms = [(record, results[record["id"]]) for record in clean if results[record["id"]]]

    size = sum(len(text.encode("utf-8")) for text in texts)
    seconds = best_of(REPETITIONS, lambda: [scan(text) for text in texts])
    word = re.compile(r"\w+")
    baseline = best_of(REPETITIONS, lambda: [word.findall(text) for text in texts])
    ms_per_10kb = seconds * 1000 * 10_240 / size

    total = sum(seeded.values())
    log(f"{len(records)} texts ({len(clean)} clean), {size / 1024:.0f} KB, {total} seeded")
    for kind in sorted(by_kind):
        share = by_kind_found[kind] / by_kind[kind]
        log(
            f"  {kind:<12} recall {share:.4f} ({by_kind_found[kind]}/{by_kind[kind]}),"
            f" labelled as {kind}: {labelled[kind]}/{by_kind_found[kind]}"
        )
    log(f"  findings outside any seeded span, in texts with identifiers: {stray}")
    log(f"misses ({len(misses)}):")
    for miss in misses[:20]:
        log(f"  {miss}")
    log(f"false alarms in clean texts ({len(alarms)}):")
    for record, findings in alarms[:20]:
        log(f"  {record['id']}: {[(f.kind, f.text) for f in findings]}")
    log(
        f"scan: {seconds * 1000:.1f} ms for the corpus, {ms_per_10kb:.2f} ms per 10 KB; "
        f"baseline word regex {baseline * 1000:.1f} ms (ratio {seconds / baseline:.1f})"
    )
    result = {
        "recall_health_cards": round(found["health_card"] / seeded["health_card"], 4),
        "recall_structured": round(found["structured"] / seeded["structured"], 4),
        "recall_names": round(found["name"] / seeded["name"], 4),
        "false_positive_rate": round(len(alarms) / len(clean), 4),
        "ms_per_10kb": round(ms_per_10kb, 2),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
