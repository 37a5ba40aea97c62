"""Who gets what, for every URL: the role-by-URL matrix, and a walk over every pattern.

A new URL fails `test_every_url_is_covered` until it is added to ACCESS
(with what each role gets) or to PUBLIC (with why anyone may see it).

Eleven roles: a visitor; a participant who owns what the rule makes (a case they
present, their certificate) and a second one who owns nothing; the hub's
facilitator, expert, coordinator and admin; another hub's facilitator,
coordinator and admin; a national admin. A rule names the first seven; the
other four follow from them (`derived`) unless the rule names them too. Every
GET page is also POSTed to by each role it refuses, and must refuse it alike.
"""

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from PIL import Image

from echohub import sealing
from echohub.api import services as api_services
from echohub.attendance.models import AttendanceImport
from echohub.cases import services as case_services
from echohub.cases.models import Case
from echohub.certificates.models import Certificate
from echohub.community import permissions as community_permissions
from echohub.community import services as community_services
from echohub.community.models import Post, SpaceSettings
from echohub.evaluations import services as evaluation_services
from echohub.library import services as library_services
from echohub.library.models import Resource
from echohub.network import services as network_services
from echohub.programs.models import Group, Invitation
from echohub.registration.models import Enrolment, Registration
from echohub.updates import services as update_services
from echohub.updates.models import Update
from echohub.video.models import Connection, Meeting
from echohub.webhooks.models import Delivery, Subscription
from tests.conftest import Network, client_for
from tests.factories import SpokeFactory

ROLES = [
    "anonymous",
    "participant",
    "facilitator",
    "other_coordinator",
    "coordinator",
    "hub_admin",
    "national_admin",
]
# Roles whose answer follows from the others' unless a rule names them.
DERIVED_ROLES = ["second_participant", "expert", "other_facilitator", "other_admin"]
ALL_ROLES = ROLES + DERIVED_ROLES
LOGIN = "login"  # a redirect to the login page
REFUSALS = (403, 404, LOGIN)


def derived(expect: dict[str, int | str], role: str) -> int | str:
    """What a derived role gets when the rule does not say.

    - second_participant: what the participant gets (the rule says otherwise
      where the participant owns the object);
    - expert: what the facilitator gets where the facilitator is refused, else
      what the participant gets (an expert's hub role reads no case, manages
      nothing; panel membership, tested in tests/cases, is what lets them in);
    - other_facilitator: the facilitator's refusal, else what another hub's
      coordinator gets;
    - other_admin: what another hub's coordinator gets.
    """
    if role in expect:
        return expect[role]
    if role == "second_participant":
        return expect["participant"]
    if role == "expert":
        refused = expect["facilitator"] in REFUSALS
        return expect["facilitator"] if refused else expect["participant"]
    if role == "other_facilitator":
        refused = expect["facilitator"] in REFUSALS
        return expect["facilitator"] if refused else expect["other_coordinator"]
    return expect["other_coordinator"]


@dataclass
class Rule:
    kwargs: Callable[[Network], dict[str, Any]]
    expect: dict[str, int | str]
    method: str = "get"
    data: Callable[[Network], dict[str, Any]] | None = None


def staff_only(ok: int, *, lesser: int = 403, other_hub: int = 404) -> dict[str, int | str]:
    return {
        "anonymous": LOGIN,
        "participant": lesser,
        "facilitator": lesser,
        "other_coordinator": other_hub,
        "coordinator": ok,
        "hub_admin": ok,
        "national_admin": ok,
    }


def national_only(ok: int) -> dict[str, int | str]:
    return {**staff_only(404, lesser=404), "anonymous": LOGIN, "national_admin": ok}


def program(n: Network) -> dict[str, Any]:
    return {"slug": n.program.slug}


def session(n: Network) -> dict[str, Any]:
    return {"pk": n.session.pk}


def registration(n: Network) -> dict[str, Any]:
    pending = Registration.objects.create(session=n.session, person=n.participant, status="pending")
    return {"pk": n.session.pk, "registration_id": pending.pk}


def invitation(n: Network) -> dict[str, Any]:
    now = timezone.now()
    found = Invitation.objects.create(
        program=n.program,
        email="invited@example.org",
        language="en",
        token_hash="0" * 64,
        expires_at=now + dt.timedelta(days=30),
        sent_at=now,
    )
    return {"slug": n.program.slug, "pk": found.pk}


def group(n: Network) -> dict[str, Any]:
    found = Group.objects.create(program=n.program, name_en="Thursday evening")
    return {"slug": n.program.slug, "pk": found.pk}


