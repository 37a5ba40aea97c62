"""Who may do what in a hub, as small named predicates (django-rules)."""

import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from echohub.accounts.auth import signed_in_user
from echohub.accounts.models import User
from echohub.network.models import MANAGER_ROLES, Hub, StaffRole


@rules.predicate
def is_national_admin(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_national_admin)


def _holds(user: User | AnonymousUser, hub: Hub, roles: tuple[str, ...]) -> bool:
    if not user.is_authenticated:
        return False
    return StaffRole.objects.filter(hub=hub, person=user, role__in=roles).exists()


@rules.predicate
def is_hub_admin(user: User | AnonymousUser, hub: Hub) -> bool:
    return _holds(user, hub, (StaffRole.Role.ADMIN,))


@rules.predicate
def is_hub_manager(user: User | AnonymousUser, hub: Hub) -> bool:
    return _holds(user, hub, MANAGER_ROLES)


@rules.predicate
def manages_any_hub(user: User | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated
        and (
            user.is_national_admin
            or StaffRole.objects.filter(person=user, role__in=MANAGER_ROLES).exists()
        )
    )


can_manage_programs = is_national_admin | is_hub_manager
can_manage_staff = is_national_admin | is_hub_admin

rules.add_perm("network.manage_programs", can_manage_programs)
rules.add_perm("network.manage_staff", can_manage_staff)
rules.add_perm("network.use_manage_pages", manages_any_hub)
rules.add_perm("network.add_hub", is_national_admin)
rules.add_perm("network.manage_spokes", manages_any_hub)


def managed_hubs(user: User | AnonymousUser) -> QuerySet[Hub]:
    """The hubs whose programs this person manages (every hub for a national admin)."""
    if not user.is_authenticated:
        return Hub.objects.none()
    if user.is_national_admin:
        return Hub.objects.all()
    return Hub.objects.filter(
        pk__in=StaffRole.objects.filter(person=user, role__in=MANAGER_ROLES).values("hub")
    )


def get_hub_for(user: User, slug: str, perm: str = "network.manage_programs") -> Hub:
    """The hub, or 404 alike for a hub that does not exist and one that is not theirs."""
    hub = Hub.objects.filter(slug=slug).first()
    if hub is None or not user.has_perm(perm, hub):
        raise Http404
    return hub


def hub_staff_member(request: HttpRequest) -> User:
    """The signed-in person, who must manage at least one hub (else 403)."""
    user = signed_in_user(request)
    if not user.has_perm("network.use_manage_pages"):
        raise PermissionDenied
    return user
