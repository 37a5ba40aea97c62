"""The de-identification gate: exact findings per kind, in English and French, and on the corpus.

These tests need no database. Every case states the exact findings expected,
offsets included (computed from the fragments, in order, so that a reader sees
the words rather than numbers).
"""

import itertools
import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from echohub.deidentify import KIND_LABELS, Finding, scan
from tests.cases import corpus


def found(text: str, *expected: tuple[str, str]) -> list[Finding]:
    """The findings `expected` names, as (kind, fragment) in the order they appear in `text`."""
    findings, at = [], 0
    for kind, fragment in expected:
        start = text.index(fragment, at)
        findings.append(Finding(kind, start, start + len(fragment), fragment))
        at = start + len(fragment)
    return findings


def check(text: str, expected: list[tuple[str, str]]) -> None:
    assert scan(text) == found(text, *expected)


HEALTH_CARDS = [
    # British Columbia: MOD 11 check digit, with or without a cue, any separators.
    ("BC PHN 9698 658 215 on the referral.", [("health_card", "9698 658 215")]),
    ("Number on the form: 9698-658-215.", [("health_card", "9698-658-215")]),
    ("Numéro copié : 9698658215.", [("health_card", "9698658215")]),
    # Ontario: Luhn over ten digits, optional two-letter version code.
    ("OHIP 1234-567-897-AB, card expired.", [("health_card", "1234-567-897-AB")]),
    ("Her card reads 1234 567 897 AB.", [("health_card", "1234 567 897 AB")]),
    ("Ontario health card 1234567897.", [("health_card", "1234567897")]),
    # Quebec: RAMQ's four letters, birth date digits (month + 50 for women) and two more.
    ("Carte soleil TREM 5405 1512.", [("health_card", "TREM 5405 1512")]),
    ("NAM : GAGM52561234 au dossier.", [("health_card", "GAGM52561234")]),
    ("Referral lists TREM-5405-1512.", [("health_card", "TREM-5405-1512")]),
    # Provinces without a published check digit: a cue makes it a health card.
    ("Alberta Health Care number 12345-6789.", [("health_card", "12345-6789")]),
    ("Manitoba Health PHIN 123 456 789.", [("health_card", "123 456 789")]),
    ("Saskatchewan HSN 987654321.", [("health_card", "987654321")]),
    ("NB Medicare number 123-456-789.", [("health_card", "123-456-789")]),
    ("MSI number 1234 567 890 (Nova Scotia).", [("health_card", "1234 567 890")]),
    ("PEI health card 1234 5678.", [("health_card", "1234 5678")]),
    ("MCP number 123 456 789 012.", [("health_card", "123 456 789 012")]),
    ("NWT health care number N1234567.", [("health_card", "N1234567")]),
    ("Carte santé du Nunavut 123 456 780.", [("health_card", "123 456 780")]),
    ("Yukon health care card 123-456-780.", [("health_card", "123-456-780")]),
    ("Numéro d'assurance maladie de l'Alberta 12345 6789.", [("health_card", "12345 6789")]),
    ("Carte d'assurance-maladie du N.-B. 838206223.", [("health_card", "838206223")]),
    ("Sa carte santé (Î.-P.-É.) 8765 4321.", [("health_card", "8765 4321")]),
    # Without a cue or a check digit, a card number is still caught as an identifier.
    ("Invalid BC check digit: 9698 658 216.", [("identifier", "9698 658 216")]),
    ("Number from the header: 12345-6789.", [("identifier", "12345-6789")]),
    ("Formulaire rempli (D1234567).", [("identifier", "D1234567")]),
    ("Pharmacy label 123 456 789 012.", [("identifier", "123 456 789 012")]),
    ("Numéro 1234 5678 sur l'étiquette.", [("identifier", "1234 5678")]),
    # Version letters belong to a ten-digit Ontario number only.
    ("Label 12345678 AB printed.", [("identifier", "12345678")]),
]

