"""Evaluation results as hub staff read them: aggregates only, and none of a small group.

Everything here is computed in Python from a few plain queries (the responses'
answers, the questions of their questionnaires, a count of who was asked), so
the number of queries does not grow with the number of responses or sessions.
Responses are read without any order that could follow submission, and free
text is always sorted alphabetically.

Small cells: a group (a session, a program, a hub, one answer of a choice
question) with fewer than `MIN_CELL` responses shows "fewer than 5" instead of
any figure, its count included.
"""

import gc
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from echohub.bilingual import LocalizedText
from echohub.evaluations.models import Completion, Item, MooreLevel, Phase, Response
from echohub.network.models import Hub
from echohub.programs import models as programs
from echohub.programs.models import TITLE_ORDER, Program, Session
from echohub.questionnaires.forms import YES_NO, choice_list
from echohub.questionnaires.models import CHOICE_TYPES, FREE_TEXT_TYPES, LIKERT_POINTS, QuestionType

MIN_CELL = 5

CHOICE_LIKE = (*CHOICE_TYPES, QuestionType.YES_NO)
PHASE_ORDER = [Phase.SESSION, Phase.PRE, Phase.POST, Phase.FOLLOW_UP]

# One response as read: (phase, session id, version id, answers, pair key).
Row = tuple[str, int | None, int, dict[str, Any], str]


@dataclass(frozen=True)
class Spec:
    """One question as results show it: the newest wording of its key."""

    key: str
    type: str
    label: LocalizedText
    moore_level: str
    paired: bool
    item: Item

    @property
    def is_free_text(self) -> bool:
        return self.type in FREE_TEXT_TYPES

    @property
    def level_label(self) -> str:
        return str(MooreLevel(self.moore_level).label) if self.moore_level else ""


@dataclass(frozen=True)
class Point:
    """One bar of a distribution: a point of the scale or one answer of a choice."""

    label: str
    count: int
    share: float  # 0..1 of the item's answers
    hidden: bool  # a breakdown cell under MIN_CELL


@dataclass
class ItemResult:
    spec: Spec
    n: int
    points: list[Point] = field(default_factory=list)
    mean: float | None = None
    median: float | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def hidden(self) -> bool:
        return self.n < MIN_CELL


class Counted:
    """Responses out of people asked: hidden under MIN_CELL, and then no rate either."""

    responses: int
    asked: int | None

    @property
    def hidden(self) -> bool:
        return self.responses < MIN_CELL

    @property
    def rate(self) -> float | None:
        return None if self.hidden or not self.asked else self.responses / self.asked


@dataclass
class Group(Counted):
    """The responses of one session, phase, program or hub, with who was asked."""

    responses: int
    asked: int | None = None
    items: list[ItemResult] = field(default_factory=list)


@dataclass
class Change:
    """A paired item's change from before to after the series, over people who answered both."""

    spec: Spec
    pairs: int
    before: float | None = None
    after: float | None = None
    change: float | None = None
    improved: float | None = None  # share of pairs whose answer after is higher

    @property
    def hidden(self) -> bool:
        return self.pairs < MIN_CELL


@dataclass
class TrendRow(Counted):
    session: Session
    responses: int
    asked: int
    means: list[float | None]  # one per trend spec, None when hidden or unanswered
    satisfaction: float | None


@dataclass
class PhaseResults:
    phase: Phase
    group: Group

    @property
    def label(self) -> str:
        return str(self.phase.label)


@dataclass
class ProgramResults:
    program: Program
    phases: list[PhaseResults]
    trend_specs: list[Spec]
    trends: list[TrendRow]
    changes: list[Change]
    sessions: list["SessionResults"] = field(default_factory=list)  # only when asked for

    def phase(self, phase: str) -> PhaseResults | None:
        return next((p for p in self.phases if p.phase == phase), None)


@dataclass
class SessionResults:
    session: Session
    group: Group


@dataclass
class ProgramRow(Counted):
    """One program on its hub's page."""

    program: Program
    responses: int
    asked: int
    satisfaction: float | None


