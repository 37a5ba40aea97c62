"""Managing the network: hubs, their staff and roles, and the spokes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from echohub.accounts.auth import signed_in_user
from echohub.accounts.models import User
from echohub.network import services
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
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
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
    form = HubForm(request.POST or None, instance=hub)
    if request.method == "POST" and form.is_valid():
        hub = services.save_hub(
            form.save(commit=False), by=user, provinces=form.cleaned_data["provinces"]
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
