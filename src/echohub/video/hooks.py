"""The addresses platforms and people follow outside the pages: a BigBlueButton room's
join and host links, and what Zoom and BigBlueButton tell EchoHub when a meeting ends.

No view here calls a platform: a join link is signed here, and a notification
only records what it says and queues the worker.
"""

import json
import logging

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from echohub.accounts.auth import signed_in_user
from echohub.programs.permissions import can_host_session
from echohub.registration.permissions import may_join
from echohub.sealing import Unsealable
from echohub.video import meetings, platforms, services
from echohub.video.models import Connection, Meeting, Platform
from echohub.video.platforms import bigbluebutton, zoom
from echohub.video.platforms.base import Made, Problem

log = logging.getLogger(__name__)


def _secret(connection: Connection, name: str) -> str:
    """The secret a notification is checked with; none (so refused) if it cannot be opened."""
    try:
        return services.secrets_of(connection).get(name, "")
    except Unsealable:
        log.warning("video connection %s: its secrets open with no key", connection.pk)
        return ""


def _room(key: str) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("session__program__hub", "connection"),
        key=key,
        connection__platform=Platform.BIGBLUEBUTTON,
    )


def _into_room(request: HttpRequest, key: str, *, as_host: bool) -> HttpResponse:
    user = signed_in_user(request)
    meeting = _room(key)
    session = meeting.session
    host = can_host_session(user, session)
    if not (host if as_host else host or may_join(user, session)):
        raise Http404
    if (
        meeting.state == Meeting.State.REMOVED
        or session.is_cancelled
        or not session.room_is_open()
        or meeting.opened_at is None
    ):
        return render(request, "video/not_open.html", {"session": session}, status=409)
    try:
        client = platforms.client(meeting.connection)
    except Problem:  # its secrets cannot be opened: the hub admin must enter them again
        return render(request, "video/not_open.html", {"session": session}, status=409)
    if not isinstance(client, bigbluebutton.Client):  # (_room finds BigBlueButton's only)
        raise Http404
    url = client.join_url(
        Made(meeting.external_id, details=meeting.details),
        name=user.name or user.email.split("@")[0],
        key=meetings.join_key(user),
        moderator=host,
    )
    log.info("person %s joins meeting %s (%s)", user.pk, meeting.pk, "host" if host else "viewer")
    return redirect(url)


@login_required
def join(request: HttpRequest, key: str) -> HttpResponse:
    return _into_room(request, key, as_host=False)


@login_required
def host(request: HttpRequest, key: str) -> HttpResponse:
    return _into_room(request, key, as_host=True)


# --- Zoom's event notifications ------------------------------------------------------


@csrf_exempt
@require_POST
def zoom_events(request: HttpRequest, hook_key: str) -> HttpResponse:
    """Zoom's "event notification endpoint URL": every request signed with the app's
    secret token (403 and nothing done otherwise); the URL validation answered."""
    connection = get_object_or_404(Connection, hook_key=hook_key, platform=Platform.ZOOM)
    secret = _secret(connection, "webhook_secret")
    signature = request.headers.get("x-zm-signature", "")
    timestamp = request.headers.get("x-zm-request-timestamp", "")
    if not secret or not zoom.signature_ok(secret, timestamp, request.body, signature):
        log.info("zoom notification for connection %s refused: bad signature", connection.pk)
        return HttpResponseForbidden()
    try:
        event = json.loads(request.body)
    except ValueError:
        return HttpResponse(status=400)
    if event.get("event") == "endpoint.url_validation":
        plain = str(event.get("payload", {}).get("plainToken", ""))
        return JsonResponse(zoom.validation_answer(secret, plain))
    told, meeting_id, uuid = zoom.about(event)
    if told not in ("meeting.ended", "recording.completed"):
        return HttpResponse(status=204)
    meeting = Meeting.objects.filter(connection=connection, external_id=meeting_id).first()
    if meeting is None:
        return HttpResponse(status=204)  # not one of EchoHub's meetings
    if told == "meeting.ended":
        meetings.ended(meeting, details={"uuid": uuid})
        log.info("zoom: meeting %s ended", meeting.pk)
    else:
        meetings.recordings_ready(meeting)
    return HttpResponse(status=204)


# --- BigBlueButton's callbacks ----------------------------------------------------------


def _called_back(hook_key: str, key: str) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("connection"),
        key=key,
        connection__hook_key=hook_key,
        connection__platform=Platform.BIGBLUEBUTTON,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def ended(request: HttpRequest, hook_key: str, key: str) -> HttpResponse:
    """The meeting's end (GET, meta_endCallbackUrl: its unguessable address is its proof),
    or a recording ready (POST, meta_bbb-recording-ready-url: a JWT signed with the secret)."""
    meeting = _called_back(hook_key, key)
    if request.method == "GET":
        meetings.ended(meeting)
        return HttpResponse(status=204)
    secret = _secret(meeting.connection, "shared_secret")
    ready = bigbluebutton.recording_ready(request.POST.get("signed_parameters", ""), secret)
    if ready is None or ready[0] != meeting.external_id:
        return HttpResponse(status=401)  # BigBlueButton's word for a secret that differs
    meetings.recordings_ready(meeting)
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def events(request: HttpRequest, hook_key: str, key: str) -> HttpResponse:
    """The learning analytics BigBlueButton POSTs once the meeting is over: who joined and
    left when. Its bearer token must be signed with the shared secret."""
    meeting = _called_back(hook_key, key)
    secret = _secret(meeting.connection, "shared_secret")
    payload = bigbluebutton.analytics(
        request.headers.get("Authorization", ""), request.body, secret
    )
    if payload is None or payload.get("meeting_id") != meeting.external_id:
        log.info("bigbluebutton analytics for meeting %s refused", meeting.pk)
        return HttpResponseForbidden()
    meetings.ended(meeting, details={"analytics": payload})
    return HttpResponse(status=204)
