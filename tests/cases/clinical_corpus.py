"""Clinical writing for measuring the de-identification gate: notes as nurses and doctors type them.

    .venv/bin/python tests/cases/clinical_corpus.py

writes tests/cases/corpus/clinical.jsonl (the same bytes on every run): one JSON
object per text, `{"id", "lang", "style", "split", "text", "identifiers":
[{"kind", "category", "class", "start", "end", "text"}]}`.

Four styles, in English and French: ALL-CAPS nursing notes full of vital signs
and shift times, lower-case chat-style messages, structured SBAR handovers, and
French family-medicine notes. 1,800 texts carry the identifiers issue 17 found
missed (each `class`: names in capitals or lower case, given names after a
relation, children listed in parentheses, bare names, dates without a year,
date ranges, ages over 89 in parentheses or between commas, addresses with a
direction, a unit or in European order, pagers, split and international
phones, U.S. SSNs) and 600 are clean: the same notes with none, dense with
what the gate used to flag (RR 18, 0700-1930, 10/5/40%, 450-500, blood gases,
doses, scales, drug names).

Names, streets and places come from Faker in ten locales (Canada's English and
French, and the languages of its larger communities), never from the lists the
gate ships. A quarter of the texts (`split: "heldout"`, chosen by a hash of the
id) are kept aside: tuning looks only at the others, and the benchmark reports
both.
"""

import hashlib
import json
import random
from collections.abc import Callable
from pathlib import Path

from faker import Faker

SEED = 20261204
IDENTIFIED_TEXTS = 1800
CLEAN_TEXTS = 600
OUTPUT = Path(__file__).resolve().parent / "corpus" / "clinical.jsonl"
LOCALES = [
    "en_CA",
    "fr_CA",
    "en_CA",
    "fr_CA",
    "en_US",
    "fr_FR",
    "es_MX",
    "pt_BR",
    "it_IT",
    "pl_PL",
    "vi_VN",
    "en_IN",
    "de_DE",
]
STYLES = ["caps_nursing", "chat", "sbar", "fr_family"]

# class -> (kind the gate should report, category the benchmark counts it under)
CLASSES: dict[str, tuple[str, str]] = {
    "name_caps": ("name", "name"),
    "name_lower": ("name", "name"),
    "relation_given": ("name", "name"),
    "children_listed": ("name", "name"),
    "bare_name": ("name", "name"),
    "date_no_year": ("date", "date"),
    "date_range": ("date", "date"),
    "age_over_89": ("age", "age"),
    "address_direction": ("address", "address"),
    "address_unit": ("address", "address"),
    "address_european": ("address", "address"),
    "pager": ("phone", "phone"),
    "phone_split": ("phone", "phone"),
    "phone_international": ("phone", "phone"),
    "ssn": ("sin", "structured"),
}

Seed = tuple[str, str]  # (class, text)
Piece = str | Seed

MONTHS_EN = [
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]  # fmt: skip
MONTHS_FR = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip
DIRECTIONS = ["N", "S", "E", "W", "O", "NE", "SW"]


