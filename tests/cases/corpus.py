"""Synthetic palliative care case texts for the de-identification gate, with what is seeded in them.

    .venv/bin/python tests/cases/corpus.py

writes tests/cases/corpus/deidentify.jsonl (the same bytes on every run): one
JSON object per text, `{"id", "lang", "text", "identifiers": [{"kind",
"category", "start", "end", "text"}]}`. About half the texts are English and
half French; 540 carry identifiers of every kind the gate looks for (health
cards of all 13 jurisdictions with valid check digits where one is defined,
with and without a cue, written with spaces, dashes or neither; SIN, chart
numbers, other ids, phones, emails, web and IP addresses, postal codes, street
addresses, dates, dates of birth, ages over 89, names in all three forms), and
220 are clean: the same narrative with none, full of the clinical language that
looks like identifiers (scores, doses, vital signs, eponyms, places, ages up to
89, bare years).

Names come mostly from Faker's en_CA and fr_CA locales, a different source
from the lists the gate ships, so that name recall is measured honestly; a
fifth come from the shipped lists. The sentences themselves (openings, clean
clinical sentences, sentences carrying each kind of identifier, in English and
French) are in tests/cases/corpus/templates.json.
"""

import json
import random
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from faker import Faker

SEED = 20260301
IDENTIFIED_TEXTS = 540
CLEAN_TEXTS = 220
OUTPUT = Path(__file__).resolve().parent / "corpus" / "deidentify.jsonl"
NAMES_DIR = Path(__file__).resolve().parents[2] / "src" / "echohub" / "deidentify" / "names"

Seed = tuple[str, str]  # (kind, text) of one identifier
Piece = str | Seed
JURISDICTIONS = ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"]
KINDS = [
    "health_card",
    "sin",
    "mrn",
    "identifier",
    "phone",
    "email",
    "url",
    "ip",
    "postal_code",
    "address",
    "date",
    "birth_date",
    "age",
    "name",
]


def category(kind: str) -> str:
    return kind if kind in ("health_card", "name") else "structured"


# --- Check digits, written out here rather than taken from the gate ----------


def luhn_digit(digits: str) -> str:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def bc_phn(rng: random.Random) -> str:
    """BC: 9, 8 digits, then (11 - sum of weighted digits mod 11) mod 11; 10 is never issued."""
    while True:
        body = "".join(rng.choice("0123456789") for _ in range(8))
        total = sum(int(d) * w % 11 for d, w in zip(body, (2, 4, 8, 5, 10, 9, 7, 3), strict=True))
        check = (11 - total % 11) % 11
        if check < 10:
            return f"9{body}{check}"


def digits(rng: random.Random, count: int, first: str = "123456789") -> str:
    return rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(count - 1))


def grouped(number: str, sizes: list[int], style: str) -> str:
    if style == "none":
        return number
    parts, at = [], 0
    for size in sizes:
        parts.append(number[at : at + size])
        at += size
    return (" " if style == "spaces" else "-").join(parts)


def unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if c.isalpha() and c.isascii())


