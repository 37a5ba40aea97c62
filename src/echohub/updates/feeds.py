"""Atom and RSS feeds of updates, for the network and for each hub (Django's syndication)."""

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext

from echohub.network.models import Hub
from echohub.updates.markdown import render
from echohub.updates.models import Update
from echohub.updates.permissions import published_for_hub

ENTRIES = 30


class UpdatesFeed(Feed):
    def get_object(self, request: HttpRequest, slug: str | None = None) -> Hub | None:
        return get_object_or_404(Hub, slug=slug) if slug else None

    def title(self, hub: Hub | None) -> str:
        name = str(hub.name) if hub else settings.SITE_NAME
        return gettext("Updates from %(name)s") % {"name": name}

    def link(self, hub: Hub | None) -> str:
        if hub is None:
            return reverse("updates:list")
        return reverse("updates:hub_list", kwargs={"slug": hub.slug})

    def description(self, hub: Hub | None) -> str:
        return self.title(hub)

    def items(self, hub: Hub | None) -> list[Update]:
        return list(published_for_hub(hub)[:ENTRIES])

    def item_title(self, item: Update) -> str:
        return str(item.title)

    def item_description(self, item: Update) -> str:
        return str(render(item.body))

    def item_link(self, item: Update) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Update) -> dt.datetime | None:
        return item.publish_at

    def item_updateddate(self, item: Update) -> dt.datetime:
        return item.updated_at

    def item_author_name(self, item: Update) -> str:
        return str(item.hub.name) if item.hub else gettext("The network")


class AtomUpdatesFeed(UpdatesFeed):
    feed_type = Atom1Feed
    subtitle = UpdatesFeed.description
