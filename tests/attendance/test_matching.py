"""Linking report names to registrants: emails, names as people type them, fair shares."""

import itertools
import random
import time

import pytest

from echohub.attendance.matching import (
    AMBIGUOUS_SCORE,
    INITIALS_SCORE,
    Candidate,
    Found,
    Match,
    match_people,
    normalize_name,
)

BRIAN = Candidate(1, "Brian Smith", "brian@example.org")
PRIYA = Candidate(2, "Priya Patel", "")
AMELIE = Candidate(3, "Amélie Tremblay", "amelie@example.org")
ALAIN = Candidate(4, "Alain Tremblay", "alain@example.org")
MARIE_EVE = Candidate(5, "Marie-Ève Côté", "")
CHIDI = Candidate(6, "Chidi Okafor", "")
PEOPLE = [BRIAN, PRIYA, AMELIE, ALAIN, MARIE_EVE, CHIDI]


def one(name: str, email: str = "", people: list[Candidate] = PEOPLE) -> Match:
    [match] = match_people([Found(name, email)], people)
    return match


def chosen(match: Match) -> list[int]:
    return [person_id for person_id, _score in match.choices]


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("Amélie Tremblay", "amelie tremblay"),
        ("  AMÉLIE   TREMBLAY ", "amelie tremblay"),
        ("Marie-Ève Côté", "marie eve cote"),
        ("Søren Kierkegaard", "soren kierkegaard"),
        ("O'Brien, Pat", "pat obrien"),
        ("Tremblay, Amélie", "amelie tremblay"),
        ("iPhone (Brian Smith)", "brian smith"),
        ("Brian Smith (iPad)", "brian smith"),
        ("Brian Smith's iPad", "brian smith"),
        ("Brian's iPhone", "brian"),
        ("iPad de Marie", "marie"),
        ("iPhone d'Amélie Tremblay", "amelie tremblay"),
        ("Brian Smith iPhone 13 Pro Max", "brian smith"),
        ("Max's iPhone", "max"),
        ("priya (she/her)", "priya"),
        ("Priya Patel she/they", "priya patel"),
        ("Amélie Tremblay (elle/elle)", "amelie tremblay"),
        ("Dr. Amélie Tremblay, RN", "amelie tremblay"),
        ("Tremblay, Dr. Amélie, RN, MSW", "amelie tremblay"),
        ("Mme Amélie Tremblay", "amelie tremblay"),
        ("M. Jean Tremblay", "jean tremblay"),
        ("Pr Chidi Okafor PhD", "chidi okafor"),
        ("Chidi Okafor, M.D.", "chidi okafor"),
        ("Ms. Priya Patel NP", "priya patel"),
        ("Marie-Ève Côté (Guest)", "marie eve cote"),
        ("Marie-Ève Côté (Invité)", "marie eve cote"),
        ("Brian Smith (Host, me)", "brian smith"),
        ("JANSSENS JAN (EXT)", "janssens jan"),
        ("García Simón, Pedro", "pedro garcia simon"),
        ("015_Loki (Loki Laufeyson)", "loki laufeyson"),
        ("Jeanne d'Arc", "jeanne darc"),
        ("Brian Smith 2", "brian smith"),
    ],
)
def test_names_are_normalized(raw: str, normal: str) -> None:
    assert normalize_name(raw) == normal


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "iPhone",
        "Galaxy S21",
        "Samsung Galaxy S21 Ultra",
        "Zoom user",
        "Call-in User_2",
        "+1 416 555 0199",
        "14165550199",
        "(416) 555-0199",
        "Guest",
        "(Invité)",
    ],
)
def test_generic_names_name_no_one(raw: str) -> None:
    assert normalize_name(raw) == ""
    assert one(raw) == Match(Found(raw, ""), "unmatched", None, 0, ())


def test_email_beats_the_name() -> None:
    match = one("Someone Else Entirely", "brian@example.org")
    assert match == Match(match.found, "matched", 1, 100, ((1, 100),))


def test_email_ignores_case_and_spaces() -> None:
    assert one("Brian", "  BRIAN@Example.ORG ").person_id == 1


def test_an_unknown_email_still_lets_the_name_match() -> None:
    match = one("Chidi Okafor", "chidi@elsewhere.example")
    assert (match.status, match.person_id, match.confidence) == ("matched", 6, 100)


