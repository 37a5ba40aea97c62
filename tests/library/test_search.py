"""The library's search: words in English and French, filters, ranking, highlighting, and
who finds what. Every test runs alike on SQLite (FTS5) and on PostgreSQL (tsvector)."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from echohub.accounts.models import User
from echohub.cases import recommending, services
from echohub.cases.models import Case
from echohub.library.models import Resource, TranscriptSegment
from echohub.library.search.entry import SearchEntry
from echohub.library.search.index import index_case, index_resource, rebuild, unindex_resource
from echohub.library.search.query import COUNT_LIMIT, Filters, SearchPage, search
from echohub.programs.models import Program
from echohub.registration.models import Enrolment
from tests.conftest import Network, client_for
from tests.factories import UserFactory
from tests.registration.test_races import pool_size, race


def add(network: Network, title_en: str = "", title_fr: str = "", **fields: Any) -> Resource:
    """A resource of the Ontario hub (a public guide unless told), indexed by the receivers."""
    m2m = {name: fields.pop(name, ()) for name in ("topics", "professions", "practice_settings")}
    created = fields.pop("created_at", None)
    fields.setdefault("hub", network.hub)
    fields.setdefault("kind", Resource.Kind.GUIDE)
    resource = Resource.objects.create(title_en=title_en, title_fr=title_fr, **fields)
    for name, codes in m2m.items():
        if codes:
            getattr(resource, name).set(codes)
    if created is not None:
        Resource.objects.filter(pk=resource.pk).update(created_at=created)
        resource.refresh_from_db()
        index_resource(resource)
    return resource


def find(user: User | None, text: str, **filters: Any) -> SearchPage:
    return search(user or AnonymousUser(), text, Filters(**filters))


def titles(user: User | None, text: str, **filters: Any) -> list[str]:
    return [hit.title for hit in find(user, text, **filters).hits]


def outsiders(network: Network) -> list[User | None]:
    """Anonymous, signed in, a member of the other program, the other hub's admin."""
    return [None, network.participant, member_of(network.other_program), network.other_admin]


def member_of(program: Program) -> User:
    person = UserFactory()
    Enrolment.objects.create(program=program, person=person, status=Enrolment.Status.ACTIVE)
    return person


# --- Words ----------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["dyspnée", "dyspnee", "dyspnées", "DYSPNEES", "Dyspnée"])
def test_french_words_match_with_or_without_accents_and_plural(network, query) -> None:
    add(network, title_fr="Prise en charge de la dyspnée", language="fr")
    add(network, title_fr="Les dyspnées réfractaires", language="fr")
    add(network, title_en="Constipation", language="en")
    assert sorted(titles(None, query)) == [
        "Les dyspnées réfractaires",
        "Prise en charge de la dyspnée",
    ]


def test_french_and_english_stemming(network) -> None:
    add(network, title_fr="Évaluer la douleur chronique", language="fr")
    add(network, title_en="Starting opioid medications", language="en")
    add(network, title_fr="Œdème des membres inférieurs", language="fr")
    assert titles(None, "douleurs") == ["Évaluer la douleur chronique"]
    assert titles(None, "chroniques") == ["Évaluer la douleur chronique"]
    assert titles(None, "medication") == ["Starting opioid medications"]
    assert titles(None, "opioids started") == ["Starting opioid medications"]
    assert titles(None, "oedeme") == ["Œdème des membres inférieurs"]
    assert titles(None, "douleur opioids") == []  # every word must be found


def test_a_query_may_mix_languages_over_a_bilingual_resource(network) -> None:
    add(network, "Breathlessness at home", "Dyspnée à domicile", language="both")
    assert titles(None, "dyspnées breathless") == ["Breathlessness at home"]
    with translation.override("fr"):
        assert titles(None, "dyspnées breathless") == ["Dyspnée à domicile"]


def test_descriptions_text_and_topic_names_are_searched(network) -> None:
    add(network, "Guide A", description_fr="Soulager les nausées en fin de vie")
    add(network, "Guide B", text="Haloperidol 0.5 mg for delirium at night")
    add(network, "Guide C", topics=["grief-bereavement"])
    assert titles(None, "nausée") == ["Guide A"]
    assert titles(None, "haloperidol") == ["Guide B"]
    assert titles(None, "deuil") == ["Guide C"]  # the topic's French name


