"""Operations on the network: granting and revoking hub staff roles."""

import logging
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from echohub.accounts.models import User
from echohub.network.models import Hub, Spoke, StaffRole
from echohub.reference.models import Province
from echohub.slugs import unique_slug

log = logging.getLogger(__name__)

NO_ACCOUNT = gettext_lazy(
    "No one has an EchoHub account with this address yet; ask them to sign up first."
)


@transaction.atomic
def grant_role(hub: Hub, email: str, role: str, *, by: User) -> StaffRole:
    person = User.objects.filter(email__iexact=email.strip()).first()
    if person is None:
        raise ValidationError({"email": NO_ACCOUNT})
    staff_role, created = StaffRole.objects.get_or_create(hub=hub, person=person, role=role)
    if not created:
        raise ValidationError(
            {"role": _("%(person)s already holds this role in this hub.") % {"person": person}}
        )
    log.info("staff role %s granted in hub %s to person %s by %s", role, hub.pk, person.pk, by.pk)
    return staff_role


@transaction.atomic
def revoke_role(staff_role: StaffRole, *, by: User) -> None:
    hub = staff_role.hub
    if (
        staff_role.role == StaffRole.Role.ADMIN
        and not hub.staff_roles.filter(role=StaffRole.Role.ADMIN).exclude(pk=staff_role.pk).exists()
    ):
        raise ValidationError(_("A hub keeps at least one hub admin: name another one first."))
    # A facilitator or expert who loses the role leaves the hub's panels in that role.
    staff_role.person.program_roles.filter(program__hub=hub, role=staff_role.role).delete()
    log.info(
        "staff role %s revoked in hub %s from person %s by %s",
        staff_role.role,
        hub.pk,
        staff_role.person_id,
        by.pk,
    )
    staff_role.delete()


@transaction.atomic
def save_hub(hub: Hub, *, by: User, provinces: Iterable[Province] = ()) -> Hub:
    """Create or update a hub: provinces count for a provincial hub, a sector for a sector one."""
    creating = hub.pk is None
    if not hub.slug:
        hub.slug = unique_slug(
            Hub.objects.all(), hub.name_en or hub.name_fr, fallback="hub", max_length=60
        )
    if hub.scope != Hub.Scope.SECTOR:
        hub.sector = None
    hub.full_clean()
    hub.save()
    hub.provinces.set(provinces if hub.scope == Hub.Scope.PROVINCIAL else [])
    log.info("hub %s %s by %s", hub.pk, "created" if creating else "updated", by.pk)
    return hub


@transaction.atomic
def save_spoke(spoke: Spoke, *, by: User) -> Spoke:
    creating = spoke.pk is None
    spoke.full_clean()
    spoke.save()
    log.info("spoke %s %s by %s", spoke.pk, "created" if creating else "updated", by.pk)
    return spoke
