"""Every page fits a phone: at 390 px wide nothing pushes the page sideways.

The test walks every URL pattern, fills its arguments from a small world of
objects (a hub, a program with registrants, an attendance report waiting for
review, certificates, cases, a protocol with two versions…), asks Django which
of them each person can GET as HTML, then loads those in a phone-sized Chromium
and fails on any horizontal overflow, naming the page and the element that
sticks out. A new URL with arguments fails until it is added to KWARGS (or
NOT_PAGES, with why), so new pages are checked too.
"""

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from echohub import sealing
from echohub.accounts.models import User
from echohub.api import services as api_services
from echohub.api.models import ApiToken, Scope
from echohub.attendance import services as attendance_services
from echohub.attendance.models import AttendanceImport
from echohub.cases import services as case_services
from echohub.cases.models import Case
from echohub.certificates import services as certificate_services
from echohub.certificates.models import Accreditation, Certificate
from echohub.community import permissions as community_permissions
from echohub.community import services as community_services
from echohub.community.models import SpaceSettings, Thread
from echohub.evaluations import services as evaluation_services
from echohub.evaluations.models import Completion, Phase, Questionnaire
from echohub.library import services as library_services
from echohub.library.models import Resource
from echohub.network.models import Spoke
from echohub.programs.models import Group, Invitation, Program, Session
from echohub.registration import invitations
from echohub.registration.links import cancel_token
from echohub.registration.models import Registration
from echohub.updates import services as update_services
from echohub.updates.models import Subscriber, Update
from echohub.video.models import Connection, Meeting, ProgramVideo
from echohub.webhooks.models import Delivery, Event, Subscription
from tests.browser.conftest import PHONE
from tests.conftest import Network
from tests.factories import SessionFactory, SpeakerFactory, SpokeFactory, UserFactory
from tests.test_access import _walk

pytestmark = pytest.mark.browser
TORONTO = zoneinfo.ZoneInfo("America/Toronto")
# Long, real-looking words and addresses: what breaks a narrow layout.
LONG_PEOPLE = (
    (
        "Marie-Françoise Desrochers-Beauchemin",
        "marie-francoise.desrochers@cisss-abitibi.gouv.qc.ca",
    ),
    ("Brian Smith", "brian@example.org"),
    ("Oluwaseun Adebayo-Okonkwo", "oluwaseun.adebayo-okonkwo@northernhealthcollaborative.ca"),
)


@dataclass
class World:
    network: Network
    session: Session
    spoke: Spoke
    upload: AttendanceImport
    certificate: Certificate
    case: Case
    draft_case: Case
    resource: Resource
    registration: Registration
    questionnaire: Questionnaire
    completion: Completion
    update: Update
    subscriber: Subscriber
    confirm_token: str
    group: Group
    thread: Thread
    invitation_token: str
    token: ApiToken
    webhook: Subscription
    connection: Connection