def test_a_title_match_ranks_above_a_body_match(network) -> None:
    old = timezone.now() - dt.timedelta(days=30)
    add(network, "Caregiver burnout", description_en="Support for families.", created_at=old)
    add(network, "Family meetings", description_en="When a caregiver is exhausted.")
    hits = find(None, "caregivers").hits
    assert [hit.title for hit in hits] == ["Caregiver burnout", "Family meetings"]
    assert hits[0].rank > hits[1].rank > 0


def test_matched_words_are_highlighted_and_everything_else_escaped(network) -> None:
    add(
        network,
        "Pain & <b>bold</b> claims",
        text="Intro words. " * 30 + "Breakthrough pains need a rescue dose <script>x</script>.",
    )
    hit = find(None, "PAIN").hits[0]
    assert hit.title_html == "<mark>Pain</mark> &amp; &lt;b&gt;bold&lt;/b&gt; claims"
    assert "Breakthrough <mark>pains</mark> need a rescue dose &lt;script&gt;" in hit.snippet
    assert hit.snippet.startswith("… ")  # a passage around the match, not the whole text
    assert "<script>" not in hit.snippet


def test_highlighting_follows_accents_and_stems(network) -> None:
    add(network, title_fr="Dyspnée et DYSPNÉES", language="fr")
    hit = find(None, "dyspnee").hits[0]
    assert hit.title_html == "<mark>Dyspnée</mark> et <mark>DYSPNÉES</mark>"


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "*",
        "(",
        ")",
        "OR",
        "AND NOT",
        "-",
        "-foo",
        '"pain',
        "pa*",
        "_",
        "pain_",
        "\x00",
        "😀",
        "%",
        "\\",
        "';--",
        "NEAR(a b)",
        "title:pain",
        "^pain",
        "pain:*",
        "!pain",
        "&|!<->",
        "l'hôpital",
        "x" * 2000,
        "a " * 300,
    ],
)
def test_query_syntax_never_raises(network, query) -> None:
    add(network, "Pain basics")
    add(network, "Foo and pain")
    find(None, query)  # answers, whatever was typed
    find(network.participant, f"pain {query}")


def test_what_kind_of_entry_it_is_is_not_a_word_of_it(network) -> None:
    # SQLite's index also holds each entry's source ("resource", "transcript", "case"),
    # to rank documents without reading every transcript line: never as a word found.
    add(network, "Pain basics")
    recording = add(network, "Rounds", kind=Resource.Kind.RECORDING)
    TranscriptSegment.objects.create(
        resource=recording, position=0, start_ms=0, end_ms=1, text="Pain at night"
    )
    index_resource(recording)
    for word in ("resource", "resources", "transcript", "case", "source"):
        assert find(None, word).total == 0, word
    assert find(None, "pain").total == 2
    assert find(None, "pain -transcript").total == 2
    add(network, "A case of resources, transcribed")
    assert titles(None, "case resource") == ["A case of resources, transcribed"]


def test_quotes_parentheses_and_operators_are_read_as_words(network) -> None:
    add(network, "Pain basics")
    add(network, "Pain in dementia")
    assert sorted(titles(None, '"pain" (dementia) OR')) == ["Pain in dementia"]
    assert titles(None, "pain -dementia") == ["Pain basics"]
    assert titles(None, 'pain*"') == titles(None, "pain")


def test_an_empty_query_lists_the_newest_without_transcript_lines(network) -> None:
    add(network, "Older", created_at=timezone.now() - dt.timedelta(days=3))
    recording = add(network, "Newer", kind=Resource.Kind.RECORDING)
    TranscriptSegment.objects.create(resource=recording, position=0, start_ms=0, end_ms=1, text="x")
    index_resource(recording)
    for query in ("", "   ", '"', "the and of", "-pain"):
        page = find(None, query)
        assert [hit.title for hit in page.hits] == ["Newer", "Older"]
        assert page.total == 2
    assert titles(None, "", kind="recording") == ["Newer"]


def test_pages_and_total(network) -> None:
    for n in range(5):
        add(network, f"Delirium guide {n}")
    first = search(AnonymousUser(), "delirium", Filters(), limit=2)
    last = search(AnonymousUser(), "delirium", Filters(), limit=2, offset=4)
    beyond = search(AnonymousUser(), "delirium", Filters(), limit=2, offset=10)
    assert (len(first.hits), first.total) == (2, 5)
    assert (len(last.hits), last.total) == (1, 5)
    assert (beyond.hits, beyond.total) == ([], 5)


