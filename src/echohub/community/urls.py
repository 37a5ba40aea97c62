from django.urls import path
from django.utils.translation import gettext_lazy as _

from echohub.community import views

app_name = "community"
urlpatterns = [
    path(_("programs/<slug:slug>/discussion/"), views.space, name="space"),
    path(_("programs/<slug:slug>/discussion/groups/<int:pk>/"), views.space, name="group_space"),
    path(_("discussion/threads/<int:pk>/"), views.thread, name="thread"),
    path(_("discussion/posts/<int:pk>/edit/"), views.edit, name="edit"),
    path(_("discussion/posts/<int:pk>/helpful/"), views.helpful, name="helpful"),
    path(_("discussion/posts/<int:pk>/answer/"), views.answer, name="answer"),
    path(_("discussion/posts/<int:pk>/report/"), views.report, name="report"),
    path(_("discussion/<str:kind>/<int:pk>/follow/"), views.follow, name="follow"),
    path(_("discussion/<str:kind>/<int:pk>/moderate/"), views.moderate, name="moderate"),
    path(_("manage/programs/<slug:slug>/discussion/"), views.moderation, name="moderation"),
]