def build_world(n: Network) -> World:
    program = n.program
    program.title_en = "Palliative Care for Personal Support Workers in Long-Term Care"
    program.description_en = "Interprofessional case-based learning " * 8
    program.save()
    day = dt.datetime.now(TORONTO).date() - dt.timedelta(days=1)
    held = SessionFactory(
        program=program,
        title_en="Anticipatory grief and interprofessional communication",
        starts_at=dt.datetime.combine(day, dt.time(13), tzinfo=TORONTO),
    )
    SpeakerFactory(session=held, name="Dr Sarah Whitehorse-Lavallée")
    people = [UserFactory(name=name, email=email) for name, email in LONG_PEOPLE]
    for person in people:
        Registration.objects.create(session=held, person=person, status="confirmed")
    Registration.objects.create(session=held, person=n.participant, status="confirmed")
    pending = Registration.objects.create(session=n.session, person=people[0], status="pending")
    stamp = day.strftime("%m/%d/%Y")
    report = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n" + "".join(
        f"{name},{email},{stamp} 01:00:00 PM,{stamp} 02:00:00 PM,60\n"
        for name, email in LONG_PEOPLE
    )
    report += f"iPhone (Wei Zhang),,{stamp} 01:10:00 PM,{stamp} 01:50:00 PM,40\n"
    report += (
        f"Nadia Participant,{n.participant.email},{stamp} 01:00:00 PM,{stamp} 02:00:00 PM,60\n"
    )
    first = attendance_services.preview_import(
        held, report.encode(), filename="zoom.csv", by=n.coordinator, report_zone="America/Toronto"
    )
    attendance_services.apply_import(
        first, attendance_services.suggested_decisions(first), by=n.coordinator
    )
    upload = attendance_services.preview_import(
        held,
        report.encode(),
        filename="participants_84729174651_zoom_report_2026.csv",
        by=n.coordinator,
        report_zone="America/Toronto",
    )
    Accreditation.objects.create(
        program=program,
        body="College of Family Physicians of Canada",
        number="MP-2026-0042",
        credit_type=Accreditation.CreditType.MAINPRO_GROUP,
        credits_per_hour=Decimal("1"),
        statement_en="Certified for up to 8 Mainpro+ credits.",
        valid_from=day - dt.timedelta(days=30),
        valid_to=day + dt.timedelta(days=300),
    )
    certificate_services.issue_for_session(held, by=n.coordinator)
    case = case_services.save_case(
        None,
        program=program,
        presenter=n.participant,
        title="Delirium at home in an eighty-nine-year-old with metastatic disease",
        answers={"age_band": "80-89", "question": "Haloperidol or not?"},
        submit=True,
        attested=True,
    )
    case_services.review(case, "accepted", by=n.coordinator)
    case_services.schedule(case, n.session, by=n.coordinator)
    draft = case_services.save_case(
        None,
        program=program,
        presenter=n.participant,
        title="Constipation",
        answers={"age_band": "60-69"},
        submit=False,
        attested=False,
    )
    resource = library_services.save_resource(
        Resource(
            hub=n.hub,
            kind="protocol",
            title_en="Subcutaneous hydromorphone in long-term care",
            text="https://www.example.org/protocols/palliative/hydromorphone-subcutaneous-2026.pdf\n"
            "0.5 mg q4h",
        ),
        by=n.coordinator,
        topics=[],
        professions=[],
        practice_settings=[],
        upload=None,
    )
    library_services.add_version(resource, by=n.coordinator, text="1 mg q4h", changes_en="Double")
    completion = evaluate(n, held)
    update = update_services.save_update(
        Update(
            hub=n.hub,
            title_en="Interprofessional palliative approaches in long-term care homes",
            body_en="## What changes\n\nRead https://www.example.org/protocols/palliative/"
            "hydromorphone-subcutaneous-2026-long-term-care-version.pdf before **January**.",
        ),
        by=n.coordinator,
        links=update_services.Links(programs=[program], sessions=[n.session]),
        publish="now",
    )
    consent = update_services.request_subscription(
        email=LONG_PEOPLE[0][1],
        language="en",
        shown_in="en",
        zone="America/Toronto",
        choices=update_services.Choices(),
        hub=n.hub,
        page="/en/",
        ip_address=None,
    )
    subscriber = update_services.confirm_subscription(consent)
    group, thread, invitation_token = community(n)
    return World(
        network=n,
        session=held,
        spoke=SpokeFactory(name="Centre de santé communautaire de Hamilton-Niagara-Haldimand"),
        upload=upload,
        certificate=Certificate.objects.filter(person=n.participant).get(),
        case=case,
        draft_case=draft,
        resource=resource,
        registration=pending,
        questionnaire=Questionnaire.objects.get(hub=n.hub, kind=Questionnaire.Kind.PRE_POST),
        completion=completion,
        update=update,
        subscriber=subscriber,
        confirm_token=signing.dumps(consent.pk, salt="echohub.updates.confirm"),
        group=group,
        thread=thread,
        invitation_token=invitation_token,
        token=api_services.create_token(
            n.hub,
            name="Provincial learning management system (Ontario Health Atlantic pilot)",
            scopes=list(Scope.values),
            expires_at=timezone.now() + dt.timedelta(days=300),
            by=n.hub_admin,
        )[0],
        webhook=webhook(n),
        connection=video(n, held),
    )


