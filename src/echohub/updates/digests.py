"""Who gets what: matching items to subscribers' interests, for update emails and digests.

An item is shown to a subscriber when, for each kind of interest the
subscriber chose and the item has, they share one: a program open to every
profession matches every profession, a national program every province, a
network-wide update every hub. Interests left empty match everything.

Digests are cut by calendar period on the network's clock (`TIME_ZONE`): the
weekly digest of a week (Monday to Sunday) lists the sessions that start that
week, from the moment it is sent, and what was new the week before: programs
published, public library items added, updates published. The monthly digest
does the same by month. Run twice in a period, it queues nothing the second
time (one reason per subscriber and period); a subscriber whom nothing
matches gets nothing.
"""

import datetime as dt
import logging
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from echohub.library.models import Resource
from echohub.outreach.services import (
    PREFERENCES_MARK,
    UNSUBSCRIBE_MARK,
    BulkRecipient,
    Reader,
    Rendered,
    queue_bulk,
    queue_rendered,
    render_email,
    site_link,
)
from echohub.programs.models import Program, Session
from echohub.programs.permissions import listed_programs, listed_sessions
from echohub.updates.models import Frequency, Subscriber, Update

log = logging.getLogger(__name__)

KINDS = ("professions", "provinces", "hubs", "programs", "topics")
# An item attribute that matches every interest of its kind.
ANY = None


@dataclass(frozen=True)
class Item:
    """What matching needs to know of a session, program, library item or update."""

    key: str
    obj: Any
    # Per kind of interest: a set of codes, ANY, or absent (the kind does not apply).
    traits: dict[str, frozenset[str] | None] = field(default_factory=dict)


def matches(item: Item, interests: dict[str, frozenset[str]]) -> bool:
    for kind, chosen in interests.items():
        if not chosen or kind not in item.traits:
            continue
        trait = item.traits[kind]
        if trait is not ANY and not (trait & chosen):
            return False
    return True


def _program_traits(program: Program, professions: set[str], provinces: set[str]) -> dict:
    return {
        "professions": frozenset(professions) or ANY,
        "provinces": ANY if program.scope == Program.Scope.NATIONAL else frozenset(provinces),
        "hubs": frozenset({program.hub.slug}),
        "programs": frozenset({program.slug}),
    }


def _audiences(programs: Iterable[Program]) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    ids = [p.pk for p in programs]
    professions: dict[int, set[str]] = defaultdict(set)
    provinces: dict[int, set[str]] = defaultdict(set)
    for program_id, code in Program.audience_professions.through.objects.filter(
        program_id__in=ids
    ).values_list("program_id", "profession__code"):
        professions[program_id].add(code)
    for program_id, code in Program.provinces.through.objects.filter(
        program_id__in=ids
    ).values_list("program_id", "province__code"):
        provinces[program_id].add(code)
    return professions, provinces


def session_items(start: dt.datetime, end: dt.datetime) -> list[Item]:
    sessions = list(
        listed_sessions()
        .filter(starts_at__gte=start, starts_at__lt=end, status=Session.Status.SCHEDULED)
        .filter(program__status=Program.Status.PUBLISHED)
        .select_related("program__hub")
        .order_by("starts_at", "pk")
    )
    professions, provinces = _audiences({s.program for s in sessions})
    return [
        Item(
            f"session:{s.pk}",
            s,
            _program_traits(s.program, professions[s.program_id], provinces[s.program_id]),
        )
        for s in sessions
    ]


def program_items(start: dt.datetime, end: dt.datetime) -> list[Item]:
    programs = list(
        listed_programs()
        .filter(status=Program.Status.PUBLISHED, published_at__gte=start, published_at__lt=end)
        .select_related("hub")
        .order_by("published_at", "pk")
    )
    professions, provinces = _audiences(programs)
    return [
        Item(f"program:{p.pk}", p, _program_traits(p, professions[p.pk], provinces[p.pk]))
        for p in programs
    ]


def resource_items(start: dt.datetime, end: dt.datetime) -> list[Item]:
    resources = list(
        Resource.objects.filter(
            visibility=Resource.Visibility.PUBLIC, created_at__gte=start, created_at__lt=end
        )
        .select_related("hub", "program")
        .prefetch_related("topics", "professions")
        .order_by("created_at", "pk")
    )
    items = []
    for r in resources:
        traits: dict[str, frozenset[str] | None] = {
            "hubs": frozenset({r.hub.slug}),
            "professions": frozenset(p.code for p in r.professions.all()) or ANY,
            "topics": frozenset(t.code for t in r.topics.all()) or ANY,
        }
        if r.program is not None:
            traits["programs"] = frozenset({r.program.slug})
        items.append(Item(f"resource:{r.pk}", r, traits))
    return items


def update_traits(update: Update) -> dict[str, frozenset[str] | None]:
    return {
        "hubs": frozenset({update.hub.slug}) if update.hub else ANY,
        "topics": frozenset(t.code for t in update.topics.all()) or ANY,
        "programs": frozenset(p.slug for p in update.programs.all()) or ANY,
    }


