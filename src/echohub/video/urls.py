from django.urls import path
from django.utils.translation import gettext_lazy as _

from echohub.video import views

app_name = "video"

urlpatterns = [
    path(_("manage/hubs/<slug:slug>/video/"), views.connections, name="connections"),
    path(_("manage/hubs/<slug:slug>/video/new/<str:platform>/"), views.connect, name="connect"),
    path(_("manage/hubs/<slug:slug>/video/<int:pk>/"), views.connection, name="connection"),
    path(_("manage/hubs/<slug:slug>/video/<int:pk>/test/"), views.test, name="test"),
    path(_("manage/hubs/<slug:slug>/video/<int:pk>/delete/"), views.delete, name="delete"),
]
