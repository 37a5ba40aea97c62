"""Operations on the network: granting and revoking hub staff roles."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from echohub.accounts.models import User
from echohub.network.models import Hub, StaffRole

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
