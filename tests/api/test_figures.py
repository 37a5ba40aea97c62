"""A program's reach and evaluation results through the API: the reports' and the
results' own figures, for a token of the program's hub with the scope; aggregates only."""

from typing import Any

from echohub.api.models import Scope
from tests.api.conftest import api_client
from tests.evaluations.conftest import Evaluated
from tests.evaluations.test_results import SECRET_TEXT, answer, session_answers
from tests.reports.conftest import HandMade


def test_a_programs_reach(hand_made: HandMade, make_token: Any) -> None:
    n = hand_made.network
    secret = make_token(n.hub, [Scope.READ_REPORTS])
    body = api_client(secret).get("/api/v1/programs/p1/reach/").json()
    assert body["program"] == "p1"
    assert body["sessions_held"] == 3
    # Rose (A1, A2), Lily (A2), Paul (A3), the walk-in (A1), and the facilitator (A1),
    # who counts in all as hub staff, as on the reach page.
    assert (body["participations"], body["people"]) == (6, 5)
    assert (body["registered"], body["registered_attended"], body["no_shows"]) == (3, 2, 1)
    assert body["hours"] == round((60 + 60 + 30 + 45 + 60 + 60) / 60, 2)
    assert api_client(secret).get("/api/v1/programs/p2/reach/").status_code == 404
    reader = make_token(n.hub, [Scope.READ_EVALUATIONS])
    assert api_client(reader).get("/api/v1/programs/p1/reach/").status_code == 403
    assert api_client().get("/api/v1/programs/p1/reach/").status_code == 401


def test_evaluation_results_are_figures_only(evaluated: Evaluated, make_token: Any) -> None:
    n = evaluated.network
    answer(evaluated, [session_answers(r, will_do=SECRET_TEXT) for r in (5, 4, 4, 3, 5)])
    secret = make_token(n.hub, [Scope.READ_EVALUATIONS])
    answer_ = api_client(secret).get(f"/api/v1/programs/{n.program.slug}/evaluation/")
    assert answer_.status_code == 200
    body = answer_.json()
    [phase] = [p for p in body["phases"] if p["phase"] == "session"]
    assert phase["responses"] == 5
    relevance = next(i for i in phase["items"] if i["key"] == "relevance")
    assert (relevance["answers"], relevance["hidden"], relevance["mean"]) == (5, False, 4.2)
    assert sum(p["count"] for p in relevance["points"]) == 5
    assert relevance["label"]["en"]
    assert SECRET_TEXT not in answer_.content.decode()  # free text is never given
    assert all(i["type"] not in ("text", "long_text") for i in phase["items"])
    other = make_token(n.other_hub, [Scope.READ_EVALUATIONS])
    assert (
        api_client(other).get(f"/api/v1/programs/{n.program.slug}/evaluation/").status_code == 404
    )


def test_fewer_than_five_answers_give_no_figure(evaluated: Evaluated, make_token: Any) -> None:
    n = evaluated.network
    answer(evaluated, [session_answers(2)] * 4)
    secret = make_token(n.hub, [Scope.READ_EVALUATIONS])
    body = api_client(secret).get(f"/api/v1/programs/{n.program.slug}/evaluation/").json()
    for phase in body["phases"]:
        for item in phase["items"]:
            assert item["hidden"]
            assert (item["mean"], item["points"]) == (None, [])
        assert phase["rate"] is None
