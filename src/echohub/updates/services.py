"""Every state change of updates and subscriptions, one function per thing a person does."""

import datetime as dt
import logging
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from echohub.accounts.models import User
from echohub.library.models import Resource
from echohub.network.branding import check_image
from echohub.network.models import Hub
from echohub.outreach import services as outreach
from echohub.outreach.models import MailAddress, normalise_email
from echohub.outreach.services import Reader, queue_email, sender_identity, site_link
from echohub.programs.models import Program, Session
from echohub.reference.models import Profession, Province, Topic
from echohub.updates.models import Consent, Frequency, Subscriber, Update
from echohub.workers.queue import enqueue_atomically

log = logging.getLogger(__name__)

# A confirmation link works this long.
CONFIRM_MAX_AGE = 7 * 24 * 3600
# At most one confirmation email per address in this time, however often the form
# is posted: the form must not become a way to fill someone else's inbox.
CONFIRM_INTERVAL = dt.timedelta(minutes=15)
_CONFIRM_SALT = "echohub.updates.confirm"


# --- Updates -----------------------------------------------------------------


@dataclass(frozen=True)
class Links:
    programs: Iterable[Program] = ()
    sessions: Iterable[Session] = ()
    resources: Iterable[Resource] = ()
    topics: Iterable[Topic] = ()


def save_update(
    update: Update,
    *,
    by: User,
    links: Links,
    publish: str,
    publish_at: Any = None,
    image: UploadedFile | None = None,
    remove_image: bool = False,
) -> Update:
    """Save an update as a draft (`publish="draft"`), scheduled ("schedule", at
    `publish_at`) or published now ("now"); its email goes when it is published."""
    if publish == "draft":
        update.publish_at = None
    elif publish == "schedule":
        update.publish_at = publish_at
    elif publish == "now":
        # Published once stays dated from then: saving again does not move it up the list.
        if update.publish_at is None or update.publish_at > timezone.now():
            update.publish_at = timezone.now()
    else:
        raise ValueError(publish)
    if update.pk is None:
        update.created_by = by
    written = None
    with transaction.atomic():
        if image is not None:
            checked = check_image(image, gettext("an update's image"))
            update.image.save(checked.name, image, save=False)
            written = update.image.name
        elif remove_image and update.image:
            update.image.name = ""
        try:
            update.full_clean()
            update.save()
        except BaseException:
            if written:
                update.image.storage.delete(written)
            raise
        update.programs.set(links.programs)
        update.sessions.set(links.sessions)
        update.resources.set(links.resources)
        update.topics.set(links.topics)
        log.info("update %s saved (%s) by %s", update.pk, update.status, by.pk)
        if update.status == "published":
            _email_when_committed(update)
    return update


def _email_when_committed(update: Update) -> None:
    if update.send_email and update.emailed_at is None:
        from echohub.updates.tasks import email_update

        enqueue_atomically(email_update, update.pk)


def publish_due_updates() -> int:
    """Email the scheduled updates whose time has come (run every few minutes)."""
    due = list(
        Update.objects.published().filter(send_email=True, emailed_at__isnull=True).order_by("pk")
    )
    for update in due:
        _email_when_committed(update)
    return len(due)


# --- Subscribing ---------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """What someone asks to hear about and how often; empty means every one of that kind."""

    frequency: str = Frequency.WEEKLY
    professions: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    hubs: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "frequency": self.frequency,
            "professions": list(self.professions),
            "provinces": list(self.provinces),
            "hubs": list(self.hubs),
            "programs": list(self.programs),
            "topics": list(self.topics),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Choices":
        return cls(
            frequency=data.get("frequency") or Frequency.WEEKLY,
            **{
                kind: tuple(data.get(kind) or ())
                for kind in ("professions", "provinces", "hubs", "programs", "topics")
            },
        )

    @classmethod
    def of(cls, subscriber: Subscriber) -> "Choices":
        return cls(
            frequency=subscriber.frequency,
            professions=tuple(subscriber.professions.values_list("code", flat=True)),
            provinces=tuple(subscriber.provinces.values_list("code", flat=True)),
            hubs=tuple(subscriber.hubs.values_list("slug", flat=True)),
            programs=tuple(subscriber.programs.values_list("slug", flat=True)),
            topics=tuple(subscriber.topics.values_list("code", flat=True)),
        )


def consent_wording(hub: Hub | None, language: str) -> str:
    """The words beside the (unticked) box, in `language`: purpose, who asks, their address."""
    with translation.override(language):
        sender = sender_identity(hub)
        text = gettext(
            "Yes, %(sender)s may email me its updates and upcoming sessions, as often as I "
            "chose above. I can unsubscribe at any time with the link in every email."
        ) % {"sender": sender.name}
        identity = ", ".join(
            part for part in (sender.name, sender.mailing_address, sender.contact) if part
        )
        return f"{text} {identity}"


