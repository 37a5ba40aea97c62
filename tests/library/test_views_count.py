"""Library use is counted a day at a time, never with who looked."""

import datetime as dt
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from echohub.library import services
from echohub.library.models import Resource, ResourceViews
from tests.conftest import Network, client_for
from tests.library.test_library import PDF, make


def views(resource: Resource) -> dict[dt.date, int]:
    return dict(ResourceViews.objects.filter(resource=resource).values_list("day", "views"))


def test_a_page_view_and_a_download_each_count_one(network: Network) -> None:
    guide = make(
        network,
        visibility="public",
        upload=SimpleUploadedFile("guide.pdf", PDF, content_type="application/pdf"),
    )
    client_for(None).get(guide.get_absolute_url())
    client_for(network.participant).get(guide.get_absolute_url())
    client_for(None).get(reverse("library:download", kwargs={"key": guide.key}))
    # A video player's later ranges of the same file are the same view.
    client_for(None).get(
        reverse("library:download", kwargs={"key": guide.key}), HTTP_RANGE="bytes=100-"
    )
    # The page's own player fetching the file, and a HEAD, are not views.
    client_for(None).get(
        reverse("library:download", kwargs={"key": guide.key}), HTTP_SEC_FETCH_DEST="video"
    )
    client_for(None).head(guide.get_absolute_url())
    assert views(guide) == {timezone.localdate(): 3}


def test_robots_are_not_counted(network: Network) -> None:
    guide = make(network, visibility="public")
    client_for(None).get(guide.get_absolute_url(), HTTP_USER_AGENT="Googlebot/2.1")
    client_for(None).get(guide.get_absolute_url(), HTTP_USER_AGENT="Bingbot Crawler")
    assert views(guide) == {}


def test_nothing_of_a_person_is_kept() -> None:
    columns = {field.name for field in ResourceViews._meta.get_fields()}
    assert columns == {"id", "resource", "day", "views"}


def test_views_add_up_by_kind_between_two_days(network: Network, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    guide = make(network, visibility="public")
    recording = make(
        network,
        kind="recording",
        url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        visibility="public",
    )
    days = [dt.date(2025, 4, 1), dt.date(2025, 4, 2), dt.date(2025, 6, 30)]
    for day, (guide_views, recording_views) in zip(days, [(1, 5), (2, 0), (4, 7)], strict=True):
        ResourceViews.objects.create(resource=guide, day=day, views=guide_views)
        if recording_views:
            ResourceViews.objects.create(resource=recording, day=day, views=recording_views)
    everything = Resource.objects.all()
    with django_assert_num_queries(1):
        found = services.views_by_kind(everything, dt.date(2025, 4, 2), dt.date(2025, 6, 30))
    assert found == {"guide": 6, "recording": 7}
    assert services.views_by_kind(everything, None, None) == {"guide": 7, "recording": 12}
    assert services.views_by_kind(
        Resource.objects.filter(pk=guide.pk), None, dt.date(2025, 4, 1)
    ) == {"guide": 1}


@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_views_lose_none(reference_lists: None) -> None:
    from tests.factories import HubFactory

    hub = HubFactory()
    guide = Resource.objects.create(kind="guide", title_en="Guide", hub=hub, visibility="public")
    start = threading.Barrier(8)

    def view() -> None:
        start.wait()
        try:
            services.count_view(guide)
        finally:
            connection.close()

    threads = [threading.Thread(target=view) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert views(guide) == {timezone.localdate(): 8}