# --- Filters --------------------------------------------------------------------------


def test_each_filter(network) -> None:
    now = timezone.now()
    guide = add(
        network,
        "Delirium guide",
        topics=["delirium"],
        professions=["psw"],
        practice_settings=["home-care"],
        program=network.program,
        created_at=now - dt.timedelta(days=40),
    )
    add(network, "Delirium tool", kind=Resource.Kind.TOOL, language="fr", created_at=now)
    add(network, "Delirium protocol", kind=Resource.Kind.PROTOCOL, language="both")
    assert guide.program == network.program
    assert titles(None, "delirium", kind="tool") == ["Delirium tool"]
    assert titles(None, "delirium", topic="delirium") == ["Delirium guide"]
    assert titles(None, "delirium", topic="pain") == []
    assert titles(None, "delirium", profession="psw") == ["Delirium guide"]
    assert titles(None, "delirium", setting="home-care") == ["Delirium guide"]
    assert titles(None, "delirium", setting="hospice") == []
    assert titles(None, "delirium", program="psw-series") == ["Delirium guide"]
    assert titles(None, "delirium", program="west-series") == []
    assert sorted(titles(None, "delirium", language="fr")) == ["Delirium protocol", "Delirium tool"]
    since = (now - dt.timedelta(days=1)).date()
    assert sorted(titles(None, "delirium", since=since)) == ["Delirium protocol", "Delirium tool"]
    until = (now - dt.timedelta(days=30)).date()
    assert titles(None, "delirium", until=until) == ["Delirium guide"]
    assert titles(None, "", topic="delirium", kind="guide") == ["Delirium guide"]


# --- Transcripts ----------------------------------------------------------------------


def test_a_transcript_line_links_to_the_moment_it_was_said(network) -> None:
    recording = add(network, "Session 4 recording", kind=Resource.Kind.RECORDING)
    lines = [(0, "Welcome everyone."), (754_300, "Methadone rotation needs care.")]
    TranscriptSegment.objects.bulk_create(
        TranscriptSegment(resource=recording, position=i, start_ms=ms, end_ms=ms + 4000, text=t)
        for i, (ms, t) in enumerate(lines)
    )
    index_resource(recording)
    hit = find(None, "methadone").hits[0]
    assert (hit.source, hit.kind, hit.start_ms) == ("transcript", "recording", 754_300)
    assert hit.title == "Session 4 recording"
    assert hit.url == recording.get_absolute_url() + "?t=754#t754"
    assert hit.snippet == "<mark>Methadone</mark> rotation needs care."
    assert titles(None, "recording") == ["Session 4 recording"]  # the title, not every line


def test_a_long_transcript_is_indexed_at_once_and_reindexing_writes_nothing(network) -> None:
    recording = add(network, "Long rounds", kind=Resource.Kind.RECORDING)
    TranscriptSegment.objects.bulk_create(
        TranscriptSegment(
            resource=recording,
            position=i,
            start_ms=i * 1000,
            end_ms=i * 1000 + 900,
            text=f"Line {i} about hydration" + (" and hypodermoclysis" if i == 4321 else ""),
        )
        for i in range(5000)
    )
    assert index_resource(recording) == 5000
    assert index_resource(recording) == 0
    assert SearchEntry.objects.filter(resource=recording).count() == 5001
    assert [hit.start_ms for hit in find(None, "hypodermoclysis").hits] == [4_321_000]
    page = find(None, "hydration")
    assert (page.total, page.capped) == (COUNT_LIMIT, True)  # "1,000+"
    assert page.hits[0].snippet == "Line 4999 about <mark>hydration</mark>"  # the newest first
    TranscriptSegment.objects.filter(resource=recording, position__gte=10).delete()
    recording.visibility = Resource.Visibility.SIGNED_IN
    recording.save()  # the receiver refiles every line
    assert find(None, "hydration").total == 0
    signed_in = find(network.participant, "hydration")
    assert (signed_in.total, signed_in.capped) == (10, False)


# --- Who finds what -------------------------------------------------------------------


