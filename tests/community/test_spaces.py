"""The space between sessions: who may read and write each space, the de-identification gate on
every post (and edit), moderation and its log, reports, held first posts, rate limits,
helpful and answered marks, and being told (each post, a daily digest, or nothing) once."""

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from echohub.accounts.models import User
from echohub.community import notifications, permissions, services
from echohub.community.models import (
    Follow,
    ModerationAction,
    Post,
    Report,
    SpaceSettings,
    Thread,
)
from echohub.deidentify.gate import IdentifiersFound
from echohub.outreach.models import OutboxMessage
from echohub.programs.models import Group, Program, ProgramMember, ProgramStaff
from echohub.programs.services import add_member
from echohub.registration import services as registration
from echohub.registration.models import Enrolment
from tests.cases.conftest import HEALTH_CARD, everything_stored
from tests.conftest import Network, client_for
from tests.factories import UserFactory
from tests.programs.test_public_views import text

pytestmark = pytest.mark.django_db
Committed = Callable[[], AbstractContextManager[Any]]
PHONE = "613-555-0142"
LOT = "48213977"  # a long number with no cue: only possibly an identifier


def url(name: str, lang: str = "en", **kwargs: object) -> str:
    with translation.override(lang):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def member(network: Network) -> User:
    """A PSW registered for the program's session: a member of its space."""
    registration.register(network.participant, network.session)
    return network.participant


def new_thread(client: Client, program: Program, **fields: str) -> Any:
    data = {
        "kind": "discussion",
        "title": "Mouth care at the end of life",
        "body": "What do your teams use for dry mouth?",
        "language": "en",
        **fields,
    }
    return client.post(url("community:space", slug=program.slug), data)


def start(space_program: Program, person: User, **fields: Any) -> Thread:
    values = {"title": "Mouth care", "body": "What do you use?", "language": "en", **fields}
    return services.start_thread(permissions.space_for(space_program), person, **values)


# Who may enter


def test_the_programs_space_is_its_members_and_staff(network: Network, member: User) -> None:
    invited = UserFactory()
    add_member(network.program, invited, source=ProgramMember.Source.INVITED)
    space = url("community:space", slug=network.program.slug)
    let_in = {
        "member": member,
        "invited": invited,
        "facilitator": network.facilitator,
        "expert": network.expert,
        "coordinator": network.coordinator,
        "hub_admin": network.hub_admin,
        "national_admin": network.national_admin,
    }
    for who, person in let_in.items():
        assert client_for(person).get(space).status_code == 200, who
    thread = start(network.program, member)
    for who, person in {
        "stranger": UserFactory(),
        "other hub's coordinator": network.other_coordinator,
        "other hub's admin": network.other_admin,
    }.items():
        client = client_for(person)
        assert client.get(space).status_code == 404, who
        assert client.get(thread.get_absolute_url()).status_code == 404, who
        assert new_thread(client, network.program).status_code == 404, who
    assert Client().get(space).status_code == 302  # to the login page
    # On the program's page, the way there is shown to members only.
    assert "Discussion between sessions" in text(
        client_for(member).get(network.program.get_absolute_url())
    )
    assert "Discussion between sessions" not in text(
        Client().get(network.program.get_absolute_url())
    )


def test_a_closed_space_is_its_moderators_only(network: Network, member: User) -> None:
    SpaceSettings.objects.create(program=network.program, open=False)
    space = url("community:space", slug=network.program.slug)
    assert client_for(member).get(space).status_code == 404
    assert client_for(network.coordinator).get(space).status_code == 200


def test_a_groups_space_is_its_members(network: Network) -> None:
    program = network.program
    program.enrolment = Program.Enrolment.COHORT
    program.save()
    thursday = Group.objects.create(
        program=program, name_en="Thursday", facilitator=network.facilitator
    )
    tuesday = Group.objects.create(program=program, name_en="Tuesday")
    ours, theirs = UserFactory(), UserFactory()
    Enrolment.objects.create(program=program, person=ours, status="active", group=thursday)
    Enrolment.objects.create(program=program, person=theirs, status="active", group=tuesday)
    page = url("community:group_space", slug=program.slug, pk=thursday.pk)
    assert client_for(ours).get(page).status_code == 404  # the program has no group spaces yet
    SpaceSettings.objects.create(program=program, group_spaces=True)
    assert client_for(ours).get(page).status_code == 200
    assert client_for(theirs).get(page).status_code == 404
    assert client_for(network.expert).get(page).status_code == 200  # the hub's panel
    assert client_for(network.coordinator).get(page).status_code == 200
    panel = UserFactory()
    ProgramStaff.objects.create(program=program, person=panel, role="expert")
    assert client_for(panel).get(page).status_code == 200
    # Both members see the program's space and, there, only their own group's link.
    whole = text(client_for(ours).get(url("community:space", slug=program.slug)))
    assert "Thursday" in whole
    assert "Tuesday" not in whole


