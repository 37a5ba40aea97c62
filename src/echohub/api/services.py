"""Creating and revoking API tokens: the only state changes of the api app."""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from echohub.accounts.models import User
from echohub.api.models import ApiToken, Scope, hash_secret, new_secret
from echohub.network.models import Hub

log = logging.getLogger(__name__)

# A token lives at most this long: a forgotten one does not stay open for ever.
LONGEST = dt.timedelta(days=366 * 2)


@transaction.atomic
def create_token(
    hub: Hub | None, *, name: str, scopes: list[str], expires_at: dt.datetime, by: User
) -> tuple[ApiToken, str]:
    """A new token and its secret, which is returned this once and never stored."""
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError({"expires_at": _("Choose a date in the future.")})
    if expires_at > now + LONGEST:
        raise ValidationError({"expires_at": _("A token can last two years at most.")})
    known = set(Scope.values)
    if any(scope not in known for scope in scopes):
        raise ValidationError({"scopes": _("Choose scopes from the list.")})
    secret = new_secret()
    token = ApiToken(
        hub=hub,
        name=name.strip(),
        scopes=sorted(set(scopes)),
        prefix=secret[:10],
        secret_hash=hash_secret(secret),
        expires_at=expires_at,
        created_by=by,
    )
    token.full_clean()
    token.save()
    log.info("API token %s created for hub %s by %s", token.pk, hub.pk if hub else "-", by.pk)
    return token, secret


@transaction.atomic
def revoke_token(token: ApiToken, *, by: User) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = by
        token.save(update_fields=["revoked_at", "revoked_by"])
        log.info("API token %s revoked by %s", token.pk, by.pk)
    return token