def community_post(n: Network) -> Post:
    """A thread the participant started in the program's space, as a registered member."""
    Registration.objects.get_or_create(session=n.session, person=n.participant, status="confirmed")
    thread = community_services.start_thread(
        community_permissions.space_for(n.program),
        n.participant,
        title="Mouth care",
        body="What do you use?",
        language="en",
    )
    return thread.posts.get()


def community_thread(n: Network) -> dict[str, Any]:
    return {"pk": community_post(n).thread_id}


def community_post_pk(n: Network) -> dict[str, Any]:
    return {"pk": community_post(n).pk}


def group_space(n: Network) -> dict[str, Any]:
    found = Group.objects.create(program=n.program, name_en="Thursday evening")
    SpaceSettings.objects.create(program=n.program, group_spaces=True)
    Enrolment.objects.create(program=n.program, person=n.participant, status="active", group=found)
    return {"slug": n.program.slug, "pk": found.pk}


def completion(n: Network) -> dict[str, Any]:
    now = timezone.now()
    asked, _created = evaluation_services.ask(
        n.participant,
        n.program,
        "session",
        session=n.session,
        opens_at=now,
        closes_at=now + dt.timedelta(days=14),
    )
    return {"pk": asked.pk}


def attendance_import(n: Network) -> dict[str, Any]:
    upload = AttendanceImport.objects.create(
        session=n.session, uploaded_by=n.coordinator, filename="r.csv", sha256="0", platform="csv"
    )
    return {"pk": upload.pk}


def certificate(n: Network) -> Certificate:
    return Certificate.objects.create(
        person=n.participant, program=n.program, session=n.session, person_name="Nadia"
    )


def case(n: Network, *, submit: bool = True) -> Case:
    """A case the participant presents in the program (a draft, or submitted)."""
    return case_services.save_case(
        None,
        program=n.program,
        presenter=n.participant,
        title="Delirium at home",
        answers={"age_band": "80-89", "question": "Haloperidol or not?"},
        submit=submit,
        attested=submit,
    )


def scheduled_case(n: Network) -> dict[str, Any]:
    found = case(n)
    case_services.review(found, "accepted", by=n.coordinator)
    case_services.schedule(found, n.session, by=n.coordinator)
    return {"public_id": found.public_id}


def case_staff(ok: int) -> dict[str, int | str]:
    """The hub's admins, coordinators and facilitators review cases; anyone else learns nothing."""
    return {**staff_only(ok, lesser=404), "facilitator": ok}


def resource(n: Network, **fields: Any) -> Resource:
    """A public resource of the hub: a written protocol, with a PDF when asked."""
    upload = fields.pop("upload", None)
    return library_services.save_resource(
        Resource(
            hub=n.hub, kind="protocol", title_en="Hydromorphone SC", text="0.5 mg q4h", **fields
        ),
        by=n.coordinator,
        topics=[],
        professions=[],
        practice_settings=[],
        upload=upload,
    )


def protocol_v2(n: Network) -> dict[str, Any]:
    found = resource(n)
    library_services.add_version(found, by=n.coordinator, text="1 mg q4h", changes_en="Double")
    return {"key": found.key, "number": 2}


def questionnaire(n: Network) -> dict[str, Any]:
    made = evaluation_services.create_questionnaire(n.hub, "session", by=n.coordinator)
    return {"pk": made.pk}


EVERYONE_200 = dict.fromkeys(ROLES, 200)
SPACE_200 = {
    "anonymous": LOGIN,
    "participant": 200,
    "second_participant": 404,
    "facilitator": 200,
    "other_coordinator": 404,
    "coordinator": 200,
    "hub_admin": 200,
    "national_admin": 200,
}
SPACE_302 = {**SPACE_200, **{k: 302 for k, v in SPACE_200.items() if v == 200}}
SIGNED_IN_200 = {**EVERYONE_200, "anonymous": LOGIN}
NATIONAL_ONLY_200 = {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "national_admin": 200}


def hub_logo(n: Network) -> dict[str, Any]:
    image = io.BytesIO()
    Image.new("RGB", (8, 8)).save(image, "PNG")
    network_services.save_hub(
        n.hub, by=n.hub_admin, logo=SimpleUploadedFile("logo.png", image.getvalue())
    )
    return {"slug": n.hub.slug, "name": n.hub.logo.name.rsplit("/", 1)[-1]}


def hub_colour(n: Network) -> dict[str, Any]:
    n.hub.brand_colour = "#0b5c8e"
    n.hub.save()
    return {"slug": n.hub.slug}


def draft_update(n: Network) -> dict[str, Any]:
    update = Update.objects.create(hub=n.hub, title_en="Draft news")
    return {"pk": update.pk}