# The gate


def test_no_identifier_is_ever_stored_in_a_thread_a_reply_or_an_edit(
    network: Network, member: User
) -> None:
    client = client_for(member)
    refused = new_thread(client, network.program, title=f"Card {HEALTH_CARD}")
    assert refused.status_code == 422
    assert "Nothing was posted. Rewrite the marked parts" in text(refused)
    assert '<mark class="finding' in refused.content.decode()
    refused = new_thread(client, network.program, body=f"Call her daughter at {PHONE}.")
    assert refused.status_code == 422
    assert not Thread.objects.exists()
    thread = start(network.program, member)
    reply = client.post(
        thread.get_absolute_url(), {"body": f"Her card is {HEALTH_CARD}", "language": "en"}
    )
    assert reply.status_code == 422
    post = thread.posts.get()
    edit = client.post(url("community:edit", pk=post.pk), {"body": f"Phone {PHONE}"})
    assert edit.status_code == 422
    stored = everything_stored()
    assert HEALTH_CARD not in stored
    assert PHONE not in stored
    # Nothing goes around the forms either.
    with pytest.raises(IdentifiersFound):
        Post.objects.create(thread=thread, author=member, body=f"Card {HEALTH_CARD}", language="en")
    with pytest.raises(IdentifiersFound):
        start(network.program, member, title=f"Call {PHONE}")
    # The placeholders button rewrites the text in the page; nothing is saved yet.
    redacted = client.post(
        thread.get_absolute_url(), {"body": f"Call {PHONE} please", "language": "en", "redact": "1"}
    )
    assert "[phone]" in redacted.content.decode()
    assert thread.posts.count() == 1


def test_a_possible_finding_confirmed_is_kept_with_its_confirmation(
    network: Network, member: User
) -> None:
    thread = start(network.program, member)
    body = f"Pump lot {LOT} was recalled."
    client = client_for(member)
    first = client.post(thread.get_absolute_url(), {"body": body, "language": "en"})
    assert first.status_code == 422
    token = f"body|identifier|{body.index(LOT)}|{body.index(LOT) + len(LOT)}"
    assert f'value="{token}"' in first.content.decode()
    done = client.post(
        thread.get_absolute_url(), {"body": body, "language": "en", "confirm": token}
    )
    assert done.status_code == 302
    post = thread.posts.get(opening=False)
    assert post.confirmed == [["body", "identifier", body.index(LOT), body.index(LOT) + len(LOT)]]
    # Editing keeps the confirmation while the text before it is unchanged.
    page = client.get(url("community:edit", pk=post.pk)).content.decode()
    assert f'value="{token}"' in page
    saved = client.post(
        url("community:edit", pk=post.pk), {"body": body + " Thanks.", "confirm": token}
    )
    assert saved.status_code == 302
    post.refresh_from_db()
    assert post.body.endswith("Thanks.")
    assert post.edited_at is not None


# Moderation


def test_moderators_hide_lock_pin_and_move_and_the_log_says_who_and_why(
    network: Network, member: User
) -> None:
    thread = start(network.program, member)
    reply = services.reply(thread, network.expert, body="Try a saliva substitute.", language="en")
    moderator = client_for(network.facilitator)
    moderate_post = url("community:moderate", kind="post", pk=reply.pk)
    without_why = moderator.post(moderate_post, {"action": "hide_post"}, follow=True)
    assert "Say why" in text(without_why)
    reply.refresh_from_db()
    assert reply.status == Post.Status.VISIBLE
    moderator.post(moderate_post, {"action": "hide_post", "reason": "Off topic"})
    reply.refresh_from_db()
    assert reply.status == Post.Status.HIDDEN
    assert "saliva substitute" not in text(client_for(member).get(thread.get_absolute_url()))
    assert "saliva substitute" in text(moderator.get(thread.get_absolute_url()))
    moderate_thread = url("community:moderate", kind="thread", pk=thread.pk)
    moderator.post(moderate_thread, {"action": "lock", "reason": "Answered"})
    refused = client_for(member).post(
        thread.get_absolute_url(), {"body": "One more", "language": "en"}
    )
    assert "This thread is locked" in text(refused)
    later = start(network.program, member, title="Later thread")
    moderator.post(url("community:moderate", kind="thread", pk=thread.pk), {"action": "pin"})
    listing = text(client_for(member).get(url("community:space", slug=network.program.slug)))
    assert listing.index("Mouth care") < listing.index("Later thread")
    # A member cannot moderate.
    assert (
        client_for(member)
        .post(url("community:moderate", kind="thread", pk=later.pk), {"action": "pin"})
        .status_code
        == 404
    )
    log = list(ModerationAction.objects.values_list("action", "moderator", "reason"))
    assert log == [
        ("pin", network.facilitator.pk, ""),
        ("lock", network.facilitator.pk, "Answered"),
        ("hide_post", network.facilitator.pk, "Off topic"),
    ]
    page = text(
        client_for(network.coordinator).get(url("community:moderation", slug=network.program.slug))
    )
    assert "Off topic" in page
    assert network.facilitator.name in page


