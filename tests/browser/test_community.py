"""Issue 19's journey, on a phone in French: an invited personal support worker signs up from
her invitation, lands in her Thursday group, asks the panel a question; an expert answers;
she gets one email and marks the answer helpful."""

import datetime as dt
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from echohub.community.models import Post, Thread
from echohub.network.models import StaffRole
from echohub.programs import services as program_services
from echohub.programs.models import Group, Program
from echohub.registration import invitations
from echohub.registration.models import Enrolment
from tests.browser.conftest import (
    assert_accessible,
    doc_screenshot,
    log_in,
    screenshot,
    url,
)
from tests.factories import ProgramFactory, SessionFactory, StaffRoleFactory

pytestmark = pytest.mark.browser
LINK = re.compile(r"https?://[^/\s]+(/fr/invitations/\S+/)")


def test_an_invited_psw_joins_her_group_asks_the_panel_and_marks_the_answer_helpful(
    browser_live, contexts
):
    coordinator = StaffRoleFactory(
        role=StaffRole.Role.COORDINATOR, person__name="Camille Roy"
    ).person
    hub = coordinator.staff_roles.get().hub
    expert = StaffRoleFactory(
        hub=hub, role=StaffRole.Role.EXPERT, person__name="Dr Erik Larsen"
    ).person
    EmailAddress.objects.create(user=expert, email=expert.email, verified=True, primary=True)
    program = ProgramFactory(
        hub=hub,
        slug="cercle-psw",
        title_en="PSW circle",
        title_fr="Cercle des préposées",
        languages="fr",
        access=Program.Access.INVITATION,
        enrolment=Program.Enrolment.COHORT,
    )
    groups = {}
    for name_en, name_fr, day in (
        ("Tuesday noon", "Mardi midi", 5),
        ("Thursday evening", "Jeudi soir", 7),
    ):
        groups[name_en] = program_services.save_group(
            Group(program=program, name_en=name_en, name_fr=name_fr), by=coordinator
        )
        SessionFactory(
            program=program,
            group=groups[name_en],
            title_fr=f"{name_fr} : les soins de bouche",
            starts_at=timezone.now() + dt.timedelta(days=day),
        )
    parsed = invitations.parse_addresses("josee.tremblay@example.org, fr")
    invitations.start_batch(
        program, parsed, language="fr", days=30, by=coordinator, group=groups["Thursday evening"]
    )
    [invitation_email] = mail.outbox
    assert invitation_email.subject == "Vous êtes invité·e\u00a0: Cercle des préposées"
    link = LINK.search(invitation_email.body)
    assert link, invitation_email.body
    mail.outbox.clear()

    # 1. On her phone, in French, she opens the invitation and creates her account.
    phone = contexts(locale="fr-CA", timezone_id="America/Toronto", phone=True).new_page()
    phone.goto(browser_live.url + link.group(1))
    expect(phone.locator("h1")).to_have_text("Cercle des préposées")
    phone.get_by_role("button", name="Créer un compte et rejoindre").click()
    form = phone.locator("#main form").filter(has=phone.locator("#id_password1"))
    form.locator("#id_email").fill("josee.tremblay@example.org")
    form.locator("#id_name").fill("Josée Tremblay")
    form.locator("#id_password1").fill("Soins-palliatifs-2026!")
    form.locator("#id_password2").fill("Soins-palliatifs-2026!")
    form.locator("#id_privacy_consent").check()
    form.locator("button[type=submit]").click()
    [confirmation] = mail.outbox
    confirm = re.search(r"https?://[^/\s]+(/\S+/confirm-email/\S+)", confirmation.body)
    assert confirm, confirmation.body
    mail.outbox.clear()
    phone.goto(browser_live.url + confirm.group(1))
    phone.locator("#main form button[type=submit]").click()

    # 2. She lands in the program, enrolled in her Thursday group.
    expect(phone).to_have_url(browser_live.url + url("programs:program", "fr", slug=program.slug))
    expect(phone.locator(".messages")).to_contain_text("Bienvenue dans le programme")
    expect(phone.locator("#enrolment")).to_contain_text("dans le groupe « Jeudi soir »")
    enrolment = Enrolment.objects.get(person__email="josee.tremblay@example.org")
    assert enrolment.group == groups["Thursday evening"]
    # Her enrolment's confirmation, with the group's sessions in her calendar.
    assert [m.to for m in mail.outbox] == [["josee.tremblay@example.org"]]
    mail.outbox.clear()

    # 3. She asks the panel a question in the program's discussion space.
    phone.get_by_role("link", name="Discussion entre les séances").click()
    expect(phone.locator("h1")).to_have_text("Discussion")
    phone.get_by_label("Question à l’équipe du programme").check()
    phone.get_by_label("Titre").fill("Bouche sèche en fin de vie")
    phone.get_by_label("Votre message").fill(
        "Quels soins de bouche utilisez-vous quand la personne ne boit plus ?"
    )
    phone.get_by_role("button", name="Publier", exact=True).click()
    expect(phone.locator(".messages")).to_contain_text("Votre fil est publié.")
    expect(phone.locator("h1")).to_have_text("Bouche sèche en fin de vie")
    thread = Thread.objects.get()
    assert thread.kind == Thread.Kind.QUESTION
    assert mail.outbox == []  # nobody else follows the space yet

    # 4. An expert of the hub answers, on a desktop in English.
    desk = contexts(locale="en-CA", timezone_id="America/Toronto").new_page()
    log_in(desk, browser_live.url, expert)
    desk.goto(browser_live.url + url("community:thread", "en", pk=thread.pk))
    desk.get_by_label("Your reply").fill(
        "Moisten the mouth every hour with a soft swab and water, and use a water-based gel."
    )
    desk.get_by_label("Written in").select_option("en")
    desk.get_by_role("button", name="Post the reply").click()
    expect(desk.locator(".messages")).to_contain_text("Your reply is posted.")
    answer = Post.objects.get(opening=False)
    desk.locator(f"#post-{answer.pk}").get_by_role(
        "button", name="Mark as the panel’s answer"
    ).click()
    expect(desk.locator(".messages")).to_contain_text("Marked as the panel's answer.")

    # 5. She gets one email, in French, and marks the answer helpful from it.
    [told] = mail.outbox
    assert told.to == ["josee.tremblay@example.org"]
    assert told.subject == "Nouvelle réponse\u00a0: Bouche sèche en fin de vie"
    back = re.search(r"https?://[^/\s]+(/fr/discussion/fils/\d+/)", told.body)
    assert back, told.body
    phone.goto(browser_live.url + back.group(1))
    post = phone.locator(f"#post-{answer.pk}")
    expect(post).to_contain_text("La réponse de l’équipe du programme")
    expect(post).to_have_attribute("lang", "en")
    post.get_by_role("button", name="Utile (0)").click()
    expect(phone.locator(f"#post-{answer.pk}")).to_contain_text("Utile (1)")
    answer.refresh_from_db()
    assert answer.helpful == 1
    assert len(mail.outbox) == 1
    assert_accessible(phone)
    doc_screenshot(phone, "community-thread-phone-fr")
    screenshot(phone, "journey-community-answer-helpful")