def update_with_image(n: Network) -> dict[str, Any]:
    image = io.BytesIO()
    Image.new("RGB", (8, 8)).save(image, "PNG")
    update = update_services.save_update(
        Update(hub=n.hub, title_en="News", image_alt_en="A picture"),
        by=n.coordinator,
        links=update_services.Links(),
        publish="now",
        image=SimpleUploadedFile("news.png", image.getvalue()),
    )
    return {"pk": update.pk, "name": update.image.name.rsplit("/", 1)[-1]}


# An update's draft: its hub's managers see it, to everyone else it does not exist.
HUB_ADMINS_200 = {**staff_only(200, lesser=404), "coordinator": 404}


HUB_ADMINS_302 = {**staff_only(302, lesser=404), "coordinator": 404}


def webhook(n: Network) -> dict[str, Any]:
    # Made directly: the service would look the address up, and tests reach no DNS.
    found = Subscription.objects.create(
        hub=n.hub, name="LMS", url="https://lms.example.org/hook", events=["certificate.issued"],
        created_by=n.hub_admin,
    )  # fmt: skip
    return {"slug": n.hub.slug, "pk": found.pk}


def video_connection(n: Network) -> dict[str, Any]:
    # Made directly: the service would queue a test of a platform tests cannot reach.
    found = Connection.objects.create(
        hub=n.hub, platform="bigbluebutton", name="BBB",
        options={"url": "https://bbb.example.org/bigbluebutton/"},
        sealed=sealing.seal('{"shared_secret": "x"}'), created_by=n.hub_admin,
    )  # fmt: skip
    return {"slug": n.hub.slug, "pk": found.pk}


def meeting(n: Network) -> Meeting:
    connection = Connection.objects.get(pk=video_connection(n)["pk"])
    return Meeting.objects.create(
        session=n.session, connection=connection, key="echohub-test-room",
        external_id="echohub-test-room",
        recordings=[{"external_id": "rec-1", "url": "https://bbb.example.org/playback/1",
                     "minutes": 60, "transcript_url": "", "resource": None}],
    )  # fmt: skip


def meeting_session(n: Network) -> dict[str, Any]:
    return {"pk": meeting(n).session_id}


def room(n: Network) -> dict[str, Any]:
    return {"key": meeting(n).key}


# The room opens shortly before the session: before, those who may join are told so.
NOT_OPEN_YET = 409
INTO_THE_ROOM = {
    "anonymous": LOGIN, "participant": 404, "facilitator": NOT_OPEN_YET, "expert": NOT_OPEN_YET,
    "other_coordinator": 404, "coordinator": NOT_OPEN_YET, "hub_admin": NOT_OPEN_YET,
    "national_admin": NOT_OPEN_YET,
}  # fmt: skip


def webhook_delivery(n: Network) -> dict[str, Any]:
    kwargs = webhook(n)
    delivery = Delivery.objects.create(
        subscription_id=kwargs["pk"], event="certificate.issued", about="certificate:1", payload={}
    )
    return {**kwargs, "delivery": delivery.pk}


def hub_token(n: Network, hub: Any) -> dict[str, Any]:
    token, _secret = api_services.create_token(
        hub,
        name="LMS",
        scopes=[],
        expires_at=timezone.now() + dt.timedelta(days=30),
        by=n.national_admin,
    )
    return {"pk": token.pk, **({"slug": hub.slug} if hub else {})}


DRAFT_UPDATE = {**staff_only(200, lesser=404), "anonymous": 404}
UPDATE_WRITERS = {**staff_only(200), "other_coordinator": 200}
SUBSCRIBER_IMPORTERS = {
    **staff_only(200),
    "other_coordinator": 403,
    "coordinator": 403,
    "other_admin": 200,  # into their own hub's list: the page is theirs, not the hub's
}


