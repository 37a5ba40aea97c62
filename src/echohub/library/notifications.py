"""Emails to followers: a new resource in a topic or program they follow, a protocol's new version.

Each goes once per person and reason (the outbox's reason key), in the
reader's language, and only to people who may see the resource.
"""

from django.db.models import Q

from echohub.accounts.models import User
from echohub.library.models import Follow, ProtocolVersion, Resource
from echohub.outreach.services import queue_email, site_link


def _followers(resource: Resource, *, of_resource: bool) -> list[User]:
    from echohub.library.permissions import visible_resources

    wanted = Q(topic__in=resource.topics.all())
    if resource.program_id:
        wanted |= Q(program_id=resource.program_id)
    if of_resource:
        wanted |= Q(resource=resource)
    people = User.objects.filter(
        pk__in=Follow.objects.filter(wanted).values("person"), is_active=True
    ).order_by("pk")
    return [p for p in people if visible_resources(p).filter(pk=resource.pk).exists()]


def new_resource(resource_id: int) -> int:
    resource = Resource.objects.select_related("hub").filter(pk=resource_id).first()
    if resource is None:
        return 0
    sent = 0
    for person in _followers(resource, of_resource=False):
        if queue_email(
            person=person,
            kind="library.new",
            reason_key=f"library:new:{resource.pk}:{person.pk}",
            context={
                "resource": resource,
                "resource_url": site_link("library:resource", key=resource.key),
                "following_url": site_link("library:following"),
                "preferences_url": site_link("library:following"),
            },
            hub=resource.hub,
            transactional=False,
        ):
            sent += 1
    return sent


def new_version(version_id: int) -> int:
    version = ProtocolVersion.objects.select_related("resource__hub").filter(pk=version_id).first()
    if version is None or version.number == 1:
        return 0
    resource = version.resource
    sent = 0
    for person in _followers(resource, of_resource=True):
        if queue_email(
            person=person,
            kind="library.version",
            reason_key=f"library:version:{version.pk}:{person.pk}",
            context={
                "resource": resource,
                "version": version,
                "resource_url": site_link("library:resource", key=resource.key),
                "following_url": site_link("library:following"),
                "preferences_url": site_link("library:following"),
            },
            hub=resource.hub,
            transactional=False,
        ):
            sent += 1
    return sent