def test_a_person_claimed_by_email_is_not_offered_to_names() -> None:
    by_name, by_email = match_people(
        [Found("Brian Smith", ""), Found("B.", "brian@example.org")], PEOPLE
    )
    assert (by_email.status, by_email.person_id) == ("matched", 1)
    assert (by_name.status, by_name.person_id) == ("unmatched", None)
    assert 1 not in chosen(by_name)


def test_one_email_twice_is_for_the_coordinator() -> None:
    first, second = match_people(
        [Found("Brian Smith", "brian@example.org"), Found("iPad", "brian@example.org")], PEOPLE
    )
    assert first.status == second.status == "ambiguous"
    assert first.choices == second.choices == ((1, 100),)


def test_accents_do_not_matter() -> None:
    assert one("Amelie Tremblay").person_id == 3
    assert one("Marie-Eve Cote").person_id == 5
    people = [Candidate(9, "Amelie Tremblay", "")]
    assert one("Amélie Tremblay", people=people).person_id == 9


def test_french_names_with_hyphens_or_without() -> None:
    assert one("Marie Eve Cote").person_id == 5
    assert one("MARIE-ÈVE CÔTÉ").person_id == 5
    assert one("Marie-Ève Côté", people=[Candidate(9, "Marie Eve Cote", "")]).person_id == 9


def test_last_name_first() -> None:
    match = one("Tremblay, Amélie")
    assert (match.status, match.person_id, match.confidence) == ("matched", 3, 100)
    assert one("Okafor, Chidi").person_id == 6


def test_devices_around_the_name() -> None:
    assert one("iPhone (Brian Smith)").person_id == 1
    assert one("Brian Smith's iPad").person_id == 1
    assert one("iPhone de Chidi Okafor").person_id == 6


def test_zoom_renamed_people_match_their_original_name() -> None:
    assert one("Brian S (Brian Smith)").person_id == 1


def test_pronouns_are_not_part_of_the_name() -> None:
    assert one("Chidi Okafor (he/him)").person_id == 6
    assert one("Amélie Tremblay elle/elle").person_id == 3


def test_titles_and_credentials_are_not_part_of_the_name() -> None:
    assert one("Dr. Amélie Tremblay, RN").person_id == 3
    assert one("Mr Chidi Okafor MD PhD").person_id == 6


def test_guest_markers_are_not_part_of_the_name() -> None:
    assert one("Priya Patel (Guest)").person_id == 2
    assert one("Marie-Ève Côté (Invitée)").person_id == 5


def test_initials_offer_each_person_they_fit() -> None:
    for written in ("A. Tremblay", "A Tremblay", "Amélie T."):
        match = one(written)
        assert (match.status, match.person_id) == ("ambiguous", None)
    # "A." fits both Tremblays equally; "Amélie T." only Amélie.
    assert one("A. Tremblay").choices == ((3, INITIALS_SCORE), (4, INITIALS_SCORE))
    assert chosen(one("Amélie T.")) == [3]


def test_initials_alone_are_never_enough() -> None:
    # Even with one Tremblay: an initial is a guess, and attendance earns credits.
    match = one("A. Tremblay", people=[AMELIE, BRIAN])
    assert (match.status, chosen(match)) == ("ambiguous", [3])


def test_initials_that_do_not_fit_are_not_offered_as_matches() -> None:
    match = one("B. Tremblay")
    assert match.status == "unmatched"
    assert match.confidence < AMBIGUOUS_SCORE


def test_a_first_name_alone_is_a_choice_never_a_match() -> None:
    for written in ("Priya", "priya (she/her)"):
        match = one(written, people=[PRIYA])
        assert (match.status, chosen(match)) == ("ambiguous", [2])
    match = one("Ana", people=[Candidate(7, "Ana Konstantinopoulou", "")])
    assert (match.status, chosen(match)) == ("ambiguous", [7])


def test_the_same_single_name_is_still_not_enough() -> None:
    match = one("Priya", people=[Candidate(2, "Priya", "")])
    assert (match.status, match.person_id, chosen(match)) == ("ambiguous", None, [2])


def test_a_middle_name_more_still_matches() -> None:
    assert one("Amélie Marie Tremblay").person_id == 3
    assert one("Brian J. Smith").person_id == 1