def request_subscription(
    *,
    email: str,
    language: str,
    shown_in: str,
    zone: str,
    choices: Choices,
    hub: Hub | None,
    page: str,
    ip_address: str | None,
) -> Consent:
    """Record the consent as asked and email its confirmation link; nothing else is sent
    until the link is followed. `language` is the emails' (the reader chose it),
    `shown_in` the page's, whose words the consent keeps. A second request within
    CONFIRM_INTERVAL of one still unconfirmed returns that one, and sends nothing."""
    email = normalise_email(email)
    waiting = (
        Consent.objects.filter(
            email=email,
            via=Consent.Via.FORM,
            confirmed_at__isnull=True,
            given_at__gte=timezone.now() - CONFIRM_INTERVAL,
        )
        .order_by("-given_at")
        .first()
    )
    if waiting is not None:
        log.info("subscription asked again (consent %s waits): nothing sent", waiting.pk)
        return waiting
    consent = Consent.objects.create(
        email=email,
        via=Consent.Via.FORM,
        wording=consent_wording(hub, shown_in),
        language=shown_in,
        asked_by=sender_identity(hub).name,
        hub=hub,
        page=page[:500],
        ip_address=ip_address,
        choices={**choices.as_json(), "language": language, "timezone": zone},
        given_at=timezone.now(),
    )
    token = signing.dumps(consent.pk, salt=_CONFIRM_SALT)
    queue_email(
        person=Reader(
            email=consent.email, name="", language=language, zone=zoneinfo.ZoneInfo(zone)
        ),
        kind="updates.confirm",
        reason_key=f"updates:confirm:{consent.pk}",
        context={
            "confirm_url": site_link("updates:confirm", token=token),
            "days": CONFIRM_MAX_AGE // 86400,
            "asked_by": consent.asked_by,
        },
        hub=hub,
    )
    log.info("subscription asked (consent %s)", consent.pk)
    return consent


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def consent_for_token(token: str) -> Consent:
    """The consent a confirmation link names; LinkExpired or LinkInvalid otherwise."""
    try:
        pk = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkExpired from None
    except signing.BadSignature:
        raise LinkInvalid from None
    consent = Consent.objects.filter(pk=pk, via=Consent.Via.FORM).first()
    if consent is None:
        raise LinkInvalid
    return consent


@transaction.atomic
def confirm_subscription(consent: Consent) -> Subscriber:
    """The address said yes: its subscriber gets the consent's choices, and an earlier
    unsubscribe from this address is lifted (the person asked again, and confirmed).

    A link followed a second time changes nothing: an old link must not bring back
    older choices, nor undo an unsubscribe made since.
    """
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.confirmed_at is not None:
        found = Subscriber.objects.filter(address__email=consent.email).first()
        if found is not None:
            return found
    choices = Choices.from_json(consent.choices)
    subscriber = _subscribe(
        consent.email,
        consent=consent,
        language=consent.choices.get("language") or consent.language,
        zone=consent.choices.get("timezone") or settings.TIME_ZONE,
        choices=choices,
        lift=True,
    )
    consent.confirmed_at = timezone.now()
    consent.save(update_fields=["confirmed_at"])
    log.info("subscription confirmed (consent %s, subscriber %s)", consent.pk, subscriber.pk)
    return subscriber


def _subscribe(
    email: str,
    *,
    consent: Consent,
    language: str,
    zone: str,
    choices: Choices,
    lift: bool,
    person: User | None = None,
) -> Subscriber:
    address = outreach.mail_address(email)
    if lift:
        outreach.lift_suppression(address)
    subscriber = Subscriber.objects.filter(address=address).first()
    if subscriber is None:
        subscriber = Subscriber(address=address)
    if person is None:
        person = User.objects.filter(email__iexact=address.email).first()
    if (
        person is not None
        and not Subscriber.objects.filter(person=person).exclude(pk=subscriber.pk).exists()
    ):
        subscriber.person = person
    subscriber.consent = consent
    subscriber.language = language
    subscriber.timezone = zone
    _apply(subscriber, choices)
    return subscriber


def _apply(subscriber: Subscriber, choices: Choices) -> None:
    subscriber.frequency = choices.frequency
    subscriber.full_clean(exclude=["address", "consent", "person"])
    subscriber.save()
    subscriber.professions.set(Profession.objects.filter(code__in=choices.professions))
    subscriber.provinces.set(Province.objects.filter(code__in=choices.provinces))
    subscriber.hubs.set(Hub.objects.filter(slug__in=choices.hubs))
    subscriber.programs.set(Program.objects.filter(slug__in=choices.programs))
    subscriber.topics.set(Topic.objects.filter(code__in=choices.topics))