def test_a_thread_moves_to_a_groups_space(network: Network, member: User) -> None:
    program = network.program
    program.enrolment = Program.Enrolment.COHORT
    program.save()
    thursday = Group.objects.create(program=program, name_en="Thursday")
    SpaceSettings.objects.create(program=program, group_spaces=True)
    thread = start(program, member)
    target = permissions.space_for(program, thursday)
    client_for(network.coordinator).post(
        url("community:moderate", kind="thread", pk=thread.pk),
        {"action": "move", "to": target.pk, "reason": "For the Thursday group"},
    )
    thread.refresh_from_db()
    assert thread.space == target
    other = Group.objects.create(program=network.other_program, name_en="Elsewhere")
    with pytest.raises(services.Refused):
        services.moderate_thread(
            thread,
            network.coordinator,
            "move",
            "why",
            permissions.space_for(network.other_program, other),
        )


def test_members_report_and_moderators_resolve_from_one_queue(
    network: Network, member: User
) -> None:
    thread = start(network.program, network.expert)
    post = thread.posts.get()
    client = client_for(member)
    form = client.get(url("community:report", pk=post.pk))
    assert form.status_code == 200
    client.post(url("community:report", pk=post.pk), {"reason": "This advice looks unsafe"})
    client.post(url("community:report", pk=post.pk), {"reason": "Again"})  # one open report each
    assert Report.objects.count() == 1
    queue = url("community:moderation", slug=network.program.slug)
    assert "This advice looks unsafe" in text(client_for(network.coordinator).get(queue))
    assert client_for(member).get(queue).status_code == 404  # not a moderator
    assert client_for(network.facilitator).get(queue).status_code == 200
    assert client_for(network.other_coordinator).get(queue).status_code == 404
    client_for(network.coordinator).post(
        url("community:moderate", kind="post", pk=post.pk),
        {"action": "dismiss", "reason": "Standard practice", "back": "queue"},
    )
    report = Report.objects.get()
    assert report.resolved_by == network.coordinator
    assert "This advice looks unsafe" not in text(client_for(network.coordinator).get(queue))


def test_new_members_first_posts_wait_for_approval(
    network: Network, member: User, committed: Committed
) -> None:
    SpaceSettings.objects.create(program=network.program, hold_first_posts=True)
    Follow.objects.create(
        person=network.coordinator, space=permissions.space_for(network.program), how="each"
    )
    client = client_for(member)
    with committed():
        response = new_thread(client, network.program)
    thread = Thread.objects.get()
    assert "awaits a moderator" in text(client.get(response["Location"]))
    assert thread.hidden
    assert client_for(UserFactory()).get(thread.get_absolute_url()).status_code == 404
    listing = text(
        client_for(network.expert).get(url("community:space", slug=network.program.slug))
    )
    assert "Mouth care" not in listing
    assert mail.outbox == []
    post = thread.posts.get()
    with committed():
        client_for(network.coordinator).post(
            url("community:moderate", kind="post", pk=post.pk),
            {"action": "approve_post", "back": "queue"},
        )
    thread.refresh_from_db()
    assert not thread.hidden
    assert [m.to for m in mail.outbox] == [[network.coordinator.email]]
    # Once approved, their next post goes straight out; the panel is never held.
    second = services.reply(thread, member, body="And lip balm?", language="en")
    assert second.status == Post.Status.VISIBLE