def test_a_typo_matches_when_no_one_else_is_close() -> None:
    # "Brain" is "Brian" with two letters swapped (one typo in a 5-letter word),
    # the last name agrees, and no other registrant comes within 8 points.
    match = one("Brain Smith")
    assert (match.status, match.person_id, match.confidence) == ("matched", 1, 91)


def test_a_typo_is_for_the_coordinator_when_another_name_is_close() -> None:
    people = [BRIAN, Candidate(8, "Brad Smith", "")]
    match = one("Brain Smith", people=people)
    assert (match.status, chosen(match)) == ("ambiguous", [1, 8])


def test_typos_in_every_word_are_still_offered() -> None:
    match = one("Brain Smiht")
    assert (match.status, chosen(match)) == ("ambiguous", [1])


def test_another_first_name_with_the_same_last_name_is_not_a_match() -> None:
    # By letters "marie tremblay" and "martin tremblay" are 90 alike: not by words.
    match = one("Marie Tremblay", people=[Candidate(9, "Martin Tremblay", "")])
    assert (match.status, match.person_id) == ("ambiguous", None)
    match = one("Lea Roy", people=[Candidate(9, "Leo Roy", "")])
    assert (match.status, match.person_id) == ("ambiguous", None)


def test_a_stranger_is_not_found() -> None:
    match = one("Wei Zhang")
    assert (match.status, match.person_id, match.choices) == ("unmatched", None, ())
    assert match.confidence < 50


def test_two_people_wanting_one_registrant_the_closer_wins() -> None:
    typo, exact = match_people(
        [Found("Brain Smith", ""), Found("iPhone (Brian Smith)", "")], PEOPLE
    )
    assert (exact.status, exact.person_id, exact.confidence) == ("matched", 1, 100)
    assert (typo.status, typo.person_id) == ("ambiguous", None)
    assert chosen(typo) == [1]


def test_two_people_equally_near_one_registrant_are_both_for_the_coordinator() -> None:
    matches = match_people([Found("Brian Smith", ""), Found("SMITH, Brian", "")], PEOPLE)
    assert [(m.status, m.person_id, chosen(m)) for m in matches] == [("ambiguous", None, [1])] * 2


def test_two_registrants_of_one_name_are_for_the_coordinator() -> None:
    people = [Candidate(21, "Jean Roy", ""), Candidate(22, "Jean Roy", ""), BRIAN]
    match = one("Roy, Jean", people=people)
    assert (match.status, match.person_id, match.choices) == (
        "ambiguous",
        None,
        ((21, 100), (22, 100)),
    )


def test_at_most_five_choices_best_first() -> None:
    people = [Candidate(30 + i, f"Priya {last}", "") for i, last in enumerate(LASTS[:7])]
    people.append(Candidate(40, "Priyanka Patel", ""))
    match = one("Priya", people=people)
    assert match.status == "ambiguous"
    assert len(match.choices) == 5
    assert [score for _pid, score in match.choices] == sorted(
        (score for _pid, score in match.choices), reverse=True
    )
    assert 40 not in chosen(match)


def test_answers_keep_the_report_order_and_skip_nameless_candidates() -> None:
    people = [Candidate(10, "", ""), Candidate(11, "iPhone", ""), *PEOPLE]
    found = [Found(name, "") for name in ("Chidi Okafor", "Zoom user", "Priya Patel", "iPhone")]
    matches = match_people(found, people)
    assert [m.found for m in matches] == found
    assert [m.person_id for m in matches] == [6, None, 2, None]
    assert match_people([], people) == []
    assert match_people(found[:1], []) == [Match(found[0], "unmatched", None, 0, ())]


def words(text: str) -> list[str]:
    return text.split()


FIRSTS = words(
    "Amélie Brian Priya Chidi Fatima Erik Marie Jean Aroha Wei Sofia Noah Mohamed Anika Jacob "
    "Zoë Nadia Omar Hana Kai Inès Ravi Sara Tomás Yuki Émile Grace Idris Hélène François "
    "Gabrielle Mathieu Nathalie Olivier Rosalie Sébastien Valérie Xavier Yasmine Thérèse"
)
LASTS = words(
    "Tremblay Okafor Haddad Larsen Gagnon Côté Bouchard Gauthier Morin Lavoie Fortin Gagné "
    "Ouellet Pelletier Bélanger Lévesque Bergeron Leblanc Paquette Girard Simard Boucher Caron "
    "Beaulieu Cloutier Dubé Poirier Fournier Lapointe Smith Brown Wilson Taylor Campbell "
    "Anderson Patel Singh Nguyen Chen Wong Kim Martin Thompson White Robinson Kowalski Moreau "
    "Dimitriou Fitzgerald Nakamura Rasmussen Schneider Takahashi Valenzuela Whitaker Yamamoto "
    "Zielinski Abernathy Delacroix Espinoza Gallagher Hutchinson Ivanova Johansson Kirkpatrick "
    "Lindqvist Montgomery Okonkwo Przybylski Quintero Rousseau Sandoval Thibodeau Underwood "
    "Vasquez Wojcik Xiong Youssef Zimmerman"
)