OTHER_NUMBERS = [
    ("His SIN 046 454 286 is needed.", [("sin", "046 454 286")]),
    ("Son NAS 046-454-286 est requis.", [("sin", "046-454-286")]),
    ("Form lists 046454286 as his number.", [("sin", "046454286")]),
    ("Social insurance number: 123 456 782.", [("sin", "123 456 782")]),
    # Nine digits that fail Luhn are not a SIN, but still an identifier.
    ("Form lists 123 456 789 as his number.", [("identifier", "123 456 789")]),
    ("MRN 483920.", [("mrn", "483920")]),
    ("MRN: A00123, bed 4.", [("mrn", "A00123")]),
    ("Chart # 0045123 at the referring hospital.", [("mrn", "0045123")]),
    ("Hospital number: 778812.", [("mrn", "778812")]),
    ("Patient ID 99812 in the regional system.", [("mrn", "99812")]),
    ("No de dossier 556677.", [("mrn", "556677")]),
    ("Dossier n° H-20331 à l'hôpital référent.", [("mrn", "H-20331")]),
    ("Numéro de dossier : 2021-004512.", [("mrn", "2021-004512")]),
    ("The lab requisition 58392011 was lost.", [("identifier", "58392011")]),
    ("WSIB claim 4412098 is open.", [("identifier", "4412098")]),
    ("Réclamation CNESST 2240-1187 ouverte.", [("identifier", "2240-1187")]),
    ("Referral 240311-0042 received.", [("identifier", "240311-0042")]),
]

PHONES = [
    ("Call (604) 555-0199 ext. 123 before visiting.", [("phone", "(604) 555-0199 ext. 123")]),
    ("Her daughter: 604-555-0199.", [("phone", "604-555-0199")]),
    ("Cell 604.555.0199 (son).", [("phone", "604.555.0199")]),
    ("From abroad: +1 604 555 0199.", [("phone", "+1 604 555 0199")]),
    ("Home care line 1-800-555-0199 answers 24/7.", [("phone", "1-800-555-0199")]),
    ("Fax: 613 555 0123.", [("phone", "613 555 0123")]),
    ("Local number 555-0199 only.", [("phone", "555-0199")]),
    ("Tél. : 514 555-0199 poste 204.", [("phone", "514 555-0199 poste 204")]),
    ("Téléc. 418-555-0123.", [("phone", "418-555-0123")]),
    ("Tél. 5550199, le soir.", [("phone", "5550199")]),
]

CONTACTS = [
    (
        "Send it to marie.tremblay54@videotron.ca please.",
        [("email", "marie.tremblay54@videotron.ca")],
    ),
    ("Courriel : jf_cote@hotmail.com.", [("email", "jf_cote@hotmail.com")]),
    (
        "Fundraiser at https://www.gofundme.com/f/help-marie.",
        [("url", "https://www.gofundme.com/f/help-marie")],
    ),
    (
        "Updates on www.caringbridge.org/visit/jdoe, daily.",
        [("url", "www.caringbridge.org/visit/jdoe")],
    ),
    ("Blog: famille-tremblay.ca/nouvelles.", [("url", "famille-tremblay.ca/nouvelles")]),
    ("Connecting from 192.168.10.254 at home.", [("ip", "192.168.10.254")]),
    (
        "Adresse IP 2001:db8:85a3::8a2e:370:7334 enregistrée.",
        [("ip", "2001:db8:85a3::8a2e:370:7334")],
    ),
    ("They live in Montréal, H2X 1Y4.", [("postal_code", "H2X 1Y4")]),
    ("Code postal h2x1y4.", [("postal_code", "h2x1y4")]),
    ("Postal code a1a-1a1 on file.", [("postal_code", "a1a-1a1")]),
    # Calgary's T2N codes are postal codes when written as one.
    ("Mailing code T2N 0M1.", [("postal_code", "T2N 0M1")]),
]

ADDRESSES = [
    ("She lives at 123 Main Street with her son.", [("address", "123 Main Street")]),
    ("Elle habite au 45 rue Saint-Denis.", [("address", "45 rue Saint-Denis")]),
    (
        "Bureau au 1200, boulevard René-Lévesque Ouest.",
        [("address", "1200, boulevard René-Lévesque Ouest")],
    ),
    ("Mailing address: apt 4, 12 King St W.", [("address", "apt 4, 12 King St W")]),
    ("Home visit at #203-45 Elm Crescent on Friday.", [("address", "#203-45 Elm Crescent")]),
    ("Le chalet est au 12 chemin du Lac.", [("address", "12 chemin du Lac")]),
    ("They get mail at RR 2, near Kemptville.", [("address", "RR 2")]),
    ("Adresse : R.R. 9.", [("address", "R.R. 9")]),
    ("Mail goes to PO Box 45 in town.", [("address", "PO Box 45")]),
    ("Courrier à C.P. 45, succursale B.", [("address", "C.P. 45")]),
]

