"""`echohub demo`: load an invented national palliative care ECHO network to try EchoHub.

It builds the hubs, spokes, programs with past and upcoming sessions, and one
verified account per role, all in one transaction. Run again, it finds the
lead hub and changes nothing. It loads only into a database that holds no
people and no hubs yet, because its accounts share a published password.
"""

import datetime as dt
import os
import random
import zoneinfo
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from echohub.accounts.models import User
from echohub.attendance.models import Attendance
from echohub.cases import recommending
from echohub.cases import services as case_services
from echohub.certificates import services as certificate_services
from echohub.certificates.models import Accreditation
from echohub.community import services as community_services
from echohub.community.models import SpaceSettings, Thread
from echohub.community.permissions import space_for
from echohub.evaluations import services as evaluation_services
from echohub.evaluations.models import Completion, Phase
from echohub.library import services as library_services
from echohub.library.models import Resource
from echohub.management.commands.demo_data import (
    ACCOUNTS,
    ACCREDITATIONS,
    DEMO_HUB,
    DEMO_PASSWORD,
    HUBS,
    IMPROVE,
    JOIN_BASE,
    LEAD_SLUG,
    PROGRAMS,
    RESPONDENTS,
    SAT,
    SPOKES,
    WILL_DO,
    AccountData,
    HubData,
    ProgramData,
    SpokeData,
)
from echohub.network.models import Hub, Spoke, StaffRole
from echohub.programs import services as program_services
from echohub.programs.models import Group, Program, ProgramStaff, Session, Speaker
from echohub.programs.series import session_start
from echohub.reference.models import PracticeSetting, Profession, Province, Topic
from echohub.registration import invitations
from echohub.registration.models import Registration
from echohub.reports import aggregates
from echohub.updates import services as update_services
from echohub.updates.models import Update


def second_saturday_of_october(year: int) -> dt.date:
    """World Hospice and Palliative Care Day."""
    first = dt.date(year, 10, 1)
    return first + dt.timedelta(days=(SAT - first.weekday()) % 7 + 7)


def in_winter_break(day: dt.date) -> bool:
    """Programs pause from December 22 to January 3."""
    return (day.month, day.day) >= (12, 22) or (day.month, day.day) <= (1, 3)


def session_starts(data: ProgramData, now: dt.datetime) -> list[dt.datetime]:
    """One start per session title: `past` of them before today, the rest from tomorrow on.

    Series sessions fall on the schedule's weekday every few weeks, skipping the
    winter break. The first upcoming one is 1 to 7 days ahead, so with two weeks
    or more between sessions the past ones are at least a week back.
    """
    schedule, zone = data.schedule, data.timezone
    today = now.astimezone(zoneinfo.ZoneInfo(zone)).date()
    if schedule.world_day:
        start = session_start(second_saturday_of_october(today.year), schedule.start, zone)
        if start <= now:
            start = session_start(second_saturday_of_october(today.year + 1), schedule.start, zone)
        return [start]
    step = dt.timedelta(weeks=schedule.every_weeks)
    next_day = today + dt.timedelta(days=(schedule.weekday - today.weekday()) % 7 or 7)

    def walk(day: dt.date, step: dt.timedelta, count: int) -> list[dt.date]:
        days: list[dt.date] = []
        while len(days) < count:
            if not in_winter_break(day):
                days.append(day)
            day += step
        return days

    past = walk(next_day - step, -step, schedule.past)[::-1]
    upcoming = walk(next_day, step, len(data.sessions) - schedule.past)
    return [session_start(day, schedule.start, zone) for day in past + upcoming]


def create_hub(data: HubData) -> Hub:
    hub = Hub(
        slug=data.slug,
        name_en=data.name_en,
        name_fr=data.name_fr,
        description_en=data.description_en,
        description_fr=data.description_fr,
        scope=data.scope,
        sector_id=data.sector,
        is_lead=data.is_lead,
        website=data.website,
    )
    hub.full_clean()
    hub.save()
    hub.provinces.set(Province.objects.filter(code__in=data.provinces))
    return hub


