"""Moore's levels 2 to 5 over many programs, counted by hand on a few responses."""

import datetime as dt

import pytest
from django.utils import timezone

from echohub.evaluations import services
from echohub.evaluations.models import MooreLevel, Phase, Response
from echohub.evaluations.moore import moore_summary
from echohub.programs.models import Program
from tests.evaluations.conftest import Evaluated
from tests.factories import ProgramFactory


def keys(questionnaire, level: str, *, paired: bool | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    items = services.current_version(questionnaire).items.filter(moore_level=level)
    if paired is not None:
        items = items.filter(paired=paired)
    return list(items.order_by("position").values_list("key", flat=True))


def answer(
    ev: Evaluated, phase: str, answers: dict, *, program: Program | None = None, key: str = ""
) -> None:  # type: ignore[type-arg]
    questionnaire = {
        Phase.SESSION: ev.session_q,
        Phase.PRE: ev.pre_post_q,
        Phase.POST: ev.pre_post_q,
        Phase.FOLLOW_UP: ev.follow_up_q,
    }[phase]
    Response.objects.create(
        program=program or ev.network.program,
        session=ev.session if phase == Phase.SESSION else None,
        phase=phase,
        version=services.current_version(questionnaire),
        answers=answers,
        pair_key=key,
    )


def programs(*chosen: Program):  # type: ignore[no-untyped-def]
    return Program.objects.filter(pk__in=[p.pk for p in chosen])


def test_satisfaction_is_the_share_at_4_or_5(evaluated: Evaluated) -> None:
    first = keys(evaluated.session_q, MooreLevel.SATISFACTION)[0]
    for point in (5, 4, 4, 3, 5, 2):
        answer(evaluated, Phase.SESSION, {first: point})
    answer(evaluated, Phase.SESSION, {"will_do": "Ask earlier."})  # no satisfaction answer
    found = moore_summary(programs(evaluated.network.program))
    assert found.satisfaction_responses == 6
    assert found.satisfied == pytest.approx(4 / 6)
    assert found.satisfaction_mean == pytest.approx(23 / 6)


def test_fewer_than_five_responses_show_no_figure(evaluated: Evaluated) -> None:
    first = keys(evaluated.session_q, MooreLevel.SATISFACTION)[0]
    for point in (5, 4, 4, 3):
        answer(evaluated, Phase.SESSION, {first: point})
    found = moore_summary(programs(evaluated.network.program))
    assert (found.satisfaction_responses, found.satisfied, found.satisfaction_mean) == (
        4,
        None,
        None,
    )
    assert found.knowledge is None  # no pre/post answer at all
    assert found.practice_change is None


def test_pairs_count_people_across_programs(evaluated: Evaluated) -> None:
    program, other = evaluated.network.program, ProgramFactory(hub=evaluated.network.hub)
    confident = keys(evaluated.pre_post_q, MooreLevel.COMPETENCE, paired=True)[:2]
    # Five people: three in one program, two in the other; each one's mean before and after.
    people = [
        (program, "a", (1, 3), (3, 5)),  # 2 → 4
        (program, "b", (2, 2), (2, 2)),  # 2 → 2
        (program, "c", (3, 1), (4, 2)),  # 2 → 3
        (other, "a", (1, 1), (2, 2)),  # 1 → 2 (the same key in another program: another person)
        (other, "d", (4, 4), (3, 3)),  # 4 → 3
    ]
    for where, key, before, after in people:
        answer(
            evaluated, Phase.PRE, dict(zip(confident, before, strict=True)), program=where, key=key
        )
        answer(
            evaluated, Phase.POST, dict(zip(confident, after, strict=True)), program=where, key=key
        )
    answer(evaluated, Phase.PRE, {confident[0]: 1}, key="e")  # never answered after: no pair
    found = moore_summary(programs(program, other))
    assert found.competence is not None
    assert found.competence.pairs == 5
    assert found.competence.before == pytest.approx((2 + 2 + 2 + 1 + 4) / 5)
    assert found.competence.after == pytest.approx((4 + 2 + 3 + 2 + 3) / 5)
    assert found.competence.improved == pytest.approx(3 / 5)
    assert found.knowledge is not None  # asked (the starter has a paired knowledge item) …
    assert (found.knowledge.pairs, found.knowledge.before) == (0, None)  # … never answered
    alone = moore_summary(programs(program))
    assert alone.competence is not None
    assert (alone.competence.pairs, alone.competence.before) == (3, None)  # hidden under 5


def test_follow_ups_count_practice_change(evaluated: Evaluated) -> None:
    scale = next(
        key
        for key in keys(evaluated.follow_up_q, MooreLevel.PERFORMANCE)
        if services.current_version(evaluated.follow_up_q).items.get(key=key).type == "likert"
    )
    choice = keys(evaluated.follow_up_q, MooreLevel.PERFORMANCE)[0]
    for point, changed in ((5, "yes"), (4, "somewhat"), (2, "no"), (3, "yes"), (5, "yes")):
        answer(evaluated, Phase.FOLLOW_UP, {scale: point, choice: changed})
    found = moore_summary(programs(evaluated.network.program))
    assert found.follow_up_responses == 5
    # Scale at 4–5: 3 of 5; "yes": 3 of 5.
    assert found.practice_change == pytest.approx(6 / 10)


def test_dates_choose_the_sessions_and_the_programs_held_then(evaluated: Evaluated) -> None:
    first = keys(evaluated.session_q, MooreLevel.SATISFACTION)[0]
    for _ in range(5):
        answer(evaluated, Phase.SESSION, {first: 5})
    # The session's own day (it started two hours ago: in the first two hours of a
    # Toronto day, that is yesterday, and "today" would not hold it).
    today = timezone.localdate(evaluated.session.starts_at)
    assert (
        moore_summary(programs(evaluated.network.program), today, today).satisfaction_responses == 5
    )
    later = today + dt.timedelta(days=1)
    assert (
        moore_summary(programs(evaluated.network.program), later, None).satisfaction_responses == 0
    )


def test_queries_do_not_grow_with_the_programs(
    evaluated: Evaluated, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    first = keys(evaluated.session_q, MooreLevel.SATISFACTION)[0]
    answer(evaluated, Phase.SESSION, {first: 5})
    one = programs(evaluated.network.program)
    with django_assert_num_queries(2):
        moore_summary(one)
    more = [ProgramFactory(hub=evaluated.network.hub) for _ in range(3)]
    for program in more:
        answer(evaluated, Phase.SESSION, {first: 4}, program=program)
    with django_assert_num_queries(2):
        moore_summary(programs(evaluated.network.program, *more))