DATES = [
    ("Admitted on March 3, 2024 for pain.", [("date", "March 3, 2024")]),
    ("Seen 3 March 2024 in clinic.", [("date", "3 March 2024")]),
    ("CT of 2024-03-03 showed lesions.", [("date", "2024-03-03")]),
    ("Last dose 03/03/2024.", [("date", "03/03/2024")]),
    ("Fell on 3/3/24.", [("date", "3/3/24")]),
    ("Discharged Mar 3rd.", [("date", "Mar 3rd")]),
    ("Admise le 3 mars 2024.", [("date", "3 mars 2024")]),
    ("Chimiothérapie le 1er avril 2023.", [("date", "1er avril 2023")]),
    ("Vue le 3 mars en clinique.", [("date", "3 mars")]),
    ("Diagnosed in March 2024.", [("date", "March 2024")]),
    ("Diagnostic en mars 2024.", [("date", "mars 2024")]),
    ("Scan on 12-Jul-2023.", [("date", "12-Jul-2023")]),
    ("Seen Monday, May 6 at home.", [("date", "May 6")]),
]

BIRTH_DATES = [
    ("DOB 1941-07-12.", [("birth_date", "1941-07-12")]),
    ("D.O.B.: 12/07/1941", [("birth_date", "12/07/1941")]),
    ("d.o.b. 12-Jul-1941, widowed.", [("birth_date", "12-Jul-1941")]),
    ("Born March 3, 1931 in Gaspé.", [("birth_date", "March 3, 1931")]),
    ("Née le 3 mars 1931 à Rimouski.", [("birth_date", "3 mars 1931")]),
    ("Né(e) le 1er avril 1940.", [("birth_date", "1er avril 1940")]),
    ("Date de naissance : 1941-07-12.", [("birth_date", "1941-07-12")]),
    ("Date of birth: 7/12/41.", [("birth_date", "7/12/41")]),
    ("DOB 12-Jul-41, widowed.", [("birth_date", "12-Jul-41")]),
]

AGES = [
    ("A 92-year-old woman with COPD.", [("age", "92-year-old")]),
    ("Her husband, aged 94, cares for her.", [("age", "94")]),
    ("94 y/o man, PPS 30%.", [("age", "94 y/o")]),
    ("She is 95 yo and lives alone.", [("age", "95 yo")]),
    ("He turned 96 last month.", [("age", "96")]),
    ("Patiente de 94 ans.", [("age", "94 ans")]),
    ("Son mari, âgé de 91 ans, est le proche aidant.", [("age", "91 ans")]),
    ("Elle est âgée de 100 ans.", [("age", "100 ans")]),
    ("She is in her nineties and frail.", [("age", "in her nineties")]),
    ("90-year-old man.", [("age", "90-year-old")]),
    ("She is ninety-three and sharp.", [("age", "ninety-three")]),
    # 89 and under are allowed.
    ("An 89-year-old woman, aged 89.", []),
    ("Patiente de 89 ans.", []),
]

