from django.urls import path
from django.utils.translation import gettext_lazy as _

from echohub.updates import feeds, views

app_name = "updates"
urlpatterns = [
    path(_("updates/"), views.update_list, name="list"),
    path(_("updates/feed.rss"), feeds.UpdatesFeed(), name="feed_rss"),
    path(_("updates/feed.atom"), feeds.AtomUpdatesFeed(), name="feed_atom"),
    path(_("updates/<int:pk>/<slug:slug>/"), views.update_detail, name="detail"),
    path(_("updates/<int:pk>/image/<str:name>"), views.update_image, name="image"),
    path(_("hubs/<slug:slug>/updates/"), views.update_list, name="hub_list"),
    path(_("hubs/<slug:slug>/updates/feed.rss"), feeds.UpdatesFeed(), name="hub_feed_rss"),
    path(_("hubs/<slug:slug>/updates/feed.atom"), feeds.AtomUpdatesFeed(), name="hub_feed_atom"),
    path(_("stay-informed/"), views.subscribe, name="subscribe"),
    path(_("stay-informed/check-your-email/"), views.sent, name="sent"),
    path(_("stay-informed/confirm/<str:token>/"), views.confirm, name="confirm"),
    path(_("stay-informed/preferences/"), views.my_preferences, name="preferences"),
    path(_("stay-informed/preferences/<str:key>/"), views.key_preferences, name="preferences_key"),
    path(_("manage/updates/"), views.manage, name="manage"),
    path(_("manage/updates/new/"), views.edit, name="new"),
    path(_("manage/updates/<int:pk>/edit/"), views.edit, name="edit"),
    path(_("manage/updates/subscribers/import/"), views.import_list, name="import"),
]
