import random
import time

import pytest

from echohub.attendance.matching import Candidate, Found, match_people, normalize_name

PEOPLE = [
    Candidate(1, "Brian Smith", "brian@example.org"),
    Candidate(2, "Priya Patel", ""),
    Candidate(3, "Amélie Tremblay", "amelie@example.org"),
    Candidate(4, "Alain Tremblay", "alain@example.org"),
    Candidate(5, "Marie-Ève Côté", ""),
    Candidate(6, "Chidi Okafor", ""),
]


def one(name: str, email: str = "", people: list[Candidate] = PEOPLE) -> tuple[str, int | None]:
    [match] = match_people([Found(name, email)], people)
    return match.status, match.person_id


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("iPhone (Brian Smith)", "brian smith"),
        ("Brian Smith's iPad", "brian smith"),
        ("priya (she/her)", "priya"),
        ("Tremblay, Amélie", "amelie tremblay"),
        ("Dr. Amélie Tremblay, RN", "amelie tremblay"),
        ("015_Loki (Loki Laufeyson)", "loki laufeyson"),
        ("Marie-Ève Côté (Guest)", "marie eve cote"),
        ("Zoom user", ""),
        ("Call-in User_2", ""),
        ("+1 416 555 0199", ""),
        ("Galaxy S21", ""),
    ],
)
def test_names_are_normalized(raw: str, normal: str) -> None:
    assert normalize_name(raw) == normal


def test_email_first_whatever_the_name_or_case() -> None:
    assert one("Someone Else", "  BRIAN@example.org ") == ("matched", 1)


def test_names_with_accents_order_devices_and_credentials() -> None:
    assert one("Amelie Tremblay") == ("matched", 3)
    assert one("Tremblay, Amélie") == ("matched", 3)
    assert one("iPhone (Chidi Okafor)") == ("matched", 6)
    assert one("Dr. Chidi Okafor, MD") == ("matched", 6)
    assert one("Marie Eve Cote") == ("matched", 5)


def test_initials_and_first_names_alone_are_choices_not_matches() -> None:
    [match] = match_people([Found("A. Tremblay", "")], PEOPLE)
    assert match.status == "ambiguous"
    assert {pid for pid, _score in match.choices} >= {3, 4}
    assert one("priya (she/her)") == ("ambiguous", None)


def test_a_typo_is_offered_not_assumed() -> None:
    [match] = match_people([Found("Brain Smith", "")], PEOPLE)
    assert match.status in {"matched", "ambiguous"}
    assert match.choices[0][0] == 1


def test_strangers_and_generic_names_are_not_found() -> None:
    assert one("Zoom user") == ("unmatched", None)
    assert one("Wei Zhang") == ("unmatched", None)


def test_one_registrant_is_never_given_to_two_people() -> None:
    matches = match_people([Found("iPhone (Brian Smith)", ""), Found("Brian Smith", "")], PEOPLE)
    assert sorted(m.status for m in matches) == ["ambiguous", "matched"]
    assert [m.person_id for m in matches if m.status == "matched"] == [1]


def test_three_thousand_against_three_thousand_is_fast() -> None:
    rng = random.Random(7)  # noqa: S311  (test data, not secrets)
    firsts = ["Amélie", "Brian", "Priya", "Chidi", "Fatima", "Erik", "Marie", "Jean", "Aroha"]
    lasts = [
        f"{a}{b}{c}" for a in "BDFGKLMNPRST" for b in "aeiou" for c in ("son", "ault", "ski", "ez")
    ]
    names = [f"{rng.choice(firsts)} {last}" for last in rng.sample(lasts, 240) for _ in range(13)]
    people = [Candidate(i, name, "") for i, name in enumerate(names[:3000])]
    found = [Found(c.name.upper() if i % 2 else c.name, "") for i, c in enumerate(people)]
    started = time.perf_counter()
    matches = match_people(found, people)
    assert time.perf_counter() - started < 2.0
    wrong = [
        m for m, c in zip(matches, people, strict=True) if m.person_id not in (None, c.person_id)
    ]
    assert wrong == []