NAMES = [
    # After a title (any capitalized word) or a role.
    ("Mrs. Gisèle Tremblay asked us to present.", [("name", "Gisèle Tremblay")]),
    ("Dr. Okafor is the family physician.", [("name", "Okafor")]),
    ("Mme Ghislaine Lévesque a accepté.", [("name", "Ghislaine Lévesque")]),
    ("M. Jean-Guy Côté a été vu.", [("name", "Jean-Guy Côté")]),
    ("La Dre Vasquez la suit.", [("name", "Vasquez")]),
    ("M. de Grandpré décline.", [("name", "de Grandpré")]),
    ("Her daughter Brittany stays overnight.", [("name", "Brittany")]),
    ("His wife, Louise, is exhausted.", [("name", "Louise")]),
    ("Her son Kristopher lives in Alberta.", [("name", "Kristopher")]),
    ("Sa fille Josée dort à la maison.", [("name", "Josée")]),
    ("Son fils Réjean habite en Alberta.", [("name", "Réjean")]),
    ("Son conjoint, Normand, est épuisé.", [("name", "Normand")]),
    # "Last, First", also with the surname in capitals.
    ("Patient: Tremblay, Marie.", [("name", "Tremblay, Marie")]),
    ("Referral for Wilcox, Ryan received.", [("name", "Wilcox, Ryan")]),
    ("Objet : GAGNON, Sylvie.", [("name", "GAGNON, Sylvie")]),
    ("Nom : Bouchard, Marc-André.", [("name", "Bouchard, Marc-André")]),
    # Pairs where the given name or the surname is on the shipped lists.
    ("Marie Tremblay is well known to our team.", [("name", "Marie Tremblay")]),
    ("We spoke with Ryan Gallagher about the plan.", [("name", "Ryan Gallagher")]),
    ("Nous avons parlé avec Sébastien Ouellet.", [("name", "Sébastien Ouellet")]),
    (
        "Visite avec Geneviève Bergeron-Pelletier, infirmière.",
        [("name", "Geneviève Bergeron-Pelletier")],
    ),
    ("Seen by Marie J. Tremblay, NP.", [("name", "Marie J. Tremblay")]),
    ("Kwame Okafor's daughter called.", [("name", "Kwame Okafor")]),
    ("Discussed with Marie TREMBLAY.", [("name", "Marie TREMBLAY")]),
    ("Pt: J. Smith, on the unit.", [("name", "J. Smith")]),
    # A given name in brackets after the surname belongs to the name.
    ("Mrs Smith (Ethel) came with her.", [("name", "Smith (Ethel)")]),
    ("Le patient, M. Lavoie (Jean-Pierre), est arrivé.", [("name", "Lavoie (Jean-Pierre)")]),
    # Places of care named after people are not people.
    ("Seen at the Joseph Brant Hospital.", []),
    ("Pris à la pharmacie Jean Coutu.", []),
    # Placeholders, lone given names and sentence openers are not names.
    ("Mme X was seen; Mr. A is next and Patient B waits.", []),
    ("Marie visited yesterday. Today Marie stayed home.", []),
]

# Ordinary palliative care language, English and French: no finding at all.
FALSE_ALARMS = [
    "PPS 40%",
    "ESAS 7/10",
    "morphine 2.5 mg SC q4h PRN",
    "day 3 of admission",
    "Parkinson's disease",
    "Cheyne-Stokes",
    "Dr. on call",
    "Alzheimer's",
    "Crohn's disease",
    "Hodgkin lymphoma",
    "Foley catheter",
    "Glasgow Coma Scale",
    "Edmonton Symptom Assessment System",
    "Palliative Performance Scale",
    "Montreal Cognitive Assessment",
    "Tylenol",
    "Dilaudid",
    "hydromorphone 1 mg subcut q1h",
    "O2 2 L/min",
    "BP 110/70",
    "HR 96",
    "SpO2 91%",
    "eGFR 28",
    "Hb 84 g/L",
    "Na 128",
    "ECOG 3",
    "CAGE",
    "the patient's daughter",
    "la fille de la patiente",
    "Mme X",
    "Mr. A",
    "Patient B",
    "weeks 2–3",
    "2 weeks ago",
    "in 2019",
    "q6h",
    "BID",
    "TID",
    "ICU",
    "CHF",
    "COPD",
    "ALS",
    "HIV",
    "Saint John's wort",
    "St. Joseph's",
    "Health Canada",
    "Ontario",
    "Québec",
    "Sherbrooke",
    "Jesus",
    "God",
    "Allah",
    "Ramadan",
    "Pain was controlled",
    "Family is Catholic",
    "Vital signs: BP 110/70, HR 96, RR 18, SpO2 91% on O2 2 L/min.",
    "Metastatic breast cancer, T2N1M0 at diagnosis.",
    "Lou Gehrig's disease in his brother.",
    "Moved from Prince George to Sault Ste. Marie in 2019.",
    "Transferred from the Royal Victoria Hospital to Victoria Hospice.",
    "Her pain crisis protocol was used at 14:30:00 yesterday.",
    "Viral load 1500000 copies/mL.",
    "Funeral costs of 12 500 000 $ were quoted in error.",
    "Treated 2019-2020 with FOLFIRINOX.",
    "Hydromorphone converted at a ratio of 1:5.",
    "Signes vitaux : TA 110/70, FC 96, FR 18, SpO2 91 % sous O2 2 L/min.",
    "Jour 3 de l'hospitalisation ; la douleur a été contrôlée.",
    "Elle avait 78 ans au diagnostic et en a maintenant 84.",
    "Santé Canada, la Maison Michel-Sarrazin et le CHU de Québec.",
    "La famille a fêté Noël plus tôt cette année.",
    "Son Parkinson avance et son Dilaudid ne suffit plus.",
    "Albumin 24 g/L. Bell's palsy last year.",
    "Referred through the Indigenous Patient Navigator service.",
    "Plan B. Marie came back the next day.",
    "Born in Owen Sound; ninety minutes from the hospice.",
    "",
]


