"""The public catalogue: published programs, filtered and searched.

Every filter is an EXISTS subquery, so a program matches once however many
audience rows it has, and the page costs the same few queries for 10
programs as for 1,000.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, F, Model, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from echohub.accounts.models import User
from echohub.programs.models import TITLE_ORDER, Program, Session
from echohub.programs.permissions import listed_programs

Professions = Program.audience_professions.through
Settings = Program.audience_settings.through
Provinces = Program.provinces.through
CARD_FIELDS = (
    *(f"{base}_{lang}" for base in ("title", "description") for lang in ("en", "fr")),
    "slug",
    "languages",
    "status",
    "hub__name_en",
    "hub__name_fr",
)


@dataclass(frozen=True)
class CatalogueQuery:
    q: str = ""
    profession: str = ""
    setting: str = ""
    province: str = ""
    hub: str = ""
    language: str = ""
    when: str = ""


def _open_to(through: type[Model], column: str, code: str) -> Q:
    """Programs listing `code` in an audience column, or listing nobody (open to all)."""
    rows = through._default_manager.filter(program_id=OuterRef("pk"))
    return Q(Exists(rows.filter(**{column: code}))) | ~Q(Exists(rows))


def search_programs(
    query: CatalogueQuery, user: User | AnonymousUser | None = None
) -> QuerySet[Program]:
    """The listed programs matching `query` (with, for `user`, those by invitation that let
    them in), soonest next session first."""
    now = timezone.now()
    upcoming = Session.objects.filter(
        program=OuterRef("pk"), status=Session.Status.SCHEDULED, starts_at__gte=now
    ).order_by("starts_at")
    past = Session.objects.filter(
        program=OuterRef("pk"), status=Session.Status.SCHEDULED, starts_at__lt=now
    ).order_by("-starts_at")
    programs = filter_programs(
        listed_programs(user).annotate(
            next_start=Subquery(upcoming.values("starts_at")[:1]),
            last_start=Subquery(past.values("starts_at")[:1]),
        ),
        query,
    )
    return (
        programs.select_related("hub")
        # What a card shows (programs/cards.py), not the twenty-odd other columns.
        .only(*CARD_FIELDS)
        .order_by(
            F("next_start").asc(nulls_last=True),
            F("last_start").desc(nulls_last=True),
            TITLE_ORDER,
            "pk",
        )
    )


def filter_programs(programs: QuerySet[Program], query: CatalogueQuery) -> QuerySet[Program]:
    """`programs` narrowed to those matching `query`: the catalogue's filters, which the
    API's list of programs shares."""
    now = timezone.now()
    upcoming = Session.objects.filter(
        program=OuterRef("pk"), status=Session.Status.SCHEDULED, starts_at__gte=now
    )
    past = Session.objects.filter(
        program=OuterRef("pk"), status=Session.Status.SCHEDULED, starts_at__lt=now
    )
    if query.q:
        for word in query.q.split()[:8]:
            programs = programs.filter(
                Q(title_en__icontains=word)
                | Q(title_fr__icontains=word)
                | Q(description_en__icontains=word)
                | Q(description_fr__icontains=word)
                | Q(hub__name_en__icontains=word)
                | Q(hub__name_fr__icontains=word)
            )
    if query.profession:
        programs = programs.filter(_open_to(Professions, "profession_id", query.profession))
    if query.setting:
        programs = programs.filter(_open_to(Settings, "practicesetting_id", query.setting))
    if query.province:
        in_province = Exists(
            Provinces.objects.filter(program_id=OuterRef("pk"), province_id=query.province)
        )
        programs = programs.filter(~Q(scope=Program.Scope.PROVINCIAL) | Q(in_province))
    if query.hub:
        programs = programs.filter(hub__slug=query.hub)
    if query.language in ("en", "fr"):
        programs = programs.filter(languages__in=[query.language, Program.Languages.BOTH])
    # EXISTS rather than a test on the annotations: the paginator's count then drops the
    # annotations, where it otherwise ran both subqueries for every program it counted.
    if query.when == "upcoming":
        programs = programs.filter(Exists(upcoming))
    elif query.when == "past":
        programs = programs.filter(~Exists(upcoming), Exists(past))
    return programs