class Maker:
    """Everything random comes from one seeded `random.Random` and Faker seeded once."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)  # noqa: S311  (test data, not secrets)
        Faker.seed(SEED)
        self.fakers = {"en": Faker("en_CA"), "fr": Faker("fr_CA")}
        self.given = _shipped("given_names.txt")
        self.surnames = _shipped("surnames.txt")
        self.card_turn = 0

    def pick(self, options: list[str]) -> str:
        return self.rng.choice(options)

    # People -------------------------------------------------------------------

    def person(self, lang: str, female: bool | None = None) -> tuple[str, str]:
        if self.rng.random() < 0.2:
            return self.pick(self.given), self.pick(self.surnames)
        fake = self.fakers[lang]
        female = self.rng.random() < 0.6 if female is None else female
        first = fake.first_name_female() if female else fake.first_name_male()
        return first, fake.last_name()

    # Health cards -------------------------------------------------------------

    def health_card(self, jurisdiction: str, lang: str) -> str:
        rng = self.rng
        style = rng.choice(["spaces", "dashes", "none"])
        if jurisdiction == "BC":
            return grouped(bc_phn(rng), [4, 3, 3], style)
        if jurisdiction == "ON":
            body = digits(rng, 9)
            number = grouped(body + luhn_digit(body), [4, 3, 3], style)
            if rng.random() < 0.6:
                version = "".join(rng.choice("ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(2))
                number += {"spaces": " ", "dashes": "-", "none": ""}[style] + version
            return number
        if jurisdiction == "QC":
            first, last = self.person(lang)
            letters = (unaccented(last).upper() + "XXX")[:3] + unaccented(first).upper()[:1]
            month = rng.randint(1, 12) + (50 if rng.random() < 0.5 else 0)
            number = f"{letters}{rng.randint(0, 99):02d}{month:02d}{rng.randint(1, 28):02d}"
            return grouped(number + f"{rng.randint(10, 99)}", [4, 4, 4], style)
        if jurisdiction == "NT":
            letter = rng.choice("NDMTH")
            return letter + {"spaces": " ", "dashes": "-", "none": ""}[style] + digits(rng, 7)
        shapes = {
            "AB": (9, [5, 4]),
            "MB": (9, [3, 3, 3]),
            "SK": (9, [3, 3, 3]),
            "NB": (9, [3, 3, 3]),
            "NU": (9, [3, 3, 3]),
            "YT": (9, [3, 3, 3]),
            "NS": (10, [4, 3, 3]),
            "PE": (8, [4, 4]),
            "NL": (12, [3, 3, 3, 3]),
        }
        length, sizes = shapes[jurisdiction]
        first = "1" if jurisdiction == "NU" else "123456789"
        return grouped(digits(rng, length, first), sizes, style)

    def next_jurisdiction(self) -> str:
        self.card_turn += 1
        return JURISDICTIONS[self.card_turn % len(JURISDICTIONS)]

    # Other identifiers ---------------------------------------------------------

    def sin(self) -> str:
        body = self.rng.choice("1234567") + "".join(self.rng.choice("0123456789") for _ in range(7))
        number = body + luhn_digit(body)
        return grouped(number, [3, 3, 3], self.pick(["spaces", "dashes", "none"]))

    def mrn(self) -> str:
        rng = self.rng
        return rng.choice(
            [
                digits(rng, rng.randint(5, 8)),
                f"{rng.choice('ABHKMR')}{rng.randint(0, 99999):05d}",
                f"H-{rng.randint(10000, 99999)}",
                f"{rng.randint(2015, 2025)}-{rng.randint(0, 999999):06d}",
            ]
        )

    def other_id(self) -> str:
        rng = self.rng
        length = rng.randint(7, 12)
        number = digits(rng, length)
        if length in (8, 10, 12) and rng.random() < 0.5:
            half = length // 2
            return grouped(number, [half, length - half], rng.choice(["spaces", "dashes"]))
        return number

    def phone(self, lang: str) -> str:
        rng = self.rng
        area = self.pick(["604", "250", "403", "780", "306", "204", "416", "647", "613", "705"])
        area = self.pick([area, "514", "438", "418", "819", "450", "506", "902", "709", "867"])
        exchange, line = f"{rng.randint(200, 999)}", f"{rng.randint(0, 9999):04d}"
        form = rng.randrange(9)
        number = [
            f"({area}) {exchange}-{line}",
            f"{area}-{exchange}-{line}",
            f"{area}.{exchange}.{line}",
            f"+1 {area} {exchange} {line}",
            f"1-{self.pick(['800', '866', '888'])}-{exchange}-{line}",
            f"{area} {exchange} {line}",
            f"{area} {exchange}-{line}",
            f"{exchange}-{line}",
            f"({area}) {exchange}-{line}",
        ][form]
        if rng.random() < 0.15 and form != 7:
            number += f" {'poste' if lang == 'fr' else 'ext.'} {rng.randint(1, 9999)}"
        return number

    def email(self, lang: str) -> str:
        first, last = self.person(lang)
        user = unaccented(first).lower() + self.pick([".", "_", ""]) + unaccented(last).lower()
        if self.rng.random() < 0.3:
            user += str(self.rng.randint(1, 99))
        domain = self.pick(
            [
                *("gmail.com", "hotmail.com", "videotron.ca", "sympatico.ca", "shaw.ca"),
                *("yahoo.ca", "telus.net", "outlook.com", "cogeco.ca", "bell.net", "icloud.com"),
            ]
        )
        return f"{user}@{domain}"

    def url(self, lang: str) -> str:
        first, last = self.person(lang)
        slug = f"{unaccented(first).lower()}-{unaccented(last).lower()}"
        return self.pick(
            [
                f"https://www.facebook.com/{slug.replace('-', '.')}",
                f"www.legacy.com/ca/obituaries/{slug}",
                f"https://gofundme.com/f/help-{slug}",
                f"caringbridge.org/visit/{slug}",
                f"https://www.dignitymemorial.com/fr-ca/avis-de-deces/{slug}",
                f"{slug}.wordpress.com",
                f"http://{slug}.ca/famille",
            ]
        )

    def ip(self) -> str:
        rng = self.rng
        if rng.random() < 0.15:
            return f"2001:db8:{rng.randint(1, 0xFFFF):x}::{rng.randint(1, 0xFFFF):x}"
        return ".".join(
            str(part) for part in (rng.choice([10, 24, 142, 192, 206]), *rng.sample(range(256), 3))
        )

    def postal_code(self) -> str:
        first = "ABCEGHJKLMNPRSTVXY"
        rest = "ABCEGHJKLMNPRSTVWXYZ"
        rng = self.rng
        code = f"{rng.choice(first)}{rng.randint(0, 9)}{rng.choice(rest)}"
        tail = f"{rng.randint(0, 9)}{rng.choice(rest)}{rng.randint(0, 9)}"
        form = rng.randrange(6)
        if form == 0:
            return f"{code}{tail}"
        if form == 1:
            return f"{code}-{tail}".lower()
        return f"{code} {tail}"

    def address(self, lang: str) -> str:
        rng = self.rng
        number = str(rng.randint(1, 9999))
        _, street = self.person(lang)
        form = rng.randrange(8)
        if form == 0:
            return f"RR {rng.randint(1, 9)}" if lang == "en" else f"R.R. {rng.randint(1, 9)}"
        if form == 1:
            return (
                f"PO Box {rng.randint(1, 999)}" if lang == "en" else f"C.P. {rng.randint(1, 999)}"
            )
        unit = ""
        if form == 2:
            unit = self.pick([f"apt {rng.randint(1, 40)}, ", f"#{rng.randint(101, 1800)}-"])
            unit = unit if lang == "en" else f"app. {rng.randint(1, 40)}, "
        if lang == "en":
            kind = self.pick(["Street", "St", "Avenue", "Ave", "Road", "Rd", "Drive", "Crescent"])
            kind = self.pick([kind, "Boulevard", "Lane", "Court", "Way", "Place"])
            direction = self.pick(["", "", "", " W", " E", " North"])
            return f"{unit}{number} {street} {kind}{direction}"
        kind = self.pick(["rue", "avenue", "boulevard", "chemin", "rang", "place", "montée"])
        particle = self.pick(["", "", "", "du ", "de la ", "des "])
        place = self.pick(["Lac", "Moulin", "Rivière", "Pins", "Érables", "Église"])
        name = place if particle else self.pick([street, f"Saint-{self.person(lang)[0]}"])
        comma = self.pick(["", ","])
        direction = self.pick(["", "", " Ouest", " Est"])
        return f"{unit}{number}{comma} {kind} {particle}{name}{direction}"

    def date(self, lang: str, birth: bool = False) -> str:
        rng = self.rng
        year = rng.randint(1925, 1962) if birth else rng.randint(2019, 2025)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        en_months = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ]
        fr_months = [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ]
        iso = f"{year}-{month:02d}-{day:02d}"
        numeric = [iso, f"{day:02d}/{month:02d}/{year}", f"{month}/{day}/{str(year)[2:]}"]
        if lang == "en":
            name = en_months[month - 1]
            short = name[:3]
            suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(day, "th")
            dotted = short if short == name else f"{short}."
            words = [f"{name} {day}, {year}", f"{day} {name} {year}", f"{dotted} {day}, {year}"]
            words += [f"{day}-{short}-{year}"]
            if not birth:
                words += [f"{name} {day}", f"{short} {day}{suffix}", f"{name} {year}"]
        else:
            name = fr_months[month - 1]
            first = "1er" if day == 1 else str(day)
            words = [f"{first} {name} {year}", f"{day} {name} {year}"]
            if not birth:
                words += [f"{first} {name}", f"{name} {year}"]
        return rng.choice(numeric + words + words)

    def old_age(self, lang: str) -> str:
        age = self.rng.randint(90, 104)
        if lang == "en":
            return self.pick([f"{age}-year-old", f"{age} y/o", f"{age} yo", f"{age} years old"])
        return f"{age} ans"


def _shipped(filename: str) -> list[str]:
    lines = (NAMES_DIR / filename).read_text(encoding="utf-8").splitlines()
    return sorted(line for line in lines if line and not line.startswith("#"))


# --- The narrative ------------------------------------------------------------

# The sentences the texts are made of, English and French, live beside the corpus.
TEMPLATES = json.loads((OUTPUT.parent / "templates.json").read_text(encoding="utf-8"))
VOCAB: dict[str, dict[str, list[str]]] = TEMPLATES["vocabulary"]
OPENINGS: dict[str, list[str]] = TEMPLATES["openings"]
CLEAN: dict[str, list[str]] = TEMPLATES["clean"]
QUESTIONS: dict[str, list[str]] = TEMPLATES["questions"]
CARD_CUES: dict[str, dict[str, list[str]]] = TEMPLATES["card_cues"]
CARD_SENTENCES: dict[str, list[str]] = TEMPLATES["card_sentences"]
# Without a cue: the gate must still flag the number.
BARE_CARD_SENTENCES: dict[str, list[str]] = TEMPLATES["bare_card_sentences"]
SENTENCES: dict[str, dict[str, list[str]]] = TEMPLATES["sentences"]
NAME_SENTENCES: dict[str, dict[str, list[str]]] = TEMPLATES["name_sentences"]


class Text:
    """A text being written, with the exact offsets of what was seeded in it."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.parts: list[str] = []
        self.length = 0
        self.seeds: list[dict[str, object]] = []

    def write(self, pieces: list[Piece]) -> None:
        for piece in pieces:
            if isinstance(piece, tuple):
                kind, value = piece
                self.seeds.append(
                    {
                        "kind": kind,
                        "category": category(kind),
                        "start": self.length,
                        "end": self.length + len(value),
                        "text": value,
                    }
                )
            else:
                value = piece
            self.parts.append(value)
            self.length += len(value)

    @property
    def text(self) -> str:
        return "".join(self.parts)


