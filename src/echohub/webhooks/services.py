"""Subscribing, queueing each event's deliveries, and sending them."""

import datetime as dt
import logging
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from echohub.accounts.models import User
from echohub.network.models import Hub
from echohub.programs.models import Program
from echohub.webhooks import sending
from echohub.webhooks.models import Delivery, Event, Subscription
from echohub.workers.queue import enqueue_atomically

log = logging.getLogger(__name__)

# The waits after each failed attempt; after the last, the delivery is given up
# (8 attempts over about two days), and the hub admin may send it again.
RETRY_DELAYS = [
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
    dt.timedelta(hours=12),
    dt.timedelta(hours=24),
]
# A worker sending a delivery holds it this long; if it dies, another takes it up then.
LEASE = dt.timedelta(minutes=2)


@transaction.atomic
def subscribe(hub: Hub, *, name: str, url: str, events: list[str], by: User) -> Subscription:
    if refusal := sending.address_refusal(url):
        raise ValidationError({"url": refusal})
    if not events or any(event not in Event.values for event in events):
        raise ValidationError({"events": _("Choose at least one event from the list.")})
    subscription = Subscription(
        hub=hub, name=name.strip(), url=url, events=sorted(set(events)), created_by=by
    )
    subscription.full_clean()
    subscription.save()
    log.info("webhook %s of hub %s created by %s", subscription.pk, hub.pk, by.pk)
    return subscription


@transaction.atomic
def save_store(
    program: Program, *, url: str, key: str, secret: str, events: list[str], by: User
) -> Subscription:
    """Connect the program's learning record store, or change it (a blank secret keeps
    the one it has)."""
    if refusal := sending.address_refusal(url):
        raise ValidationError({"url": refusal})
    store = Subscription.objects.filter(kind=Subscription.Kind.XAPI, program=program).first()
    if store is None:
        if not secret:
            raise ValidationError({"secret": _("Give the store's secret.")})
        store = Subscription(
            hub_id=program.hub_id, program=program, kind=Subscription.Kind.XAPI, created_by=by
        )
    store.name = str(_("Learning records of %(program)s") % {"program": program.slug})[:100]
    store.url, store.lrs_key, store.events = url, key, sorted(set(events))
    if secret:
        store.lrs_secret = secret
    store.full_clean()
    store.save()
    log.info("learning record store %s of program %s saved by %s", store.pk, program.pk, by.pk)
    return store


@transaction.atomic
def set_active(subscription: Subscription, active: bool, *, by: User) -> None:
    subscription.active = active
    subscription.save(update_fields=["active"])
    log.info("webhook %s %s by %s", subscription.pk, "resumed" if active else "paused", by.pk)


@transaction.atomic
def delete(subscription: Subscription, *, by: User) -> None:
    log.info("webhook %s deleted by %s", subscription.pk, by.pk)
    subscription.delete()


def queue(event: str, hub_id: int, about: str, data: dict[str, Any]) -> int:
    """One delivery of `event` for each of the hub's subscriptions that want it, written in
    the caller's transaction; the worker is woken after the commit. A paused subscription
    keeps its deliveries until it is turned back on."""
    hooked = Subscription.objects.filter(hub_id=hub_id, kind=Subscription.Kind.WEBHOOK)
    wanted = [subscription for subscription in hooked if event in subscription.events]
    if not wanted:
        return 0
    now = timezone.now()
    rows = []
    for subscription in wanted:
        uid = uuid.uuid4()
        payload = {"id": str(uid), "event": event, "created_at": now.isoformat(), "data": data}
        rows.append(
            Delivery(subscription=subscription, uid=uid, event=event, about=about, payload=payload)
        )
    Delivery.objects.bulk_create(rows)
    _wake([s.pk for s in wanted if s.active])
    return len(rows)