def video(n: Network, held: Session) -> Connection:
    """A connection whose last test failed, and the held session's meeting: a failed call
    with the platform's long answer, its fetched attendance and a recording offered."""
    found = Connection.objects.create(
        hub=n.hub,
        platform="teams",
        name="Microsoft Teams of the Ontario Palliative Care Network (pilot tenant)",
        options={
            "tenant_id": "00000000-0000-4000-8000-00000000a001",
            "client_id": "00000000-0000-4000-8000-0000000000c1",
            "organizer": "echo.coordination.ontario-palliative-care@example.org",
        },
        sealed=sealing.seal('{"client_secret": "x"}'),
        check_status="failed",
        check_problem="credentials",
        check_detail="AADSTS7000215: Invalid client secret provided. Ensure the secret being "
        "sent in the request is the client secret value, not the client secret ID, for a "
        "secret added to app '00000000-0000-4000-8000-0000000000c1'.",
        checked_at=timezone.now(),
        created_by=n.hub_admin,
    )
    ProgramVideo.objects.create(program=n.program, connection=found, set_by=n.coordinator)
    Meeting.objects.create(
        session=held,
        connection=found,
        key="echohub-phone-width-room",
        external_id="MSowMDAwMDAwMC0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDAwMDEqMCoqMTk6bWVldGluZ19S",
        state="failed",
        problem="permission",
        detail="Forbidden: No Application Access Policy found for this app "
        "00000000-0000-4000-8000-0000000000c1 on the user organizer@example.org",
        attempts=3,
        next_try_at=timezone.now() + dt.timedelta(hours=2),
        attendance="waiting",
        recordings=[
            {"external_id": "rec-1", "url": "https://bbb.example.org/playback/presentation/2.3/"
             "ffbfc4cc24428694e8b53a4e144f414052431693-1530718721124", "minutes": 58,
             "transcript_url": "https://bbb.example.org/textTrack/en-US.vtt", "resource": None},
        ],
    )  # fmt: skip
    return found


def webhook(n: Network) -> Subscription:
    """A webhook with a delivery of each outcome, its receiver's answer in the log."""
    found = Subscription.objects.create(
        hub=n.hub,
        name="Provincial learning management system (Ontario Health Atlantic pilot)",
        url="https://lms.ontario-palliative-care-network.example.org/echohub/webhooks/receive",
        events=list(Event.values),
        created_by=n.hub_admin,
    )
    now = timezone.now()
    for status, code, body in (
        ("delivered", 200, '{"ok": true}'),
        ("retrying", 503, "<html><body>Service temporarily unavailable</body></html>" * 3),
        ("failed", None, ""),
    ):
        Delivery.objects.create(
            subscription=found,
            event="registration.cancelled",
            about="registration:1",
            payload={},
            status=status,
            attempts=8 if status == "failed" else 1,
            response_status=code,
            response_body=body,
            error="" if code else "No answer within 10.0 seconds.",
            last_attempt_at=now,
            next_attempt_at=now + dt.timedelta(minutes=5) if status == "retrying" else None,
            duration_ms=420,
        )
    return found


def community(n: Network) -> tuple[Group, Thread, str]:
    """A group with a space of its own, a thread with a long reply, and an invitation."""
    program = n.program
    program.enrolment = Program.Enrolment.COHORT
    program.save()
    group = Group.objects.create(
        program=program,
        name_en="Thursday evening group of personal support workers in long-term care",
        facilitator=n.facilitator,
    )
    SpaceSettings.objects.create(program=program, group_spaces=True)
    thread = community_services.start_thread(
        community_permissions.space_for(program),
        n.participant,
        title="Mouth care at the end of life in long-term care: what do your teams use?",
        body="We tried swabs every two hours; the interprofessionnalisation-des-soins-"
        "palliatifs-en-soins-de-longue-duree protocol was our starting point.",
        language="en",
        kind="question",
    )
    community_services.reply(
        thread, n.expert, body="Interprofessional approaches " * 30, language="en"
    )
    _invitation, token = invitations._issue(
        Invitation(program=program, email=LONG_PEOPLE[2][1], times_sent=0),
        language="fr",
        days=30,
        by=n.coordinator,
        group=group,
    )
    return group, thread, token


