"""A resource of kind "link" is a link: its form says it takes no file, and saving works."""

import pytest

from echohub.library.models import Resource
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_link_is_created_without_a_server_error(network) -> None:
    client = client_for(network.coordinator)
    page = client.get("/en/manage/hubs/ontario/library/new/?kind=link")
    assert page.status_code == 200
    data = {
        "kind": "link",
        "title_en": "Canadian Virtual Hospice",
        "url": "https://www.virtualhospice.ca/",
        "visibility": "public",
        "language": "en",
    }
    response = client.post("/en/manage/hubs/ontario/library/new/", data)
    assert response.status_code == 302
    link = Resource.objects.get(kind="link")
    assert link.url == "https://www.virtualhospice.ca/"
    assert "This kind takes no file" in page.content.decode()
    tampered = client.post("/en/manage/hubs/ontario/library/new/", {**data, "kind": "bogus"})
    assert tampered.status_code == 200
    assert "Select a valid choice" in tampered.content.decode()
    assert Resource.objects.filter(kind="bogus").count() == 0
