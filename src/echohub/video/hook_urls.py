"""Outside the language prefixes: addresses platforms call, and links in emails."""

from django.urls import path

from echohub.video import hooks

app_name = "video_hooks"

urlpatterns = [
    path("join/<str:key>/", hooks.join, name="join"),
    path("host/<str:key>/", hooks.host, name="host"),
    path("hooks/<str:hook_key>/zoom/", hooks.zoom_events, name="zoom"),
    path("hooks/<str:hook_key>/<str:key>/ended/", hooks.ended, name="ended"),
    path("hooks/<str:hook_key>/<str:key>/events/", hooks.events, name="events"),
]
