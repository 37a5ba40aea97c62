"""`echohub demo`: the invented national network, its demo accounts, and a second run."""

import datetime as dt
import re
import zoneinfo
from collections import Counter
from html import escape
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from echohub.accounts.models import User
from echohub.certificates.models import Certificate
from echohub.community.models import Thread
from echohub.management.commands.demo import (
    in_winter_break,
    second_saturday_of_october,
    session_starts,
)
from echohub.management.commands.demo_data import (
    ACCOUNTS,
    DEMO_PASSWORD,
    LEAD_SLUG,
    PROGRAMS,
    RESPONDENTS,
)
from echohub.network.models import Hub, Spoke, StaffRole
from echohub.programs.models import Program, ProgramStaff, Session, Speaker
from echohub.reference.postal import is_rural, province_of_fsa
from tests.factories import UserFactory

PUBLISHED_EN = {
    "fht-palliative-qi-collaborative": (
        "Palliative Care Quality Improvement Collaborative for Family Health Teams"
    ),
    "psw-palliative-approach": "A Palliative Approach for Personal Support Workers",
    "palliative-care-for-paramedics": "Palliative Care at Home for Paramedics",
    "palliative-care-in-long-term-care": "Palliative Care in Long-Term Care",
    "rural-palliative-care-newfoundland-labrador": (
        "Palliative Care Close to Home in Rural Newfoundland and Labrador"
    ),
}
FRENCH_ONLY = "approche-palliative-integree-quebec"
DRAFT = "palliative-care-homelessness"
SERIES = [*PUBLISHED_EN, FRENCH_ONLY]
MODELS = [User, EmailAddress, Hub, Spoke, StaffRole, Program, ProgramStaff, Session, Speaker]


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def world_day() -> Program:
    return Program.objects.get(slug__startswith="world-hospice-palliative-care-day-")


def text(response: object) -> str:
    """The page's visible words, tags removed and spaces collapsed."""
    html = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def demo(db: None) -> str:
    return run_demo()


def test_six_hubs_one_national_lead_three_provincial_two_sector(demo: str) -> None:
    assert "Demo network loaded: 6 hubs, 22 spokes, 9 programs (1 draft), 49 sessions" in demo
    assert list(Hub.objects.filter(is_lead=True).values_list("slug", flat=True)) == [LEAD_SLUG]
    assert Counter(Hub.objects.values_list("scope", flat=True)) == {
        "national": 1,
        "provincial": 3,
        "sector": 2,
    }
    for hub in Hub.objects.all():
        assert all([hub.name_en, hub.name_fr, hub.description_en, hub.description_fr]), hub.slug
    provinces = {
        hub.slug: sorted(hub.provinces.values_list("code", flat=True)) for hub in Hub.objects.all()
    }
    assert provinces["atlantic"] == ["NB", "NL", "NS", "PE"]
    assert provinces["ontario"] == ["ON"]
    assert provinces["quebec"] == ["QC"]
    sectors = dict(Hub.objects.filter(scope="sector").values_list("slug", "sector_id"))
    assert sectors == {"long-term-care": "long-term-care", "paramedicine": "paramedicine"}


def test_spokes_span_provinces_settings_and_rurality(demo: str) -> None:
    assert Spoke.objects.count() == 22
    assert Spoke.objects.values("province").distinct().count() == 12
    assert set(Spoke.objects.values_list("rurality", flat=True)) == {"urban", "rural", "remote"}
    assert set(Spoke.objects.values_list("setting", flat=True)) == {
        "primary-care",
        "paramedicine",
        "long-term-care",
        "home-care",
        "hospice",
        "indigenous-community",
    }


def test_the_named_programs_published_and_one_draft(demo: str) -> None:
    published = dict(Program.objects.filter(status="published").values_list("slug", "title_en"))
    year = world_day().sessions.get().starts_at.year
    world_day_title = f"World Hospice and Palliative Care Day {year}"
    assert published == {
        **PUBLISHED_EN,
        FRENCH_ONLY: "",
        f"world-hospice-palliative-care-day-{year}": world_day_title,
        "psw-circle": "PSW circle: palliative care in long-term care",
    }
    assert list(Program.objects.filter(status="draft").values_list("slug", flat=True)) == [DRAFT]
    qic = Program.objects.get(slug="fht-palliative-qi-collaborative")
    assert (qic.hub.slug, qic.enrolment, qic.title_fr, qic.languages) == (
        "ontario",
        "cohort",
        "",
        "en",
    )
    assert list(qic.audience_settings.values_list("code", flat=True)) == ["primary-care"]
    french = Program.objects.get(slug=FRENCH_ONLY)
    assert (french.hub.slug, french.languages, french.title_en) == ("quebec", "fr", "")
    assert french.title_fr.startswith("L'approche palliative")
    assert list(french.provinces.values_list("code", flat=True)) == ["QC"]
    psw = Program.objects.get(slug="psw-palliative-approach")
    assert list(psw.audience_professions.values_list("code", flat=True)) == ["psw"]
    zones = dict(Program.objects.values_list("slug", "timezone"))
    assert zones["palliative-care-for-paramedics"] == "America/Halifax"
    assert zones["palliative-care-in-long-term-care"] == "America/Vancouver"
    assert zones["rural-palliative-care-newfoundland-labrador"] == "America/St_Johns"
    assert zones[FRENCH_ONLY] == "America/Toronto"
    # Only a provincial program keeps provinces.
    assert not Program.objects.exclude(scope="provincial").filter(provinces__isnull=False).exists()