def create_spoke(data: SpokeData) -> Spoke:
    spoke = Spoke(
        name=data.name,
        setting_id=data.setting,
        province_id=data.province,
        place=data.place,
        rurality=data.rurality,
    )
    spoke.full_clean()
    spoke.save()
    return spoke


def create_account(data: AccountData, hub: Hub, spokes: dict[str, Spoke]) -> User:
    """A person who can sign in at once: verified primary address, staff roles in `hub`."""
    person = User.objects.create_user(
        data.email,
        DEMO_PASSWORD,
        name=data.name,
        profession_id=data.profession,
        practice_setting_id=data.setting,
        province_id=data.province,
        practice_postal_code=data.postal_code,
        spoke=spokes[data.spoke] if data.spoke else None,
        preferred_language=data.language,
        timezone=data.timezone,
        is_national_admin=data.national,
        is_staff=data.national,
        is_superuser=data.national,
    )
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    for role in data.hub_roles:
        StaffRole.objects.create(hub=hub, person=person, role=role)
    return person


def create_program(data: ProgramData, hub: Hub, number: int, now: dt.datetime) -> Program:
    """The program with its audience, scope, sessions and their speakers."""
    starts = session_starts(data, now)
    year = str(starts[0].astimezone(zoneinfo.ZoneInfo(data.timezone)).year)
    program = Program(
        hub=hub,
        slug=data.slug.replace("{year}", year),
        title_en=data.title_en.replace("{year}", year),
        title_fr=data.title_fr.replace("{year}", year),
        description_en=data.description_en,
        description_fr=data.description_fr,
        languages=data.languages,
        scope=data.scope,
        timezone=data.timezone,
        status=data.status,
        enrolment=data.enrolment,
    )
    program.full_clean()
    program.save()
    program.audience_professions.set(Profession.objects.filter(code__in=data.professions))
    program.audience_settings.set(PracticeSetting.objects.filter(code__in=data.settings))
    provinces = data.provinces if data.scope == Program.Scope.PROVINCIAL else ()
    program.provinces.set(Province.objects.filter(code__in=provinces))
    for n, start in enumerate(starts):
        join_url = f"{JOIN_BASE}{8_400_000_000 + number * 1000 + n + 1}"
        create_session(program, data, n, start, join_url=join_url)
    return program


def create_session(
    program: Program, data: ProgramData, n: int, start: dt.datetime, *, join_url: str
) -> Session:
    """Session number `n` (from 0) of the program, with its speakers."""
    schedule = data.schedule
    title_en, title_fr = data.sessions[n]
    format_en, format_fr = data.session_format
    session = Session(
        program=program,
        title_en=title_en,
        title_fr=title_fr,
        description_en=format_en if title_en else "",
        description_fr=format_fr if title_fr else "",
        starts_at=start,
        duration_minutes=schedule.duration,
        capacity=schedule.capacity,
        join_url=join_url,
        status=Session.Status.CANCELLED if n in schedule.cancelled else Session.Status.SCHEDULED,
    )
    session.full_clean()
    session.save()
    # A headline session has every speaker; a series session one, or two on every other date.
    pool = data.speakers
    count = len(pool) if schedule.world_day else 2 - n % 2
    for position in range(min(count, len(pool))):
        speaker = pool[(n + position) % len(pool)]
        row = Speaker(
            session=session,
            name=speaker.name,
            affiliation=speaker.affiliation,
            bio_en=speaker.bio_en,
            bio_fr=speaker.bio_fr,
            position=position,
        )
        row.full_clean()
        row.save()
    return session