@pytest.fixture
def shelf(network):
    """One resource of each visibility in the Ontario hub's program, one members-only elsewhere."""
    for visibility in ("public", "signed_in", "members"):
        add(network, f"Hydration {visibility}", visibility=visibility, program=network.program)
    add(
        network,
        "Hydration west",
        visibility="members",
        hub=network.other_hub,
        program=network.other_program,
        kind=Resource.Kind.RECORDING,
    )
    return network


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", ["public"]),
        ("signed_in", ["public", "signed_in"]),
        ("member", ["members", "public", "signed_in"]),
        ("other_member", ["public", "signed_in", "west"]),
        ("hub_staff", ["members", "public", "signed_in"]),
        ("other_hub_staff", ["public", "signed_in", "west"]),
        ("national_admin", ["members", "public", "signed_in", "west"]),
    ],
)
def test_each_role_finds_what_it_may_see(shelf, who, expected) -> None:
    users = {
        "anonymous": None,
        "signed_in": shelf.participant,
        "member": member_of(shelf.program),
        "other_member": member_of(shelf.other_program),
        "hub_staff": shelf.coordinator,
        "other_hub_staff": shelf.other_coordinator,
        "national_admin": shelf.national_admin,
    }
    found = sorted(t.removeprefix("Hydration ") for t in titles(users[who], "hydration"))
    assert found == expected
    assert find(users[who], "hydration").total == len(expected)
    assert len(titles(users[who], "")) == len(expected)


def test_a_members_only_recordings_transcript_stays_with_the_members(network) -> None:
    recording = add(
        network, "Rounds", kind="recording", visibility="members", program=network.program
    )
    TranscriptSegment.objects.create(
        resource=recording, position=0, start_ms=5000, end_ms=9000, text="Terminal agitation."
    )
    index_resource(recording)
    for outsider in outsiders(network):
        assert find(outsider, "agitation").hits == []
    assert [hit.start_ms for hit in find(member_of(network.program), "agitation").hits] == [5000]


# --- The case library -----------------------------------------------------------------


def sent_case(network: Network, presenter: User, title: str, recommendations: str) -> Case:
    case = services.save_case(
        None,
        program=network.program,
        presenter=presenter,
        title=title,
        answers={"diagnosis": "End-stage heart failure", "question": "Diuretics at home?"},
        submit=True,
        attested=True,
    )
    services.review(case, "accepted", by=network.coordinator)
    services.schedule(case, network.session, by=network.coordinator)
    network.session.starts_at = timezone.now() - dt.timedelta(hours=2)
    network.session.save()
    recommending.write(case, recommendations, follow_up_on=None, by=network.facilitator)
    assert not SearchEntry.objects.filter(case=case).exists()  # not sent yet
    recommending.send(case, by=network.facilitator)
    return case


def test_case_library_hits_only_for_members_of_its_program(network) -> None:
    presenter, member = member_of(network.program), member_of(network.program)
    case = sent_case(network, presenter, "Breathless at home", "Try furosemide subcutaneously.")
    for outsider in outsiders(network):
        assert find(outsider, "furosemide").hits == []
    for reader in (member, presenter, network.facilitator, network.coordinator):
        hits = find(reader, "furosemide").hits
        assert [(h.source, h.kind, h.case_id) for h in hits] == [("case", "case", case.pk)]
    hit = find(member, "diuretic breathless").hits[0]
    assert hit.url == case.get_absolute_url()
    assert hit.title == f"Case {case.number} · Breathless at home"
    assert "<mark>Breathless</mark>" in hit.title_html
    # The case's text shows only on its page, where reading it is audited.
    assert hit.snippet == ""
    page = client_for(member).get(reverse("library:index"), {"q": "furosemide"}).content
    assert f"Case {case.number}".encode() in page
    assert b"subcutaneously" not in page
    with translation.override("fr"):
        assert find(member, "furosemide").hits[0].title.startswith(f"Cas {case.number} ·")
    assert titles(member, "", kind="case") == [hit.title]
    assert titles(member, "case") == []  # found by what it says, not by the word "Case"


