"""CSV and XLSX of evaluation results: figures only, suppressed as on the page, no free text."""

import csv
import io
from typing import Any

from django.urls import reverse
from openpyxl import load_workbook

from echohub.evaluations import exports
from echohub.evaluations.models import Phase
from tests.conftest import client_for
from tests.evaluations.conftest import Evaluated
from tests.evaluations.test_results import SECRET_TEXT, answer, session_answers


def download(ev: Evaluated, name: str, fmt: str, **kwargs: Any) -> Any:
    url = reverse(f"evaluations:{name}", kwargs={**kwargs, "fmt": fmt})
    return client_for(ev.network.coordinator).get(url)


def csv_rows(body: bytes) -> list[list[str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for accents
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def xlsx_rows(body: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def by_question(rows: list[list[Any]], question: str) -> list[Any]:
    return next(row for row in rows if row[2] == question)


def test_session_csv_holds_the_figures_and_no_free_text(evaluated: Evaluated) -> None:
    answer(
        evaluated,
        [session_answers(p, will_do=SECRET_TEXT, intend_change="yes") for p in (5, 5, 4, 3, 5)],
    )
    response = download(evaluated, "session_export", "csv", pk=evaluated.session.pk)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert SECRET_TEXT.encode() not in response.content
    rows = csv_rows(response.content)
    assert rows[0] == exports.header()
    first = by_question(rows, "All questions")
    assert first[4:6] == ["5", "100.0"]
    relevance = by_question(rows, "The session was relevant to my practice.")
    assert relevance[3] == "2 · Satisfaction"
    assert relevance[4:12] == ["5", "", "0", "0", "1", "1", "3", "4.4"]
    intend = by_question(
        rows, evaluated.session_q.versions.get().items.get(key="intend_change").label_en
    )
    assert "Yes: 5" in intend[13]
    assert "No: fewer than 5" in intend[13]
    # No column or row of a free-text question.
    assert not [row for row in rows if row[2] == "What will you do differently?"]


def test_four_responses_export_no_figure(evaluated: Evaluated) -> None:
    answer(evaluated, [session_answers(2, will_do=SECRET_TEXT)] * 4)
    for name, kwargs in (
        ("session_export", {"pk": evaluated.session.pk}),
        ("program_export", {"slug": "psw-series"}),
        ("hub_export", {"slug": "ontario"}),
    ):
        rows = csv_rows(download(evaluated, name, "csv", **kwargs).content)
        body = rows[1:]
        assert body, name
        assert all(row[4] == "fewer than 5" for row in body), (name, body)
        # Nothing but labels and "fewer than 5": no count, mean or rate anywhere.
        assert all(cell == "" for row in body for cell in row[5:]), (name, body)
        sheet = xlsx_rows(download(evaluated, name, "xlsx", **kwargs).content)
        assert [row[4] for row in sheet[1:]] == ["fewer than 5"] * len(body)
        assert all(cell is None for row in sheet[1:] for cell in row[5:])


def test_program_xlsx_has_phases_sessions_and_changes(evaluated: Evaluated) -> None:
    answer(evaluated, [session_answers(4)] * 5)
    version = evaluated.pre_post_q.versions.get()
    keys = list(version.items.values_list("key", flat=True))
    people = answer(evaluated, [dict.fromkeys(keys, 2)] * 5, phase=Phase.PRE)
    answer(evaluated, [dict.fromkeys(keys, 4)] * 5, phase=Phase.POST, people=people)
    response = download(evaluated, "program_export", "xlsx", slug="psw-series")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(response.content)
    assert rows[0] == exports.header()
    evaluations = {row[0] for row in rows[1:]}
    assert {"After a session", "Before the series", "After the series"} <= evaluations
    # The session's own rows are named by its date and title.
    assert any(str(evaluated.session.title) in str(row[1]) for row in rows[1:])
    change = next(
        row
        for row in rows
        if row[0] == "Change from before to after the series"
        and row[2] == "How confident are you in assessing pain and other symptoms?"
    )
    assert change[14:19] == [5, 2.0, 4.0, 2.0, 100.0]
    relevance = by_question(rows, "The session was relevant to my practice.")
    assert relevance[4] == 5
    assert relevance[9] == 5
    assert relevance[11] == 4.0


def test_french_export_keeps_accents(evaluated: Evaluated) -> None:
    from django.utils import translation

    answer(evaluated, [session_answers(4)] * 5)
    with translation.override("fr"):
        url = reverse(
            "evaluations:session_export", kwargs={"pk": evaluated.session.pk, "fmt": "csv"}
        )
    rows = csv_rows(client_for(evaluated.network.coordinator).get(url).content)
    assert any(row[2] == "La séance était pertinente pour ma pratique." for row in rows)


def test_an_unknown_format_is_not_found(evaluated: Evaluated) -> None:
    for fmt in ("pdf", "CSV", "xlsx.exe"):
        assert download(evaluated, "program_export", fmt, slug="psw-series").status_code == 404


def test_a_formula_in_a_label_is_neutralised(evaluated: Evaluated) -> None:
    item = evaluated.session_q.versions.get().items.get(key="relevance")
    item.label_en = "=HYPERLINK(1)"
    item.save()
    answer(evaluated, [session_answers(4)] * 5)
    rows = csv_rows(download(evaluated, "session_export", "csv", pk=evaluated.session.pk).content)
    assert any(row[2] == "'=HYPERLINK(1)" for row in rows)


def test_hub_csv_holds_each_programs_figures(evaluated: Evaluated) -> None:
    answer(evaluated, [session_answers(p) for p in (5, 4, 4, 3, 4)])
    rows = csv_rows(download(evaluated, "hub_export", "csv", slug="ontario").content)
    relevance = by_question(rows, "The session was relevant to my practice.")
    assert relevance[:2] == ["After a session", "PSW Series"]
    assert relevance[11] == "4.0"
    assert [row[1] for row in rows[1:]] == ["PSW Series"] * (len(rows) - 1)