def build_network(now: dt.datetime) -> str:
    """Create the whole demo network; returns a one-line summary of what it made."""
    hubs = {data.slug: create_hub(data) for data in HUBS}
    spokes = {data.name: create_spoke(data) for data in SPOKES}
    people = [create_account(data, hubs[DEMO_HUB], spokes) for data in ACCOUNTS]
    programs = [
        create_program(data, hubs[data.hub], number, now)
        for number, data in enumerate(PROGRAMS, start=1)
    ]
    # The demo facilitator and expert sit on the panel of every program of their hub.
    for data, person in zip(ACCOUNTS, people, strict=True):
        for program in programs:
            if data.panel_role and program.hub_id == hubs[DEMO_HUB].pk:
                ProgramStaff.objects.create(program=program, person=person, role=data.panel_role)
    add_cpd(programs, people, hubs[DEMO_HUB], now)
    add_cases(programs, people, hubs[DEMO_HUB], now)
    add_library(programs, people, hubs[DEMO_HUB], now)
    add_evaluations(programs, people, hubs[DEMO_HUB], now)
    add_updates(programs, people, hubs, now)
    programs.append(add_community(programs, people, hubs[DEMO_HUB], now))
    drafts = sum(program.status == Program.Status.DRAFT for program in programs)
    sessions = Session.objects.filter(program__in=programs).count()
    return (
        f"{len(hubs)} hubs, {len(spokes)} spokes, {len(programs)} programs ({drafts} draft), "
        f"{sessions} sessions, {len(people)} demo accounts"
    )


def add_community(
    programs: list[Program], people: list[User], hub: Hub, now: dt.datetime
) -> Program:
    """A program by invitation in two groups, the French PSW invited into Thursday's, a
    question to the panel answered in its discussion space, and one in an open program's."""
    coordinator = next(p for p in people if p.staff_roles.filter(role="coordinator").exists())
    expert = next(p for p in people if p.staff_roles.filter(role="expert").exists())
    psw = next(p for p in people if p.email == "participant.fr@example.org")
    nurse = next(p for p in people if p.email == "participant@example.org")
    circle = Program(
        hub=hub,
        slug="psw-circle",
        title_en="PSW circle: palliative care in long-term care",
        title_fr="Cercle des préposées : soins palliatifs en soins de longue durée",
        description_en="A small circle for personal support workers, by invitation, meeting "
        "in two groups: Tuesdays at noon and Thursdays in the evening.",
        description_fr="Un petit cercle pour les préposées aux bénéficiaires, sur invitation, "
        "en deux groupes : le mardi midi et le jeudi soir.",
        languages=Program.Languages.BOTH,
        status=Program.Status.PUBLISHED,
        enrolment=Program.Enrolment.COHORT,
        access=Program.Access.INVITATION,
    )
    circle.full_clean()
    circle.save()
    zone = zoneinfo.ZoneInfo("America/Toronto")
    groups = {}
    for name_en, name_fr, weekday, hour in (
        ("Tuesday noon", "Mardi midi", 1, 12),
        ("Thursday evening", "Jeudi soir", 3, 19),
    ):
        group = program_services.save_group(
            Group(program=circle, name_en=name_en, name_fr=name_fr), by=coordinator
        )
        groups[name_en] = group
        day = now.astimezone(zone).date()
        day += dt.timedelta(days=(weekday - day.weekday()) % 7 or 7)
        for week in range(3):
            start = dt.datetime.combine(day + dt.timedelta(weeks=week), dt.time(hour), zone)
            session = program_services.save_session(
                Session(
                    program=circle,
                    group=group,
                    title_en=f"{name_en}, week {week + 1}: comfort care",
                    title_fr=f"{name_fr}, semaine {week + 1} : les soins de confort",
                    starts_at=start,
                    capacity=20,
                    join_url=f"{JOIN_BASE}{8_400_900_000 + weekday * 10 + week}",
                ),
                by=coordinator,
            )
            Speaker.objects.create(
                session=session,
                name=expert.name,
                bio_en="Palliative care physician and the circle's hub expert.",
                bio_fr="Médecin en soins palliatifs, experte du carrefour pour le cercle.",
            )
    for person in people:
        for role in person.staff_roles.filter(hub=hub, role__in=("facilitator", "expert")):
            ProgramStaff.objects.create(program=circle, person=person, role=role.role)
    SpaceSettings.objects.create(program=circle, group_spaces=True)
    parsed = invitations.parse_addresses(f"{psw.email}, fr\nnew.psw@example.org, fr")
    batch = invitations.start_batch(
        circle, parsed, language="fr", days=30, by=coordinator, group=groups["Thursday evening"]
    )
    invitations.run_batch(batch.pk)
    invitations.accept(circle.invitations.get(email=psw.email), psw)
    question = community_services.start_thread(
        space_for(circle),
        psw,
        title="Bouche sèche en fin de vie",
        body="Quels soins de bouche utilisez-vous quand la personne ne boit plus ?",
        language="fr",
        kind=Thread.Kind.QUESTION,
    )
    answer = community_services.reply(
        question,
        expert,
        body="Moisten the mouth every hour with a soft swab and water, and use a water-based "
        "gel on the lips. Families can learn to do it too.",
        language="en",
    )
    community_services.mark_answer(answer, expert)
    community_services.mark_helpful(answer, psw)
    open_program = next(
        p
        for p in programs
        if p.hub_id == hub.pk and p.status == Program.Status.PUBLISHED and p.enrolment == "open"
    )
    if not Registration.objects.filter(person=nurse, session__program=open_program).exists():
        upcoming = open_program.sessions.filter(starts_at__gt=now).order_by("starts_at").first()
        if upcoming is not None:
            Registration.objects.create(session=upcoming, person=nurse, status="confirmed")
    community_services.start_thread(
        space_for(open_program),
        nurse,
        title="Talking about goals of care with families",
        body="How do your teams start the conversation before a crisis?",
        language="en",
    )
    return circle