def test_posting_is_rate_limited(network: Network, member: User) -> None:
    thread = start(network.program, member)
    for n in range(services.POSTS_PER_WINDOW - 1):
        services.reply(thread, member, body=f"Note {n}", language="en")
    refused = client_for(member).post(
        thread.get_absolute_url(), {"body": "One too many", "language": "en"}
    )
    assert refused.status_code == 422
    assert "wait a few minutes" in text(refused)
    assert thread.posts.count() == services.POSTS_PER_WINDOW
    Post.objects.update(created_at=timezone.now() - dt.timedelta(minutes=11))
    services.reply(thread, member, body="Later", language="en")


# Marks


def test_helpful_and_the_panels_answer(network: Network, member: User) -> None:
    thread = start(network.program, member, kind=Thread.Kind.QUESTION)
    answer = services.reply(thread, network.expert, body="Start low, go slow.", language="en")
    client = client_for(member)
    client.post(url("community:helpful", pk=answer.pk))
    answer.refresh_from_db()
    assert answer.helpful == 1
    client.post(url("community:helpful", pk=answer.pk))  # again: unmarked
    answer.refresh_from_db()
    assert answer.helpful == 0
    own = thread.posts.get(opening=True)
    client.post(url("community:helpful", pk=own.pk))
    own.refresh_from_db()
    assert own.helpful == 0
    # Only the panel marks the answer.
    client.post(url("community:answer", pk=answer.pk))
    thread.refresh_from_db()
    assert thread.answered_at is None
    client_for(network.expert).post(url("community:answer", pk=answer.pk))
    thread.refresh_from_db()
    answer.refresh_from_db()
    assert thread.answered_at is not None
    assert answer.panel_answer
    listing = text(client.get(url("community:space", slug=network.program.slug)))
    assert "Answered by the panel" in listing


# Being told


def test_each_post_is_told_once_to_those_who_follow_it(
    network: Network, member: User, committed: Committed
) -> None:
    with committed():
        thread = start(network.program, member, kind=Thread.Kind.QUESTION)
    silent = UserFactory()
    registration.register(silent, network.session)
    whole_space = UserFactory()
    registration.register(whole_space, network.session)
    services.follow(silent, "each", space=permissions.space_for(network.program))
    services.follow(silent, "none", thread=thread)  # this thread: nothing
    services.follow(whole_space, "each", space=permissions.space_for(network.program))
    with committed():
        answer = services.reply(thread, network.expert, body="Start low, go slow.", language="en")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, whole_space.email])
    email = next(m for m in mail.outbox if m.to == [member.email])
    assert email.subject == "New reply: Mouth care"
    assert "Start low, go slow." in email.body
    assert "Unsubscribe" in email.body
    with committed():
        notifications.tell_followers(answer.pk)  # run again: nobody twice
    assert len(mail.outbox) == 2
    assert OutboxMessage.objects.filter(kind="community.post").count() == 2


def test_the_daily_digest_is_sent_once(
    network: Network, member: User, committed: Committed
) -> None:
    thread = start(network.program, member)
    services.follow(member, "daily", thread=thread)
    services.reply(thread, network.expert, body="A first answer.", language="en")
    services.reply(thread, network.facilitator, body="A second one.", language="fr")
    now = timezone.now() + dt.timedelta(minutes=1)
    with committed():
        assert notifications.send_daily_digests(now) == 1
        assert notifications.send_daily_digests(now) == 0
    [digest] = mail.outbox
    assert digest.to == [member.email]
    assert digest.subject == "2 new posts in your discussions"
    assert "A first answer." in digest.body
    assert "A second one." in digest.body
    with committed():
        assert notifications.send_daily_digests(now + dt.timedelta(days=1)) == 0  # nothing new


def test_the_pages_in_french(network: Network, member: User) -> None:
    thread = start(network.program, member, title="Soins de bouche", language="fr")
    page = text(client_for(member).get(url("community:thread", "fr", pk=thread.pk)))
    assert "Répondre" in page
    assert (
        'lang="fr"'
        in client_for(member).get(url("community:thread", "fr", pk=thread.pk)).content.decode()
    )
    space = text(client_for(member).get(url("community:space", "fr", slug=network.program.slug)))
    assert "Lancer une discussion" in space


# The library's one search


def found(person: User | None, words: str, **filters: Any) -> list[str]:
    from django.contrib.auth.models import AnonymousUser

    from echohub.library.search.query import Filters, search

    page = search(person or AnonymousUser(), words, Filters(**filters))
    return [hit.url for hit in page.hits if hit.source == "thread"]