@dataclass
class HubRow(Counted):
    hub: Hub
    programs: int
    responses: int
    asked: int


# --- Reading ---------------------------------------------------------------------------------


def _rows(responses: QuerySet[Response]) -> list[Row]:
    # order_by() drops any ordering: responses are never read in an order that follows submission.
    return list(
        responses.order_by().values_list("phase", "session_id", "version_id", "answers", "pair_key")
    )


def specs_by_version(version_ids: Iterable[int]) -> dict[int, list[Spec]]:
    """For each version, the questions of its questionnaire, each key in its newest wording.

    Older versions' answers count under the same key. One query.
    """
    wanted = set(version_ids)
    if not wanted:
        return {}
    items = list(
        Item.objects.filter(
            form__questionnaire__in=Item.objects.filter(form_id__in=wanted).values(
                "form__questionnaire"
            )
        )
        .select_related("form")
        .order_by("form__questionnaire_id", "-form__version", "position", "pk")
    )
    by_questionnaire: dict[int, list[Spec]] = defaultdict(list)
    seen: set[tuple[int, str]] = set()
    questionnaire_of: dict[int, int] = {}
    for item in items:
        questionnaire_id = item.form.questionnaire_id
        questionnaire_of[item.form_id] = questionnaire_id
        if (questionnaire_id, item.key) in seen:
            continue
        seen.add((questionnaire_id, item.key))
        by_questionnaire[questionnaire_id].append(
            Spec(item.key, item.type, item.label, item.moore_level, item.paired, item)
        )
    return {
        version_id: by_questionnaire[questionnaire_of[version_id]]
        for version_id in wanted
        if version_id in questionnaire_of
    }


def _specs_of(rows: Sequence[Row], by_version: dict[int, list[Spec]]) -> list[Spec]:
    """The questions of these responses' questionnaires, merged by key, in their order."""
    found: dict[str, Spec] = {}
    for version_id in sorted({row[2] for row in rows}):
        for spec in by_version.get(version_id, []):
            found.setdefault(spec.key, spec)
    return list(found.values())


# --- Counting --------------------------------------------------------------------------------


_POINTS = frozenset(LIKERT_POINTS)