Slot = Callable[[], Piece]


def fill(template: str, slots: dict[str, Slot]) -> list[Piece]:
    """Split a template on its {slots} and fill each one (a string, or a seeded identifier)."""
    pieces: list[Piece] = []
    for part in re.split(r"(\{\w+\})", template):
        if part.startswith("{") and part.endswith("}"):
            pieces.append(slots[part[1:-1]]())
        elif part:
            pieces.append(part)
    return pieces


def vocab_slots(maker: Maker, lang: str) -> dict[str, Slot]:
    words = VOCAB[lang]
    return {key: (lambda key=key: maker.pick(words[key])) for key in words}


def identifier_sentence(maker: Maker, lang: str, kind: str) -> list[Piece]:
    slots = vocab_slots(maker, lang)
    if kind == "health_card":
        jurisdiction = maker.next_jurisdiction()
        number = maker.health_card(jurisdiction, lang)
        slots["id"] = lambda: ("health_card", number)
        if maker.rng.random() < 0.6:
            slots["cue"] = lambda: maker.pick(CARD_CUES[lang][jurisdiction])
            return fill(maker.pick(CARD_SENTENCES[lang]), slots)
        return fill(maker.pick(BARE_CARD_SENTENCES[lang]), slots)
    if kind == "name":
        return name_sentence(maker, lang, slots)
    makers: dict[str, Callable[[], str]] = {
        "sin": maker.sin,
        "mrn": maker.mrn,
        "identifier": maker.other_id,
        "phone": lambda: maker.phone(lang),
        "email": lambda: maker.email(lang),
        "url": lambda: maker.url(lang),
        "ip": maker.ip,
        "postal_code": maker.postal_code,
        "address": lambda: maker.address(lang),
        "date": lambda: maker.date(lang),
        "birth_date": lambda: maker.date(lang, birth=True),
        "age": lambda: maker.old_age(lang),
    }
    slots["id"] = lambda: (kind, makers[kind]())
    slots["n"] = lambda: ("age", str(maker.rng.randint(90, 104)))
    return fill(maker.pick(SENTENCES[kind][lang]), slots)