def test_members_find_threads_through_the_librarys_search(
    network: Network, member: User, committed: Committed
) -> None:
    """Indexed by the worker once each change is committed (`committed()` runs it here)."""
    with committed():
        thread = start(network.program, member, title="Hypodermoclysis at home")
    with committed():
        services.reply(
            thread, network.expert, body="We titrate glycopyrrolate for secretions.", language="en"
        )
    where = thread.get_absolute_url()
    assert found(member, "glycopyrrolate") == [where]
    assert found(member, "hypodermoclysis", kind="discussion") == [where]
    assert found(network.national_admin, "glycopyrrolate") == [where]
    assert found(network.coordinator, "glycopyrrolate") == [where]
    for outsider in (None, UserFactory(), network.other_coordinator):
        assert found(outsider, "glycopyrrolate") == []
    page = client_for(member).get(url("library:index"), {"q": "glycopyrrolate"})
    assert where in page.content.decode()
    assert "Discussion" in text(page)
    # Hidden, it is found by nobody; a held post's words are not found.
    with committed():
        services.moderate_thread(thread, network.coordinator, "hide_thread", "Off topic")
    assert found(member, "glycopyrrolate") == []
    assert found(network.coordinator, "glycopyrrolate") == []
    with committed():
        services.moderate_thread(thread, network.coordinator, "show_thread", "")
    assert found(member, "glycopyrrolate") == [where]
    SpaceSettings.objects.create(program=network.program, hold_first_posts=True)
    newcomer = UserFactory()
    registration.register(newcomer, network.session)
    with committed():
        services.reply(thread, newcomer, body="What about scopolamine patches?", language="en")
    assert found(member, "scopolamine") == []


def test_a_groups_threads_are_found_by_that_group_only(
    network: Network, committed: Committed
) -> None:
    program = network.program
    program.enrolment = Program.Enrolment.COHORT
    program.save()
    thursday = Group.objects.create(program=program, name_en="Thursday")
    tuesday = Group.objects.create(program=program, name_en="Tuesday")
    SpaceSettings.objects.create(program=program, group_spaces=True)
    ours, theirs = UserFactory(), UserFactory()
    Enrolment.objects.create(program=program, person=ours, status="active", group=thursday)
    Enrolment.objects.create(program=program, person=theirs, status="active", group=tuesday)
    with committed():
        thread = services.start_thread(
            permissions.space_for(program, thursday),
            ours,
            title="Thursday notes",
            body="Bring the naloxone protocol.",
            language="en",
        )
    assert found(ours, "naloxone") == [thread.get_absolute_url()]
    assert found(theirs, "naloxone") == []
    assert found(network.coordinator, "naloxone") == [thread.get_absolute_url()]


# Sharing a resource


def test_a_member_shares_a_file_through_the_librarys_checks(network: Network, member: User) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from echohub.library.models import Resource

    client = client_for(member)
    disguised = SimpleUploadedFile(
        "tool.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    refused = new_thread(
        client, network.program, kind="resource", title="Mouth care checklist", file=disguised
    )
    assert refused.status_code == 422
    assert not Resource.objects.exists()
    assert not Thread.objects.exists()
    neither = new_thread(client, network.program, kind="resource", title="Checklist")
    assert "link, or choose its file." in text(neither)
    pdf = SimpleUploadedFile(
        "checklist.pdf",
        b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
        content_type="application/pdf",
    )
    done = new_thread(
        client,
        network.program,
        kind="resource",
        title="Mouth care checklist",
        file=pdf,
        resource_kind="tool",
    )
    assert done.status_code == 302
    thread = Thread.objects.get()
    resource = thread.resource
    assert resource is not None
    assert (resource.kind, resource.visibility, resource.program) == (
        "tool",
        Resource.Visibility.MEMBERS,
        network.program,
    )
    assert resource.file_type == "application/pdf"
    page = client.get(thread.get_absolute_url()).content.decode()
    assert resource.get_absolute_url() in page
    # The library shows it to the program's members only.
    assert client.get(resource.get_absolute_url()).status_code == 200
    assert client_for(UserFactory()).get(resource.get_absolute_url()).status_code == 404
    link = new_thread(
        client,
        network.program,
        kind="resource",
        title="Ontario palliative care pathway",
        link="https://www.example.org/pathway",
    )
    assert link.status_code == 302
    assert Resource.objects.get(kind="link").url == "https://www.example.org/pathway"