def add_cpd(programs: list[Program], people: list[User], hub: Hub, now: dt.datetime) -> None:
    """Accreditations on the demo hub's first published program, and the two demo
    participants' attendance at its past sessions, with their certificates issued."""
    program = next(
        (p for p in programs if p.hub_id == hub.pk and p.status == Program.Status.PUBLISHED), None
    )
    if program is None:
        return
    for data in ACCREDITATIONS:
        accreditation = Accreditation.objects.create(
            program=program,
            body=data.body,
            credit_type=data.credit_type,
            credits_per_hour=Decimal("1"),
            number=data.number,
            statement_en=data.statement_en,
            statement_fr=data.statement_fr,
            valid_from=(now - dt.timedelta(days=365)).date(),
            valid_to=(now + dt.timedelta(days=365)).date(),
        )
        accreditation.professions.set(Profession.objects.filter(code__in=data.professions))
    coordinator = next(p for p in people if p.email.startswith("coordinator@"))
    participants = [p for p in people if p.email.startswith("participant")]
    past = list(program.sessions.filter(starts_at__lt=now).order_by("starts_at"))
    for session in past:
        for number, person in enumerate(participants):
            Attendance.objects.create(
                session=session,
                person=person,
                source=Attendance.Source.REPORT,
                minutes=session.duration_minutes - 5 * (number + 1),
            )
        certificate_services.issue_for_session(session, by=coordinator)


