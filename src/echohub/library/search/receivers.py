"""Keep the search index current whoever changes a resource or a case.

The library's services call `index_resource` themselves (a transcript is
bulk-created, which sends no signal); these receivers catch every other save,
the admin's and the topics' included. Indexing twice is harmless: rows that
are already current are left alone.

Cases enter the index when their recommendations are sent and leave it when
they are withdrawn (which erases their text), purged or deleted.
"""

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from echohub.cases.models import Case, Recommendations
from echohub.library.models import Resource
from echohub.library.search.index import (
    index_case,
    index_resource,
    unindex_case,
    unindex_resource,
)


@receiver(post_save, sender=Resource, dispatch_uid="search_resource_saved")
def resource_saved(sender: type[Resource], instance: Resource, raw: bool, **kwargs: Any) -> None:
    if not raw:
        index_resource(instance)


@receiver(post_delete, sender=Resource, dispatch_uid="search_resource_deleted")
def resource_deleted(sender: type[Resource], instance: Resource, **kwargs: Any) -> None:
    unindex_resource(instance.pk)  # the rows cascade already; this makes sure


@receiver(m2m_changed, sender=Resource.topics.through, dispatch_uid="search_topics_changed")
def topics_changed(
    sender: type[Any],
    instance: Any,
    action: str,
    reverse: bool,
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    """Topic names are indexed with the resource: refile it when its topics change."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            index_resource(instance, transcript=False)
        return
    # topic.resources.add(…): the instance is the topic, the resources are in pk_set.
    if action == "pre_clear":
        instance._search_cleared = list(instance.resources.values_list("pk", flat=True))
    ids = instance.__dict__.pop("_search_cleared", []) if action == "post_clear" else pk_set
    if action in ("post_add", "post_remove", "post_clear") and ids:
        for resource in Resource.objects.filter(pk__in=ids):
            index_resource(resource, transcript=False)


@receiver(post_save, sender=Recommendations, dispatch_uid="search_recommendations_saved")
def recommendations_saved(
    sender: type[Recommendations], instance: Recommendations, raw: bool, **kwargs: Any
) -> None:
    if raw:
        return
    if instance.status == Recommendations.Status.SENT:
        index_case(instance.case)
    else:
        unindex_case(instance.case_id)


@receiver(post_delete, sender=Recommendations, dispatch_uid="search_recommendations_deleted")
def recommendations_deleted(
    sender: type[Recommendations], instance: Recommendations, **kwargs: Any
) -> None:
    unindex_case(instance.case_id)


@receiver(post_save, sender=Case, dispatch_uid="search_case_saved")
def case_saved(sender: type[Case], instance: Case, created: bool, raw: bool, **kwargs: Any) -> None:
    # A new case has no recommendations yet; a withdrawn one leaves the index at once.
    if not (created or raw):
        index_case(instance)


@receiver(post_delete, sender=Case, dispatch_uid="search_case_deleted")
def case_deleted(sender: type[Case], instance: Case, **kwargs: Any) -> None:
    unindex_case(instance.pk)