def evaluate(n: Network, held: Session) -> Completion:
    """The program's evaluations, answered by six people after `held`; the participant's own
    evaluation of it still open (for the answer page and "My sessions")."""
    plan = evaluation_services.plan_for(n.program)
    for starter in ("session", "pre_post", "follow_up"):
        made = evaluation_services.create_questionnaire(n.hub, starter, by=n.coordinator)
        setattr(plan, f"{starter}_questionnaire", made)
    evaluation_services.save_plan(plan, by=n.coordinator)
    assert plan.session_questionnaire is not None
    version = evaluation_services.current_version(plan.session_questionnaire)
    window = {"opens_at": held.ends_at, "closes_at": held.ends_at + dt.timedelta(days=14)}
    for number in range(6):
        person = UserFactory(name=f"Respondent {number}")
        completion, _ = evaluation_services.ask(
            person, n.program, Phase.SESSION, session=held, **window
        )
        evaluation_services.submit(
            completion,
            version,
            {
                "relevance": 3 + number % 3,
                "teaching": 4,
                "case_discussion": 2 + number % 4,
                "learned": 5,
                "intend_change": "yes",
                "will_do": "Start the goals-of-care conversation earlier, before any crisis, "
                "with the interprofessional team and the substitute decision-maker present.",
                "free_of_bias": "yes",
            },
        )
    completion, _ = evaluation_services.ask(
        n.participant, n.program, Phase.SESSION, session=held, **window
    )
    return completion


def _program(w: World) -> dict[str, Any]:
    return {"slug": w.network.program.slug}


def _hub(w: World) -> dict[str, Any]:
    return {"slug": w.network.hub.slug}


def _session(w: World) -> dict[str, Any]:
    return {"pk": w.session.pk}


def _case(w: World) -> dict[str, Any]:
    return {"public_id": w.case.public_id}


def _resource(w: World) -> dict[str, Any]:
    return {"key": w.resource.key}


def _questionnaire(w: World) -> dict[str, Any]:
    return {"pk": w.questionnaire.pk}