def test_world_day_is_one_upcoming_session_on_the_second_saturday_of_october(demo: str) -> None:
    program = world_day()
    session = program.sessions.get()
    local = session.starts_at.astimezone(program.zone)
    assert (local.month, local.weekday(), 8 <= local.day <= 14) == (10, 5, True)
    assert (local.hour, local.minute) == (12, 0)
    assert session.starts_at > timezone.now()
    assert session.capacity == 1500
    assert program.hub.is_lead
    assert program.audience_professions.count() == 0
    speaker = session.speakers.first()
    assert speaker.name == "Dr Leila Haddad-Moreno"
    assert "Lisbon" in speaker.affiliation
    assert "compassionate communities" in speaker.bio_en
    assert "communautés compatissantes" in speaker.bio_fr


def test_series_have_past_and_upcoming_sessions_at_noon_or_one(demo: str) -> None:
    now = timezone.now()
    for slug in SERIES:
        program = Program.objects.get(slug=slug)
        sessions = list(program.sessions.all())
        assert sum(s.starts_at < now for s in sessions) >= 2, slug
        assert sum(s.starts_at > now for s in sessions) >= 3, slug
        local = {s.starts_at.astimezone(program.zone).time() for s in sessions}
        assert len(local) == 1, slug
        assert local <= {dt.time(12), dt.time(13)}, slug
    for session in Session.objects.all():
        assert re.fullmatch(r"https://video\.example\.org/j/\d{10}", session.join_url)
        assert session.capacity
        assert session.speakers.exists()
        assert all(speaker.bio_en or speaker.bio_fr for speaker in session.speakers.all())
    assert Session.objects.values("join_url").distinct().count() == Session.objects.count()
    cancelled = Session.objects.get(status="cancelled")
    assert cancelled.program.slug == "psw-palliative-approach"
    assert cancelled.starts_at > now
    draft_sessions = Session.objects.filter(program__slug=DRAFT)
    assert draft_sessions.count() == 3
    assert not draft_sessions.filter(starts_at__lt=now).exists()


def test_session_titles_are_in_the_programs_languages(demo: str) -> None:
    french = Session.objects.filter(program__slug=FRENCH_ONLY)
    assert not french.exclude(title_en="").exists()
    assert "Le délirium\u00a0: prévenir, reconnaître, intervenir" in {s.title_fr for s in french}
    qic = Session.objects.filter(program__slug="fht-palliative-qi-collaborative")
    assert not qic.exclude(title_fr="").exists()
    paramedics = Session.objects.filter(program__slug="palliative-care-for-paramedics")
    assert not paramedics.filter(title_en="").exists()
    assert not paramedics.filter(title_fr="").exists()


def demo_accounts() -> list[User]:
    """The accounts one can sign in with (the invented respondents have no password)."""
    return [person for person in User.objects.all() if person.has_usable_password()]


def test_one_verified_account_per_role(demo: str) -> None:
    assert len(demo_accounts()) == 7
    assert User.objects.count() == 7 + len(RESPONDENTS)
    roles = {
        person.email: sorted(person.staff_roles.values_list("hub__slug", "role"))
        for person in demo_accounts()
    }
    assert roles == {
        "national@example.org": [],
        "hubadmin@example.org": [("ontario", "admin")],
        "coordinator@example.org": [("ontario", "coordinator")],
        "facilitator@example.org": [("ontario", "facilitator")],
        "expert@example.org": [("ontario", "expert")],
        "participant@example.org": [],
        "participant.fr@example.org": [],
    }
    national = User.objects.get(email="national@example.org")
    assert (national.is_national_admin, national.is_staff, national.is_superuser) == (
        True,
        True,
        True,
    )
    assert User.objects.filter(is_national_admin=True).count() == 1
    assert User.objects.filter(is_staff=True).count() == 1
    for person in demo_accounts():
        address = EmailAddress.objects.get(user=person)
        assert (address.email, address.verified, address.primary) == (person.email, True, True)
        assert person.name
        assert person.check_password(DEMO_PASSWORD)


