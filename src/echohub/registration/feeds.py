"""Calendar files and feeds: one session, a program's sessions, a person's own sessions.

The join link is private: a session's file carries it only for someone
confirmed for that session or managing its program, and a person's feed only
for their confirmed registrations. Calendar apps cannot log in, so a person's
feed is read with a secret token in its address instead; a wrong token gets
a bare 404 that says nothing about what exists.
"""

import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from echohub.accounts.models import User
from echohub.bilingual import active_lang
from echohub.programs.permissions import (
    PUBLIC_STATUSES,
    get_public_session,
    reachable_programs,
)
from echohub.registration.calendars import calendar_for, session_event
from echohub.registration.models import CalendarToken, Registration
from echohub.registration.permissions import may_join

CONTENT_TYPE = "text/calendar; charset=utf-8"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def feed_token_for(person: User) -> CalendarToken:
    """The person's feed token, made on first use."""
    token, _created = CalendarToken.objects.get_or_create(
        person=person, defaults={"token": _new_token()}
    )
    return token


def reset_feed_token(person: User) -> CalendarToken:
    """A new token for the person: the old feed address stops working at once."""
    token, _created = CalendarToken.objects.update_or_create(
        person=person, defaults={"token": _new_token()}
    )
    return token


def personal_feed_url(person: User) -> str:
    """The absolute address of the person's private feed, to paste into a calendar app.

    For a one-click subscription link, replace its http(s):// with webcal://.
    """
    path = reverse("calendars:personal_feed", kwargs={"token": feed_token_for(person).token})
    return settings.SITE_URL.rstrip("/") + path


def _ics_response(body: bytes, filename: str, *, private: bool) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    if private:
        # Join links and who-registered-for-what stay out of shared caches.
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One session's calendar file, with its join link for those who may join."""
    session = get_public_session(request.user, pk)
    include_join_link = may_join(request.user, session)
    lang = active_lang()
    event = session_event(session, include_join_link=include_join_link, lang=lang)
    with translation.override(lang):
        name = str(session.title)
    return _ics_response(
        calendar_for([event], name),
        f"echohub-session-{session.pk}.ics",
        private=request.user.is_authenticated,
    )


@require_safe
def program_feed(request: HttpRequest, slug: str) -> HttpResponse:
    """The public feed of a program's sessions, cancelled ones marked so; no join links."""
    program = get_object_or_404(reachable_programs(request.user), slug=slug)
    lang = active_lang()
    sessions = program.sessions.select_related("program").order_by("starts_at", "pk")
    events = [session_event(s, include_join_link=False, lang=lang) for s in sessions]
    with translation.override(lang):
        name = f"EchoHub — {program.title}"
    return _ics_response(
        calendar_for(events, name),
        f"echohub-{slugify(program.slug)}.ics",
        private=program.by_invitation,  # its members' feed: never kept by a shared cache
    )


@require_safe
def personal_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Every session the token's owner is registered for, in their preferred language.

    Confirmed registrations carry the join link; waitlisted and pending ones do
    not. A session cancelled by its hub stays, marked cancelled, so subscribed
    calendars drop it; a registration the person cancelled simply leaves the feed.
    """
    found = CalendarToken.objects.select_related("person").filter(token=token).first()
    if found is None or not found.person.is_active:
        return HttpResponseNotFound(b"Not found.\n", content_type="text/plain; charset=utf-8")
    person = found.person
    registrations = (
        Registration.objects.filter(
            person=person,
            status__in=Registration.ACTIVE,
            session__program__status__in=PUBLIC_STATUSES,
        )
        .select_related("session__program")
        .order_by("session__starts_at", "session__pk")
    )
    lang = person.preferred_language
    events = [
        session_event(
            registration.session,
            include_join_link=registration.status == Registration.Status.CONFIRMED,
            lang=lang,
            changed_at=registration.updated_at,
        )
        for registration in registrations
    ]
    with translation.override(lang):
        name = f"EchoHub — {_('Sessions')}"
    response = _ics_response(calendar_for(events, name), "echohub.ics", private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
