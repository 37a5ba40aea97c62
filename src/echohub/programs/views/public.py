"""What anyone can read: home, catalogue, program, session and hub pages."""

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from echohub.network.models import Hub
from echohub.pagecache.cache import keep_until, public_page
from echohub.pagecache.kept import kept_rows
from echohub.programs.cards import program_cards
from echohub.programs.catalogue import CatalogueQuery, search_programs
from echohub.programs.models import TITLE_ORDER, Program, Session
from echohub.programs.permissions import (
    can_host_session,
    can_manage_program,
    get_public_program,
    get_public_session,
    holds_a_role,
    listed_programs,
    listed_sessions,
    may_reach,
    public_sessions,
)
from echohub.reference.forms import AudienceFilterForm, KeptChoiceField

PAGE_SIZE = 20
HUB_PROGRAMS = 20
# A program page lists at most this many upcoming and past sessions; the calendar feed has all.
PROGRAM_SESSIONS = 50


class CatalogueFilterForm(AudienceFilterForm):
    field_order = ["q", "profession", "setting", "province", "hub", "language", "when"]

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    hub = KeptChoiceField(
        label=_("Hub"),
        queryset=Hub.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All hubs"),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("English or French")), ("en", _("English")), ("fr", _("French"))],
    )
    when = forms.ChoiceField(
        label=_("Sessions"),
        required=False,
        choices=[
            ("", _("Upcoming and past")),
            ("upcoming", _("With upcoming sessions")),
            ("past", _("Past only")),
        ],
    )

    def query(self) -> CatalogueQuery:
        """The valid filters; an unknown value is reported on the form and not applied."""
        data = self.cleaned_data if self.is_valid() else getattr(self, "cleaned_data", {})

        def code(name: str, attr: str = "pk") -> str:
            value = data.get(name)
            return str(getattr(value, attr)) if value else ""

        return CatalogueQuery(
            q=(data.get("q") or "").strip(),
            profession=code("profession"),
            setting=code("setting"),
            province=code("province"),
            hub=code("hub", "slug"),
            language=data.get("language") or "",
            when=data.get("when") or "",
        )


@public_page
def home(request: HttpRequest) -> HttpResponse:
    upcoming = list(
        listed_sessions()
        .filter(starts_at__gte=timezone.now(), status=Session.Status.SCHEDULED)
        .select_related("program__hub", "group")
        .prefetch_related("speakers")  # each card names them: one query, not eight
        .order_by("starts_at")[:8]
    )
    response = render(request, "programs/home.html", {"upcoming": upcoming, "hubs": kept_rows(Hub)})
    # The first session leaves the list when it starts.
    return keep_until(response, upcoming[0].starts_at if upcoming else None)


@public_page
def catalogue(request: HttpRequest) -> HttpResponse:
    form = CatalogueFilterForm(request.GET or None)
    query = form.query() if request.GET else CatalogueQuery()
    page = Paginator(search_programs(query, request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    # The page's programs as cards, each value worked out once (programs/cards.py).
    cards = program_cards(page.object_list)
    response = render(
        request,
        "programs/catalogue.html",
        {
            "form": form if request.GET else CatalogueFilterForm(),
            "page": page,
            "cards": cards,
            "query_string": params.urlencode(),
            "filtered": any(vars(query).values()),
        },
    )
    # A card's "next session" becomes its last one when that session starts.
    starts = [card.next_start for card in cards if card.next_start is not None]
    return keep_until(response, min(starts, default=None))


@public_page
def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    program = get_public_program(request.user, slug)
    now = timezone.now()
    sessions = program.sessions.select_related("group").prefetch_related("speakers")
    upcoming = list(sessions.filter(starts_at__gte=now).order_by("starts_at")[:PROGRAM_SESSIONS])
    past = list(sessions.filter(starts_at__lt=now).order_by("-starts_at")[:PROGRAM_SESSIONS])
    response = render(
        request,
        "programs/program.html",
        {
            "program": program,
            "hub": program.hub,
            "professions": program.audience_professions.all(),
            "settings": program.audience_settings.all(),
            "provinces": program.provinces.all(),
            "upcoming": upcoming,
            "past": past,
            "is_manager": can_manage_program(request.user, program),
            "is_preview": program.status == Program.Status.DRAFT,
        },
    )
    # The next session moves from "upcoming" to "past" when it starts.
    return keep_until(response, upcoming[0].starts_at if upcoming else None)


@public_page
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # A participant (most readers signed in) has no role: no draft to preview, nothing
    # to manage or host, and so none of those queries to build and run.
    has_role = holds_a_role(request.user)
    if has_role:
        session = get_public_session(request.user, pk)
    else:
        session = get_object_or_404(
            public_sessions().select_related("program__hub", "group"), pk=pk
        )
        if not may_reach(request.user, session.program):
            raise Http404
    program = session.program
    context: dict[str, Any] = {
        "session": session,
        "program": program,
        "speakers": session.speakers.all(),
        "is_manager": has_role and can_manage_program(request.user, program),
        "can_host": has_role and can_host_session(request.user, session),
        "has_role": has_role,
        "is_past": session.has_ended,
        "is_preview": program.status == Program.Status.DRAFT,
        # reader_zone is set on every request by ReaderTimezoneMiddleware.
        "same_zone": request.reader_zone == program.timezone,  # type: ignore[attr-defined]
    }
    response = render(request, "programs/session.html", context)
    # Registration closes when the session starts, and it is past when it ends.
    now = timezone.now()
    changes = [moment for moment in (session.starts_at, session.ends_at) if moment > now]
    return keep_until(response, min(changes, default=None))


@public_page
def hub_list(request: HttpRequest) -> HttpResponse:
    hubs = Hub.objects.prefetch_related("provinces").select_related("sector")
    return render(request, "programs/hub_list.html", {"hubs": hubs})


@public_page
def hub_detail(request: HttpRequest, slug: str) -> HttpResponse:
    hub = get_object_or_404(Hub.objects.select_related("sector"), slug=slug)
    # The first programs only, then a link to the catalogue filtered by the hub: the
    # page stays the same size however many programs the hub runs.
    programs = list(
        listed_programs(request.user).filter(hub=hub).order_by(TITLE_ORDER)[: HUB_PROGRAMS + 1]
    )
    return render(
        request,
        "programs/hub.html",
        {
            "hub": hub,
            "programs": programs[:HUB_PROGRAMS],
            "more_programs": len(programs) > HUB_PROGRAMS,
            "provinces": hub.provinces.all(),
            "now": timezone.now(),
        },
    )
