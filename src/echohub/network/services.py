"""Operations on the network: granting and revoking hub staff roles."""

import logging
from collections.abc import Iterable
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from echohub.accounts.models import User
from echohub.network.branding import check_image
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
def save_hub(
    hub: Hub,
    *,
    by: User,
    provinces: Iterable[Province] = (),
    logo: UploadedFile | None = None,
    signature: UploadedFile | None = None,
    remove_logo: bool = False,
    remove_signature: bool = False,
) -> Hub:
    """Create or update a hub: provinces count for a provincial hub, a sector for a sector one.

    A new logo or signature image (checked by its content) replaces the old one, whose
    file is deleted once the change is committed; a file written for a change that
    fails is deleted again.
    """
    creating = hub.pk is None
    written: list[FieldFile] = []
    try:
        replaced = [
            *_replace_image(hub.logo, logo, remove_logo, _("a logo"), written),
            *_replace_image(
                hub.signature, signature, remove_signature, _("a signature image"), written
            ),
        ]
        if not hub.slug:
            hub.slug = unique_slug(
                Hub.objects.all(), hub.name_en or hub.name_fr, fallback="hub", max_length=60
            )
        if hub.scope != Hub.Scope.SECTOR:
            hub.sector = None
        hub.full_clean()
        hub.save()
    except BaseException:
        for field in written:
            if field.name:
                field.storage.delete(field.name)
        raise
    hub.provinces.set(provinces if hub.scope == Hub.Scope.PROVINCIAL else [])
    for storage, name in replaced:
        transaction.on_commit(partial(storage.delete, name))
    log.info("hub %s %s by %s", hub.pk, "created" if creating else "updated", by.pk)
    return hub


def _replace_image(
    field: FieldFile,
    upload: UploadedFile | None,
    remove: bool,
    what: str,
    written: list[FieldFile],
) -> list[tuple[Storage, str]]:
    """Store a new image in the field; the old file, to delete after the commit."""
    old = [(field.storage, field.name)] if field.name and (upload or remove) else []
    if upload is not None:
        checked = check_image(upload, what)
        field.save(checked.name, upload, save=False)
        written.append(field)
    elif remove:
        field.name = ""
    return old


@transaction.atomic
def save_spoke(spoke: Spoke, *, by: User) -> Spoke:
    creating = spoke.pk is None
    spoke.full_clean()
    spoke.save()
    log.info("spoke %s %s by %s", spoke.pk, "created" if creating else "updated", by.pk)
    return spoke