def update_items(start: dt.datetime, end: dt.datetime) -> list[Item]:
    updates = (
        Update.objects.published()
        .filter(publish_at__gte=start, publish_at__lt=end)
        .select_related("hub")
        .prefetch_related("topics", "programs")
        .order_by("publish_at", "pk")
    )
    return [Item(f"update:{u.pk}", u, update_traits(u)) for u in updates]


def interests_of(subscribers: QuerySet[Subscriber]) -> dict[int, dict[str, frozenset[str]]]:
    """Every subscriber's interests in five queries, whatever their number (a subquery
    names them, so no query carries one parameter per subscriber)."""
    found: dict[int, dict[str, set[str]]] = defaultdict(lambda: {kind: set() for kind in KINDS})
    columns = {
        "professions": "profession__code",
        "provinces": "province__code",
        "hubs": "hub__slug",
        "programs": "program__slug",
        "topics": "topic__code",
    }
    for kind, column in columns.items():
        through = getattr(Subscriber, kind).through.objects.filter(
            subscriber_id__in=subscribers.values("pk")
        )
        for pk, code in through.values_list("subscriber_id", column).iterator(chunk_size=5000):
            found[pk][kind].add(code)
    return defaultdict(
        dict, {pk: {k: frozenset(v) for k, v in kinds.items()} for pk, kinds in found.items()}
    )


def active_subscribers(frequency: str) -> QuerySet[Subscriber]:
    return (
        Subscriber.objects.filter(frequency=frequency, address__suppressed="")
        .select_related("address")
        .order_by("pk")
    )


def recipient(subscriber: Subscriber, reason_key: str) -> BulkRecipient:
    return BulkRecipient(
        address=subscriber.address,
        reason_key=reason_key,
        language=subscriber.language,
        zone=zoneinfo.ZoneInfo(subscriber.timezone),
        preferences_url=site_link("updates:preferences_key", key=subscriber.key),
    )


# --- Update emails -----------------------------------------------------------


