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
urlpatterns += [
    path(_("manage/programs/<slug:slug>/video/"), views.program, name="program"),
    path(_("manage/sessions/<int:pk>/meeting/retry/"), views.retry, name="retry"),
    path(
        _("manage/sessions/<int:pk>/meeting/recordings/"),
        views.look_for_recordings,
        name="recordings",
    ),
    path(
        _("manage/sessions/<int:pk>/meeting/recordings/add/"),
        views.add_recording,
        name="add_recording",
    ),
]