@transaction.atomic
def save_my_preferences(
    person: User, *, choices: Choices, wording: str, page: str, ip_address: str | None
) -> Subscriber:
    """A signed-in person subscribes or changes what they receive; their address is
    already confirmed, so their consent is confirmed as they give it."""
    language = person.preferred_language or settings.LANGUAGE_CODE
    now = timezone.now()
    consent = Consent.objects.create(
        email=normalise_email(person.email),
        via=Consent.Via.PROFILE,
        wording=wording,
        language=(translation.get_language() or language)[:2],
        asked_by=sender_identity(None).name,
        page=page[:500],
        ip_address=ip_address,
        choices=choices.as_json(),
        given_at=now,
        confirmed_at=now,
        person=person,
    )
    subscriber = _subscribe(
        person.email,
        consent=consent,
        language=language,
        zone=person.timezone or settings.TIME_ZONE,
        choices=choices,
        lift=True,
        person=person,
    )
    log.info("preferences saved by person %s (subscriber %s)", person.pk, subscriber.pk)
    return subscriber


@transaction.atomic
def change_preferences(subscriber: Subscriber, *, choices: Choices, language: str) -> None:
    """From an email's "Choose what you receive" link: what and how often, not whether."""
    subscriber.language = language
    _apply(subscriber, choices)
    log.info("subscriber %s changed preferences", subscriber.pk)


def stop(subscriber: Subscriber, *, source: str) -> MailAddress | None:
    return outreach.unsubscribe(subscriber.address.token, source=source)


def is_active(subscriber: Subscriber | None) -> bool:
    return subscriber is not None and not subscriber.address.suppressed


@dataclass(frozen=True)
class ImportResult:
    added: int
    refused: list[tuple[int, str, str]]


@transaction.atomic
def import_subscribers(
    hub: Hub, rows: "Iterable[Any]", *, by: User, file_name: str
) -> ImportResult:
    """Add a hub's existing list: each row with its own consent record (date and source as
    the list gives them). An address that unsubscribed or bounced stays so, and one that
    already subscribed keeps its own choices."""
    rows = list(rows)
    addresses = outreach.mail_addresses(r.email for r in rows)
    existing: set[str] = set()
    for chunk in outreach.in_chunks([a.pk for a in addresses.values()]):
        existing.update(
            Subscriber.objects.filter(address_id__in=chunk).values_list("address__email", flat=True)
        )
    refused: list[tuple[int, str, str]] = []
    taken = []
    for row in rows:
        address = addresses[row.email]
        if address.suppressed == MailAddress.Suppressed.UNSUBSCRIBED:
            reason = gettext("unsubscribed: an import never undoes it")
        elif address.suppressed == MailAddress.Suppressed.BOUNCED:
            reason = gettext("email to it bounced")
        elif row.email in existing:
            reason = gettext("already subscribed")
        else:
            taken.append(row)
            continue
        refused.append((row.line, row.email, reason))
    # Written in bulk: a list of thousands is a few queries, not a dozen per row.
    now = timezone.now()
    wording = gettext("Imported from %(file)s by person %(person)s") % {
        "file": file_name[:100],
        "person": by.pk,
    }
    asked_by = {}
    for language in ("en", "fr"):
        with translation.override(language):
            asked_by[language] = sender_identity(hub).name
    consents = Consent.objects.bulk_create(
        [
            Consent(
                email=row.email,
                via=Consent.Via.IMPORT,
                wording=wording,
                language=row.language,
                asked_by=asked_by[row.language],
                hub=hub,
                source=row.source,
                given_at=row.given_at,
                confirmed_at=now,
            )
            for row in taken
        ],
        batch_size=500,
    )
    subscribers = Subscriber.objects.bulk_create(
        [
            Subscriber(
                address=addresses[row.email],
                consent=consent,
                language=row.language,
                timezone=settings.TIME_ZONE,
                frequency=Frequency.WEEKLY,
            )
            for row, consent in zip(taken, consents, strict=True)
        ],
        batch_size=500,
    )
    Subscriber.hubs.through.objects.bulk_create(
        [Subscriber.hubs.through(subscriber_id=s.pk, hub_id=hub.pk) for s in subscribers],
        batch_size=1000,
    )
    added = len(subscribers)
    log.info("%s subscriber(s) imported for hub %s by %s", added, hub.pk, by.pk)
    return ImportResult(added, refused)