class Writer:
    """Random pieces of clinical writing, in one language."""

    def __init__(self, rng: random.Random, lang: str) -> None:
        self.rng = rng
        self.lang = lang
        self.fakers = {loc: Faker(loc) for loc in dict.fromkeys(LOCALES)}
        for faker in self.fakers.values():
            faker.seed_instance(rng.randrange(10**9))

    def faker(self) -> Faker:
        if self.lang == "fr" and self.rng.random() < 0.6:
            return self.fakers["fr_CA"]
        return self.fakers[self.rng.choice(LOCALES)]

    def given(self) -> str:
        return str(self.faker().first_name())

    def surname(self) -> str:
        return str(self.faker().last_name()).split()[0]

    def pick(self, *options: str) -> str:
        return self.rng.choice(options)

    def n(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    # --- Clinical notation: never an identifier --------------------------------

    def vitals(self) -> str:
        n = self.n
        parts = [
            f"RR {n(12, 28)}",
            f"HR {n(55, 120)}",
            f"BP {n(90, 170)}/{n(50, 95)}",
            f"SpO2 {n(86, 99)}% on {n(1, 4)}L NP",
            f"T {n(36, 38)}.{n(0, 9)}",
            f"GCS {n(9, 15)}",
            f"BG {n(4, 14)}.{n(0, 9)}",
            f"PPS {self.pick('30', '40', '50', '60')}%",
            f"pain {n(0, 10)}/10",
            f"ESAS pain {n(0, 10)}, nausea {n(0, 10)}",
            f"I/O {n(600, 2000)}/{n(300, 1500)}",
            f"wt {n(40, 95)}.{n(0, 9)} kg",
            f"Na {n(125, 145)}, K {n(3, 5)}.{n(0, 9)}",
        ]
        self.rng.shuffle(parts)
        return ", ".join(parts[: n(3, 6)])

    def orders(self) -> str:
        n = self.n
        drug = self.pick(
            "hydromorphone", "morphine", "Dilaudid", "Haldol", "midazolam", "Ativan",
            "Lasix", "dexamethasone", "metoclopramide", "Tylenol", "glycopyrrolate",
        )  # fmt: skip
        return self.pick(
            f"{drug} {n(1, 10) / 2:g} mg SC q{self.pick('1', '2', '4', '6')}h PRN",
            f"{drug} {n(1, 20)} mg PO BID",
            f"NS @ {n(20, 125)} mL/h",
            f"CSCI {drug} {n(1, 30)} mg/24h",
            f"{drug} {n(1, 10)} mg SL q{n(1, 4)}h PRN, max {n(3, 8)} doses/24h",
        )

    def settings(self) -> str:
        n = self.n
        return self.pick(
            f"vent {n(8, 14)}/{n(5, 10)}/{self.pick('30', '40', '50', '60')}%",
            f"TV {n(4, 5)}50-{n(5, 6)}00",
            f"ABG 7.{n(25, 45)}/{n(35, 60)}/{n(55, 95)}/{n(18, 30)}",
            f"BiPAP {n(10, 16)}/{n(4, 8)}",
            f"O2 {n(1, 6)}-{n(6, 10)} L/min",
            f"target SpO2 {n(88, 92)}-{n(93, 96)}%",
        )

    def shift(self) -> str:
        return self.pick("0700-1930", "1900-0730", "0730-1530", "2300-0700", "07h-19h30")

    def clean_sentence(self) -> str:
        fr = self.lang == "fr"
        n = self.n
        options = [
            f"{'SV' if fr else 'VS'}: {self.vitals()}.",
            f"{'Rx' if fr else 'Meds'}: {self.orders()}.",
            f"{self.settings()}.",
            f"{'Quart' if fr else 'Shift'} {self.shift()}, "
            f"{'sans incident' if fr else 'uneventful'}.",
            f"{'Tournée q2h, Braden' if fr else 'Turned q2h, Braden'} {n(9, 18)}.",
            f"{'CAM négatif' if fr else 'CAM negative'}, RASS {self.pick('0', '-1', '-2', '+1')}.",
            f"{'Foley en place, urine' if fr else 'Foley in situ, urine'} {n(20, 80)} mL/h.",
            f"{'Lit' if fr else 'Bed'} {n(1, 40)}, {'chambre' if fr else 'room'} {n(100, 450)}.",
            f"{'Revu avec Dr de garde' if fr else 'Reviewed with Dr on call'}, {self.orders()}.",
            f"{'Famille au chevet' if fr else 'Family at bedside'} {self.shift()}.",
            f"{'Poids' if fr else 'Weight'} {n(40, 95)} kg, {'IMC' if fr else 'BMI'} {n(15, 30)}.",
            f"PPS {self.pick('30', '40', '50')}% → {self.pick('20', '30')}%.",
        ]
        return self.rng.choice(options)

    # --- Identifiers, one class each --------------------------------------------

    def title(self) -> str:
        if self.lang == "fr":
            return self.pick("Dr", "Dre", "M.", "Mme", "docteur", "madame")
        return self.pick("Dr", "Dr.", "Mrs", "Mrs.", "Mr.", "Ms", "Nurse")

    def titled(self, given: str, surname: str) -> tuple[str, str]:
        """A title and a surname, or no title and a full name."""
        if self.rng.random() < 0.5:
            return f"{self.title()} ", surname
        return "", f"{given} {surname}"

    def seeded(self, cls: str) -> list[Piece]:
        fr = self.lang == "fr"
        given, surname = self.given(), self.surname()
        n = self.n
        if cls == "name_caps":
            # A title is not part of the name: "DR [JONES]", as the other corpus seeds it.
            title, name = self.titled(given, surname)
            title, name = title.upper(), name.upper()
            if fr:
                lead = self.pick("Vu par ", "Appel de ", "")
                return [lead + title, (cls, name), self.pick(" ce matin.", ".")]
            lead = self.pick("Seen by ", "Called ", "Patient ", "Pt ", "")
            return [lead + title, (cls, name), self.pick(" today.", " re pain.", ".")]
        if cls == "name_lower":
            title, name = self.titled(given, surname)
            title, name = title.lower(), name.lower()
            if fr:
                rest = self.pick(" ce matin.", " pour la médication.")
                return ["parlé avec " + title, (cls, name), rest]
            rest = self.pick(" re goals of care.", " about meds.")
            return ["spoke w " + title, (cls, name), rest]
        if cls == "relation_given":
            relation = (
                self.pick("Fils", "Fille", "Son épouse", "Sa fille aînée", "Son conjoint")
                if fr
                else self.pick("Son", "Daughter", "Her eldest daughter", "His wife", "Brother")
            )
            rest = " visite tous les jours." if fr else " visits daily."
            return [f"{relation} ", (cls, given), rest]
        if cls == "children_listed":
            first, second = self.given(), self.given()
            lead = "A deux enfants (" if fr else "Has two children ("
            return [lead, (cls, first), ", ", (cls, second), ")."]
        if cls == "bare_name":
            rest = (
                self.pick("est passé au bureau.", "a signé le consentement.")
                if fr
                else self.pick(
                    "called about the refill.", "will come Tuesday.", "signed the consent."
                )
            )
            return [(cls, f"{given} {surname}"), " " + rest]
        if cls == "date_no_year":
            month = n(1, 12)
            day = n(1, 28)
            date = (
                self.pick(f"{day}/{month}", f"{day} {MONTHS_FR[month - 1]}")
                if fr
                else self.pick(
                    f"{month}/{day}",
                    f"{MONTHS_EN[month - 1]} {day}",
                    f"{MONTHS_EN[month - 1]} {day}th",
                )
            )
            lead = self.pick("Vue ", "Vue le ") if fr else "Seen on "
            return [lead, (cls, date), ", suivi prévu." if fr else ", follow-up booked."]
        if cls == "date_range":
            month, day = n(1, 12), n(1, 20)
            span = (
                f"du {day} au {day + n(2, 7)} {MONTHS_FR[month - 1]} 2026"
                if fr
                else f"{MONTHS_EN[month - 1]} {day}-{day + n(2, 7)}, 2026"
            )
            lead = "Hospitalisé " if fr else "Admitted "
            return [lead, (cls, span), "."]
        if cls == "age_over_89":
            age = str(n(90, 104))
            if self.rng.random() < 0.5:
                return [
                    f"{self.title()} X (",
                    (cls, age),
                    ") " + ("vit seul." if fr else "lives alone."),
                ]
            return ["Pt, ", (cls, age), ", " + ("vit seule." if fr else "lives alone.")]
        if cls == "address_direction":
            street = str(self.fakers["en_CA"].street_name()).split()[0]
            address = (
                f"{n(1, 999)} rue {street} {self.pick('E', 'O', 'N', 'S')}"
                if fr
                else f"{n(1, 999)} {street} {self.pick('St', 'Ave', 'Rd')} {self.pick(*DIRECTIONS)}"
            )
            return ["Domicile: " if fr else "Lives at ", (cls, address), "."]
        if cls == "address_unit":
            street = str(self.fakers["en_CA"].street_name()).split()[0]
            address = (
                f"{n(1, 999)} rue {street}, app. {n(1, 40)}"
                if fr
                else f"{n(1, 999)} {street} St, Apt {n(1, 40)}{self.pick('', 'B', 'C')}"
            )
            return ["Adresse: " if fr else "Address ", (cls, address), "."]
        if cls == "address_european":
            street = str(self.fakers[self.pick("fr_FR", "de_DE", "it_IT")].street_name())
            return [
                "Ancienne adresse: " if fr else "Previously at ",
                (cls, f"{street} {n(1, 99)}"),
                ".",
            ]
        if cls == "pager":
            lead = (
                self.pick("bip ", "téléavertisseur ")
                if fr
                else self.pick("pager ", "page ", "beeper ")
            )
            return [lead, (cls, str(n(1000, 9999))), "."]
        if cls == "phone_split":
            phone = self.pick(
                f"({n(204, 905)}) {n(200, 999)} {n(1000, 9999)}",
                f"{n(204, 905)} {n(200, 999)} {n(1000, 9999)}",
            )
            return ["Cell de la fille " if fr else "Daughter's cell ", (cls, phone), "."]
        if cls == "phone_international":
            phone = self.pick(
                f"+33 6 {n(10, 99)} {n(10, 99)} {n(10, 99)} {n(10, 99)}",
                f"+44 20 {n(1000, 9999)} {n(1000, 9999)}",
                f"+91 {n(70000, 99999)} {n(10000, 99999)}",
                f"+52 55 {n(1000, 9999)} {n(1000, 9999)}",
            )
            return ["Fils à l'étranger: " if fr else "Son abroad: ", (cls, phone), "."]
        if cls == "ssn":
            ssn = f"{n(100, 665)}-{n(10, 99)}-{n(1000, 9999)}"
            return ["U.S. SSN ", (cls, ssn), " " + ("au dossier." if fr else "on file.")]
        raise ValueError(cls)


def frame(writer: Writer, style: str, middle: list[list[Piece]]) -> list[Piece]:
    """A note in `style`: clean clinical sentences around the `middle` sentences."""
    rng = writer.rng
    sentences: list[list[Piece]] = [[writer.clean_sentence()] for _ in range(rng.randint(3, 6))]
    for sentence in middle:
        sentences.insert(rng.randint(0, len(sentences)), sentence)
    if style == "sbar":
        labels = ["S: ", "B: ", "A: ", "R: "]
        pieces: list[Piece] = []
        for index, sentence in enumerate(sentences):
            if index < len(labels):
                pieces.append(("\n" if index else "") + labels[index])
            else:
                pieces.append(" ")
            pieces += sentence
        return pieces
    joined: list[Piece] = []
    for index, sentence in enumerate(sentences):
        if index:
            joined.append(" " if style != "caps_nursing" else "  ")
        joined += sentence
    return joined


def cased(pieces: list[Piece], style: str) -> list[Piece]:
    """ALL-CAPS notes are upper case throughout, chat lower case; each piece alone,
    so that offsets hold whatever a letter's case does to its length."""
    change: Callable[[str], str] = (
        str.upper if style == "caps_nursing" else str.lower if style == "chat" else str
    )
    out: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, tuple):
            cls, text = piece
            changed = change(text)
            out.append((cls, changed if len(changed) == len(text) else text))
        else:
            out.append(change(piece))
    return out