def name_sentence(maker: Maker, lang: str, slots: dict[str, Slot]) -> list[Piece]:
    form = maker.pick(["cue", "cue", "last_first", "pair"])
    template = maker.pick(NAME_SENTENCES[form][lang])
    first, last = maker.person(lang, female="Mrs." in template or "Mme" in template or None)
    if form == "last_first":
        last = last.upper() if "{LAST}" in template else last
        template = template.replace("{LAST}", "{last}")
        slots["name"] = lambda: ("name", f"{last}, {first}")
        return fill(template.replace("{last}, {first}", "{name}"), slots)
    if "{first} {last}" in template:
        slots["name"] = lambda: ("name", f"{first} {last}")
        return fill(template.replace("{first} {last}", "{name}"), slots)
    slots["first"] = lambda: ("name", first)
    slots["last"] = lambda: ("name", last)
    return fill(template, slots)


def opening(maker: Maker, lang: str, old: bool) -> list[Piece]:
    slots = vocab_slots(maker, lang)
    if old:
        slots["age"] = lambda: ("age", maker.old_age(lang))
    else:
        age = maker.rng.randint(38, 89)
        slots["age"] = lambda: f"{age}-year-old" if lang == "en" else f"{age} ans"
    return fill(maker.pick(OPENINGS[lang]), slots)