def add_evaluations(
    programs: list[Program], people: list[User], hub: Hub, now: dt.datetime
) -> None:
    """The hub's three starter questionnaires, chosen by its first program; invented providers'
    answers to its past sessions and to the series before and after, so the results pages
    show figures and a change at once; and the demo nurse's own evaluation of the latest
    session, waiting for her answer."""
    program = next(
        (p for p in programs if p.hub_id == hub.pk and p.status == Program.Status.PUBLISHED), None
    )
    if program is None:
        return
    coordinator = next(p for p in people if p.email.startswith("coordinator@"))
    made = {
        starter: evaluation_services.create_questionnaire(hub, starter, by=coordinator)
        for starter in ("session", "pre_post", "follow_up")
    }
    plan = evaluation_services.plan_for(program)
    plan.session_questionnaire = made["session"]
    plan.pre_post_questionnaire = made["pre_post"]
    plan.follow_up_questionnaire = made["follow_up"]
    evaluation_services.save_plan(plan, by=coordinator)
    respondents = []
    for number, (name, profession, language, province, code) in enumerate(RESPONDENTS, 1):
        person = User.objects.create_user(
            f"respondent{number:02}@example.org",
            None,
            name=name,
            profession_id=profession,
            preferred_language=language,
            province_id=province,
            practice_postal_code=code,
        )
        respondents.append(person)
    rng = random.Random(13)  # noqa: S311  # invented answers, not secrets
    past = list(program.sessions.filter(starts_at__lt=now).order_by("starts_at"))
    first_start = past[0].starts_at if past else now

    def answer(person: User, phase: str, session: Session | None, answers: dict[str, Any]) -> None:
        opened = session.ends_at if session else first_start - dt.timedelta(days=7)
        completion, _made = evaluation_services.ask(
            person,
            program,
            phase,
            session=session,
            opens_at=opened,
            closes_at=now + dt.timedelta(hours=1),
        )
        questionnaire = plan.questionnaire_for(phase)
        assert questionnaire is not None  # noqa: S101  # chosen above
        version = evaluation_services.current_version(questionnaire)
        evaluation_services.submit(completion, version, answers)
        # As it would have happened: each evaluation closed its window after the session.
        Completion.objects.filter(pk=completion.pk).update(
            closes_at=max(opened + dt.timedelta(days=plan.session_open_days), now)
        )

    def scale(low: int, high: int) -> int:
        return rng.randint(low, high)

    for position, session in enumerate(past):
        present = rng.sample(respondents, k=min(len(respondents), 14 + position))
        for person in present:
            Attendance.objects.create(
                session=session,
                person=person,
                source=Attendance.Source.REPORT,
                minutes=session.duration_minutes - rng.randint(0, 10),
            )
            if rng.random() < 0.25:
                continue  # not everyone answers
            answer(
                person,
                Phase.SESSION,
                session,
                {
                    "relevance": scale(3, 5),
                    "teaching": scale(3, 5),
                    "case_discussion": scale(2 + min(position, 2), 5),
                    "learned": scale(3, 5),
                    "intend_change": rng.choice(["yes", "yes", "yes", "already", "unsure", "no"]),
                    "will_do": rng.choice(WILL_DO),
                    "free_of_bias": "yes" if rng.random() < 0.95 else "no",
                    "improve": rng.choice(IMPROVE),
                },
            )
    pre_post = evaluation_services.current_version(made["pre_post"])
    keys = list(pre_post.items.values_list("key", flat=True))
    for number, person in enumerate(respondents):
        before = {key: scale(1, 3) for key in keys}
        answer(person, Phase.PRE, None, before)
        if number % 4 != 3:  # three in four answered after the series too
            answer(
                person, Phase.POST, None, {k: min(5, v + scale(0, 2)) for k, v in before.items()}
            )
    # The demo nurse attended the latest session: her evaluation of it waits for her.
    nurse = next(p for p in people if p.email == "participant@example.org")
    if past:
        evaluation_services.ask(
            nurse,
            program,
            Phase.SESSION,
            session=past[-1],
            opens_at=past[-1].ends_at,
            closes_at=max(past[-1].ends_at, now) + dt.timedelta(days=plan.session_open_days),
        )


