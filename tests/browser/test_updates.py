"""A visitor stays informed: subscribes in French, confirms, reads her digest, unsubscribes."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core import mail
from playwright.sync_api import expect

from echohub.outreach.models import MailAddress
from echohub.programs.models import Program
from echohub.reference.models import Profession, Province
from echohub.updates.digests import send_digests
from echohub.updates.models import Subscriber
from tests.browser.conftest import assert_accessible, doc_screenshot, url
from tests.factories import HubFactory, ProgramFactory, SessionFactory

pytestmark = pytest.mark.browser
TORONTO = zoneinfo.ZoneInfo("America/Toronto")


def next_monday_noon() -> dt.datetime:
    today = dt.datetime.now(TORONTO).date()
    monday = today + dt.timedelta(days=7 - today.weekday())
    return dt.datetime.combine(monday, dt.time(12), tzinfo=TORONTO)


def test_a_visitor_subscribes_in_french_reads_her_digest_and_unsubscribes(
    browser_live, contexts, settings
) -> None:
    settings.TIME_ZONE = "America/Toronto"
    monday = next_monday_noon()
    wednesday = monday + dt.timedelta(days=2)
    quebec = HubFactory(slug="quebec", name_en="Quebec Hub", name_fr="Carrefour du Québec")
    psw = ProgramFactory(
        hub=quebec, slug="pab", title_fr="Les PAB en soins palliatifs",
        scope=Program.Scope.PROVINCIAL,
    )  # fmt: skip
    psw.audience_professions.set([Profession.objects.get(code="psw")])
    psw.provinces.set([Province.objects.get(code="QC")])
    nurses = ProgramFactory(hub=quebec, slug="inf", scope=Program.Scope.NATIONAL)
    nurses.audience_professions.set([Profession.objects.get(code="registered-nurse")])
    ontario = ProgramFactory(slug="on", scope=Program.Scope.PROVINCIAL)
    ontario.provinces.set([Province.objects.get(code="ON")])
    SessionFactory(program=psw, starts_at=wednesday, title_fr="Les soins de la bouche")
    SessionFactory(program=nurses, starts_at=wednesday, title_fr="Séance pour infirmières")
    SessionFactory(program=ontario, starts_at=wednesday, title_fr="Séance en Ontario")

    page = contexts(locale="fr-CA", timezone_id="America/Toronto", phone=True).new_page()
    page.goto(browser_live.url + url("programs:hub", "fr", slug="quebec"))
    box = page.locator(".stay-informed")
    expect(box).to_contain_text("Carrefour du Québec")
    box.get_by_role("link", name="Choisir des professions, des provinces, des sujets…").click()

    expect(page.locator("h1")).to_have_text("Restez informé")
    page.locator("#id_email").fill("marie.pab@example.org")
    doc_screenshot(page, "stay-informed-phone")
    expect(page.get_by_label("Français")).to_be_checked()
    page.get_by_label("Un résumé hebdomadaire").check()
    page.locator("fieldset", has_text="Provinces et territoires").get_by_label("Québec").check()
    page.get_by_label("Préposé(e) aux bénéficiaires / aide en soins de santé").check()
    consent = page.locator("#id_consent")
    expect(consent).not_to_be_checked()
    expect(page.locator("label[for=id_consent]")).to_contain_text("Carrefour du Québec")
    assert_accessible(page)
    consent.check()
    page.get_by_role("button", name="S’abonner").click()
    expect(page.locator("h1")).to_have_text("Consultez vos courriels")
    assert not Subscriber.objects.exists()

    [confirmation] = mail.outbox
    assert confirmation.subject == "Confirmez votre abonnement à Carrefour du Québec"
    link = re.search(r"https?://[^/\s]+(/fr/restez-informe/confirmer/\S+/)", confirmation.body)
    assert link, confirmation.body
    page.goto(browser_live.url + link.group(1))
    page.get_by_role("button", name="Oui, je confirme").click()
    expect(page.locator("h1")).to_have_text("Vous êtes abonné")

    mail.outbox.clear()
    assert send_digests("weekly", now=monday) == 1
    [digest] = mail.outbox
    assert digest.to == ["marie.pab@example.org"]
    assert "Les soins de la bouche" in digest.body
    assert "Séance pour infirmières" not in digest.body
    assert "Séance en Ontario" not in digest.body
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.search(r"https?://[^/\s]+(/fr/desabonnement/\S+/)", digest.body)
    assert unsubscribe, digest.body

    page.goto(browser_live.url + unsubscribe.group(1))
    expect(page.locator("#main")).to_contain_text("marie.pab@example.org")
    page.get_by_role("button", name="Se désabonner").click()
    expect(page.locator("h1")).to_have_text("Vous êtes désabonné")
    assert MailAddress.objects.get(email="marie.pab@example.org").suppressed == "unsubscribed"
    mail.outbox.clear()
    assert send_digests("monthly", now=monday) == 0
    assert mail.outbox == []