def test_a_withdrawn_or_deleted_case_leaves_the_index(network) -> None:
    member = member_of(network.program)
    case = sent_case(network, member, "Delirium at home", "Haloperidol at night.")
    assert len(find(member, "haloperidol").hits) == 1
    Case.objects.filter(pk=case.pk).update(status=Case.Status.WITHDRAWN)
    assert find(member, "haloperidol").hits == []  # the case library's own rule decides
    case.refresh_from_db()
    index_case(case)
    assert not SearchEntry.objects.filter(case=case).exists()
    case.status = Case.Status.ACCEPTED
    case.save()
    assert len(find(member, "haloperidol").hits) == 1
    case_id = case.pk
    case.delete()
    assert not SearchEntry.objects.filter(case_id=case_id).exists()


# --- Keeping the index current --------------------------------------------------------


def test_saving_deleting_and_refiling_a_resource_updates_the_index(network) -> None:
    resource = add(network, "Mouth care")
    assert titles(None, "mouth") == ["Mouth care"]
    resource.title_en = "Oral hygiene"
    resource.save()
    assert titles(None, "mouth") == []
    assert titles(None, "hygiene") == ["Oral hygiene"]
    resource.topics.add("delirium")
    assert titles(None, "délirium") == ["Oral hygiene"]
    resource.topics.clear()
    assert titles(None, "délirium") == []
    resource_id = resource.pk
    resource.delete()
    assert titles(None, "hygiene") == []
    assert not SearchEntry.objects.exists()
    unindex_resource(resource_id)  # twice is harmless


def test_indexing_twice_changes_nothing_and_rebuild_restores_everything(network) -> None:
    resource = add(network, "Constipation", topics=["constipation-bowel"])
    before = list(SearchEntry.objects.values_list("pk", flat=True))
    assert index_resource(resource) == 0
    assert list(SearchEntry.objects.values_list("pk", flat=True)) == before
    SearchEntry.objects.all().delete()
    assert titles(None, "constipation") == []
    assert rebuild() == 1
    assert titles(None, "constipation") == ["Constipation"]


def engine_rows() -> int:
    """Rows the engine's own index holds: FTS5 documents, or filled tsvectors."""
    if connection.vendor == "postgresql":
        return SearchEntry.objects.filter(vector__isnull=False).count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM library_searchfts_docsize")
        return int(cursor.fetchone()[0])


def test_the_engines_index_follows_every_write(network) -> None:
    resource = add(network, "Mouth care")
    recording = add(network, "Rounds", kind="recording")
    TranscriptSegment.objects.create(resource=recording, position=0, start_ms=0, end_ms=1, text="x")
    index_resource(recording)
    assert engine_rows() == SearchEntry.objects.count() == 3
    resource.title_en = "Oral care"
    resource.save()
    assert engine_rows() == SearchEntry.objects.count() == 3
    resource.delete()
    recording.segments.all().delete()
    assert engine_rows() == SearchEntry.objects.count() == 1


def test_the_engines_index_exists(db) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'library_searchentry_vector'"
            )
            assert "USING gin (vector)" in cursor.fetchone()[0]
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name = 'library_searchentry'"
            )
            assert cursor.fetchone()[0] == 3


def test_a_search_is_a_fixed_number_of_queries(network, django_assert_num_queries) -> None:
    for n in range(25):
        add(network, f"Fatigue guide {n}", visibility="members", program=network.program)
    member = member_of(network.program)
    with django_assert_num_queries(1):  # a page that is not full is its own count
        assert find(None, "").total == 0
    # who they are (programs, hubs, library cases, the discussion spaces' settings), then
    # the page with its count
    with django_assert_num_queries(5):
        page = find(member, "fatigue")
    assert (len(page.hits), page.total) == (20, 25)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_indexings_of_one_resource_leave_one_row_per_line(
    reference_lists, network
) -> None:
    recording = add(network, "Rounds", kind="recording")
    TranscriptSegment.objects.bulk_create(
        TranscriptSegment(resource=recording, position=i, start_ms=i, end_ms=i + 1, text=f"L{i}")
        for i in range(300)
    )

    def index() -> int:
        return index_resource(Resource.objects.get(pk=recording.pk))

    result = race([index] * 6, threads=pool_size(6))

    assert result.errors == []
    assert sorted(result.results) == [0, 0, 0, 0, 0, 300]  # one wrote, the others found it done
    assert SearchEntry.objects.filter(resource=recording).count() == 301
    assert engine_rows() == 301