def _number(value: Any) -> float | None:
    kind = type(value)
    if kind is int or kind is float:  # the common case first: this runs for every answer
        return float(value)
    if value is None or value == "" or kind is bool:
        return None
    try:
        number = float(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None
    return number if math.isfinite(number) else None


def _likert(value: Any) -> int | None:
    if type(value) is int:
        return value if value in _POINTS else None
    number = _number(value)
    if number is None or number != int(number) or int(number) not in _POINTS:
        return None
    return int(number)


def _choice_labels(spec: Spec) -> list[tuple[str, str]]:
    if spec.type == QuestionType.YES_NO:
        return [(value, str(label)) for value, label in YES_NO]
    return choice_list(spec.item)


def likert_counts(answers: Iterable[dict[str, Any]], keys: Sequence[str]) -> dict[str, list[int]]:
    """For each key, how many answered 1, 2, … 5 (at index 1 to 5): one pass over the answers."""
    counts = {key: [0] * 6 for key in keys}
    for answer in answers:
        for key in keys:
            value = answer.get(key)
            if value is None:
                continue
            if value.__class__ is not int or not 0 < value < 6:  # rarer: a string or a float
                value = _likert(value)
                if value is None:
                    continue
            counts[key][value] += 1
    return counts


def _sum_counts(many: Iterable[dict[str, list[int]]], keys: Sequence[str]) -> dict[str, list[int]]:
    total = {key: [0] * 6 for key in keys}
    for counts in many:
        for key in keys:
            total[key] = [a + b for a, b in zip(total[key], counts[key], strict=True)]
    return total


def _counts_mean(counts: Iterable[list[int]]) -> float | None:
    n = total = 0
    for points in counts:
        n += sum(points)
        total += sum(point * count for point, count in enumerate(points))
    return total / n if n else None


def summarise(
    spec: Spec, answers: Sequence[dict[str, Any]], counted: list[int] | None = None
) -> ItemResult:
    """One question over a group's answers (the caller has checked the group is large enough).

    A Likert question's counts can be given (`likert_counts`) when they are already known.
    """
    if spec.type == QuestionType.LIKERT:
        counts = counted if counted is not None else likert_counts(answers, [spec.key])[spec.key]
        n = sum(counts)
        result = ItemResult(spec, n)
        if n < MIN_CELL:
            return result
        low, high = str(spec.item.low), str(spec.item.high)
        result.points = [
            Point(
                _point_label(point, low if point == 1 else high if point == 5 else ""),
                counts[point],
                counts[point] / n,
                False,
            )
            for point in LIKERT_POINTS
        ]
        result.mean = _counts_mean([counts])
        return result
    raw = [a.get(spec.key) for a in answers]
    if spec.type in CHOICE_LIKE:
        given: list[list[str]] = []
        for value in raw:
            if value in (None, "", []):
                continue
            given.append([str(v) for v in value] if isinstance(value, list) else [str(value)])
        n = len(given)
        result = ItemResult(spec, n)
        if n < MIN_CELL:
            return result
        chosen = Counter(v for values in given for v in set(values))
        result.points = [
            Point(label, chosen[value], chosen[value] / n, chosen[value] < MIN_CELL)
            for value, label in _choice_labels(spec)
        ]
        if spec.type != QuestionType.MULTI_CHOICE:
            result.points = _complementary(result.points)
        return result
    if spec.type == QuestionType.NUMBER:
        numbers = [x for x in (_number(v) for v in raw) if x is not None]
        result = ItemResult(spec, len(numbers))
        if result.hidden:
            return result
        result.mean = sum(numbers) / len(numbers)
        result.median = statistics.median(numbers)
        return result
    if spec.is_free_text:
        texts = [str(v).strip() for v in raw if isinstance(v, str) and v.strip()]
        result = ItemResult(spec, len(texts))
        if not result.hidden:
            result.texts = sorted(texts, key=lambda t: (t.casefold(), t))
        return result
    # Age bands and anything else: counted, never listed.
    return ItemResult(spec, sum(1 for v in raw if v not in (None, "", [])))


def _complementary(points: list[Point]) -> list[Point]:
    """One answer each: the counts add up to n, so the hidden ones' total can be worked out
    from the shown ones. When that total is itself a small cell (1 to 4), the smallest shown
    count is hidden too."""
    hidden_total = sum(p.count for p in points if p.hidden)
    shown = [p for p in points if not p.hidden]
    if not 0 < hidden_total < MIN_CELL or not shown:
        return points
    smallest = min(shown, key=lambda p: p.count)
    return [Point(p.label, p.count, p.share, True) if p is smallest else p for p in points]


def _point_label(point: int, end: str) -> str:
    return f"{point} · {end}" if end else str(point)


def group(
    rows: Sequence[Row],
    specs: Sequence[Spec],
    asked: int | None,
    counted: dict[str, list[int]] | None = None,
) -> Group:
    """A group's figures, or none at all when it has fewer than MIN_CELL responses."""
    result = Group(len(rows), asked)
    if result.hidden:
        return result
    answers = [row[3] for row in rows]
    counted = counted or {}
    result.items = [summarise(spec, answers, counted.get(spec.key)) for spec in specs]
    return result


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def changes(rows: Sequence[Row], specs: Sequence[Spec]) -> list[Change]:
    """Each paired item's change, over the people (pair keys) who answered it before and after."""
    before: dict[str, dict[str, Any]] = {}
    after: dict[str, dict[str, Any]] = {}
    for phase, _session, _version, answers, key in rows:
        if not key:
            continue
        if phase == Phase.PRE:
            before[key] = answers
        elif phase == Phase.POST:
            after[key] = answers
    both = before.keys() & after.keys()
    found = []
    for spec in specs:
        if not spec.paired or spec.type not in (QuestionType.LIKERT, QuestionType.NUMBER):
            continue
        pairs = [
            (b, a)
            for key in both
            if (b := _number(before[key].get(spec.key))) is not None
            and (a := _number(after[key].get(spec.key))) is not None
        ]
        change = Change(spec, len(pairs))
        if not change.hidden:
            change.before = _mean([b for b, _a in pairs])
            change.after = _mean([a for _b, a in pairs])
            change.change = _mean([a - b for b, a in pairs])
            change.improved = sum(1 for b, a in pairs if a > b) / len(pairs)
        found.append(change)
    return found


# --- Who was asked (counted, never listed) ----------------------------------------------------


def _asked(completions: QuerySet[Completion], *by: str) -> dict[tuple[Any, ...], int]:
    counted = (
        completions.exclude(status=Completion.Status.WAIVED)
        .order_by()
        .values(*by)
        .annotate(n=Count("pk"))
        .values_list(*by, "n")
    )
    return {tuple(row[:-1]): row[-1] for row in counted}


# --- Pages -----------------------------------------------------------------------------------


def for_session(session: Session) -> SessionResults:
    """A session's evaluation: its responses and who was asked to answer it."""
    rows = _rows(Response.objects.filter(session=session, phase=Phase.SESSION))
    asked = Completion.objects.filter(session=session, phase=Phase.SESSION).exclude(
        status=Completion.Status.WAIVED
    )
    by_version = specs_by_version(row[2] for row in rows) if len(rows) >= MIN_CELL else {}
    return SessionResults(session, group(rows, _specs_of(rows, by_version), asked.count()))


def satisfaction_keys(specs: Sequence[Spec]) -> list[str]:
    return [
        s.key
        for s in specs
        if s.type == QuestionType.LIKERT and s.moore_level == MooreLevel.SATISFACTION
    ]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Tens of thousands of answer dicts, read and dropped within one call, would otherwise be
    promoted by the cyclic garbage collector and set off full collections of the whole heap
    (about 100 ms each at 20,000 responses). They hold no cycles: refcounting frees them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def for_program(
    program: Program, *, each_session: bool = False, for_group: programs.Group | None = None
) -> ProgramResults:
    """Every phase of a program's evaluation, the trend over its sessions, and pre/post change.

    `for_group`: the evaluations of one group's sessions only (the questionnaires before
    and after the program belong to no session, so to no group)."""
    with _collector_paused():
        # The answers are dropped as _program returns, before the collector runs again.
        return _program(program, each_session=each_session, for_group=for_group)


def _program(
    program: Program, *, each_session: bool, for_group: programs.Group | None
) -> ProgramResults:
    responses = Response.objects.filter(program=program)
    completions = Completion.objects.filter(program=program)
    if for_group is not None:
        responses = responses.filter(session__group=for_group)
        completions = completions.filter(session__group=for_group)
    rows = _rows(responses)
    by_version = specs_by_version({row[2] for row in rows})
    asked = _asked(completions, "phase", "session_id")
    by_phase: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_phase[row[0]].append(row)
    # Sessions: each one's Likert counts once, summed for the phase and read for the trend.
    session_rows = by_phase.get(Phase.SESSION, [])
    session_specs = _specs_of(session_rows, by_version)
    trend_specs = [s for s in session_specs if s.type == QuestionType.LIKERT]
    likert_keys = [s.key for s in trend_specs]
    level_2 = satisfaction_keys(session_specs)
    per_session: dict[int | None, list[Row]] = defaultdict(list)
    for row in session_rows:
        per_session[row[1]].append(row)
    counted = {
        session_id: likert_counts([r[3] for r in its_rows], likert_keys)
        for session_id, its_rows in per_session.items()
    }
    phases = []
    for phase in PHASE_ORDER:
        phase_rows = by_phase.get(phase, [])
        phase_asked = sum(n for (p, _s), n in asked.items() if p == phase)
        if not phase_rows and not phase_asked:
            continue
        if phase == Phase.SESSION:
            found = group(
                phase_rows,
                session_specs,
                phase_asked,
                _sum_counts(counted.values(), likert_keys),
            )
        else:
            found = group(phase_rows, _specs_of(phase_rows, by_version), phase_asked)
        phases.append(PhaseResults(phase, found))
    # Trends: each held session in date order.
    held = Session.objects.filter(program=program, starts_at__lte=timezone.now())
    if for_group is not None:
        held = held.filter(group=for_group)
    sessions = list(held.exclude(status=Session.Status.CANCELLED).order_by("starts_at", "pk"))
    trends = []
    each = []
    for session in sessions:
        its_rows = per_session.get(session.pk, [])
        its_counts = counted.get(session.pk, {})
        trend = TrendRow(
            session, len(its_rows), asked.get((Phase.SESSION, session.pk), 0), [], None
        )
        if each_session:
            each.append(
                SessionResults(session, group(its_rows, session_specs, trend.asked, its_counts))
            )
        if not trend.hidden:
            trend.means = [_counts_mean([its_counts[key]]) for key in likert_keys]
            trend.satisfaction = _counts_mean([its_counts[key] for key in level_2])
        else:
            trend.means = [None] * len(trend_specs)
        trends.append(trend)
    pre_post = by_phase.get(Phase.PRE, []) + by_phase.get(Phase.POST, [])
    return ProgramResults(
        program,
        phases,
        trend_specs,
        trends,
        changes(pre_post, _specs_of(pre_post, by_version)),
        each,
    )


def for_hub(hub: Hub) -> list[ProgramRow]:
    """The hub's programs side by side: responses, response rate, mean of satisfaction items."""
    with _collector_paused():
        return _hub(hub)


def _hub(hub: Hub) -> list[ProgramRow]:
    programs = list(Program.objects.filter(hub=hub).order_by(TITLE_ORDER, "pk"))
    responses = Response.objects.filter(program__hub=hub)
    counted = dict(
        responses.order_by()
        .values("program_id")
        .annotate(n=Count("pk"))
        .values_list("program_id", "n")
    )
    asked = _asked(Completion.objects.filter(program__hub=hub), "program_id")
    session_rows = list(
        responses.filter(phase=Phase.SESSION)
        .order_by()
        .values_list("program_id", "version_id", "answers")
    )
    by_version = specs_by_version({row[1] for row in session_rows})
    level_2 = {v: satisfaction_keys(specs) for v, specs in by_version.items()}
    grouped: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for program_id, version_id, answers in session_rows:
        grouped[(program_id, version_id)].append(answers)
    answered: Counter[int] = Counter()
    satisfied: dict[int, list[list[int]]] = defaultdict(list)
    for (program_id, version_id), answers_of in grouped.items():
        answered[program_id] += len(answers_of)
        satisfied[program_id] += likert_counts(answers_of, level_2.get(version_id, [])).values()
    found = []
    for program in programs:
        row = ProgramRow(program, counted.get(program.pk, 0), asked.get((program.pk,), 0), None)
        if not row.responses and not row.asked:
            continue
        if not row.hidden and answered[program.pk] >= MIN_CELL:
            row.satisfaction = _counts_mean(satisfied.get(program.pk, []))
        found.append(row)
    return found


def for_hubs(hubs: QuerySet[Hub]) -> list[HubRow]:
    """Each hub's evaluation in a line: programs evaluated, responses and response rate."""
    counted = dict(
        Response.objects.filter(program__hub__in=hubs)
        .order_by()
        .values("program__hub_id")
        .annotate(n=Count("pk"))
        .values_list("program__hub_id", "n")
    )
    asked = _asked(Completion.objects.filter(program__hub__in=hubs), "program__hub_id")
    evaluated = dict(
        Program.objects.filter(hub__in=hubs)
        .filter(
            Exists(Completion.objects.filter(program=OuterRef("pk")))
            | Exists(Response.objects.filter(program=OuterRef("pk")))
        )
        .order_by()
        .values("hub_id")
        .annotate(n=Count("pk"))
        .values_list("hub_id", "n")
    )
    return [
        HubRow(hub, evaluated.get(hub.pk, 0), counted.get(hub.pk, 0), asked.get((hub.pk,), 0))
        for hub in hubs.order_by("slug")
    ]