DEMO_CASES = (
    (
        "Pain crisis at home in pancreatic cancer",
        {
            "age_band": "70-79",
            "sex": "female",
            "setting": "home",
            "diagnosis": "Metastatic pancreatic cancer",
            "symptoms": "Abdominal pain 8/10 despite morphine 10 mg PO q4h and 5 mg PRN "
            "(6 breakthroughs a day). PPS 40%. ESAS nausea 6/10, drowsiness 5/10.",
            "medications": "Morphine, metoclopramide 10 mg PO QID, senna, PEG 3350.",
            "psychosocial": "Lives with her spouse, who is her main caregiver and is exhausted.",
            "goals_of_care": "To stay at home, comfortable, as long as possible.",
            "tried": "Morphine dose increased twice this week; heat packs.",
            "question": "Should we rotate the opioid, and when is a subcutaneous infusion right?",
        },
        "Rotate from morphine to hydromorphone at about 80% of the equianalgesic dose, with "
        "breakthrough doses of 10% of the daily total. Watch for neurotoxicity. Consider a "
        "subcutaneous infusion if oral intake falls. Ask the home care nurse to check the "
        "bowels daily.",
    ),
    (
        "Délirium en soins de longue durée",
        {
            "age_band": "80-89",
            "sex": "male",
            "setting": "ltc",
            "diagnosis": "Démence de type Alzheimer avancée, pneumonie",
            "symptoms": "Agitation le soir depuis trois jours, PPS 30 %.",
            "medications": "Halopéridol 0,5 mg SC au besoin, acétaminophène 650 mg PO QID.",
            "goals_of_care": "Confort\u00a0; pas de transfert à l'hôpital.",
            "question": "Comment soulager l'agitation sans trop le sédater\u00a0?",
        },
        "",
    ),
    (
        "Dyspnea in advanced COPD",
        {
            "age_band": "60-69",
            "sex": "male",
            "setting": "clinic",
            "diagnosis": "COPD, GOLD 4",
            "symptoms": "Breathless at rest, ESAS dyspnea 8/10, anxious at night.",
            "question": "Is low-dose opioid safe for his breathlessness?",
        },
        "",
    ),
)


def add_cases(programs: list[Program], people: list[User], hub: Hub, now: dt.datetime) -> None:
    """Three cases in the demo hub's first program: one presented, with recommendations in
    the case library; one scheduled in the next session; one waiting for review."""
    program = next(
        (p for p in programs if p.hub_id == hub.pk and p.status == Program.Status.PUBLISHED), None
    )
    if program is None:
        return
    by_email = {person.email.split("@")[0]: person for person in people}
    presenters = [by_email["participant"], by_email["participant.fr"], by_email["participant"]]
    coordinator, facilitator = by_email["coordinator"], by_email["facilitator"]
    past = program.sessions.filter(starts_at__lt=now).order_by("-starts_at").first()
    upcoming = program.sessions.filter(starts_at__gt=now, status=Session.Status.SCHEDULED).first()
    for person in set(presenters):
        for session in (past, upcoming):
            if session is not None:
                Registration.objects.get_or_create(
                    session=session, person=person, defaults={"status": "confirmed"}
                )
    for number, ((title, answers, advice), presenter) in enumerate(
        zip(DEMO_CASES, presenters, strict=True)
    ):
        case = case_services.save_case(
            None,
            program=program,
            presenter=presenter,
            title=title,
            answers=answers,
            submit=True,
            attested=True,
        )
        if number == 2 or upcoming is None:
            continue
        case_services.review(case, "accepted", by=coordinator)
        case_services.schedule(case, upcoming, by=coordinator)
        if number == 0 and past is not None:
            # Presented last time: moved to the past session it was discussed in.
            case.session = past
            case.save()
            recommending.write(case, advice, follow_up_on=upcoming.starts_at.date(), by=facilitator)
            recommending.send(case, by=facilitator)