def test_participants_profiles(demo: str) -> None:
    nurse = User.objects.get(email="participant@example.org")
    assert (
        nurse.profession_id,
        nurse.province_id,
        nurse.timezone,
        nurse.preferred_language,
        nurse.spoke.province_id,
    ) == ("registered-nurse", "ON", "America/Toronto", "en", "ON")
    psw = User.objects.get(email="participant.fr@example.org")
    assert (psw.profession_id, psw.province_id, psw.preferred_language, psw.spoke.province_id) == (
        "psw",
        "QC",
        "fr",
        "QC",
    )


def test_facilitator_and_expert_sit_on_every_ontario_panel(demo: str) -> None:
    ontario = set(Program.objects.filter(hub__slug="ontario").values_list("slug", flat=True))
    assert ontario == {
        "fht-palliative-qi-collaborative",
        "psw-palliative-approach",
        "psw-circle",
        DRAFT,
    }
    panel = set(ProgramStaff.objects.values_list("program__slug", "person__email", "role"))
    assert panel == {
        (slug, f"{role}@example.org", role)
        for slug in ontario
        for role in ("facilitator", "expert")
    }


def test_second_run_creates_nothing_and_says_so(demo: str) -> None:
    before = counts()
    output = run_demo()
    assert counts() == before
    assert "The demo network is already loaded: nothing to do." in output
    assert "Demo network loaded" not in output
    assert "national@example.org" in output


def test_refuses_a_database_that_already_has_people(db: None) -> None:
    UserFactory(email="real.person@example.org")
    with pytest.raises(CommandError, match="loads only into an empty database"):
        run_demo()
    assert (Hub.objects.count(), Program.objects.count(), User.objects.count()) == (0, 0, 1)