def email_update(update_id: int) -> int:
    """Email a published update to the subscribers who asked for each update and whom it
    matches; once per person, however often it runs."""
    update = (
        Update.objects.published()
        .select_related("hub")
        .prefetch_related("topics", "programs")
        .filter(pk=update_id)
        .first()
    )
    if update is None or not update.send_email:
        return 0
    item = Item(f"update:{update.pk}", update, update_traits(update))
    who = active_subscribers(Frequency.EACH)
    subscribers, interests = list(who), interests_of(who)
    chosen = [
        recipient(s, f"update:{update.pk}:{s.pk}")
        for s in subscribers
        if matches(item, interests[s.pk])
    ]
    queued = queue_bulk(
        kind="updates.update",
        recipients=chosen,
        context={
            "update": update,
            "update_url": site_link("updates:detail", pk=update.pk, slug=update.slug),
        },
        hub=update.hub,
    )
    Update.objects.filter(pk=update.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    log.info("update %s emailed to %s subscriber(s)", update.pk, queued)
    return queued


# --- Digests -----------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    key: str
    start: dt.datetime
    end: dt.datetime
    previous_start: dt.datetime


def period_of(frequency: str, now: dt.datetime) -> Period:
    """The week (Monday to Sunday) or month that `now` falls in, on the network's clock."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    local = timezone.localtime(now, zone)
    day = local.date()
    if frequency == Frequency.WEEKLY:
        first = day - dt.timedelta(days=day.weekday())
        after = first + dt.timedelta(days=7)
        before = first - dt.timedelta(days=7)
        year, week, _ = first.isocalendar()
        key = f"{year}-W{week:02d}"
    else:
        first = day.replace(day=1)
        after = (first + dt.timedelta(days=32)).replace(day=1)
        before = (first - dt.timedelta(days=1)).replace(day=1)
        key = f"{first:%Y-%m}"

    def midnight(d: dt.date) -> dt.datetime:
        return dt.datetime.combine(d, dt.time(), tzinfo=zone)

    return Period(key, midnight(first), midnight(after), midnight(before))


# A digest lists at most this many of each kind (the soonest sessions, the newest
# of the rest) and says how many more there are, with a link to all of them.
LIMITS = {"session": 12, "program": 6, "resource": 6, "update": 6}
SECTIONS = ("session", "program", "resource", "update")
ALL_OF_THEM = {
    "session": "programs:catalogue",
    "program": "programs:catalogue",
    "resource": "library:index",
    "update": "updates:list",
}


def _section_mark(kind: str) -> str:
    return f"ECHOHUBDIGEST{kind.upper()}MARK"


class Assembler:
    """Digests put together from pieces rendered once each.

    Each item's entry is rendered once per language and time zone it is read
    in, and the frame (greeting, headings, footer) once per language, zone and
    set of sections; a subscriber's digest is those pieces joined. 30,000
    digests thus cost a few thousand small renderings, not 30,000 large ones.
    """

    def __init__(self, frequency: str, objects: dict[str, Any]) -> None:
        self.frequency = frequency
        self.objects = objects
        self.pieces: dict[tuple[str, str, str], tuple[str, str]] = {}
        self.frames: dict[tuple[str, str, tuple[str, ...]], Rendered] = {}

    def _render(self, name: str, language: str, zone: zoneinfo.ZoneInfo, **context: Any) -> str:
        with translation.override(language), timezone.override(zone):
            return render_to_string(f"outreach/email/updates/digest/{name}", context)

    def _piece(self, key: str, language: str, zone: zoneinfo.ZoneInfo) -> tuple[str, str]:
        cache = (key, language, zone.key)
        if cache not in self.pieces:
            kind, _, rest = key.partition(":")
            if kind == "more":
                section, count = rest.split(":")
                context: dict[str, Any] = {
                    "section": section,
                    "count": int(count),
                    "frequency": self.frequency,
                    "url": site_link(ALL_OF_THEM[section]),
                }
            else:
                obj = self.objects[key]
                context = {kind: obj, "url": _url_of(kind, obj)}
                if kind == "session":
                    context["register_url"] = site_link("registration:register", pk=obj.pk)
            self.pieces[cache] = (
                self._render(f"_{kind}.txt", language, zone, **context),
                self._render(f"_{kind}.html", language, zone, **context),
            )
        return self.pieces[cache]

    def _frame(self, language: str, zone: zoneinfo.ZoneInfo, sections: tuple[str, ...]) -> Rendered:
        cache = (language, zone.key, sections)
        if cache not in self.frames:
            self.frames[cache] = render_email(
                Reader(email="", name="", language=language, zone=zone),
                "updates.digest",
                {
                    "sections": [(kind, _section_mark(kind)) for kind in sections],
                    "frequency": self.frequency,
                    "preferences_url": PREFERENCES_MARK,
                },
                unsubscribe_url=UNSUBSCRIBE_MARK,
            )
        return self.frames[cache]

    def email(self, recipient: BulkRecipient, keys: tuple[str, ...]) -> Rendered:
        language, zone = recipient.language, recipient.zone
        by_kind: dict[str, list[str]] = defaultdict(list)
        for key in keys:
            by_kind[key.split(":", 1)[0]].append(key)
        sections = tuple(kind for kind in SECTIONS if by_kind[kind])
        frame = self._frame(language, zone, sections)
        text, html = frame.text, frame.html
        for kind in sections:
            shown = by_kind[kind][: LIMITS[kind]]
            if kind != "session":  # the newest first; sessions stay the soonest first
                shown = by_kind[kind][::-1][: LIMITS[kind]]
            pieces = [self._piece(key, language, zone) for key in shown]
            if more := len(by_kind[kind]) - len(shown):
                pieces.append(self._piece(f"more:{kind}:{more}", language, zone))
            mark = _section_mark(kind)
            text = text.replace(mark, "".join(p[0] for p in pieces).rstrip("\n"))
            html = html.replace(mark, "".join(p[1] for p in pieces))
        return Rendered(frame.subject, text, html, frame.from_email)


def _url_of(kind: str, obj: Any) -> str:
    if kind == "session":
        return site_link("programs:session", pk=obj.pk)
    if kind == "program":
        return site_link("programs:program", slug=obj.slug)
    if kind == "resource":
        return site_link("library:resource", key=obj.key)
    return site_link("updates:detail", pk=obj.pk, slug=obj.slug)


def send_digests(frequency: str, now: dt.datetime | None = None) -> int:
    """Queue this period's digest for every subscriber of `frequency` whom something matches.

    The matching items are fetched once; each subscriber's digest is put
    together from pieces rendered once (`Assembler`).
    """
    now = now or timezone.now()
    period = period_of(frequency, now)
    sessions = session_items(max(now, period.start), period.end)
    news = (
        program_items(period.previous_start, period.start)
        + resource_items(period.previous_start, period.start)
        + update_items(period.previous_start, period.start)
    )
    items = sessions + news
    if not items:
        log.info("%s digest %s: nothing new", frequency, period.key)
        return 0
    who = active_subscribers(frequency)
    subscribers, interests = list(who), interests_of(who)
    wanted: dict[str, tuple[str, ...]] = {}
    recipients = []
    for subscriber in subscribers:
        keys = tuple(i.key for i in items if matches(i, interests[subscriber.pk]))
        if keys:
            chosen = recipient(subscriber, f"digest:{period.key}:{subscriber.pk}")
            wanted[chosen.reason_key] = keys
            recipients.append(chosen)
    assembler = Assembler(frequency, {i.key: i.obj for i in items})
    queued = queue_rendered(
        kind="updates.digest",
        recipients=recipients,
        render=lambda r: assembler.email(r, wanted[r.reason_key]),
    )
    log.info("%s digest %s: %s queued", frequency, period.key, queued)
    return queued
