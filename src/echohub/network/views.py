"""Managing the network: hubs, their staff and roles, and the spokes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from echohub.accounts.auth import signed_in_user
from echohub.accounts.models import User
from echohub.formerrors import refusal_onto
from echohub.network import services
from echohub.network.branding import hub_css as hub_css_text
from echohub.network.forms import HubForm, SpokeForm, StaffRoleForm
from echohub.network.models import Hub, Spoke, StaffRole
from echohub.network.permissions import get_hub_for


@login_required
def hub_staff(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in_user(request)
    hub = get_hub_for(user, slug, "network.manage_staff")
    form = StaffRoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_role(hub, form.cleaned_data["email"], form.cleaned_data["role"], by=user)
        except ValidationError as error:
            refusal_onto(form, error)
        else:
            messages.success(request, _("Role granted."))
            return redirect("network:hub_staff", slug=hub.slug)
    roles = hub.staff_roles.select_related("person").order_by("person__name", "role")
    return render(request, "network/hub_staff.html", {"hub": hub, "roles": roles, "form": form})


@login_required
@require_POST
def hub_staff_remove(request: HttpRequest, slug: str, role_id: int) -> HttpResponse:
    user = signed_in_user(request)
    hub = get_hub_for(user, slug, "network.manage_staff")
    staff_role = get_object_or_404(StaffRole, pk=role_id, hub=hub)
    try:
        services.revoke_role(staff_role, by=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Role removed."))
    return redirect("network:hub_staff", slug=hub.slug)


def _person_with(request: HttpRequest, perm: str) -> User:
    user = signed_in_user(request)
    if not user.has_perm(perm):
        raise PermissionDenied
    return user


def _hub_form_page(request: HttpRequest, user: User, hub: Hub) -> HttpResponse:
    posted = request.method == "POST"
    form = HubForm(request.POST if posted else None, request.FILES or None, instance=hub)
    if posted and form.is_valid():
        hub = services.save_hub(
            form.save(commit=False),
            by=user,
            provinces=form.cleaned_data["provinces"],
            logo=form.cleaned_data["logo_upload"],
            signature=form.cleaned_data["signature_upload"],
            remove_logo=form.cleaned_data["remove_logo"],
            remove_signature=form.cleaned_data["remove_signature"],
        )
        messages.success(request, _("Hub saved."))
        return redirect("programs:hub", slug=hub.slug)
    return render(request, "network/hub_form.html", {"form": form, "hub": hub})


@login_required
def hub_create(request: HttpRequest) -> HttpResponse:
    user = _person_with(request, "network.add_hub")
    return _hub_form_page(request, user, Hub())


@login_required
def hub_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in_user(request)
    hub = get_hub_for(user, slug, "network.manage_staff")
    return _hub_form_page(request, user, hub)


@login_required
def spoke_list(request: HttpRequest) -> HttpResponse:
    user = _person_with(request, "network.manage_spokes")
    form = SpokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        spoke = services.save_spoke(form.save(commit=False), by=user)
        messages.success(request, _("Spoke added: %(name)s.") % {"name": spoke.name})
        return redirect("network:spoke_list")
    spokes = Spoke.objects.select_related("setting", "province").order_by("province", "name")
    return render(request, "network/spoke_list.html", {"spokes": spokes, "form": form})


@login_required
def spoke_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _person_with(request, "network.manage_spokes")
    spoke = get_object_or_404(Spoke, pk=pk)
    form = SpokeForm(request.POST or None, instance=spoke)
    if request.method == "POST" and form.is_valid():
        services.save_spoke(form.save(commit=False), by=user)
        messages.success(request, _("Spoke saved."))
        return redirect("network:spoke_list")
    return render(request, "network/spoke_form.html", {"form": form, "spoke": spoke})


YEAR = 365 * 24 * 3600


@require_GET
def hub_logo(request: HttpRequest, slug: str, name: str) -> FileResponse:
    """A hub's logo, to anyone: its address names the file, so browsers keep it a year."""
    hub = get_object_or_404(Hub, slug=slug)
    if not hub.logo or hub.logo.name.rsplit("/", 1)[-1] != name:
        raise Http404
    content_type = "image/png" if name.endswith(".png") else "image/jpeg"
    try:
        stored = hub.logo.open("rb")
    except OSError:  # lost from storage: as if there were none
        raise Http404 from None
    response = FileResponse(stored, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response


@require_GET
def hub_css(request: HttpRequest, slug: str) -> HttpResponse:
    """The few CSS variables that give a hub's pages its colour (pages carry no inline style)."""
    hub = get_object_or_404(Hub, slug=slug)
    if not hub.brand_colour:
        raise Http404
    response = HttpResponse(hub_css_text(hub.brand_colour), content_type="text/css")
    response["X-Content-Type-Options"] = "nosniff"
    # Pages link it with the colour in the query string, so a new colour is a new address.
    response["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    return response