def case_text(maker: Maker, lang: str, kinds: list[str]) -> Text:
    rng = maker.rng
    target = rng.randint(420, 1250)
    sentences: list[list[Piece]] = []
    old = "age" in kinds and rng.random() < 0.5
    seeded = [kind for kind in kinds if not (kind == "age" and old)]
    for kind in seeded:
        sentences.append(identifier_sentence(maker, lang, kind))
    clean = rng.sample(CLEAN[lang], k=len(CLEAN[lang]))
    slots = vocab_slots(maker, lang)
    length = sum(len(p if isinstance(p, str) else p[1]) + 1 for s in sentences for p in s)
    while clean and length < target:
        sentence = fill(clean.pop(), slots)
        sentences.append(sentence)
        length += sum(len(p if isinstance(p, str) else p[1]) for p in sentence) + 1
    rng.shuffle(sentences)
    text = Text(lang)
    text.write(opening(maker, lang, old))
    for sentence in sentences:
        text.write([" ", *sentence])
    text.write([" ", maker.pick(QUESTIONS[lang])])
    return text


def build() -> list[dict[str, object]]:
    maker = Maker()
    rng = maker.rng
    records: list[dict[str, object]] = []
    for index in range(IDENTIFIED_TEXTS + CLEAN_TEXTS):
        lang = "en" if index % 2 == 0 else "fr"
        if index < IDENTIFIED_TEXTS:
            # Every kind in turn, plus a few drawn at random; a health card in about half.
            kinds = sorted({KINDS[index % len(KINDS)], *rng.sample(KINDS, k=rng.randint(1, 4))})
            # Health cards and names, the hardest, come more often; names sometimes twice.
            if rng.random() < 0.35 and "health_card" not in kinds:
                kinds.append("health_card")
            if rng.random() < 0.45:
                kinds += ["name"] * rng.randint(1, 2)
            text = case_text(maker, lang, kinds)
            prefix = "id"
        else:
            text = case_text(maker, lang, [])
            prefix = "clean"
        body = text.text
        for seed in text.seeds:
            assert body[seed["start"] : seed["end"]] == seed["text"]  # type: ignore[misc]
        records.append(
            {"id": f"{prefix}-{index:04d}", "lang": lang, "text": body, "identifiers": text.seeds}
        )
    return records


def load() -> list[dict[str, object]]:
    """The committed corpus, as the tests and the benchmark read it."""
    with OUTPUT.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def main() -> None:
    records = build()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", encoding="utf-8", newline="\n") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    seeded = sum(len(record["identifiers"]) for record in records)  # type: ignore[arg-type]
    print(f"{len(records)} texts, {seeded} seeded identifiers -> {OUTPUT}")


if __name__ == "__main__":
    main()