# A short invented transcript, in the form Zoom's cloud recordings give.
DEMO_TRANSCRIPT = """WEBVTT

1
00:00:05.000 --> 00:00:11.000
Femi Lachance-Adeyemi: Welcome everyone.
Today we talk about dyspnea in the last days of life.

2
00:01:35.000 --> 00:01:44.000
Dr Ingrid Solberg-Matthews: Low-dose opioids relieve breathlessness;
start with hydromorphone 0.25 mg subcutaneously.

3
00:02:10.000 --> 00:02:18.000
Dr Ingrid Solberg-Matthews: En français : la dyspnée répond aussi aux opioïdes à faible dose.

4
00:03:02.000 --> 00:03:09.000
Femi Lachance-Adeyemi: A fan to the face and an upright position help too.
"""


def add_library(programs: list[Program], people: list[User], hub: Hub, now: dt.datetime) -> None:
    """A recording with its transcript, a protocol in two versions and a scale, in the demo
    hub's first program, so that the library and its search have something to find."""
    program = next(
        (p for p in programs if p.hub_id == hub.pk and p.status == Program.Status.PUBLISHED), None
    )
    if program is None:
        return
    coordinator = next(p for p in people if p.email.startswith("coordinator@"))
    past = program.sessions.filter(starts_at__lt=now).order_by("-starts_at").first()
    topics = {t.code: t for t in Topic.objects.all()}

    def save(resource: Resource, *codes: str) -> Resource:
        return library_services.save_resource(
            resource,
            by=coordinator,
            topics=[topics[c] for c in codes],
            professions=[],
            practice_settings=[],
        )

    recording = save(
        Resource(
            hub=hub,
            kind=Resource.Kind.RECORDING,
            title_en="Dyspnea in the last days of life",
            title_fr="La dyspnée dans les derniers jours de vie",
            description_en="The session's recording, with its transcript.",
            description_fr="L'enregistrement de la séance, avec sa transcription.",
            language=Resource.Language.BOTH,
            program=program,
            session=past,
            url="https://vimeo.com/76979871",
        ),
        "dyspnea",
        "last-days-hours",
    )
    library_services.attach_transcript(recording, DEMO_TRANSCRIPT.encode(), by=coordinator)
    protocol = save(
        Resource(
            hub=hub,
            kind=Resource.Kind.PROTOCOL,
            title_en="Breakthrough pain: subcutaneous hydromorphone",
            title_fr="Douleur paroxystique\u00a0: hydromorphone sous-cutanée",
            language=Resource.Language.EN,
            program=program,
            text="Regular dose: hydromorphone 0.5 mg SC q4h.\n"
            "Breakthrough: 0.25 mg SC q1h PRN.\nReview after 24 hours.",
        ),
        "pain",
        "opioids-medications",
    )
    library_services.add_version(
        protocol,
        by=coordinator,
        text="Regular dose: hydromorphone 0.5 mg SC q4h.\n"
        "Breakthrough: 10% of the total daily dose SC q1h PRN.\nReview after 24 hours.",
        changes_en="The breakthrough dose now follows the total daily dose.",
        changes_fr="La dose de percée suit maintenant la dose quotidienne totale.",
    )
    save(
        Resource(
            hub=hub,
            kind=Resource.Kind.TOOL,
            title_en="Edmonton Symptom Assessment System (ESAS-r)",
            title_fr="Système d'évaluation des symptômes d'Edmonton (ESAS-r)",
            language=Resource.Language.BOTH,
            url="https://www.albertahealthservices.ca/info/page14391.aspx",
        ),
        "pain",
        "dyspnea",
    )


