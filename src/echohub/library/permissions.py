"""Who sees which resource, and who adds them.

Public resources are for everyone; signed-in ones for anyone with an account;
members-only ones for the members of their program (enrolled, registered or on
its staff). A hub's managers see and change everything of their hub. Anyone
else gets a 404, in lists, search results and by direct address alike.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from echohub.accounts.models import User
from echohub.cases.permissions import member_programs
from echohub.library.models import Resource
from echohub.network.models import Hub
from echohub.network.permissions import managed_hubs

Visibility = Resource.Visibility


def visible_resources(user: User | AnonymousUser) -> QuerySet[Resource]:
    if not user.is_authenticated:
        return Resource.objects.filter(visibility=Visibility.PUBLIC)
    return Resource.objects.filter(
        Q(visibility__in=(Visibility.PUBLIC, Visibility.SIGNED_IN))
        | Q(visibility=Visibility.MEMBERS, program__in=member_programs(user))
        | Q(hub__in=managed_hubs(user))
    )


def get_resource_for(user: User | AnonymousUser, key: str) -> Resource:
    resource = (
        visible_resources(user).select_related("hub", "program", "session").filter(key=key).first()
    )
    if resource is None:
        raise Http404
    return resource


def manages_library(user: User | AnonymousUser, hub: Hub) -> bool:
    return managed_hubs(user).filter(pk=hub.pk).exists()


def get_managed_resource(user: User, key: str) -> Resource:
    resource = Resource.objects.filter(key=key, hub__in=managed_hubs(user)).first()
    if resource is None:
        raise Http404
    return resource