@pytest.mark.parametrize(("text", "expected"), HEALTH_CARDS)
def test_health_cards(text, expected):
    check(text, expected)


def test_every_jurisdiction_is_covered_by_a_case():
    cues = " ".join(text for text, _ in HEALTH_CARDS)
    for hint in ("BC", "OHIP", "TREM", "Alberta", "Manitoba", "Saskatchewan", "NB Medicare"):
        assert hint in cues
    for hint in ("Nova Scotia", "PEI", "MCP", "NWT", "Nunavut", "Yukon"):
        assert hint in cues


@pytest.mark.parametrize(("text", "expected"), OTHER_NUMBERS)
def test_sin_chart_numbers_and_other_identifiers(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), PHONES)
def test_phones(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), CONTACTS)
def test_emails_urls_ips_and_postal_codes(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), ADDRESSES)
def test_addresses(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), DATES)
def test_full_dates(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), BIRTH_DATES)
def test_birth_dates(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), AGES)
def test_ages_over_89(text, expected):
    check(text, expected)


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_names(text, expected):
    check(text, expected)


@pytest.mark.parametrize("text", FALSE_ALARMS)
def test_no_false_alarm_on_clinical_language(text):
    assert scan(text) == []


def test_invalid_postal_letters_and_short_numbers_are_not_flagged():
    # D, F, I, O, Q, U never appear in postal codes; 6 digits without a cue are not an id.
    assert scan("Room D2X 1Y4, extension 483920 of the study.") == []


# --- Overlaps ------------------------------------------------------------------------


def test_a_health_card_cue_beats_the_phone_shape():
    text = "OHIP 416-555-0199 (the number the family gave)."
    assert scan(text) == found(text, ("health_card", "416-555-0199"))


def test_a_date_of_birth_beats_a_date_and_an_identifier():
    text = "DOB: 1941-07-12; seen 2024-03-03; requisition 20240303."
    assert scan(text) == found(
        text, ("birth_date", "1941-07-12"), ("date", "2024-03-03"), ("identifier", "20240303")
    )


def test_containers_win_over_what_they_contain():
    text = (
        "Write to jean.tremblay1954@videotron.ca or see gofundme.com/f/12345678, "
        "or 123 Tremblay Street."
    )
    assert scan(text) == found(
        text,
        ("email", "jean.tremblay1954@videotron.ca"),
        ("url", "gofundme.com/f/12345678"),
        ("address", "123 Tremblay Street"),
    )


def test_a_ramq_number_is_one_health_card_not_an_identifier_in_it():
    text = "RAMQ TREM 5405 1512 et NAS 046 454 286."
    assert scan(text) == found(text, ("health_card", "TREM 5405 1512"), ("sin", "046 454 286"))


def test_findings_in_a_long_mixed_text():
    text = (
        "Mme Gisèle Tremblay, 92-year-old, DOB 1931-05-04, PHN 9698 658 215, lives at "
        "45 rue Saint-Denis, Montréal H2X 1Y4; daughter Josée at (514) 555-0199 or "
        "josee.t@videotron.ca. Seen March 3, 2024. ESAS 7/10, PPS 40%."
    )
    assert scan(text) == found(
        text,
        ("name", "Gisèle Tremblay"),
        ("age", "92-year-old"),
        ("birth_date", "1931-05-04"),
        ("health_card", "9698 658 215"),
        ("address", "45 rue Saint-Denis"),
        ("postal_code", "H2X 1Y4"),
        ("name", "Josée"),
        ("phone", "(514) 555-0199"),
        ("email", "josee.t@videotron.ca"),
        ("date", "March 3, 2024"),
    )


