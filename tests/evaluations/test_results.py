"""Results for hub staff: figures only from five responses on, pairing, trends, constant queries."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from echohub.evaluations import results, services
from echohub.evaluations.models import Phase, Questionnaire, Response
from echohub.programs.models import Group, Session
from tests.conftest import client_for
from tests.evaluations.conftest import SESSION_ANSWERS, Evaluated, open_completion
from tests.factories import SessionFactory, UserFactory

SECRET_TEXT = "Zebra crossing reminder for the night team."


def answer(
    ev: Evaluated,
    many: Sequence[dict[str, Any]],
    *,
    phase: str = Phase.SESSION,
    session: Session | None = None,
    people: Sequence[Any] | None = None,
) -> list[Any]:
    """Each answer set submitted through the real service by a new person (or the one given)."""
    questionnaire: Questionnaire = {
        Phase.SESSION: ev.session_q,
        Phase.PRE: ev.pre_post_q,
        Phase.POST: ev.pre_post_q,
        Phase.FOLLOW_UP: ev.follow_up_q,
    }[phase]
    version = services.current_version(questionnaire)
    who = list(people) if people is not None else [UserFactory() for _ in many]
    for person, answers in zip(who, many, strict=True):
        services.submit(open_completion(person, ev, phase, session), version, answers)
    return who


def session_answers(relevance: int, **more: Any) -> dict[str, Any]:
    return {**SESSION_ANSWERS, "relevance": relevance, **more}


def page(user: Any, name: str, **kwargs: Any) -> str:
    response = client_for(user).get(reverse(f"evaluations:{name}", kwargs=kwargs))
    assert response.status_code == 200
    return response.content.decode()


def test_four_responses_show_fewer_than_5_and_no_figure(evaluated: Evaluated) -> None:
    answer(evaluated, [session_answers(2, will_do=SECRET_TEXT, teaching=1)] * 4)
    for _ in range(3):  # asked, never answered: who was asked is no secret, what they said is
        open_completion(UserFactory(), evaluated)
    coordinator = evaluated.network.coordinator
    for html in (
        page(coordinator, "session_results", pk=evaluated.session.pk),
        page(coordinator, "program_results", slug=evaluated.network.program.slug),
        page(coordinator, "hub_results", slug=evaluated.network.hub.slug),
        page(evaluated.network.national_admin, "overview"),
    ):
        assert "fewer than 5" in html
        assert SECRET_TEXT not in html
        assert "<svg" not in html
        # No count of responses, no mean, no share.
        for figure in (">4<", "2.0", "1.0", "%"):
            assert figure not in html, figure
    found = results.for_session(evaluated.session)
    assert found.group.hidden
    assert found.group.items == []


def test_five_responses_show_figures_and_free_text_sorted(evaluated: Evaluated) -> None:
    texts = [
        "Pain scale daily.",
        "ask family first.",
        "Breathing check.",
        "zinc?",
        "Call the team lead",
    ]
    answer(
        evaluated,
        [session_answers(r, will_do=t) for r, t in zip([5, 5, 4, 3, 5], texts, strict=True)],
    )
    html = page(evaluated.network.coordinator, "session_results", pk=evaluated.session.pk)
    assert "fewer than 5" not in html.split("intend")[0]  # the group itself is shown
    assert "<dd>5</dd>" in html  # responses
    assert "4.4" in html  # mean relevance
    assert "3 (60%)" in html  # three answered 5
    assert 'role="img"' in html
    assert 'aria-labelledby="s-relevance-cap"' in html
    assert '<figcaption id="s-relevance-cap">' in html
    positions = [html.index(t) for t in sorted(texts, key=str.casefold)]
    assert positions == sorted(positions)  # alphabetical, not in submission order
    assert "The session was relevant to my practice." in html


def test_distribution_mean_rate_and_a_small_choice_cell(evaluated: Evaluated) -> None:
    # 6 asked (one never answers), 5 answered; "no" chosen once, "yes" four times.
    answer(
        evaluated,
        [session_answers(p, intend_change="yes") for p in (1, 2, 2, 4)]
        + [session_answers(5, intend_change="no")],
    )
    open_completion(UserFactory(), evaluated)
    group = results.for_session(evaluated.session).group
    assert (group.responses, group.asked) == (5, 6)
    assert group.rate == pytest.approx(5 / 6)
    by_key = {item.spec.key: item for item in group.items}
    relevance = by_key["relevance"]
    assert [p.count for p in relevance.points] == [1, 2, 0, 1, 1]
    assert [p.share for p in relevance.points] == [0.2, 0.4, 0.0, 0.2, 0.2]
    assert relevance.mean == pytest.approx(14 / 5)
    assert relevance.points[0].label == "1 · Strongly disagree"
    intend = {p.label: p for p in by_key["intend_change"].points}
    assert intend["No"].hidden
    assert intend["Yes"].hidden
    html = page(evaluated.network.coordinator, "session_results", pk=evaluated.session.pk)
    assert "2.8" in html
    assert "83%" in html
    assert html.count("fewer than 5") >= 2


def test_a_lone_small_choice_is_not_left_to_subtraction(evaluated: Evaluated) -> None:
    # Five "yes" and one "no": showing 5 of 6 would say one person answered otherwise.
    answer(
        evaluated,
        [session_answers(4, intend_change="yes")] * 5 + [session_answers(4, intend_change="no")],
    )
    items = {i.spec.key: i for i in results.for_session(evaluated.session).group.items}
    intend = {p.label: p.hidden for p in items["intend_change"].points}
    assert intend == {
        "Yes": True,
        "No, I already do this": True,
        "No": True,
        "Not sure yet": True,
    }
    # Nobody answered "no" to commercial bias: a zero gives nobody away, the six stay shown.
    bias = {p.label: (p.count, p.hidden) for p in items["free_of_bias"].points}
    assert bias == {"Yes": (6, False), "No": (0, True)}


def test_pre_post_pairs_each_person_with_themselves(evaluated: Evaluated) -> None:
    pre = [2, 2, 3, 3, 4, 1]
    post = [4, 3, 3, 2, 5, 2]
    version = services.current_version(evaluated.pre_post_q)
    keys = list(version.items.values_list("key", flat=True))

    def filled(value: int) -> dict[str, Any]:
        return dict.fromkeys(keys, value)

    people = answer(evaluated, [filled(v) for v in pre], phase=Phase.PRE)
    answer(evaluated, [filled(v) for v in post], phase=Phase.POST, people=people)
    answer(evaluated, [filled(5)], phase=Phase.PRE)  # before only: not a pair
    found = results.for_program(evaluated.network.program)
    change = next(c for c in found.changes if c.spec.key == "assess_symptoms")
    assert change.pairs == 6
    assert change.before == pytest.approx(2.5)
    assert change.after == pytest.approx(19 / 6)
    assert change.change == pytest.approx(4 / 6)
    assert change.improved == pytest.approx(4 / 6)
    assert {c.spec.key for c in found.changes} == set(keys)
    html = page(evaluated.network.coordinator, "program_results", slug="psw-series")
    assert "+0.7" in html
    assert "67%" in html
    assert "2.5" in html


def test_fewer_than_5_pairs_are_not_shown(evaluated: Evaluated) -> None:
    version = services.current_version(evaluated.pre_post_q)
    answers = dict.fromkeys(version.items.values_list("key", flat=True), 3)
    people = answer(evaluated, [answers] * 6, phase=Phase.PRE)
    answer(evaluated, [answers] * 4, phase=Phase.POST, people=people[:4])
    found = results.for_program(evaluated.network.program)
    assert all(c.hidden and c.before is None and c.change is None for c in found.changes)
    html = page(evaluated.network.coordinator, "program_results", slug="psw-series")
    change_section = html.split('id="change-h"')[1]
    assert "fewer than 5" in change_section
    assert "3.0" not in change_section


def later_session(ev: Evaluated, days_ago: int) -> Session:
    return SessionFactory(
        program=ev.network.program, starts_at=timezone.now() - dt.timedelta(days=days_ago)
    )


def test_trends_follow_the_sessions_dates_and_hide_small_ones(evaluated: Evaluated) -> None:
    first, middle = later_session(evaluated, 20), later_session(evaluated, 10)
    answer(evaluated, [session_answers(2, teaching=2, case_discussion=2)] * 5, session=first)
    answer(evaluated, [session_answers(4)] * 3, session=middle)
    answer(evaluated, [session_answers(5, teaching=5, case_discussion=5)] * 5)
    found = results.for_program(evaluated.network.program)
    assert [row.session for row in found.trends] == [first, middle, evaluated.session]
    assert [row.hidden for row in found.trends] == [False, True, False]
    assert found.trends[1].satisfaction is None
    assert found.trends[1].means == [None] * len(found.trend_specs)
    assert found.trends[0].satisfaction == pytest.approx(2.0)
    assert found.trends[2].satisfaction == pytest.approx(5.0)
    relevance = [s.key for s in found.trend_specs].index("relevance")
    assert found.trends[0].means[relevance] == 2.0
    html = page(evaluated.network.coordinator, "program_results", slug="psw-series")
    assert "<polyline" not in html  # the hidden session breaks the line into two single points
    assert html.count('class="chart-dot"') == 2
    assert 'aria-labelledby="trend-cap"' in html


def queries(fn: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def test_query_count_does_not_grow_with_responses(evaluated: Evaluated) -> None:
    coordinator = evaluated.network.coordinator
    client = client_for(coordinator)
    program_url = reverse("evaluations:program_results", kwargs={"slug": "psw-series"})
    session_url = reverse("evaluations:session_results", kwargs={"pk": evaluated.session.pk})
    export_url = reverse("evaluations:program_export", kwargs={"slug": "psw-series", "fmt": "csv"})
    answer(evaluated, [session_answers(4)] * 5)

    def count() -> list[int]:
        return [
            queries(lambda u=url: client.get(u)) for url in (program_url, session_url, export_url)
        ]

    few = count()
    answer(evaluated, [session_answers(3)] * 55)
    assert Response.objects.count() == 60
    assert count() == few


def test_query_count_does_not_grow_with_sessions(evaluated: Evaluated) -> None:
    client = client_for(evaluated.network.coordinator)
    urls = [
        reverse("evaluations:program_results", kwargs={"slug": "psw-series"}),
        reverse("evaluations:program_export", kwargs={"slug": "psw-series", "fmt": "xlsx"}),
        reverse("evaluations:hub_results", kwargs={"slug": "ontario"}),
    ]

    def add_session(days_ago: int) -> None:
        answer(evaluated, [session_answers(4)] * 5, session=later_session(evaluated, days_ago))

    answer(evaluated, [session_answers(4)] * 5)
    assert Session.objects.filter(program=evaluated.network.program).count() == 2
    two = [queries(lambda u=url: client.get(u)) for url in urls]
    for days in range(10):
        add_session(30 + days)
    assert Session.objects.filter(program=evaluated.network.program).count() == 12
    assert [queries(lambda u=url: client.get(u)) for url in urls] == two


def test_older_versions_count_under_the_same_key_with_the_newest_label(
    evaluated: Evaluated,
) -> None:
    answer(evaluated, [session_answers(5)] * 3)
    old = services.current_version(evaluated.session_q)
    new = services.Versions(evaluated.session_q).create(old.version + 1, None)
    for item in old.items.all():
        item.pk = None
        item.form = new
        if item.key == "relevance":
            item.label_en = "Relevant to my work"
        item.save()
    assert services.current_version(evaluated.session_q) == new
    answer(evaluated, [session_answers(1)] * 2)
    relevance = next(
        i for i in results.for_session(evaluated.session).group.items if i.spec.key == "relevance"
    )
    assert relevance.n == 5
    assert str(relevance.spec.label) == "Relevant to my work"
    assert [p.count for p in relevance.points] == [2, 0, 0, 0, 3]


def test_hub_and_overview_show_programs_side_by_side(evaluated: Evaluated) -> None:
    answer(evaluated, [session_answers(4, teaching=4, case_discussion=5)] * 5)
    html = page(evaluated.network.coordinator, "hub_results", slug="ontario")
    assert reverse("evaluations:program_results", kwargs={"slug": "psw-series"}) in html
    assert "<td>5</td>" in html
    assert "100%" in html
    assert "4.3" in html  # (4 + 4 + 5) / 3 over the satisfaction items
    rows = results.for_hub(evaluated.network.hub)
    assert [(r.program.slug, r.responses, r.asked) for r in rows] == [("psw-series", 5, 5)]
    # A hub manager's overview lists their hub only; a national admin's every hub.
    mine = page(evaluated.network.coordinator, "overview")
    assert "Ontario Hub" in mine
    assert "Western Hub" not in mine
    every = page(evaluated.network.national_admin, "overview")
    assert "Ontario Hub" in every
    assert "Western Hub" in every


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("session_results", lambda n: {"pk": n.session.pk}),
        ("program_results", lambda n: {"slug": n.program.slug}),
        ("hub_results", lambda n: {"slug": n.hub.slug}),
        ("session_export", lambda n: {"pk": n.session.pk, "fmt": "csv"}),
        ("program_export", lambda n: {"slug": n.program.slug, "fmt": "xlsx"}),
        ("hub_export", lambda n: {"slug": n.hub.slug, "fmt": "csv"}),
    ],
)
def test_another_hub_learns_nothing(evaluated: Evaluated, name: str, kwargs: Any) -> None:
    answer(evaluated, [session_answers(4)] * 5)
    url = reverse(f"evaluations:{name}", kwargs=kwargs(evaluated.network))
    assert client_for(evaluated.network.other_coordinator).get(url).status_code == 404
    assert client_for(evaluated.network.participant).get(url).status_code == 403
    assert client_for(evaluated.network.hub_admin).get(url).status_code == 200


def test_labels_in_the_readers_language(evaluated: Evaluated) -> None:
    answer(evaluated, [session_answers(4)] * 5)
    client = client_for(evaluated.network.coordinator)
    with translation.override("fr"):
        url = reverse("evaluations:session_results", kwargs={"pk": evaluated.session.pk})
    html = client.get(url).content.decode()
    assert "La séance était pertinente pour ma pratique." in html
    assert "The session was relevant" not in html
    assert "4,0" in html  # a French decimal comma
    with translation.override("fr"):
        url = reverse("evaluations:program_results", kwargs={"slug": "psw-series"})
    assert "Qualité de la discussion de cas" in client.get(url).content.decode()


def test_pages_are_never_cached(evaluated: Evaluated) -> None:
    url = reverse("evaluations:program_results", kwargs={"slug": "psw-series"})
    response = client_for(evaluated.network.coordinator).get(url)
    assert "no-store" in response["Cache-Control"]


def test_a_program_with_groups_shows_one_groups_sessions(evaluated: Evaluated) -> None:
    """Each group's evaluations on their own, beside the program as a whole."""
    program = evaluated.network.program
    thursday = Group.objects.create(program=program, name_en="Thursday evening")
    Session.objects.filter(pk=evaluated.session.pk).update(group=thursday)
    answer(evaluated, [session_answers(5)] * 5)
    answer(evaluated, [session_answers(1)] * 6, session=later_session(evaluated, 20))
    whole = results.for_program(program)
    assert [row.responses for row in whole.trends] == [6, 5]  # the one held 20 days ago first
    only = results.for_program(program, for_group=thursday)
    assert [row.session.pk for row in only.trends] == [evaluated.session.pk]
    assert only.phase(Phase.SESSION).group.responses == 5
    html = page(evaluated.network.coordinator, "program_results", slug=program.slug)
    assert "Thursday evening" in html
    chosen = client_for(evaluated.network.coordinator).get(
        reverse("evaluations:program_results", kwargs={"slug": program.slug}),
        {"group": thursday.pk},
    )
    assert "The evaluations of the sessions of the group" in chosen.content.decode()
