"""Who reads which report.

National admins read the network's dashboard and every hub's and program's; a
hub's admins and coordinators read their hub's and its programs'. Anyone else
gets 404, alike for a hub that does not exist and one that is not theirs.
Breakdowns of people under 5 are hidden ("fewer than 5") everywhere except for a
hub's own staff reading their own hub or program.
"""

from django.http import Http404, HttpRequest

from echohub.accounts.auth import signed_in_user
from echohub.accounts.models import User
from echohub.network.models import MANAGER_ROLES, Hub, StaffRole


def national_admin(request: HttpRequest) -> User:
    user = signed_in_user(request)
    if not user.is_national_admin:
        raise Http404
    return user


def reads_records(user: User, hub: Hub) -> bool:
    """Whether `user` downloads the hub's own records, names and emails included: its own
    admins and coordinators, and national admins."""
    return user.is_national_admin or sees_small_cells(user, hub)


def sees_small_cells(user: User, hub: Hub | None) -> bool:
    """Whether `user` reads this hub's exact small counts: only its own staff do."""
    return (
        hub is not None
        and StaffRole.objects.filter(hub=hub, person=user, role__in=MANAGER_ROLES).exists()
    )
