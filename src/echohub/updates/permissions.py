"""Who may write updates and import subscribers, said once.

A hub's managers (admins and coordinators) write its updates; national
admins write network-wide ones and may write any hub's. Importing a list of
subscribers is for a hub's admins (and national admins): it speaks for the
hub's consent records. Everyone else gets 404 for an update that is not
published, alike for "missing" and "not yours".
"""

import rules
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from echohub.accounts.models import User
from echohub.network.models import MANAGER_ROLES, Hub, StaffRole
from echohub.network.permissions import can_manage_programs, can_manage_staff, is_national_admin
from echohub.updates.models import Update


@rules.predicate
def writes_updates_for(user: User | AnonymousUser, hub: Hub | None) -> bool:
    if hub is None:
        return bool(is_national_admin(user))
    return bool(can_manage_programs(user, hub))


rules.add_perm("updates.write", writes_updates_for)
rules.add_perm("updates.import_subscribers", can_manage_staff)


def hubs_written_for(user: User) -> QuerySet[Hub]:
    if user.is_national_admin:
        return Hub.objects.all()
    return Hub.objects.filter(
        pk__in=StaffRole.objects.filter(person=user, role__in=MANAGER_ROLES).values("hub")
    )


def hubs_imported_for(user: User) -> QuerySet[Hub]:
    if user.is_national_admin:
        return Hub.objects.all()
    return Hub.objects.filter(
        pk__in=StaffRole.objects.filter(person=user, role=StaffRole.Role.ADMIN).values("hub")
    )


def writable_updates(user: User) -> QuerySet[Update]:
    if user.is_national_admin:
        return Update.objects.all()
    return Update.objects.filter(hub__in=hubs_written_for(user))


def get_update_for(user: User, pk: int) -> Update:
    update = writable_updates(user).filter(pk=pk).select_related("hub").first()
    if update is None:
        raise Http404
    return update


def visible_update(user: User | AnonymousUser, pk: int) -> Update:
    """A published update to anyone; a draft or scheduled one to those who may write it."""
    found = Update.objects.select_related("hub").filter(pk=pk).first()
    if found is None:
        raise Http404
    if found.status == "published":
        return found
    if user.is_authenticated and user.has_perm("updates.write", found.hub):
        return found
    raise Http404


def published_for_hub(hub: Hub | None) -> QuerySet[Update]:
    """A hub's updates, or every update in the network (network-wide and the hubs') for None."""
    updates = Update.objects.published().select_related("hub")
    return updates.filter(Q(hub=hub)) if hub is not None else updates