def test_prints_the_address_and_every_account_with_role_and_password(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORT", "8123")
    output = run_demo()
    assert "Open http://127.0.0.1:8123 and sign in" in output
    lines = output.splitlines()
    for account in ACCOUNTS:
        line = next(line for line in lines if f" {account.email} " in line)
        assert line.split() == [account.email, *account.role.split(), DEMO_PASSWORD]
    assert len(ACCOUNTS) == 7


def test_every_demo_person_practises_at_a_postal_code_of_their_province(demo: str) -> None:
    people = list(User.objects.order_by("email"))
    for person in people:
        person.full_clean()  # the code is valid and written as Canada Post writes it
        assert province_of_fsa(person.practice_postal_code) == person.province_id, person.email
    rural = sorted(p.practice_postal_code for p in people if is_rural(p.practice_postal_code))
    assert (len(people), len(rural)) == (29, 10)
    assert rural == [
        "A0K 4J0",
        "C0B 1M0",
        "G0A 3K0",
        "G0L 1B0",
        "J0W 1E0",
        "K0M 1T0",
        "P0V 1X0",
        "R0K 1C0",
        "S0N 1P0",
        "T0H 2M0",
    ]


@pytest.mark.parametrize("account", ACCOUNTS, ids=lambda account: account.email)
def test_each_demo_account_logs_in_through_allauth(demo: str, account: object) -> None:
    email = account.email  # type: ignore[attr-defined]
    client = Client()
    response = client.post(reverse("account_login"), {"login": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == User.objects.get(email=email).pk


def test_wrong_password_does_not_log_in(demo: str) -> None:
    client = Client()
    client.post(reverse("account_login"), {"login": "national@example.org", "password": "nope"})
    assert "_auth_user_id" not in client.session


def test_national_admin_reaches_the_django_admin(demo: str) -> None:
    client = Client()
    client.post(
        reverse("account_login"), {"login": "national@example.org", "password": DEMO_PASSWORD}
    )
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Site administration" in text(response)


def test_catalogue_lists_the_published_demo_programs(demo: str) -> None:
    response = Client().get(reverse("programs:catalogue"))
    page = response.content.decode()
    assert "7 programs" in text(response)
    for title in [*PUBLISHED_EN.values(), world_day().title_en]:
        assert escape(title) in page, title
    assert escape(Program.objects.get(slug=FRENCH_ONLY).title_fr) in page
    assert "Palliative Care for People Experiencing Homelessness" not in page


def test_french_catalogue_shows_the_english_only_title_marked(demo: str) -> None:
    with translation.override("fr"):
        url = reverse("programs:catalogue")
    page = Client().get(url).content.decode()
    title = PUBLISHED_EN["fht-palliative-qi-collaborative"]
    assert f'<span lang="en">{escape(title)}</span>' in page
    assert escape("L'approche palliative pour les préposés aux bénéficiaires") in page


def test_every_public_program_and_session_page_shows(demo: str) -> None:
    client = Client()
    # The program by invitation is not public: its pages are its members' (below).
    for program in Program.objects.filter(status="published").exclude(access="invitation"):
        response = client.get(program.get_absolute_url())
        assert response.status_code == 200, program.slug
        session = program.sessions.first()
        assert escape(str(session.title)) in response.content.decode(), program.slug
        page = client.get(session.get_absolute_url()).content.decode()
        assert escape(session.speakers.first().name) in page


@pytest.mark.parametrize(
    ("year", "day"), [(2024, 12), (2025, 11), (2026, 10), (2027, 9), (2028, 14)]
)
def test_second_saturday_of_october(year: int, day: int) -> None:
    assert second_saturday_of_october(year) == dt.date(year, 10, day)


@pytest.mark.parametrize(
    "now",
    [
        dt.datetime(2026, 3, 8, 7, 30, tzinfo=dt.UTC),  # the morning clocks spring forward
        dt.datetime(2026, 11, 1, 15, 0, tzinfo=dt.UTC),  # the day they fall back
        dt.datetime(2026, 12, 20, 17, 0, tzinfo=dt.UTC),  # just before the winter break
        dt.datetime(2027, 1, 2, 12, 0, tzinfo=dt.UTC),  # inside it
        dt.datetime(2027, 10, 9, 17, 0, tzinfo=dt.UTC),  # World Day, after its session
    ],
)
def test_schedules_keep_wall_clock_time_and_the_past_count(now: dt.datetime) -> None:
    for data in PROGRAMS:
        starts = session_starts(data, now)
        assert len(starts) == len(data.sessions)
        assert starts == sorted(starts)
        assert sum(start < now for start in starts) == data.schedule.past, data.slug
        for start in starts:
            local = start.astimezone(zoneinfo.ZoneInfo(data.timezone))
            assert local.time() == data.schedule.start, data.slug
            assert not in_winter_break(local.date()) or data.schedule.world_day


def test_the_demo_participants_have_attendance_and_certificates_to_show(demo: str) -> None:
    for email in ("participant@example.org", "participant.fr@example.org"):
        person = User.objects.get(email=email)
        certificates = Certificate.objects.filter(person=person, revoked_at__isnull=True)
        assert certificates.count() == person.attendance.count() > 0
    french = Certificate.objects.filter(person__email="participant.fr@example.org").first()
    assert french is not None
    assert french.language in {"fr", "both"}
    # Each gets their own profession's credit, never another's: the registered nurse
    # nursing hours and no Mainpro+, the personal support worker attendance only.
    nurse_lines = [
        line["type"]
        for c in Certificate.objects.filter(person__email="participant@example.org")
        for line in c.credits
    ]
    assert set(nurse_lines) == {"nursing_ce"}
    assert all(
        c.credits == [] for c in Certificate.objects.filter(person__email=french.person.email)
    )


def test_evaluations_have_enough_answers_to_show(demo: str) -> None:
    """Results show only groups of five or more: each past session and the pre/post pairs."""
    from django.db.models import Count

    from echohub.evaluations.models import Completion, Phase, Response

    per_session = (
        Response.objects.filter(phase=Phase.SESSION).values("session").annotate(n=Count("id"))
    )
    assert per_session
    assert min(row["n"] for row in per_session) >= 5
    pre = set(Response.objects.filter(phase=Phase.PRE).values_list("pair_key", flat=True))
    post = set(Response.objects.filter(phase=Phase.POST).values_list("pair_key", flat=True))
    assert len(pre & post) >= 5
    nurse = User.objects.get(email="participant@example.org")
    waiting = Completion.objects.get(person=nurse)
    assert waiting.status == Completion.Status.PENDING
    assert waiting.is_open()


def test_the_circle_by_invitation_has_its_groups_and_a_question_answered(demo: str) -> None:
    circle = Program.objects.get(slug="psw-circle")
    assert Client().get(circle.get_absolute_url()).status_code == 404
    psw = User.objects.get(email="participant.fr@example.org")
    member = Client()
    member.force_login(psw)
    page = member.get(circle.get_absolute_url()).content.decode()
    assert "Thursday evening" in page
    enrolment = psw.enrolments.get(program=circle)
    assert str(enrolment.group.name_en) == "Thursday evening"
    thread = Thread.objects.get(space__program=circle)
    assert thread.answered_at is not None
    assert member.get(thread.get_absolute_url()).status_code == 200
    assert circle.invitations.filter(status="pending").count() == 1