def build(record_id: str, writer: Writer, style: str, seeds: list[str]) -> dict[str, object]:
    pieces = cased(frame(writer, style, [writer.seeded(cls) for cls in seeds]), style)
    text, identifiers = "", []
    for piece in pieces:
        if isinstance(piece, tuple):
            cls, value = piece
            kind, category = CLASSES[cls]
            identifiers.append(
                {
                    "kind": kind,
                    "category": category,
                    "class": cls,
                    "start": len(text),
                    "end": len(text) + len(value),
                    "text": value,
                }
            )
            text += value
        else:
            text += piece
    split = "heldout" if hashlib.sha256(record_id.encode()).digest()[0] < 64 else "tune"
    return {
        "id": record_id,
        "lang": writer.lang,
        "style": style,
        "split": split,
        "text": text,
        "identifiers": identifiers,
    }


def generate() -> list[dict[str, object]]:
    rng = random.Random(SEED)  # noqa: S311  (test data, not secrets)
    writers = {lang: Writer(rng, lang) for lang in ("en", "fr")}
    classes = list(CLASSES)
    records = []
    for index in range(IDENTIFIED_TEXTS + CLEAN_TEXTS):
        style = STYLES[index % len(STYLES)]
        lang = (
            "fr" if style == "fr_family" or (style != "caps_nursing" and index % 3 == 0) else "en"
        )
        if index < IDENTIFIED_TEXTS:
            seeds = [classes[index % len(classes)], *rng.sample(classes, rng.randint(0, 2))]
        else:
            seeds = []
        records.append(build(f"clin-{index:04d}", writers[lang], style, seeds))
    return records


def load() -> list[dict[str, object]]:
    return [json.loads(line) for line in OUTPUT.read_text(encoding="utf-8").splitlines()]


def main() -> None:
    records = generate()
    OUTPUT.write_text(
        "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records),
        encoding="utf-8",
    )
    held = sum(1 for record in records if record["split"] == "heldout")
    print(f"{len(records)} texts ({held} held out) written to {OUTPUT}")


if __name__ == "__main__":
    main()