def queue_statements(
    program_id: int, event: str, statements: list[tuple[str, dict[str, Any]]]
) -> int:
    """xAPI statements (`about`, statement) for the program's learning record store, if it
    has one that takes `event`'s records: one delivery each, sent like a webhook's."""
    store = Subscription.objects.filter(kind=Subscription.Kind.XAPI, program_id=program_id).first()
    if store is None or event not in store.events or not statements:
        return 0
    Delivery.objects.bulk_create(
        [
            Delivery(subscription=store, event=event, about=about, payload=statement)
            for about, statement in statements
        ]
    )
    if store.active:
        _wake([store.pk])
    return len(statements)


def _wake(subscription_ids: list[int]) -> None:
    from echohub.webhooks import tasks  # the task module imports this one

    for pk in subscription_ids:
        enqueue_atomically(tasks.send_webhooks, pk)


def _claim(delivery: Delivery, now: dt.datetime) -> bool:
    """Take the delivery for one attempt: no other worker sends it meanwhile."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return bool(
        Delivery.objects.filter(due, pk=delivery.pk, status__in=Delivery.WAITING).update(
            next_attempt_at=now + LEASE
        )
    )


def attempt(delivery: Delivery) -> bool:
    """Send it once, keep the answer, and plan the next attempt if it failed."""
    now = timezone.now()
    if not _claim(delivery, now):
        return False
    hook = delivery.subscription
    if hook.kind == Subscription.Kind.XAPI:
        outcome = sending.put_statement(hook.url, hook.lrs_key, hook.lrs_secret, delivery.payload)
    else:
        uid = str(delivery.uid)
        outcome = sending.post(hook.url, hook.secret, delivery.event, uid, delivery.payload)
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    delivery.response_status = outcome.status
    delivery.response_body = outcome.body
    delivery.error = outcome.error
    delivery.duration_ms = outcome.duration_ms
    if outcome.delivered:
        delivery.status, delivery.next_attempt_at = Delivery.Status.DELIVERED, None
    elif delivery.attempts > len(RETRY_DELAYS):
        delivery.status, delivery.next_attempt_at = Delivery.Status.FAILED, None
    else:
        delivery.status = Delivery.Status.RETRYING
        delivery.next_attempt_at = delivery.last_attempt_at + RETRY_DELAYS[delivery.attempts - 1]
    delivery.save()
    log.info(
        "webhook delivery %s (%s) attempt %s: %s",
        delivery.pk,
        delivery.event,
        delivery.attempts,
        outcome.status or outcome.error,
    )
    return outcome.delivered


def send_due(subscription_id: int) -> int:
    """Send the subscription's due deliveries, oldest first; one object's next delivery
    waits until the one before it is delivered or given up. Returns how many went."""
    now = timezone.now()
    waiting = (
        Delivery.objects.filter(subscription_id=subscription_id, status__in=Delivery.WAITING)
        .select_related("subscription")
        .order_by("created_at", "pk")
    )
    blocked: set[str] = set()
    sent = 0
    for delivery in waiting:
        if delivery.about in blocked:
            continue
        if not delivery.subscription.active:
            break
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            blocked.add(delivery.about)
            continue
        if attempt(delivery):
            sent += 1
        else:
            blocked.add(delivery.about)
    return sent


def send_all_due() -> int:
    """Every subscription's due deliveries (`echohub send_webhooks`, every few minutes)."""
    now = timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    subscriptions = (
        Delivery.objects.filter(due, status__in=Delivery.WAITING, subscription__active=True)
        .values_list("subscription_id", flat=True)
        .distinct()
    )
    return sum(send_due(pk) for pk in list(subscriptions))


@transaction.atomic
def resend(delivery: Delivery, *, by: User) -> Delivery:
    """The hub admin sends a delivery again (the same id: a receiver may tell it apart),
    with the whole schedule of retries before it is given up again."""
    delivery.status, delivery.next_attempt_at, delivery.attempts = Delivery.Status.PENDING, None, 0
    delivery.save(update_fields=["status", "next_attempt_at", "attempts"])
    _wake([delivery.subscription_id])
    log.info("webhook delivery %s sent again by %s", delivery.pk, by.pk)
    return delivery
