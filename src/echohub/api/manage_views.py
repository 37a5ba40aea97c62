"""The token pages: a hub admin's for the hub, a national admin's for the network."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from echohub.accounts.auth import signed_in_user
from echohub.accounts.models import User
from echohub.api import services
from echohub.api.forms import TokenForm
from echohub.api.models import ApiToken
from echohub.api.permissions import get_token_for
from echohub.formerrors import refusal_onto
from echohub.network.models import Hub
from echohub.network.permissions import get_hub_for


def _owner(request: HttpRequest, slug: str | None) -> tuple[User, Hub | None]:
    """The person and the hub (None: the network) whose tokens the page is about."""
    user = signed_in_user(request)
    if slug is None:
        if not user.is_national_admin:
            raise Http404
        return user, None
    # A hub's admins and national admins: who may manage its staff, and its tokens.
    return user, get_hub_for(user, slug, "network.manage_staff")


def _list(hub: Hub | None) -> list[ApiToken]:
    return list(ApiToken.objects.filter(hub=hub).select_related("created_by"))


@login_required
def tokens(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    user, hub = _owner(request, slug)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.create_token(
                hub,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_at=form.expires_at(),
                by=user,
            )
        except ValidationError as error:
            refusal_onto(form, error, renamed={"expires_at": "expires"})
        else:
            # Shown in this answer only: it is nowhere to be read again.
            return render(
                request, "api/token_created.html", {"hub": hub, "token": token, "secret": secret}
            )
    return render(request, "api/tokens.html", {"hub": hub, "tokens": _list(hub), "form": form})


@login_required
def revoke(request: HttpRequest, pk: int, slug: str | None = None) -> HttpResponse:
    user, hub = _owner(request, slug)
    token = get_token_for(user, hub, pk)
    if request.method == "POST":
        services.revoke_token(token, by=user)
        messages.success(request, _("The token was revoked: calls with it are refused from now."))
        if hub is None:
            return redirect("api_tokens:network")
        return redirect("api_tokens:hub", slug=hub.slug)
    return render(request, "api/token_revoke.html", {"hub": hub, "token": token})