# --- The Finding and its labels -------------------------------------------------------


def test_findings_are_frozen_and_hold_their_text():
    text = "MRN 483920"
    [finding] = scan(text)
    assert finding == Finding("mrn", 4, 10, "483920")
    assert text[finding.start : finding.end] == finding.text
    with pytest.raises(FrozenInstanceError):
        finding.kind = "sin"  # type: ignore[misc]


def test_every_kind_has_an_english_and_a_french_label():
    from django.utils import translation

    assert set(KIND_LABELS) == set(corpus.KINDS)
    assert str(KIND_LABELS["health_card"]) == "health card number"
    assert str(Finding("sin", 0, 9, "046454286").label) == "social insurance number"
    english = {kind: str(label) for kind, label in KIND_LABELS.items()}
    with translation.override("fr"):
        french = {kind: str(label) for kind, label in KIND_LABELS.items()}
    assert french["postal_code"] == "code postal"
    assert all(french[kind] and french[kind] != english[kind] for kind in KIND_LABELS)


def test_scan_runs_in_a_plain_script_without_django_settings():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    script = (
        "from echohub.deidentify import scan; "
        "print([(f.kind, f.text) for f in scan('PHN 9698 658 215, Mme Gisèle Tremblay')])"
    )
    result = subprocess.run(  # noqa: S603  (our own interpreter, a fixed script)
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == "[('health_card', '9698 658 215'), ('name', 'Gisèle Tremblay')]"


# --- The corpus -------------------------------------------------------------------------

AIMS = {"health_card": 1.0, "structured": 0.99, "name": 0.95}


@pytest.fixture(scope="module")
def records():
    return corpus.load()


def covered(seed, findings):
    """As bench/deidentify.py counts: the whole span, or 80% of it for a name."""
    for f in findings:
        if f.start <= seed["start"] and f.end >= seed["end"]:
            return True
        overlap = min(seed["end"], f.end) - max(seed["start"], f.start)
        if seed["category"] == "name" and overlap >= 0.8 * (seed["end"] - seed["start"]):
            return True
    return False


def test_the_corpus_is_reproduced_byte_for_byte():
    written = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in corpus.build())
    assert written == Path(corpus.OUTPUT).read_text(encoding="utf-8")


def test_the_corpus_has_what_the_benchmark_needs(records):
    clean = [r for r in records if not r["identifiers"]]
    kinds = Counter(seed["kind"] for r in records for seed in r["identifiers"])
    langs = Counter(r["lang"] for r in records)
    assert len(records) - len(clean) >= 520
    assert len(clean) >= 200
    assert langs["en"] == langs["fr"]
    assert set(kinds) == set(corpus.KINDS)
    assert min(kinds.values()) >= 100
    assert all(400 <= len(r["text"]) <= 1500 for r in records)
    for record in records:
        for seed in record["identifiers"]:
            assert record["text"][seed["start"] : seed["end"]] == seed["text"]


@pytest.mark.parametrize("category", sorted(AIMS))
def test_recall_on_the_corpus_meets_its_aim(records, category):
    seeds = [
        (seed, record["text"])
        for record in records
        for seed in record["identifiers"]
        if seed["category"] == category
    ]
    results = {text: scan(text) for _, text in seeds}
    hits = sum(1 for seed, text in seeds if covered(seed, results[text]))
    assert hits / len(seeds) >= AIMS[category]


def test_false_positive_rate_on_clean_corpus_texts_is_at_most_5_percent(records):
    clean = [r["text"] for r in records if not r["identifiers"]]
    alarms = [text for text in clean if scan(text)]
    assert len(alarms) / len(clean) <= 0.05


def test_findings_are_sorted_and_never_overlap_on_the_corpus(records):
    for record in records:
        findings = scan(record["text"])
        assert findings == sorted(findings, key=lambda f: f.start)
        assert all(a.end <= b.start for a, b in itertools.pairwise(findings))
        assert all(record["text"][f.start : f.end] == f.text for f in findings)