# The arguments of every URL pattern that has some.
KWARGS: dict[str, Callable[[World], dict[str, Any]]] = {
    "evaluations:answer": lambda w: {"token": evaluation_services.link_token(w.completion)},
    "evaluations:completions": _program,
    "evaluations:session_results": _session,
    "evaluations:program_results": _program,
    "evaluations:hub_results": _hub,
    "reports:hub": _hub,
    "reports:program": _program,
    "evaluations:plan": _program,
    "evaluations:questionnaires": _hub,
    "evaluations:questionnaire": _questionnaire,
    "evaluations:preview": _questionnaire,
    "evaluations:question_edit": lambda w: {"pk": w.questionnaire.pk, "key": "goals_of_care"},
    "programs:program": _program,
    "programs:manage_program": _program,
    "programs:program_edit": _program,
    "programs:session_create": _program,
    "programs:series_create": _program,
    "attendance:program": _program,
    "certificates:manage": _program,
    "cases:new": _program,
    "cases:library": _program,
    "cases:manage": _program,
    "cases:form_design": _program,
    "cases:field_edit": lambda w: {**_program(w), "key": "diagnosis"},
    "programs:hub": _hub,
    "network:hub_edit": _hub,
    "network:hub_staff": _hub,
    "library:manage": _hub,
    "library:create": _hub,
    "cases:audit": _hub,
    "programs:session": _session,
    "programs:session_edit": _session,
    "registration:register": _session,
    "registration:registrants": _session,
    "registration:message": _session,
    "attendance:session": _session,
    "network:spoke_edit": lambda w: {"pk": w.spoke.pk},
    "attendance:preview": lambda w: {"pk": w.upload.pk},
    "registration:cancel_link": lambda w: {"token": cancel_token(w.registration)},
    "certificates:pdf": lambda w: {"code": w.certificate.code},
    "certificates:verify": lambda w: {"code": w.certificate.code},
    "cases:detail": _case,
    "cases:export": _case,
    "cases:edit": lambda w: {"public_id": w.draft_case.public_id},
    "library:resource": _resource,
    "library:download": _resource,
    "library:edit": _resource,
    "library:version": _resource,
    "library:diff": lambda w: {**_resource(w), "number": 2},
    "calendars:session_ics": _session,
    "calendars:program_feed": _program,
    "calendars:personal_feed": lambda w: {"token": "not-a-token"},
    # Pages that ask before they act (GET asks, POST does it).
    "registration:cancel": _session,
    "registration:enrol": _program,
    "certificates:revoke": lambda w: {"pk": w.certificate.pk},
    "network:hub_logo": lambda w: {"slug": w.network.hub.slug, "name": "none.png"},
    "network:hub_css": _hub,
    "sitepages:page": lambda w: {"key": "privacy"},
    "sitepages:edit": lambda w: {"key": "privacy"},
    "updates:hub_list": _hub,
    "updates:detail": lambda w: {"pk": w.update.pk, "slug": w.update.slug},
    "updates:edit": lambda w: {"pk": w.update.pk},
    "updates:confirm": lambda w: {"token": w.confirm_token},
    "updates:preferences_key": lambda w: {"key": w.subscriber.key},
    "outreach:unsubscribe": lambda w: {"token": w.subscriber.address.token},
    "registration:invitation": lambda w: {"token": w.invitation_token},
    "registration:invitations": _program,
    "registration:group_members": lambda w: {**_program(w), "pk": w.group.pk},
    "programs:groups": _program,
    "programs:group_edit": lambda w: {**_program(w), "pk": w.group.pk},
    "community:space": _program,
    "community:group_space": lambda w: {**_program(w), "pk": w.group.pk},
    "community:thread": lambda w: {"pk": w.thread.pk},
    "community:edit": lambda w: {"pk": w.thread.posts.get(opening=True).pk},
    "community:report": lambda w: {"pk": w.thread.posts.get(opening=False).pk},
    "community:moderation": _program,
    "api_tokens:hub": lambda w: {"slug": w.network.hub.slug},
    "api_tokens:hub_revoke": lambda w: {"slug": w.network.hub.slug, "pk": w.token.pk},
    "api_tokens:network_revoke": lambda w: {"pk": w.token.pk},  # a hub's: a 404 here
    "webhooks:hooks": lambda w: {"slug": w.network.hub.slug},
    "webhooks:store": _program,
    "webhooks:hook": lambda w: {"slug": w.network.hub.slug, "pk": w.webhook.pk},
    "webhooks:delete": lambda w: {"slug": w.network.hub.slug, "pk": w.webhook.pk},
    "video:connections": lambda w: {"slug": w.network.hub.slug},
    "video:connect": lambda w: {"slug": w.network.hub.slug, "platform": "teams"},
    "video:connection": lambda w: {"slug": w.network.hub.slug, "pk": w.connection.pk},
    "video:delete": lambda w: {"slug": w.network.hub.slug, "pk": w.connection.pk},
    "video:program": _program,
}
# Patterns with arguments that are not pages to look at, and why.
NOT_PAGES = {
    **dict.fromkeys(
        [
            "programs:program_publish",
            "programs:program_cancel",
            "programs:panel_add",
            "programs:panel_remove",
            "programs:session_cancel",
            "network:hub_staff_remove",
            "registration:leave",
            "registration:add",
            "registration:remove",
            "registration:decide",
            "registration:capacity",
            "registration:toggle",
            "attendance:upload",
            "attendance:mark",
            "attendance:new_code",
            "certificates:issue",
            "cases:withdraw",
            "evaluations:waive",
            "cases:recommendations",
            "cases:invite",
            "cases:settings",
            "cases:review",
            "cases:schedule",
            "library:transcript",
            "registration:join",
            "registration:invitation_resend",
            "registration:invitation_withdraw",
            "community:helpful",
            "community:answer",
            "community:follow",
            "community:moderate",
            "webhooks:toggle",
            "webhooks:resend",
            "video:test",
            "video:retry",
            "video:recordings",
            "video:add_recording",
        ],
        "an action (POST) that redirects to a page checked here",
    ),
    **dict.fromkeys(
        ["video_hooks:join", "video_hooks:host"],
        "a redirect into a BigBlueButton room (tests/browser/test_video.py follows one)",
    ),
    **dict.fromkeys(
        ["video_hooks:zoom", "video_hooks:ended", "video_hooks:events"],
        "what a video platform calls, not a page (tests/video)",
    ),
    **dict.fromkeys(
        ["evaluations:session_export", "evaluations:program_export", "evaluations:hub_export"],
        "a CSV or XLSX download, not a page",
    ),
    **dict.fromkeys(
        [
            "reports:national_table",
            "reports:hub_table",
            "reports:program_table",
            "reports:national_pdf",
            "reports:hub_pdf",
            "reports:program_pdf",
            "reports:records",
        ],
        "a CSV, XLSX or PDF download, not a page",
    ),
    **dict.fromkeys(
        ["updates:hub_feed_rss", "updates:hub_feed_atom", "updates:image"],
        "an Atom or RSS feed, or an image, not a page",
    ),
    **dict.fromkeys(
        ["mfa_remove_webauthn", "mfa_edit_webauthn"],
        "allauth's pages for one registered security key, reached from the two-factor page "
        "(which is checked here) once a key exists; a key needs a real authenticator",
    ),
    **dict.fromkeys(
        [
            "api:hub",
            "api:program",
            "api:session",
            "api:resource",
            "api:update",
            "api:certificate_verify",
            "api:register",
            "api:cancel",
            "api:issue",
            "api:send_report",
            "api:attendance_import",
            "api:apply_import",
            "api:reach",
            "api:evaluation",
        ],
        "an operation of the partner API: JSON, not a page",
    ),
    "api:docs": "the API reference is Swagger UI's own page, for developers at a desk "
    "(tests/browser/test_api.py opens it)",
    "account_confirm_email": "allauth's e-mail confirmation, reached with a key from an e-mail",
    "account_reset_password_from_key": "allauth's new-password form, reached from an e-mail",
}


