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

And on the clinical corpus (tests/cases/corpus/clinical.jsonl, made by
tests/cases/clinical_corpus.py: 2,400 notes in four styles, ALL-CAPS nursing,
chat, SBAR and French family medicine, with the classes issue 17 found missed):

- recall per class (`recall_by_class`) and for names and dates
  (`recall_names_clinical`, `recall_dates`) on the part used for tuning, and
  the same on the quarter held aside (`heldout_recall_by_class`,
  `heldout_recall_names`, `heldout_recall_dates`); misses and false findings
  are printed for the tuning part only, never for the held-aside one;
- false_positive_rate_clinical: findings per clean note (600 notes dense with
  vital signs, doses, scales and shift times; every finding there is false);
- ms_per_10kb_clinical: the scan's time over the clinical notes, as above.

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
CLINICAL = ROOT / "tests" / "cases" / "corpus" / "clinical.jsonl"
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
    result: dict[str, object] = {
        "recall_health_cards": round(found["health_card"] / seeded["health_card"], 4),
        "recall_structured": round(found["structured"] / seeded["structured"], 4),
        "recall_names": round(found["name"] / seeded["name"], 4),
        "false_positive_rate": round(len(alarms) / len(clean), 4),
        "ms_per_10kb": round(ms_per_10kb, 2),
    }
    result.update(clinical(scan))
    print(json.dumps(result))


def clinical(scan: "callable[[str], list]") -> dict[str, object]:  # type: ignore[valid-type]
    """Recall per class on the tuning and held-aside parts, false findings per clean note."""
    records = [json.loads(line) for line in CLINICAL.read_text(encoding="utf-8").splitlines()]
    found: dict[str, Counter[str]] = {"tune": Counter(), "heldout": Counter()}
    seeded: dict[str, Counter[str]] = {"tune": Counter(), "heldout": Counter()}
    misses: list[str] = []
    false_findings: list[tuple[str, str]] = []
    clean = 0
    for record in records:
        split = record["split"]
        findings = scan(record["text"])
        if not record["identifiers"]:
            clean += 1
            false_findings += [(split, f"{record['id']} {f.kind}: {f.text!r}") for f in findings]
        for seed in record["identifiers"]:
            for key in (seed["class"], f"category:{seed['category']}"):
                seeded[split][key] += 1
            if covered(seed, findings):
                found[split][seed["class"]] += 1
                found[split][f"category:{seed['category']}"] += 1
            elif split == "tune":
                misses.append(f"{record['id']} {seed['class']}: {seed['text']!r}")

    def share(split: str, key: str) -> float:
        return round(found[split][key] / seeded[split][key], 4) if seeded[split][key] else 1.0

    classes = sorted(k for k in seeded["tune"] if not k.startswith("category:"))
    log(f"clinical corpus: {len(records)} notes, {clean} clean")
    for cls in classes:
        log(
            f"  {cls:<20} tune {share('tune', cls):.4f} ({found['tune'][cls]}/"
            f"{seeded['tune'][cls]}), held out {share('heldout', cls):.4f}"
        )
    log(f"clinical misses, tuning part only ({len(misses)}):")
    for miss in misses[:30]:
        log(f"  {miss}")
    tuning_false = [line for split, line in false_findings if split == "tune"]
    log(f"false findings on clean notes, tuning part only ({len(tuning_false)}):")
    for line in tuning_false[:30]:
        log(f"  {line}")
    texts = [record["text"] for record in records]
    size = sum(len(text.encode("utf-8")) for text in texts)
    seconds = best_of(REPETITIONS, lambda: [scan(text) for text in texts])
    log(f"scan of the clinical notes: {seconds * 10_240_000 / size:.2f} ms per 10 KB")
    return {
        # Clinical notes are denser in numbers, capitals and cue words than the older corpus.
        "ms_per_10kb_clinical": round(seconds * 10_240_000 / size, 2),
        "recall_names_clinical": share("tune", "category:name"),
        "recall_dates": share("tune", "category:date"),
        "false_positive_rate_clinical": round(len(false_findings) / clean, 4),
        "heldout_recall_names": share("heldout", "category:name"),
        "heldout_recall_dates": share("heldout", "category:date"),
        "recall_by_class": {cls: share("tune", cls) for cls in classes},
        "heldout_recall_by_class": {cls: share("heldout", cls) for cls in classes},
    }


if __name__ == "__main__":
    main()
