"""Hub staff add and change their hub's resources, protocol versions and transcripts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echohub.library import services
from echohub.library.forms import ResourceForm, TranscriptForm, VersionForm
from echohub.library.models import Resource
from echohub.library.permissions import get_managed_resource
from echohub.library.transcripts import MAX_TRANSCRIPT_BYTES, TranscriptError
from echohub.network.permissions import get_hub_for, hub_staff_member


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    person = hub_staff_member(request)
    hub = get_hub_for(person, slug)
    resources = Resource.objects.filter(hub=hub).select_related("program")
    return render(request, "library/manage.html", {"hub": hub, "resources": resources[:500]})


def _save(request: HttpRequest, form: ResourceForm) -> Resource | None:
    person = hub_staff_member(request)
    if not form.is_valid():
        return None
    try:
        return services.save_resource(
            form.save(commit=False),
            by=person,
            topics=form.cleaned_data["topics"],
            professions=form.cleaned_data["professions"],
            practice_settings=form.cleaned_data["practice_settings"],
            upload=form.cleaned_data.get("upload"),
        )
    except ValidationError as error:
        form.add_error("upload" if form.cleaned_data.get("upload") else None, error)
        return None


@login_required
def create(request: HttpRequest, slug: str) -> HttpResponse:
    person = hub_staff_member(request)
    hub = get_hub_for(person, slug)
    form = ResourceForm(
        request.POST or None,
        request.FILES or None,
        hub=hub,
        instance=Resource(hub=hub),
        initial={"kind": request.GET.get("kind", "")},
    )
    if request.method == "POST" and (saved := _save(request, form)):
        messages.success(request, _("Added to the library."))
        return redirect(saved)
    return render(request, "library/resource_form.html", {"form": form, "hub": hub})


@login_required
def edit(request: HttpRequest, key: str) -> HttpResponse:
    person = hub_staff_member(request)
    resource = get_managed_resource(person, key)
    form = ResourceForm(
        request.POST or None, request.FILES or None, hub=resource.hub, instance=resource
    )
    if request.method == "POST" and (saved := _save(request, form)):
        messages.success(request, _("Saved."))
        return redirect(saved)
    return render(
        request,
        "library/resource_form.html",
        {"form": form, "hub": resource.hub, "resource": resource},
    )


@login_required
def add_version(request: HttpRequest, key: str) -> HttpResponse:
    person = hub_staff_member(request)
    resource = get_managed_resource(person, key)
    form = VersionForm(request.POST or None, request.FILES or None)
    if resource.kind != Resource.Kind.PROTOCOL:
        messages.error(request, _("Only protocols have versions."))
        return redirect(resource)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.add_version(
                resource,
                by=person,
                text=form.cleaned_data["text"],
                upload=form.cleaned_data.get("upload"),
                changes_en=form.cleaned_data["changes_en"],
                changes_fr=form.cleaned_data["changes_fr"],
            )
        except ValidationError as error:
            form.add_error("upload", error)
        else:
            messages.success(
                request,
                _("Version %(number)s saved; its followers are told.") % {"number": version.number},
            )
            return redirect(resource)
    return render(
        request,
        "library/version_form.html",
        {"form": form, "resource": resource, "current": resource.versions.first()},
    )


@login_required
@require_POST
def transcript(request: HttpRequest, key: str) -> HttpResponse:
    person = hub_staff_member(request)
    resource = get_managed_resource(person, key)
    form = TranscriptForm(request.POST, request.FILES)
    if resource.kind != Resource.Kind.RECORDING or not form.is_valid():
        messages.error(request, _("Choose a WebVTT file for a recording."))
        return redirect(resource)
    upload = form.cleaned_data["file"]
    if (upload.size or 0) > MAX_TRANSCRIPT_BYTES:
        messages.error(request, _("A transcript may be at most 20 MB."))
        return redirect(resource)
    try:
        count = services.attach_transcript(resource, upload.read(), by=person)
    except TranscriptError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Transcript saved: %(count)s lines, now searchable.") % {"count": count}
        )
    return redirect(resource)
