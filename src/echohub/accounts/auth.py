"""The signed-in person, typed as EchoHub's User, for the pages that need one."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from echohub.accounts.models import User


def signed_in_user(request: HttpRequest) -> User:
    """`request.user` on a view behind @login_required, which has already turned
    anonymous readers away; the check only narrows the type from `User | AnonymousUser`."""
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    return user
