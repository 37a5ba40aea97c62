"""Moore's levels 2 to 5 over any set of programs and dates, for reach reports and funders.

Level 1 (participation) is attendance: the reports app counts it. The figures here are
aggregates of `Response` rows, hidden under MIN_CELL like every other result.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from echohub.evaluations.models import MooreLevel, Phase, Response
from echohub.evaluations.results import (
    MIN_CELL,
    _collector_paused,
    _likert,
    _number,
    specs_by_version,
)
from echohub.programs.models import Program, Session
from echohub.questionnaires.forms import choice_list
from echohub.questionnaires.models import QuestionType


@dataclass
class ChangeSummary:
    """Levels 3 or 4: each person's mean on the level's paired items, before and after."""

    pairs: int
    before: float | None = None
    after: float | None = None
    change: float | None = None
    improved: float | None = None  # share of people whose mean after is higher

    @property
    def hidden(self) -> bool:
        return self.pairs < MIN_CELL


@dataclass
class MooreSummary:
    """Levels 2 to 5 of some programs' evaluations (level 1 is attendance: reports')."""

    satisfaction_responses: int = 0  # session responses with a level-2 answer on the 1–5 scale
    satisfied: float | None = None  # share of those answers at 4 or 5
    satisfaction_mean: float | None = None
    knowledge: ChangeSummary | None = None  # None: no paired level-3 item was answered
    competence: ChangeSummary | None = None
    follow_up_responses: int = 0  # follow-up responses with a level-5 answer
    practice_change: float | None = None  # share of level-5 answers at 4–5, or "yes"


LEVEL_OF = {
    MooreLevel.KNOWLEDGE_DECLARATIVE: "knowledge",
    MooreLevel.KNOWLEDGE_PROCEDURAL: "knowledge",
    MooreLevel.COMPETENCE: "competence",
}


def moore_summary(
    programs: QuerySet[Program], start: dt.date | None = None, end: dt.date | None = None
) -> MooreSummary:
    """Satisfaction, knowledge and competence change, and practice change, over `programs`.

    Session evaluations count when their session started from `start` to `end` (both
    included, on the network's clock). Responses before and after a series and follow-ups
    keep no time at all (anonymity), so they count when their program held a session in
    that span. Each figure from fewer than MIN_CELL responses (or pairs) is None, its count
    kept. Three queries, whatever the number of programs.
    """
    with _collector_paused():
        return _moore(programs, start, end)


def _moore(programs: QuerySet[Program], start: dt.date | None, end: dt.date | None) -> MooreSummary:
    zone = timezone.get_default_timezone()
    held = Session.objects.filter(program=OuterRef("program")).exclude(
        status=Session.Status.CANCELLED
    )
    sessions = Q(phase=Phase.SESSION)
    if start:
        since = dt.datetime.combine(start, dt.time(), zone)
        sessions &= Q(session__starts_at__gte=since)
        held = held.filter(starts_at__gte=since)
    if end:
        until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone)
        sessions &= Q(session__starts_at__lt=until)
        held = held.filter(starts_at__lt=until)
    responses = Response.objects.filter(program__in=programs)
    if start or end:
        responses = responses.filter(sessions | (~Q(phase=Phase.SESSION) & Exists(held)))
    rows = list(
        responses.order_by().values_list(
            "phase", "session_id", "version_id", "answers", "pair_key", "program_id"
        )
    )
    by_version = specs_by_version({row[2] for row in rows})
    summary = MooreSummary()
    # Level 2: session responses' satisfaction answers.
    points: list[int] = []
    for phase, _session, version, answers, _key, _program in rows:
        if phase != Phase.SESSION:
            continue
        keys = [
            s.key
            for s in by_version.get(version, [])
            if s.type == QuestionType.LIKERT and s.moore_level == MooreLevel.SATISFACTION
        ]
        given = [p for key in keys if (p := _likert(answers.get(key))) is not None]
        if given:
            summary.satisfaction_responses += 1
            points += given
    if summary.satisfaction_responses >= MIN_CELL:
        summary.satisfied = sum(1 for p in points if p >= 4) / len(points)
        summary.satisfaction_mean = sum(points) / len(points)
    # Levels 3 and 4: each person's mean on the level's paired items, before and after.
    before: dict[tuple[int, str], dict[str, Any]] = {}
    after: dict[tuple[int, str], dict[str, Any]] = {}
    versions: dict[tuple[int, str], set[int]] = defaultdict(set)
    for phase, _session, version, answers, key, program in rows:
        if key and phase in (Phase.PRE, Phase.POST):
            (before if phase == Phase.PRE else after)[(program, key)] = answers
            versions[(program, key)].add(version)
    for level in ("knowledge", "competence"):
        scores: list[tuple[float, float]] = []
        asked = False
        for person in before.keys() & after.keys():
            specs = {
                s.key
                for version in versions[person]
                for s in by_version.get(version, [])
                if s.paired and LEVEL_OF.get(MooreLevel(s.moore_level or "2")) == level
            }
            asked = asked or bool(specs)
            pairs = [
                (b, a)
                for spec_key in specs
                if (b := _number(before[person].get(spec_key))) is not None
                and (a := _number(after[person].get(spec_key))) is not None
            ]
            if pairs:
                scores.append(
                    (sum(b for b, _a in pairs) / len(pairs), sum(a for _b, a in pairs) / len(pairs))
                )
        if not asked and not scores:
            continue
        change = ChangeSummary(len(scores))
        if not change.hidden:
            change.before = sum(b for b, _a in scores) / len(scores)
            change.after = sum(a for _b, a in scores) / len(scores)
            change.change = change.after - change.before
            change.improved = sum(1 for b, a in scores if a > b) / len(scores)
        setattr(summary, level, change)
    # Level 5: follow-ups' practice change, at 4–5 on the scale or "yes".
    changed = answered = 0
    for phase, _session, version, answers, _key, _program in rows:
        if phase != Phase.FOLLOW_UP:
            continue
        counted = False
        for spec in by_version.get(version, []):
            if spec.moore_level != MooreLevel.PERFORMANCE:
                continue
            value = answers.get(spec.key)
            if spec.type == QuestionType.LIKERT and (point := _likert(value)) is not None:
                answered, changed, counted = answered + 1, changed + (point >= 4), True
            elif spec.type in (QuestionType.YES_NO, QuestionType.CHOICE) and value:
                # A yes/no, or a choice whose options include "yes" ("yes, somewhat, no").
                if spec.type == QuestionType.CHOICE and "yes" not in dict(choice_list(spec.item)):
                    continue
                answered, changed, counted = answered + 1, changed + (value == "yes"), True
        summary.follow_up_responses += counted
    if summary.follow_up_responses >= MIN_CELL and answered:
        summary.practice_change = changed / answered
    return summary