def as_typed(first: str, last: str, rng: random.Random) -> str:
    """A registrant's name as a report might show it."""
    plain = normalize_name(f"{first} {last}")  # no accents, lower case
    variants = [
        f"{first} {last}",
        f"{first} {last}".upper(),
        plain,
        plain.title(),
        f"{last}, {first}",
        f"{last.upper()}, {plain.split()[0]}",
        f"iPhone ({first} {last})",
        f"Dr. {first} {last}, RN",
        f"{first} {last} (she/her)",
    ]
    return rng.choice(variants)


def three_thousand(rng: random.Random) -> tuple[list[Candidate], list[Found]]:
    """3,000 registrants with distinct names, and each as a report shows them."""
    pairs = rng.sample(list(itertools.product(FIRSTS, LASTS)), 3000)
    people = [
        Candidate(i, f"{first} {last}", f"p{i}@example.org")
        for i, (first, last) in enumerate(pairs)
    ]
    found = [
        Found(as_typed(first, last, rng), f" P{i}@EXAMPLE.ORG " if i % 3 == 0 else "")
        for i, (first, last) in enumerate(pairs)
    ]
    return people, found


def test_three_thousand_people_against_three_thousand_registrants() -> None:
    rng = random.Random(2024)  # noqa: S311  (test data, not secrets)
    people, found = three_thousand(rng)
    order = list(range(len(found)))
    rng.shuffle(order)  # the report's order is not the registrants'
    started = time.perf_counter()
    matches = match_people([found[i] for i in order], people)
    elapsed = time.perf_counter() - started

    owners = dict(enumerate(order))  # position in the report → the registrant it stands for
    wrong = [m for i, m in enumerate(matches) if m.person_id not in (None, owners[i])]
    assert wrong == []
    for i in range(0, len(matches), 50):
        assert matches[i].person_id == owners[i], matches[i]
    by_email = [m for i, m in enumerate(matches) if owners[i] % 3 == 0]
    assert {(m.status, m.confidence) for m in by_email} == {("matched", 100)}
    assert sum(m.status == "matched" for m in matches) / len(matches) > 0.98
    assert elapsed < 2.0  # well under half a second here; generous for a busy CI


def test_names_alike_only_by_letters_are_not_offered() -> None:
    # 53 by letters, not one word in common: no coordinator would take this suggestion.
    match = one("Bethany Kowalczyk", people=[Candidate(9, "Johnny Walker", "")])
    assert (match.status, match.person_id, match.choices) == ("unmatched", None, ())
    # 67 and 74 by letters, yet other people: a shared run of letters is not a shared name.
    for found, known in (("Valérie Anderson", "Marie Caron"), ("Priya Bouchard", "Brian Boucher")):
        match = one(found, people=[Candidate(9, known, "")])
        assert (match.status, match.choices) == ("unmatched", ()), found


def test_a_shared_last_name_is_still_offered() -> None:
    # A nickname, a changed last name: for the coordinator, who may know them.
    for found, known in (("Peggy Smith", "Margaret Smith"), ("Amelie Gagnon", "Amélie Roy")):
        match = one(found, people=[Candidate(9, known, "")])
        assert chosen(match) == [9], found


def test_an_email_only_candidate_is_found_by_its_email_and_never_by_name() -> None:
    nadia = Candidate(9, "Nadia Participant", "nadia@example.org")
    by_email, by_name = match_people(
        [Found("N. P.", "NADIA@example.org "), Found("Nadia Participant", "")],
        PEOPLE,
        email_only=[nadia],
    )
    assert (by_email.status, by_email.person_id, by_email.confidence) == ("matched", 9, 100)
    assert (by_name.status, by_name.choices) == ("unmatched", ())