def add_updates(
    programs: list[Program], people: list[User], hubs: dict[str, Hub], now: dt.datetime
) -> None:
    """Who signs the network's emails (CASL), and a few updates: published, and one scheduled."""
    lead, hub = hubs[LEAD_SLUG], hubs[DEMO_HUB]
    lead.mailing_address = "Palliative Care ECHO (demo)\n100 Example Street\nOttawa ON K1A 0B1"
    lead.contact_email = "echo@example.org"
    lead.save()
    hub.mailing_address = "Ontario hub (demo)\n200 Example Avenue\nToronto ON M5V 0A1"
    hub.contact_email = "ontario-echo@example.org"
    hub.save()
    coordinator = next(p for p in people if p.staff_roles.filter(role="coordinator").exists())
    national = next(p for p in people if p.is_national_admin)
    ours = [p for p in programs if p.hub_id == hub.pk and p.status == Program.Status.PUBLISHED]
    made = [
        (
            Update(
                hub=None,
                title_en="Welcome to the new EchoHub",
                title_fr="Bienvenue dans le nouvel EchoHub",
                body_en="Every hub's programs, sessions, recordings and certificates are now "
                "in one place.\n\n- Find a program for your profession and province\n"
                "- Register in one click\n- Get your certificates\n\n"
                "**Stay informed**: subscribe to a weekly or monthly digest, no account needed.",
                body_fr="Les programmes, séances, enregistrements et attestations de chaque "
                "carrefour sont maintenant au même endroit.\n\n- Trouvez un programme pour "
                "votre profession et votre province\n- Inscrivez-vous en un clic\n"
                "- Obtenez vos attestations\n\n**Restez informé**\u00a0: abonnez-vous à un "
                "résumé hebdomadaire ou mensuel, sans compte.",
                send_email=False,
            ),
            national,
            [],
        ),
        (
            Update(
                hub=hub,
                title_en="New this winter: a series for personal support workers",
                title_fr="Nouveau cet hiver\u00a0: une série pour les préposés aux bénéficiaires",
                body_en="## Why this series\n\nPSWs spend the most time at the bedside. "
                "Bring a case, or just listen: every session is an hour, at lunch.",
                body_fr="## Pourquoi cette série\n\nLes PAB passent le plus de temps au chevet. "
                "Présentez un cas, ou écoutez\u00a0: chaque séance dure une heure, le midi.",
                send_email=False,
            ),
            coordinator,
            ours[:1],
        ),
    ]
    for update, author, linked in made:
        update_services.save_update(
            update, by=author, links=update_services.Links(programs=linked), publish="now"
        )
    update_services.save_update(
        Update(
            hub=hub,
            title_en="Holiday schedule",
            title_fr="Horaire des Fêtes",
            body_en="No sessions between Christmas and New Year's Day.",
            body_fr="Aucune séance entre Noël et le jour de l'An.",
        ),
        by=coordinator,
        links=update_services.Links(),
        publish="schedule",
        publish_at=now + dt.timedelta(days=7),
    )


class Command(BaseCommand):
    help = (
        "Load an invented national palliative care ECHO network, with one demo account "
        "per role, into an empty database. Does nothing if it is already loaded."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            if Hub.objects.filter(slug=LEAD_SLUG).exists():
                self.stdout.write("The demo network is already loaded: nothing to do.")
            else:
                self.refuse_unless_empty()
                summary = build_network(timezone.now())
                # The demo writes attendance straight to the tables: the reach
                # figures are counted from them once, as after a restore.
                aggregates.rebuild()
                self.stdout.write(self.style.SUCCESS(f"Demo network loaded: {summary}."))
        self.print_accounts()

    def refuse_unless_empty(self) -> None:
        people, hubs = User.objects.count(), Hub.objects.count()
        if people or hubs:
            raise CommandError(
                f"This database already holds {people} people and {hubs} hubs. The demo "
                "network loads only into an empty database, because its accounts share a "
                "published password. Point DATABASE_URL at a new database to try it."
            )

    def print_accounts(self) -> None:
        port = os.environ.get("PORT", "8000")
        self.stdout.write(f"\nOpen http://127.0.0.1:{port} and sign in with a demo account:\n\n")
        header = ("Email", "Role", "Password")
        rows = [header, *((data.email, data.role, DEMO_PASSWORD) for data in ACCOUNTS)]
        widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
        for number, row in enumerate(rows):
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  " + "  ".join(cells).rstrip())
            if number == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))
        self.stdout.write(
            f"\nThe Django admin is at http://127.0.0.1:{port}/en/admin/ for the national admin.\n"
        )
