"""Who may change the site's own pages: national admins only."""

import rules
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from echohub.accounts.auth import signed_in_user
from echohub.accounts.models import User
from echohub.network.permissions import is_national_admin

rules.add_perm("sitepages.edit_pages", is_national_admin)


def page_editor(request: HttpRequest) -> User:
    """The signed-in person, who must be a national admin (else 403)."""
    user = signed_in_user(request)
    if not user.has_perm("sitepages.edit_pages"):
        raise PermissionDenied
    return user
