"""Who manages which API tokens, and what a token may read.

Hub admins manage their hub's tokens and national admins the network's (and
every hub's). A token reads what its hub's staff read on the pages: its hub's
programs, sessions and people, whatever their status; a network token, every
hub's. Everything else is answered as if it did not exist (404), as the pages do.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from echohub.accounts.models import User
from echohub.api.models import ApiToken
from echohub.network.models import Hub
from echohub.network.permissions import is_hub_admin, is_national_admin
from echohub.programs.models import Program
from echohub.programs.permissions import listed_programs, reachable_programs


def may_manage_tokens(user: User | AnonymousUser, hub: Hub | None) -> bool:
    """A hub's admins manage its tokens; national admins manage all, and the network's."""
    if is_national_admin(user):
        return True
    return hub is not None and bool(is_hub_admin(user, hub))


def get_token_for(user: User, hub: Hub | None, pk: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=pk, hub=hub).first()
    if token is None or not may_manage_tokens(user, hub):
        raise Http404
    return token


def token_hubs(token: ApiToken | None) -> QuerySet[Hub]:
    """The hubs whose staff this token stands for: none without a token, all for the network's."""
    if token is None:
        return Hub.objects.none()
    if token.hub_id is None:
        return Hub.objects.all()
    return Hub.objects.filter(pk=token.hub_id)


def api_listed_programs(token: ApiToken | None) -> QuerySet[Program]:
    """What a list shows: the programs the catalogue lists to everyone, and with a token
    every program of its hubs (drafts, unlisted and by invitation too)."""
    return _and_the_hubs(listed_programs(), token)


def api_reachable_programs(token: ApiToken | None) -> QuerySet[Program]:
    """What an address reaches: also the unlisted programs a link opens."""
    return _and_the_hubs(reachable_programs(AnonymousUser()), token)


def _and_the_hubs(public: QuerySet[Program], token: ApiToken | None) -> QuerySet[Program]:
    """`public`, with (for a token) every program of the token's hubs."""
    if token is None:
        return public
    return Program.objects.filter(Q(pk__in=public.values("pk")) | Q(hub__in=token_hubs(token)))


def staff_programs(token: ApiToken) -> QuerySet[Program]:
    """The programs whose people (registrations, attendance, certificates) a token reads."""
    return Program.objects.filter(hub__in=token_hubs(token))