ACCESS: dict[str, Rule] = {
    "programs:home": Rule(lambda n: {}, EVERYONE_200),
    "programs:catalogue": Rule(lambda n: {}, EVERYONE_200),
    "programs:program": Rule(program, EVERYONE_200),
    "programs:session": Rule(session, EVERYONE_200),
    "programs:hub_list": Rule(lambda n: {}, EVERYONE_200),
    "programs:hub": Rule(lambda n: {"slug": n.hub.slug}, EVERYONE_200),
    "accounts:profile": Rule(lambda n: {}, {**EVERYONE_200, "anonymous": LOGIN}),
    "programs:manage": Rule(lambda n: {}, staff_only(200, other_hub=200)),
    "programs:program_create": Rule(lambda n: {}, staff_only(200, other_hub=200)),
    "programs:manage_program": Rule(program, staff_only(200)),
    "programs:program_edit": Rule(program, staff_only(200)),
    "programs:session_create": Rule(program, staff_only(200)),
    "programs:series_create": Rule(program, staff_only(200)),
    "programs:session_edit": Rule(session, staff_only(200)),
    "programs:program_publish": Rule(program, staff_only(302), method="post"),
    "programs:program_cancel": Rule(program, staff_only(302), method="post"),
    "programs:session_cancel": Rule(session, staff_only(302), method="post"),
    "programs:panel_add": Rule(
        program,
        staff_only(302),
        method="post",
        data=lambda n: {"person": n.facilitator.pk, "role": "facilitator"},
    ),
    "programs:panel_remove": Rule(
        lambda n: {
            "slug": n.program.slug,
            "member_id": n.program.team.create(person=n.facilitator, role="facilitator").pk,
        },
        staff_only(302),
        method="post",
    ),
    "network:hub_staff": Rule(
        lambda n: {"slug": n.hub.slug},
        {**staff_only(200, lesser=404), "coordinator": 404},
    ),
    "network:hub_staff_remove": Rule(
        lambda n: {"slug": n.hub.slug, "role_id": n.hub.staff_roles.get(person=n.expert).pk},
        {**staff_only(302, lesser=404), "coordinator": 404},
        method="post",
    ),
    "network:hub_create": Rule(
        lambda n: {},
        {
            **staff_only(403, other_hub=403),
            "coordinator": 403,
            "hub_admin": 403,
            "national_admin": 200,
        },
    ),
    "network:hub_edit": Rule(
        lambda n: {"slug": n.hub.slug},
        {**staff_only(200, lesser=404), "coordinator": 404},
    ),
    "network:spoke_list": Rule(lambda n: {}, staff_only(200, other_hub=200)),
    "network:spoke_edit": Rule(lambda n: {"pk": SpokeFactory().pk}, staff_only(200, other_hub=200)),
    "registration:register": Rule(session, {**EVERYONE_200, "anonymous": LOGIN}),
    # Nobody here holds a registration or an enrolment: 404 alike for everyone.
    "registration:cancel": Rule(session, {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN}, "post"),
    "registration:leave": Rule(program, {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN}, "post"),
    # The program is open (no enrolment): a clear refusal for everyone signed in.
    "registration:enrol": Rule(program, {**dict.fromkeys(ROLES, 409), "anonymous": LOGIN}, "post"),
    # The signed token is the permission: a wrong one gets the same 400 for anyone.
    "registration:cancel_link": Rule(
        lambda n: {"token": "1:forged:token"}, dict.fromkeys(ROLES, 400)
    ),
    # The token is the permission: one never issued gets the same 400 for anyone.
    "registration:invitation": Rule(lambda n: {"token": "forged"}, dict.fromkeys(ROLES, 400)),
    # Nobody here is invited to the program: 404 alike for everyone.
    "registration:join": Rule(program, {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN}, "post"),
    "registration:invitations": Rule(program, staff_only(200)),
    "registration:invitation_resend": Rule(invitation, staff_only(302), "post"),
    "registration:invitation_withdraw": Rule(invitation, staff_only(302), "post"),
    "programs:groups": Rule(program, staff_only(200)),
    "programs:group_edit": Rule(group, staff_only(200)),
    "registration:group_members": Rule(group, staff_only(200)),
    "registration:registrants": Rule(session, staff_only(200)),
    # The discussion space: the program's members, panel and hub staff; else 404.
    "community:space": Rule(lambda n: community_thread(n) and program(n), SPACE_200),
    "community:group_space": Rule(group_space, SPACE_200),
    "community:thread": Rule(community_thread, SPACE_200),
    "community:report": Rule(community_post_pk, SPACE_200),
    "community:helpful": Rule(community_post_pk, SPACE_302, "post"),
    "community:answer": Rule(community_post_pk, SPACE_302, "post"),
    "community:follow": Rule(
        lambda n: {"kind": "thread", **community_thread(n)},
        SPACE_302,
        "post",
        data=lambda n: {"how": "each"},
    ),
    # Only its author edits a post.
    "community:edit": Rule(
        community_post_pk,
        {
            **dict.fromkeys(ROLES, 404),
            "anonymous": LOGIN,
            "participant": 200,
            "second_participant": 404,
        },
    ),
    # The hub's admins, coordinators and facilitators moderate.
    "community:moderate": Rule(
        lambda n: {"kind": "thread", **community_thread(n)},
        {**SPACE_302, "participant": 404, "expert": 404},
        "post",
        data=lambda n: {"action": "pin"},
    ),
    "community:moderation": Rule(program, {**SPACE_200, "participant": 404, "expert": 404}),
    "registration:add": Rule(
        session, staff_only(302), "post", data=lambda n: {"email": n.participant.email}
    ),
    "registration:remove": Rule(registration, staff_only(302), "post"),
    "registration:decide": Rule(
        registration, staff_only(302), "post", data=lambda n: {"approve": "1"}
    ),
    "registration:capacity": Rule(
        session, staff_only(302), "post", data=lambda n: {"capacity": "5"}
    ),
    "registration:toggle": Rule(session, staff_only(302), "post"),
    "registration:message": Rule(session, staff_only(200)),
    "registration:mine": Rule(lambda n: {}, {**EVERYONE_200, "anonymous": LOGIN}),
    "registration:reset_feed": Rule(
        lambda n: {}, {**dict.fromkeys(ROLES, 302), "anonymous": LOGIN}, "post"
    ),
    "calendars:session_ics": Rule(session, EVERYONE_200),
    "calendars:program_feed": Rule(program, EVERYONE_200),
    # The token in the address is the permission; a wrong one is a bare 404 for anyone.
    "calendars:personal_feed": Rule(lambda n: {"token": "not-a-token"}, dict.fromkeys(ROLES, 404)),
    "set_timezone": Rule(
        lambda n: {},
        dict.fromkeys(ROLES, 302),
        method="post",
        data=lambda n: {"timezone": "America/Halifax", "next": "/en/"},
    ),
    "healthz": Rule(lambda n: {}, EVERYONE_200),
    "readyz": Rule(lambda n: {}, EVERYONE_200),
    "metrics": Rule(lambda n: {}, dict.fromkeys(ROLES, 404)),  # no METRICS_TOKEN set
    "attendance:session": Rule(session, staff_only(200)),
    "attendance:upload": Rule(session, staff_only(302), "post"),
    "attendance:mark": Rule(session, staff_only(302), "post"),
    "attendance:new_code": Rule(session, staff_only(302), "post"),
    "attendance:preview": Rule(attendance_import, staff_only(200)),
    "attendance:program": Rule(program, staff_only(200)),
    "attendance:check_in": Rule(lambda n: {}, SIGNED_IN_200),
    "certificates:manage": Rule(program, staff_only(200)),
    "certificates:issue": Rule(program, staff_only(302), "post"),
    # The confirmation page; revoking itself is tested in tests/certificates.
    "certificates:revoke": Rule(lambda n: {"pk": certificate(n).pk}, staff_only(200)),
    "certificates:transcript": Rule(lambda n: {}, SIGNED_IN_200),
    # The holder and the program's managers; anyone else learns nothing (404).
    "certificates:pdf": Rule(
        lambda n: {"code": certificate(n).code},
        {**staff_only(200, lesser=404), "participant": 200, "second_participant": 404},
    ),
    # Public by design: whoever holds the code (an employer, a college) checks it.
    "certificates:verify": Rule(lambda n: {"code": certificate(n).code}, EVERYONE_200),
    "certificates:verify_form": Rule(lambda n: {}, EVERYONE_200),
    "cases:mine": Rule(lambda n: {}, SIGNED_IN_200),
    # Members present; the participant here holds no registration: a page that says how.
    # The hub's experts sit on every panel of its programs (cases/permissions.py): they
    # are members, so they may present and browse the case library, and see the
    # cases scheduled for a session, but only facilitators write recommendations.
    "cases:new": Rule(
        program,
        {**case_staff(200), "participant": 403, "other_coordinator": 403, "expert": 200},
    ),
    "cases:library": Rule(program, {**case_staff(200), "expert": 200}),
    "cases:detail": Rule(
        lambda n: {"public_id": case(n).public_id},
        {**case_staff(200), "participant": 200, "second_participant": 404, "expert": 404},
    ),
    "cases:edit": Rule(
        lambda n: {"public_id": case(n, submit=False).public_id},
        {
            **dict.fromkeys(ALL_ROLES, 404),
            "anonymous": LOGIN,
            "participant": 200,
        },
    ),
    "cases:withdraw": Rule(
        lambda n: {"public_id": case(n).public_id},
        {**dict.fromkeys(ALL_ROLES, 404), "anonymous": LOGIN, "participant": 302},
        "post",
    ),
    "cases:recommendations": Rule(
        scheduled_case,
        {**case_staff(302), "expert": 403},
        "post",
        lambda n: {"action": "save", "text": "Rest."},
    ),
    "cases:manage": Rule(program, case_staff(200)),
    "cases:invite": Rule(
        program, case_staff(302), "post", lambda n: {"email": n.participant.email}
    ),
    "cases:form_design": Rule(program, case_staff(200)),
    "cases:field_edit": Rule(
        lambda n: {"slug": n.program.slug, "key": "diagnosis"}, case_staff(200)
    ),
    "cases:settings": Rule(
        program,
        case_staff(302),
        "post",
        lambda n: {"slots_per_session": "2", "retention_days": "400"},
    ),
    "cases:review": Rule(
        lambda n: {"public_id": case(n).public_id},
        case_staff(302),
        "post",
        lambda n: {"decision": "accepted"},
    ),
    "cases:schedule": Rule(scheduled_case, case_staff(302), "post", lambda n: {"session": ""}),
    "cases:export": Rule(lambda n: {"public_id": case(n).public_id}, case_staff(200)),
    "library:index": Rule(lambda n: {}, EVERYONE_200),
    "library:following": Rule(lambda n: {}, SIGNED_IN_200),
    "library:follow": Rule(
        lambda n: {},
        {**dict.fromkeys(ROLES, 302), "anonymous": LOGIN},
        "post",
        lambda n: {"what": "topic", "value": "pain"},
    ),
    # Public resources; members-only ones are tested in tests/library/test_library.py.
    "library:resource": Rule(lambda n: {"key": resource(n).key}, EVERYONE_200),
    "library:download": Rule(
        lambda n: {
            "key": resource(n, upload=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n%%EOF\n")).key
        },
        EVERYONE_200,
    ),
    "library:diff": Rule(protocol_v2, EVERYONE_200),
    "library:manage": Rule(lambda n: {"slug": n.hub.slug}, staff_only(200)),
    "library:create": Rule(lambda n: {"slug": n.hub.slug}, staff_only(200)),
    "library:edit": Rule(lambda n: {"key": resource(n).key}, staff_only(200)),
    "library:version": Rule(lambda n: {"key": resource(n).key}, staff_only(200)),
    "library:transcript": Rule(lambda n: {"key": resource(n).key}, staff_only(302), "post"),
    # A hub's logo and colours are public, like its page.
    "network:hub_logo": Rule(hub_logo, EVERYONE_200),
    "network:hub_css": Rule(hub_colour, EVERYONE_200),
    # The footer's pages are for everyone; only national admins change them.
    "sitepages:page": Rule(lambda n: {"key": "privacy"}, EVERYONE_200),
    "sitepages:manage": Rule(lambda n: {}, NATIONAL_ONLY_200),
    "sitepages:edit": Rule(lambda n: {"key": "privacy"}, NATIONAL_ONLY_200),
    # Who answered an evaluation (never what) and waiving one: the program's hub managers.
    "evaluations:completions": Rule(program, staff_only(200)),
    "evaluations:waive": Rule(
        completion, staff_only(302), "post", lambda n: {"reason": "Completed on paper"}
    ),
    # The hub's admins (and national admins) read who looked at the hub's cases.
    "cases:audit": Rule(
        lambda n: {"slug": n.hub.slug},
        {**staff_only(200, lesser=404), "coordinator": 404},
    ),
    # Hub managers build their hub's questionnaires and plan its programs' evaluations.
    "evaluations:questionnaires": Rule(lambda n: {"slug": n.hub.slug}, staff_only(200)),
    "evaluations:questionnaire": Rule(questionnaire, staff_only(200)),
    "evaluations:question_edit": Rule(
        lambda n: {**questionnaire(n), "key": "relevance"}, staff_only(200)
    ),
    "evaluations:preview": Rule(questionnaire, staff_only(200)),
    "evaluations:plan": Rule(program, staff_only(200)),
    # Evaluation results: aggregates for the hub's managers (every hub's for national admins).
    "evaluations:overview": Rule(lambda n: {}, staff_only(200, other_hub=200)),
    "evaluations:session_results": Rule(session, staff_only(200)),
    "evaluations:session_export": Rule(lambda n: {**session(n), "fmt": "csv"}, staff_only(200)),
    "evaluations:program_results": Rule(program, staff_only(200)),
    "evaluations:program_export": Rule(lambda n: {**program(n), "fmt": "xlsx"}, staff_only(200)),
    "evaluations:hub_results": Rule(lambda n: {"slug": n.hub.slug}, staff_only(200)),
    "evaluations:hub_export": Rule(lambda n: {"slug": n.hub.slug, "fmt": "csv"}, staff_only(200)),
    # Reach reports: 404 for anyone who may not read them, alike for missing and not theirs.
    "reports:national": Rule(lambda n: {}, national_only(200)),
    "reports:national_table": Rule(
        lambda n: {"table": "provinces", "fmt": "csv"}, national_only(200)
    ),
    "reports:national_pdf": Rule(lambda n: {}, national_only(200)),
    "reports:hub": Rule(lambda n: {"slug": n.hub.slug}, staff_only(200, lesser=404)),
    "reports:hub_table": Rule(
        lambda n: {"slug": n.hub.slug, "table": "professions", "fmt": "xlsx"},
        staff_only(200, lesser=404),
    ),
    "reports:hub_pdf": Rule(lambda n: {"slug": n.hub.slug}, staff_only(200, lesser=404)),
    "reports:records": Rule(lambda n: {"slug": n.hub.slug}, staff_only(200, lesser=404)),
    "reports:program": Rule(program, staff_only(200, lesser=404)),
    "reports:program_table": Rule(
        lambda n: {**program(n), "table": "summary", "fmt": "csv"}, staff_only(200, lesser=404)
    ),
    "reports:program_pdf": Rule(program, staff_only(200, lesser=404)),
    # Updates: published ones and their feeds are public; drafts are their hub's.
    "updates:list": Rule(lambda n: {}, EVERYONE_200),
    "updates:hub_list": Rule(lambda n: {"slug": n.hub.slug}, EVERYONE_200),
    "updates:feed_rss": Rule(lambda n: {}, EVERYONE_200),
    "updates:feed_atom": Rule(lambda n: {}, EVERYONE_200),
    "updates:hub_feed_rss": Rule(lambda n: {"slug": n.hub.slug}, EVERYONE_200),
    "updates:hub_feed_atom": Rule(lambda n: {"slug": n.hub.slug}, EVERYONE_200),
    "updates:detail": Rule(lambda n: {**draft_update(n), "slug": "draft-news"}, DRAFT_UPDATE),
    "updates:image": Rule(update_with_image, EVERYONE_200),
    "updates:manage": Rule(lambda n: {}, UPDATE_WRITERS),
    "updates:new": Rule(lambda n: {}, UPDATE_WRITERS),
    "updates:edit": Rule(draft_update, staff_only(200)),
    "updates:import": Rule(lambda n: {}, SUBSCRIBER_IMPORTERS),
    # Staying informed needs no account; a signed-in person's own choices need one.
    "updates:subscribe": Rule(lambda n: {}, EVERYONE_200),
    "updates:sent": Rule(lambda n: {}, EVERYONE_200),
    "updates:preferences": Rule(lambda n: {}, SIGNED_IN_200),
    # Everyone downloads their own data, and only their own (tests/privacy).
    "privacy:download": Rule(lambda n: {}, SIGNED_IN_200, "post"),
    "privacy:erase": Rule(lambda n: {}, SIGNED_IN_200),
    # API tokens: a hub's admins for the hub, national admins for the network (tests/api).
    "api_tokens:hub": Rule(lambda n: {"slug": n.hub.slug}, HUB_ADMINS_200),
    "api_tokens:hub_revoke": Rule(lambda n: hub_token(n, n.hub), HUB_ADMINS_200),
    "api_tokens:network": Rule(lambda n: {}, national_only(200)),
    "api_tokens:network_revoke": Rule(lambda n: hub_token(n, None), national_only(200)),
    # Webhooks: a hub's admins and national admins (tests/webhooks).
    "webhooks:hooks": Rule(lambda n: {"slug": n.hub.slug}, HUB_ADMINS_200),
    "webhooks:store": Rule(program, HUB_ADMINS_200),
    "webhooks:hook": Rule(webhook, HUB_ADMINS_200),
    "webhooks:delete": Rule(webhook, HUB_ADMINS_200),
    "webhooks:toggle": Rule(webhook, HUB_ADMINS_302, "post"),
    "webhooks:resend": Rule(webhook_delivery, HUB_ADMINS_302, "post"),
    # Video platform connections: a hub's admins and national admins (tests/video).
    "video:connections": Rule(lambda n: {"slug": n.hub.slug}, HUB_ADMINS_200),
    "video:connect": Rule(lambda n: {"slug": n.hub.slug, "platform": "zoom"}, HUB_ADMINS_200),
    "video:connection": Rule(video_connection, HUB_ADMINS_200),
    "video:delete": Rule(video_connection, HUB_ADMINS_200),
    "video:test": Rule(video_connection, HUB_ADMINS_302, "post"),
    # A program's meetings: its coordinators; a session's meeting: its staff pages' buttons.
    "video:program": Rule(program, staff_only(200)),
    "video:retry": Rule(meeting_session, staff_only(302), "post"),
    "video:recordings": Rule(meeting_session, staff_only(302), "post"),
    "video:add_recording": Rule(
        meeting_session, staff_only(302), "post", lambda n: {"recording": "rec-1"}
    ),
    # A BigBlueButton room's links: who may join (registrants, the program's managers)
    # and the panel with the hub's staff; a participant not registered is not let in.
    "video_hooks:join": Rule(room, INTO_THE_ROOM),
    "video_hooks:host": Rule(room, INTO_THE_ROOM),
}

# URL names that are not in the matrix, each with the reason it needs no row there.
PUBLIC: dict[str, str] = {
    **{
        f"video_hooks:{name}": "a video platform calls it: a Zoom notification must carry the "
        "app's signature, BigBlueButton's analytics a token signed with the shared secret, "
        "and every address holds the connection's unguessable key (tests/video)"
        for name in ("zoom", "ended", "events")
    },
    **{
        f"api:{name}": "the partner API reads a token, never the session: its matrix of "
        "operation × scope × own hub / other hub / no token is tests/api/test_access.py"
        for name in (
            "schema",
            "docs",
            "token",
            "hubs",
            "hub",
            "programs",
            "program",
            "sessions",
            "session",
            "resources",
            "resource",
            "updates",
            "update",
            "certificate_verify",
            "certificates",
            "registrations",
            "attendance",
            "not_found",
            "register",
            "cancel",
            "issue",
            "send_report",
            "attendance_import",
            "apply_import",
            "reach",
            "evaluation",
        )
    },
    "set_language": "Django's language switch view; not mounted",
    "evaluations:answer": "a person's own signed link, no login needed "
    "(tests/evaluations: a tampered token gets 400)",
    "outreach:unsubscribe": "the random token in every email's footer, no login by law (CASL) "
    "(tests/updates/test_subscriptions.py: an unknown token gets 400)",
    "updates:confirm": "a signed, expiring link emailed to the address "
    "(tests/updates/test_subscriptions.py: tampered 400, expired 410)",
    "updates:preferences_key": "a subscriber's random key from their emails, no login needed "
    "(tests/updates/test_subscriptions.py: an unknown key gets 400)",
}
# Whole URL families protected by their own, separately tested, framework code.
FRAMEWORK_MODULES = {
    "allauth.": "django-allauth's sign-up, login and password pages (tests/accounts)",
    "django.contrib.admin.": "Django's admin, which requires is_staff",
}


def person(network: Network, role: str) -> Any:
    return None if role == "anonymous" else getattr(network, role)


def check(response: Any, expected: int | str, what: str) -> None:
    if expected == LOGIN:
        assert response.status_code == 302, what
        assert response["Location"].startswith("/en/accounts/login/"), what
    else:
        assert response.status_code == expected, what


@pytest.mark.parametrize("name", sorted(ACCESS))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_access(network: Network, name: str, role: str) -> None:
    rule = ACCESS[name]
    with translation.override("en"):
        url = reverse(name, kwargs=rule.kwargs(network))
    client = client_for(person(network, role))
    data = rule.data(network) if rule.data else {}
    response = getattr(client, rule.method)(url, data)
    check(response, derived(rule.expect, role), f"{role} on {name}")


REFUSED_GETS = sorted(
    (name, role)
    for name, rule in ACCESS.items()
    if rule.method == "get"
    for role in ALL_ROLES
    if derived(rule.expect, role) in REFUSALS
)


@pytest.mark.parametrize(("name", "role"), REFUSED_GETS)
def test_a_page_refused_to_read_is_refused_to_post_to(
    network: Network, name: str, role: str
) -> None:
    """Whoever may not open a page may not send its form either: the same answer
    (or 405 where the page takes no form), whatever the body holds."""
    rule = ACCESS[name]
    with translation.override("en"):
        url = reverse(name, kwargs=rule.kwargs(network))
    body = {
        "email": network.participant.email,
        "person": network.participant.pk,
        "session": network.session.pk,
        "title_en": "Changed",
        "text": "Changed",
        "action": "save",
    }
    response = client_for(person(network, role)).post(url, body)
    if response.status_code == 405:
        return
    check(response, derived(rule.expect, role), f"POST by {role} on {name}")


@pytest.mark.parametrize("role", ROLES)
def test_draft_program_is_seen_only_by_its_hub_managers(network: Network, role: str) -> None:
    url = reverse("programs:program", kwargs={"slug": network.draft.slug})
    response = client_for(person(network, role)).get(url)
    allowed = role in {"coordinator", "hub_admin", "national_admin"}
    assert response.status_code == (200 if allowed else 404)


def _walk(patterns: list[Any], prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            found += _walk(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            module = getattr(pattern.callback, "__module__", "")
            found.append((f"{prefix}{pattern.name}", module))
    return found


def test_every_url_is_covered() -> None:
    uncovered = [
        name
        for name, module in _walk(get_resolver().url_patterns)
        if name not in ACCESS
        and name not in PUBLIC
        and not name.startswith("admin:")
        and not any(module.startswith(prefix) for prefix in FRAMEWORK_MODULES)
    ]
    assert uncovered == []