def pages() -> list[tuple[str, Callable[[World], dict[str, Any]] | None]]:
    """Every named pattern outside Django's admin, with how to fill its arguments."""
    found = []
    unknown = []
    for name, _module in _walk(get_resolver().url_patterns):
        if name.startswith("admin:") or name in NOT_PAGES:
            continue
        fill = KWARGS.get(name)
        if fill is None and _needs_arguments(name):
            unknown.append(name)
        found.append((name, fill))
    assert unknown == [], (
        f"These URL patterns take arguments this test cannot fill yet: {unknown}. "
        "Add them to KWARGS in tests/browser/test_phone_width.py (or to NOT_PAGES, with why)."
    )
    return found


def _needs_arguments(name: str) -> bool:
    try:
        with translation.override("en"):
            reverse(name)
    except NoReverseMatch:  # the pattern takes arguments
        return True
    return False


def html_pages_for(person: User | None, world: World, lang: str) -> list[str]:
    """The addresses this person can GET as an HTML page (Django's test client asks)."""
    client = Client()
    if person is not None:
        client.force_login(person)
    client.cookies["echohub_tz"] = "America/Toronto"
    found = []
    for name, fill in pages():
        with translation.override(lang):
            path = reverse(name, kwargs=fill(world) if fill else None)
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            found.append(path)
    return found


