from django.urls import path
from django.utils.translation import gettext_lazy as _

from echohub.library import manage_views, views

app_name = "library"
urlpatterns = [
    path(_("library/"), views.index, name="index"),
    path(_("library/following/"), views.following, name="following"),
    path(_("library/follow/"), views.follow, name="follow"),
    path(_("library/<str:key>/"), views.resource, name="resource"),
    path(_("library/<str:key>/file/"), views.download, name="download"),
    path(_("library/<str:key>/versions/<int:number>/"), views.diff, name="diff"),
    path(_("manage/hubs/<slug:slug>/library/"), manage_views.manage, name="manage"),
    path(_("manage/hubs/<slug:slug>/library/new/"), manage_views.create, name="create"),
    path(_("manage/library/<str:key>/"), manage_views.edit, name="edit"),
    path(_("manage/library/<str:key>/versions/new/"), manage_views.add_version, name="version"),
    path(_("manage/library/<str:key>/transcript/"), manage_views.transcript, name="transcript"),
]