# The widest element that sticks out of the viewport (outside any box that scrolls
# by itself), named so the failure says what to fix.
# (On a phone, window.innerWidth grows to fit what overflows, as the page is zoomed
# out: the layout viewport's width, documentElement.clientWidth, stays at 390.)
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  // Inside a box that scrolls by itself and fits, an element pushes nothing sideways.
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden') {
        return p.getBoundingClientRect().right <= width + 1;
      }
    }
    return false;
  };
  let worst = null;
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && !scrolls(el) && (!worst || box.width >= worst.width)) {
      const classes = typeof el.className === 'string' ? el.className.trim() : '';
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (classes ? '.' + classes.split(/\\s+/).join('.') : '');
      worst = {name: name, width: Math.round(box.width), right: Math.round(box.right),
               text: (el.textContent || '').trim().slice(0, 60)};
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, widest: worst};
}"""

# A box that scrolls sideways must be reachable by keyboard and say what it holds.
UNNAMED_SCROLLERS = """() => {
  const bad = [];
  for (const el of document.body.querySelectorAll('*')) {
    const x = getComputedStyle(el).overflowX;
    if ((x === 'auto' || x === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
      const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
      if (el.tabIndex < 0 || el.getAttribute('role') !== 'region' || !named) {
        bad.push('a box scrolls sideways without role="region", tabindex="0" and a name: ' +
          el.outerHTML.slice(0, 80));
      }
    }
  }
  return bad;
}"""


def overflowing(
    contexts: Any, base: str, person: User | None, paths: list[str], lang: str
) -> list[str]:
    context = contexts(locale=f"{lang}-CA", timezone_id="America/Toronto", phone=True)
    host = base.split("//", 1)[1].split(":")[0]
    context.add_cookies(
        [{"name": "echohub_tz", "value": "America/Toronto", "domain": host, "path": "/"}]
    )
    if person is not None:
        client = Client()
        client.force_login(person)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "domain": host,
                    "path": "/",
                }
            ]
        )
    page = context.new_page()
    problems = []
    for path in paths:
        page.goto(base + path, wait_until="load")
        found = page.evaluate(OVERFLOW)
        if found:
            problems.append(f"{path} is {found['scrollWidth']} px wide: {found['widest']}")
        problems += [f"{path}: {box}" for box in page.evaluate(UNNAMED_SCROLLERS)]
    return problems


@pytest.mark.parametrize(
    ("role", "lang"),
    [
        ("national_admin", "en"),
        ("coordinator", "fr"),
        ("participant", "fr"),
        ("anonymous", "en"),
    ],
)
def test_every_page_fits_a_phone(
    browser_live: Any, contexts: Any, network: Network, role: str, lang: str
) -> None:
    world = build_world(network)
    person = None if role == "anonymous" else getattr(network, role)
    paths = html_pages_for(person, world, lang)
    # Enough pages that a broken walk cannot pass unnoticed.
    assert len(paths) >= {"national_admin": 40, "coordinator": 35}.get(role, 10), paths
    problems = overflowing(contexts, browser_live.url, person, paths, lang)
    assert problems == [], "\n".join(problems)


def test_the_menu_folds_on_a_phone_and_opens_without_script(
    browser_live: Any, browser: Any, network: Network
) -> None:
    """Signed in, eight links would wrap to three lines: a phone shows one "Menu" button."""
    client = Client()
    client.force_login(network.national_admin)
    host = browser_live.url.split("//", 1)[1].split(":")[0]
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "domain": host,
        "path": "/",
    }
    home = browser_live.url + reverse("programs:home")

    phone = browser.new_context(java_script_enabled=False, locale="en-CA", **PHONE)
    phone.add_cookies([cookie])
    page = phone.new_page()
    page.goto(home)
    header = page.locator(".site-header").bounding_box()
    assert header is not None
    assert header["height"] < 80
    menu = page.locator(".main-nav summary")
    expect(menu).to_have_text("☰ Menu")
    mine = page.locator(".main-nav").get_by_role("link", name="My sessions")
    expect(mine).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(mine).to_be_visible()
    expect(page.locator(".main-nav").get_by_role("button", name="Log out")).to_be_visible()
    page.keyboard.press("Enter")  # closes again
    expect(mine).to_be_hidden()
    phone.close()

    desk = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    desk.add_cookies([cookie])
    page = desk.new_page()
    page.goto(home)
    expect(page.locator(".main-nav summary")).to_be_hidden()
    for name in ("Programs", "Manage", "My sessions", "My certificates", "Profile"):
        expect(page.locator(".main-nav").get_by_role("link", name=name)).to_be_visible()
    expect(page.locator(".main-nav").get_by_role("button", name="Log out")).to_be_visible()
    desk.close()
